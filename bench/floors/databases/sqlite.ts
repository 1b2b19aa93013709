import { createClient } from '@libsql/client'

import { FLOOR_EVENTS, type FloorDatabase, once } from './floorTable.js'

/**
 * The floors on a SQLite file, through `@libsql/client` (what Payload's SQLite adapter opens).
 * One connection, as the adapter has, waiting for the write lock as long as the site's does.
 */
export function sqliteFloor(uri: string): FloorDatabase {
  const client = createClient({ url: uri })
  const ready = once(async () => {
    await client.execute('PRAGMA busy_timeout = 1000')
    // The body as text, as the SQLite adapter keeps a json field.
    await client.execute(
      `CREATE TABLE IF NOT EXISTS ${FLOOR_EVENTS} (event_id text PRIMARY KEY, room_name text, body text NOT NULL)`,
    )
  })
  return {
    roomOf: async (streamId) => {
      // Integer ids: anything else is no stream, as the plugin answers it without a query.
      if (!/^\d+$/.test(streamId)) {
        return null
      }
      await ready()
      const { rows } = await client.execute({
        sql: 'SELECT room_name FROM live_streams WHERE id = ?',
        args: [Number(streamId)],
      })
      return rows[0] ? String(rows[0].room_name) : null
    },
    storeEvent: async ({ id, room, raw }) => {
      await ready()
      await client.execute({
        sql: `INSERT INTO ${FLOOR_EVENTS} (event_id, room_name, body) VALUES (?, ?, ?) ON CONFLICT (event_id) DO NOTHING`,
        args: [id, room, raw],
      })
    },
    storedEvents: async (room) => {
      await ready()
      const { rows } = await client.execute({
        sql: `SELECT count(*) AS n FROM ${FLOOR_EVENTS} WHERE room_name = ?`,
        args: [room],
      })
      return Number(rows[0].n)
    },
    close: () => Promise.resolve(client.close()),
  }
}
