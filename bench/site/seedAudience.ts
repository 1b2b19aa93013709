/**
 * Prepares the audience benchmark's database: a finished two-hour stream with `AUDIENCE_CONNECTIONS`
 * stored connections of `AUDIENCE_PEOPLE` people (most come and go several times), a ticket for
 * every person, `AUDIENCE_CHAT_EVENTS` chat messages, reactions and raised hands, and an admin to
 * read it. Rows are written straight to the database, as the webhook and chat paths leave them.
 * Prints one JSON line `{ streamId, adminEmail, connections, engagement }`.
 */
import { getPayload } from 'payload'

import config from '../../dev/payload.config.js'
import { sqlTable } from '../../src/db/sqlSchema.js'
import { createAppointmentWorld, liveStreamOf } from '../../test/helpers/fixtures.js'

const connections = Number(process.env.AUDIENCE_CONNECTIONS ?? 10_000)
const people = Number(process.env.AUDIENCE_PEOPLE ?? 4_000)
const engagement = Number(process.env.AUDIENCE_CHAT_EVENTS ?? 100_000)
const payload = await getPayload({ config })
const start = Date.now() - 3 * 3600_000
const end = start + 2 * 3600_000
const world = await createAppointmentWorld(payload, {
  startsAt: new Date(start).toISOString(),
  endsAt: new Date(end).toISOString(),
  capacity: people,
})
const [stream] = await liveStreamOf(payload, world.appointment.id)
await payload.db.updateOne({
  collection: 'live-streams',
  id: stream.id,
  data: {
    state: 'ended',
    actualStart: new Date(start).toISOString(),
    actualEnd: new Date(end).toISOString(),
  },
})
const adminEmail = `audience-admin-${Date.now()}@example.test`
await payload.create({
  collection: 'users',
  data: { email: adminEmail, password: 'pw-123456', role: 'admin' } as never,
})

// A fixed pseudo-random sequence, so every run stores the same audience.
let state = 7
const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
const at = (ms: number) => new Date(ms).toISOString()

async function inParallel(count: number, one: (i: number) => Promise<unknown>) {
  let next = 0
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < count) {
        await one(next++)
      }
    }),
  )
}

const rows = Array.from({ length: connections }, (_, i) => {
  const joinedAt = start - 5 * 60_000 + Math.floor(random() * (2 * 3600_000))
  const stays = random() < 0.15
  const leftAt = stays ? end + 60_000 : joinedAt + 10_000 + Math.floor(random() * 40 * 60_000)
  return { person: i % people, joinedAt, leftAt }
})
await inParallel(connections, (i) => {
  const r = rows[i]
  const now = at(Date.now())
  return payload.db.create({
    collection: 'stream-sessions',
    data: {
      liveStream: stream.id,
      connection: `PA_bench_${i}`,
      identity: `guest-bench-${r.person}`,
      role: i % 10 === 0 ? 'guest' : 'attendee',
      joinedAt: at(r.joinedAt),
      leftAt: at(r.leftAt),
      createdAt: now,
      updatedAt: now,
    },
  })
})
await inParallel(Math.min(people, 2_000), (i) => {
  const now = at(Date.now())
  return payload.db.create({
    collection: 'tickets',
    data: {
      liveStream: stream.id,
      appointment: world.appointment.id,
      status: 'active',
      seat: i + 1,
      amount: 1500,
      currency: 'usd',
      stripeCheckoutSessionId: `cs_bench_audience_${i}`,
      createdAt: now,
      updatedAt: now,
    },
  })
})
// Chat, reactions and hands over the two hours: one statement on PostgreSQL (100,000 rows through
// Payload's API would take minutes), else through Payload's API.
const table = sqlTable(payload, 'stream-engagement')
const pool = (
  payload.db as unknown as { pool?: { query: (sql: string, v: unknown[]) => Promise<unknown> } }
).pool
if (table && pool) {
  const c = (key: string) => table.column(key)!
  // The select field's enum type (text where the adapter stores selects as text).
  const kindType = table.type('kind') ?? 'text'
  await pool.query(
    `INSERT INTO ${table.ref} (${c('liveStream')}, ${c('kind')}, ${c('identity')}, ${c('occurredAt')}) ` +
      `SELECT $1, (ARRAY['chat', 'chat', 'chat', 'reaction', 'reaction', 'hand'])[1 + i % 6]::${kindType}, ` +
      `'guest-bench-' || (i % $2), to_timestamp($3::double precision / 1000) + (i * $4::double precision / $5) * interval '1 millisecond' ` +
      `FROM generate_series(0, $5 - 1) AS i`,
    [stream.id, people, start, end - start, engagement],
  )
} else {
  await inParallel(engagement, (i) =>
    payload.db.create({
      collection: 'stream-engagement',
      data: {
        liveStream: stream.id,
        kind: ['chat', 'chat', 'chat', 'reaction', 'reaction', 'hand'][i % 6],
        identity: `guest-bench-${i % people}`,
        occurredAt: at(start + Math.floor((i * (end - start)) / engagement)),
      },
    }),
  )
}
console.log(JSON.stringify({ streamId: stream.id, adminEmail, connections, engagement }))
process.exit(0)
