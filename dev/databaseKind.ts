/** The databases the demo site runs on, each through its Payload adapter. */
export type DatabaseKind = 'mongodb' | 'postgres' | 'sqlite'

/**
 * Which database a connection string names: `postgres://…` (or `postgresql://…`) is PostgreSQL,
 * `file:…` a SQLite file through libSQL, `mongodb://…` MongoDB; null for anything else. The site's
 * adapter and the benchmark's floors both choose by it, so they always agree.
 */
export function databaseKind(uri: string): DatabaseKind | null {
  const scheme = uri.slice(0, uri.indexOf(':') + 1).toLowerCase()
  switch (scheme) {
    case 'file:':
      return 'sqlite'
    case 'mongodb:':
      return 'mongodb'
    case 'postgres:':
    case 'postgresql:':
      return 'postgres'
    default:
      return null
  }
}
