/**
 * What the floors do in the database, through the site's adapter's own driver and nothing of
 * Payload: `pg` on PostgreSQL, `@libsql/client` on a SQLite file, the `mongodb` driver on MongoDB
 * (the drivers Payload's adapters themselves sit on). Chosen by the connection string the site
 * runs on, so a floor always reads and writes the database the plugin's route next to it uses.
 */
import type { FloorDatabase } from './databases/floorTable.js'

import { databaseKind } from '../../dev/databaseKind.js'

export type { FloorDatabase, FloorEvent } from './databases/floorTable.js'

/**
 * The floor database for `uri`. Each driver is imported only for its own database, so a floor
 * route on PostgreSQL never loads the MongoDB driver, and the other way round.
 */
export async function floorDatabase(uri: string): Promise<FloorDatabase> {
  switch (databaseKind(uri)) {
    case 'mongodb':
      return (await import('./databases/mongodb.js')).mongoFloor(uri)
    case 'postgres':
      return (await import('./databases/postgres.js')).postgresFloor(uri)
    case 'sqlite':
      return (await import('./databases/sqlite.js')).sqliteFloor(uri)
    default:
      throw new Error(`The floors cannot use the database ${JSON.stringify(uri.slice(0, 40))}.`)
  }
}
