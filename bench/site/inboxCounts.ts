import { createClient } from '@libsql/client'
import { MongoClient } from 'mongodb'
import pg from 'pg'

import { databaseKind } from '../../dev/databaseKind.js'

/**
 * The plugin's webhook inbox counted below Payload, through the database's own driver, so that
 * polling it while the site applies events costs the site nothing of its own (no Payload, no
 * access control): on SQL the table `livekit_webhook_events`, on MongoDB the collection
 * `livekit-webhook-events` (the adapter names a collection after its slug).
 */
export interface InboxCounts {
  /** A room's events neither applied nor failed yet (failed ones wait for their retry job). */
  unapplied: (room: string) => Promise<number>
  /** A room's applied events. */
  applied: (room: string) => Promise<number>
  close: () => Promise<void>
}

export function inboxCounts(databaseUri: string): InboxCounts {
  switch (databaseKind(databaseUri)) {
    case 'mongodb':
      return mongoCounts(databaseUri)
    case 'postgres':
      return postgresCounts(databaseUri)
    case 'sqlite':
      return sqliteCounts(databaseUri)
    default:
      throw new Error(`No inbox counts for ${JSON.stringify(databaseUri.slice(0, 40))}.`)
  }
}

const UNAPPLIED =
  'SELECT count(*) AS n FROM livekit_webhook_events WHERE room_name = $1 AND applied_at IS NULL AND error IS NULL'
const APPLIED =
  'SELECT count(*) AS n FROM livekit_webhook_events WHERE room_name = $1 AND applied_at IS NOT NULL'

function postgresCounts(uri: string): InboxCounts {
  const db = new pg.Pool({ connectionString: uri, max: 1 })
  const count = async (sql: string, room: string) =>
    Number((await db.query<{ n: string }>(sql, [room])).rows[0].n)
  return {
    unapplied: (room) => count(UNAPPLIED, room),
    applied: (room) => count(APPLIED, room),
    close: () => db.end(),
  }
}

function sqliteCounts(uri: string): InboxCounts {
  const db = createClient({ url: uri })
  // The same statements with SQLite's placeholder.
  const count = async (sql: string, room: string) =>
    Number((await db.execute({ sql: sql.replace('$1', '?'), args: [room] })).rows[0].n)
  return {
    unapplied: (room) => count(UNAPPLIED, room),
    applied: (room) => count(APPLIED, room),
    close: () => Promise.resolve(db.close()),
  }
}

function mongoCounts(uri: string): InboxCounts {
  const client = new MongoClient(uri)
  const inbox = client.db().collection('livekit-webhook-events')
  return {
    // Waiting events carry `_pending: <room>` until applied (the inbox's own marker); a plain
    // equality is what FerretDB pushes down to its backend, where `appliedAt: null` (absent or
    // null) would decode every stored body of the room on each poll. `error: null` matches an
    // absent field too: the plugin leaves out what it has not written.
    unapplied: (roomName) => inbox.countDocuments({ _pending: roomName, error: null }),
    applied: (roomName) => inbox.countDocuments({ roomName, appliedAt: { $ne: null } }),
    close: () => client.close(),
  }
}
