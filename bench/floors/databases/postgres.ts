import pg from 'pg'

import { FLOOR_EVENTS, type FloorDatabase, once } from './floorTable.js'

/** The floors on PostgreSQL, through `pg` with the site adapter's pool size. */
export function postgresFloor(uri: string): FloorDatabase {
  const pool = new pg.Pool({ connectionString: uri, max: 10 })
  // jsonb, as the plugin's inbox keeps the body.
  const table = once(() =>
    pool.query(
      `CREATE TABLE IF NOT EXISTS ${FLOOR_EVENTS} (event_id text PRIMARY KEY, room_name text, body jsonb NOT NULL)`,
    ),
  )
  return {
    roomOf: async (streamId) => {
      // Serial ids: anything else is no stream, as the plugin answers it without a query.
      if (!/^\d+$/.test(streamId)) {
        return null
      }
      const { rows } = await pool.query<{ room_name: string }>({
        name: 'floor-stream-room',
        text: 'SELECT room_name FROM live_streams WHERE id = $1',
        values: [Number(streamId)],
      })
      return rows[0]?.room_name ?? null
    },
    storeEvent: async ({ id, room, raw }) => {
      await table()
      await pool.query({
        name: 'floor-store-event',
        text: `INSERT INTO ${FLOOR_EVENTS} (event_id, room_name, body) VALUES ($1, $2, $3::jsonb) ON CONFLICT (event_id) DO NOTHING`,
        values: [id, room, raw],
      })
    },
    storedEvents: async (room) => {
      await table()
      const { rows } = await pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${FLOOR_EVENTS} WHERE room_name = $1`,
        [room],
      )
      return Number(rows[0].n)
    },
    close: () => pool.end(),
  }
}
