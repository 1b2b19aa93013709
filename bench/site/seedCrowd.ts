/**
 * Prepares the crowd benchmark's database: a class in progress with `CROWD_HOLDERS` ticket
 * holders (default 10,000), each a user with a live session, and the Payload session token each
 * would send. Users, sessions and tickets are written in one statement each on PostgreSQL (the
 * benchmark needs PostgreSQL: 10,000 logins would spend minutes hashing passwords); the tokens are
 * signed as Payload signs them at login. Writes the tokens to a file and prints one JSON line
 * `{ streamId, tokensFile, holders, rooms }` (`CROWD_EXTRA_ROOMS` more classes in progress).
 */
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { getPayload, jwtSign } from 'payload'

import config from '../../dev/payload.config.js'
import { sqlTable } from '../../src/db/sqlSchema.js'
import { createAppointmentWorld, liveStreamOf } from '../../test/helpers/fixtures.js'

const holders = Number(process.env.CROWD_HOLDERS ?? 10_000)
const payload = await getPayload({ config })
const pool = (
  payload.db as unknown as {
    pool?: { query: (s: string, v: unknown[]) => Promise<{ rows: Array<Record<string, unknown>> }> }
  }
).pool
const users = sqlTable(payload, 'users')
const sessions = sqlTable(payload, 'users', '_sessions')
const tickets = sqlTable(payload, 'tickets')
if (!pool || !users || !sessions || !tickets) {
  throw new Error('The crowd benchmark runs on PostgreSQL (DATABASE_URI=postgres://…).')
}
const world = await createAppointmentWorld(payload, {
  startsAt: new Date(Date.now() + 60_000).toISOString(),
  endsAt: new Date(Date.now() + 4 * 3600_000).toISOString(),
  capacity: holders,
})
await payload.update({
  collection: 'appointments',
  id: world.appointment.id,
  data: { status: 'in-progress' } as never,
})
const [stream] = await liveStreamOf(payload, world.appointment.id)
const u = (k: string) => users.column(k)!
const s = (k: string) => sessions.column(k)!
const t = (k: string) => tickets.column(k)!
const expires = new Date(Date.now() + 6 * 3600_000).toISOString()
const { rows } = await pool.query(
  `INSERT INTO ${users.ref} (${u('email')}, ${u('role')}, ${u('tenant')}, ${u('createdAt')}, ${u('updatedAt')}) ` +
    `SELECT 'crowd-' || i || '@example.test', 'attendee', $2, now(), now() FROM generate_series(1, $1) AS i ` +
    `RETURNING ${u('id')} AS id, ${u('email')} AS email`,
  [holders, world.tenant.id],
)
await pool.query(
  `INSERT INTO ${sessions.ref} (${s('_order')}, ${s('_parentID')}, ${s('id')}, ${s('createdAt')}, ${s('expiresAt')}) ` +
    `SELECT 1, id, 'crowd-session-' || id, now(), $2::timestamptz FROM unnest($1::integer[]) AS id`,
  [rows.map((r) => r.id), expires],
)
await pool.query(
  `INSERT INTO ${tickets.ref} (${t('liveStream')}, ${t('appointment')}, ${t('user')}, ${t('status')}, ${t('seat')}, ${t('amount')}, ${t('currency')}, ${t('stripeCheckoutSessionId')}, ${t('createdAt')}, ${t('updatedAt')}) ` +
    `SELECT $1, $2, id, 'active', n, 1500, 'usd', 'cs_crowd_' || id, now(), now() FROM unnest($3::integer[]) WITH ORDINALITY AS x(id, n)`,
  [stream.id, world.appointment.id, rows.map((r) => r.id)],
)
const tokens: string[] = []
for (const row of rows) {
  const { token } = await jwtSign({
    fieldsToSign: {
      id: row.id,
      collection: 'users',
      email: row.email,
      sid: `crowd-session-${row.id}`,
    },
    secret: payload.secret,
    tokenExpiration: 6 * 3600,
  })
  tokens.push(token)
}
// Classes in progress whose rooms take webhook loads (other benchmarks send them events).
const rooms: string[] = []
for (let i = 0; i < Number(process.env.CROWD_EXTRA_ROOMS ?? 0); i++) {
  const extra = await createAppointmentWorld(payload, {
    startsAt: new Date(Date.now() + 60_000).toISOString(),
    endsAt: new Date(Date.now() + 4 * 3600_000).toISOString(),
  })
  await payload.update({
    collection: 'appointments',
    id: extra.appointment.id,
    data: { status: 'in-progress' } as never,
  })
  rooms.push(String((await liveStreamOf(payload, extra.appointment.id))[0].roomName))
}
const tokensFile = path.join(tmpdir(), `crowd-tokens-${Date.now()}.json`)
writeFileSync(tokensFile, JSON.stringify(tokens))
console.log(JSON.stringify({ streamId: stream.id, tokensFile, holders: rows.length, rooms }))
await payload.destroy()
process.exit(0)
