import type { DatabaseAdapterObj } from 'payload'

import { postgresAdapter } from '@payloadcms/db-postgres'
import { sqliteAdapter } from '@payloadcms/db-sqlite'

/**
 * The demo site's database adapter, chosen by the connection string: `postgres://…` (or
 * `postgresql://…`) is PostgreSQL, `file:…` a SQLite file through libSQL. `push: false` for a
 * second instance joining a database another one already set up.
 */
export function databaseAdapter(uri: string, push = true): DatabaseAdapterObj {
  const scheme = uri.slice(0, uri.indexOf(':') + 1).toLowerCase()
  if (scheme === 'postgres:' || scheme === 'postgresql:') {
    return postgresAdapter({
      pool: { connectionString: uri, max: 10 },
      ...(push ? {} : { push: false }),
    })
  }
  if (scheme === 'file:') {
    return sqliteAdapter({
      client: { url: uri },
      // Several instances (and the dev server's reloads) may open one file: writers wait a little
      // for each other instead of failing at once, and readers do not block the writer. libSQL
      // waits synchronously, so the wait is short: a write lock held longer is a 503 to LiveKit
      // (which retries) rather than a frozen process.
      busyTimeout: 1_000,
      wal: true,
      ...(push ? {} : { push: false }),
    })
  }
  throw new Error(
    `The demo site cannot use the database ${JSON.stringify(uri.slice(0, 40))}: give a postgres:// URL or a SQLite file: path.`,
  )
}
