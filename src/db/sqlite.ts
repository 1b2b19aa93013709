import type { Payload, PayloadRequest } from 'payload'

/*
 * The SQLite side of the hot paths: statements run on the libSQL client of Payload's SQLite
 * adapter, with table and column names taken from the schema it built (as on PostgreSQL).
 *
 * SQLite has one writer at a time, and a statement runs whole before the next write starts, so a
 * single statement is what an update under a row lock is elsewhere: a claim is one UPDATE … IN
 * (SELECT … LIMIT), a recount one UPDATE that reads the rows it counts. Arrays travel as one JSON
 * parameter read back with `json_each`, so a batch of any size is one statement with few
 * parameters (SQLite limits how many a statement may have).
 */

/** The part of libSQL's client the fast paths use (the adapter's own, typed loosely). */
interface LibsqlClient {
  execute: (statement: {
    sql: string
    args: unknown[]
  }) => Promise<{ rows: Array<Record<string, unknown>>; rowsAffected: number }>
  batch: (
    statements: Array<{ sql: string; args: unknown[] }>,
    mode: 'write',
  ) => Promise<Array<{ rows: Array<Record<string, unknown>>; rowsAffected: number }>>
}

interface SqliteAdapterShape {
  name?: unknown
  client?: Partial<LibsqlClient>
  tables?: object
  tableNameMap?: Map<string, string>
}

const clientOf = (payload: Payload): LibsqlClient | null => {
  const db = payload.db as unknown as SqliteAdapterShape
  const client = db.client
  return db.name === 'sqlite' &&
    typeof client?.execute === 'function' &&
    typeof client.batch === 'function' &&
    db.tables &&
    db.tableNameMap
    ? (client as LibsqlClient)
    : null
}

const requireClient = (payload: Payload): LibsqlClient => {
  const client = clientOf(payload)
  if (!client) {
    throw new Error('payload-plugin-livekit: SQLite statements need the SQLite adapter.')
  }
  return client
}

/**
 * True on Payload's SQLite adapter (`@payloadcms/db-sqlite`) with integer ids, the ids the
 * statements insert rows under (with text ids Payload makes each id itself, so rows are written
 * through Payload).
 */
export function onSqlite(payload: Payload): boolean {
  return clientOf(payload) !== null && (payload.db as { idType?: unknown }).idType !== 'uuid'
}

/** Runs one statement on the adapter's client; its rows (column name → value) and the rows it changed. */
export async function runSqlite(
  payload: Payload,
  sql: string,
  args: unknown[],
): Promise<{ rows: Array<Record<string, unknown>>; changed: number }> {
  const result = await requireClient(payload).execute({ sql, args })
  return { rows: result.rows, changed: result.rowsAffected }
}

/** Runs statements as one write transaction (all or none). */
export async function runSqliteBatch(
  payload: Payload,
  statements: Array<{ sql: string; args: unknown[] }>,
): Promise<void> {
  await requireClient(payload).batch(statements, 'write')
}

/**
 * Whether `req` carries a Payload transaction: the SQLite adapter then holds the write lock on a
 * connection of its own, and a statement on the shared client would wait for it until the busy
 * timeout. Callers do that work through Payload's API, inside the transaction.
 */
export const inPayloadTransaction = (req?: Partial<PayloadRequest>) => Boolean(req?.transactionID)

/** A date as SQLite stores Payload's dates: ISO 8601 text in UTC, so text order is time order. */
export const sqliteDate = (value: Date | string): string => new Date(value).toISOString()

/** `value` as a JSON text of one array per row, for `json_each` (see the module comment). */
export const jsonRows = (rows: unknown[][]): string => JSON.stringify(rows)

/** `json_extract(value, '$[n]')`: the n-th item of a row given through {@link jsonRows}. */
export const item = (n: number) => `json_extract(value, '$[${n}]')`
