/**
 * The id of a document in any collection, as Payload hands it over: a number where the database
 * adapter's `defaultIDType` is `number` (Postgres and SQLite serial ids), a string where it is
 * `text` (MongoDB ObjectIds, uuids, custom text ids). The plugin never decides which from the
 * value's look; where a raw string must become an id it asks the adapter (see `db/idFormat.ts`).
 */
export type DocId = number | string
