/**
 * Prepares the room-size benchmark's database: one class in progress per size in ROOM_SIZES
 * (default 100, 1,000 and 10,000), each with that many participants already connected (open
 * `stream-sessions` rows and their `stream-attendance`, as the webhook path leaves them after
 * their joins), and an admin to read the figures. Prints one JSON line
 * `{ adminEmail, password, rooms: [{ size, streamId, roomName }] }`, the first room for warming up.
 */
import { getPayload } from 'payload'

import config from '../../dev/payload.config.js'
import { sqlTable } from '../../src/db/sqlSchema.js'
import { createAppointmentWorld, liveStreamOf } from '../../test/helpers/fixtures.js'

const sizes = (process.env.ROOM_SIZES ?? '100,1000,10000').split(',').map(Number)
const password = 'pw-123456'
const payload = await getPayload({ config })
const adminEmail = `rooms-admin-${Date.now()}@example.test`
await payload.create({
  collection: 'users',
  data: { email: adminEmail, password, role: 'admin' } as never,
})
const pool = (
  payload.db as unknown as { pool?: { query: (s: string, v: unknown[]) => Promise<unknown> } }
).pool
const sessions = sqlTable(payload, 'stream-sessions')
const attendance = sqlTable(payload, 'stream-attendance')
const joinedAt = new Date(Date.now() - 10 * 60_000).toISOString()

async function seat(streamId: number | string, size: number) {
  if (pool && sessions && attendance) {
    // One statement each on PostgreSQL: 10,000 rows through Payload's API take minutes.
    const s = (k: string) => sessions.column(k)!
    const a = (k: string) => attendance.column(k)!
    await pool.query(
      `INSERT INTO ${sessions.ref} (${s('liveStream')}, ${s('connection')}, ${s('identity')}, ${s('role')}, ${s('joinedAt')}, ${s('createdAt')}, ${s('updatedAt')}) ` +
        `SELECT $1, 'PA_seated_' || $4::text || '_' || i, 'guest-seated-' || i, 'attendee', $3::timestamptz, now(), now() FROM generate_series(1, $2) AS i`,
      [streamId, size, joinedAt, String(streamId)],
    )
    await pool.query(
      `INSERT INTO ${attendance.ref} (${a('liveStream')}, ${a('identity')}, ${a('name')}, ${a('role')}, ${a('firstJoinedAt')}, ${a('sessions')}, ${a('watchSeconds')}, ${a('noShow')}, ${a('createdAt')}, ${a('updatedAt')}) ` +
        `SELECT $1, 'guest-seated-' || i, 'Seated ' || i, 'attendee', $3::timestamptz, 1, 0, false, now(), now() FROM generate_series(1, $2) AS i`,
      [streamId, size, joinedAt],
    )
  } else {
    for (let i = 1; i <= size; i++) {
      await payload.db.create({
        collection: 'stream-sessions',
        data: {
          liveStream: streamId,
          connection: `PA_seated_${streamId}_${i}`,
          identity: `guest-seated-${i}`,
          role: 'attendee',
          joinedAt,
        },
      })
      await payload.db.create({
        collection: 'stream-attendance',
        data: {
          liveStream: streamId,
          identity: `guest-seated-${i}`,
          name: `Seated ${i}`,
          role: 'attendee',
          firstJoinedAt: joinedAt,
          sessions: 1,
          watchSeconds: 0,
          noShow: false,
        },
      })
    }
  }
  await payload.db.updateOne({
    collection: 'live-streams',
    id: streamId,
    data: { currentViewers: size, uniqueViewers: size, peakViewers: size },
  })
}

const rooms: Array<{ size: number; streamId: number | string; roomName: string }> = []
// The first room warms the site up (compiled routes, prepared statements) and is not measured.
for (const size of [sizes[0], ...sizes]) {
  const world = await createAppointmentWorld(payload, {
    startsAt: new Date(Date.now() + 60_000).toISOString(),
    endsAt: new Date(Date.now() + 4 * 3600_000).toISOString(),
    capacity: size * 2,
  })
  await payload.update({
    collection: 'appointments',
    id: world.appointment.id,
    data: { status: 'in-progress' } as never,
  })
  const [stream] = await liveStreamOf(payload, world.appointment.id)
  await seat(stream.id, size)
  rooms.push({ size, streamId: stream.id, roomName: String(stream.roomName) })
}
console.log(JSON.stringify({ adminEmail, password, rooms }))
await payload.destroy()
process.exit(0)
