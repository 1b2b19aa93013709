import type { DatabaseAdapterObj } from 'payload'

import { compatibilityOptions, mongooseAdapter } from '@payloadcms/db-mongodb'
import { postgresAdapter } from '@payloadcms/db-postgres'
import { sqliteAdapter } from '@payloadcms/db-sqlite'

import { databaseKind } from './databaseKind.js'

/**
 * The demo site's database adapter, chosen by the connection string (see databaseKind):
 * PostgreSQL, a SQLite file through libSQL, or MongoDB (`MONGODB_COMPAT=ferretdb` for the
 * FerretDB stand-in). `push: false` for a second instance joining a database another one
 * already set up.
 */
export function databaseAdapter(uri: string, push = true): DatabaseAdapterObj {
  const kind = databaseKind(uri)
  if (kind === 'postgres') {
    return postgresAdapter({
      pool: { connectionString: uri, max: 10 },
      ...(push ? {} : { push: false }),
    })
  }
  if (kind === 'sqlite') {
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
  if (kind === 'mongodb') {
    return mongooseAdapter({
      url: uri,
      // FerretDB (the MongoDB-wire stand-in of the test world) has no transactions and no join
      // aggregations: the settings Payload recommends for such servers.
      ...(process.env.MONGODB_COMPAT === 'ferretdb' ? compatibilityOptions.cosmosdb : {}),
    })
  }
  throw new Error(
    `The demo site cannot use the database ${JSON.stringify(uri.slice(0, 40))}: give a postgres:// or mongodb:// URL, or a SQLite file: path.`,
  )
}
