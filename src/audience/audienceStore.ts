import type { Payload, PayloadRequest, Where } from 'payload'

import type { DocId } from '../core/ids.js'

import { ATTENDANCE, LIVE_STREAMS, SESSIONS, STREAM_REMOVALS } from '../core/slugs.js'
import { hotPathsOf } from '../db/hotPaths.js'
import {
  columnsOf,
  inTransaction,
  perConfig,
  runPrepared,
  sqlTable,
  statement,
  type Statement,
} from '../db/sqlSchema.js'
import { insertUnique } from '../db/uniqueRows.js'
import { pluginOptionsOf } from '../runtime.js'
import { audienceTables } from './audienceTables.js'
import { mongoAudience } from './mongoAudience.js'
import {
  attendanceTotals,
  type StoredConnection,
  VIEWER_ROLES,
  writeUntilSettled,
} from './recounting.js'
import { sqliteAudience } from './sqliteAudience.js'

export { VIEWER_ROLES }

/** A connection (LiveKit's participant sid) as the events of a batch describe it. */
export interface ConnectionRow {
  connection: string
  identity: string
  role: string
  joinedAt: string
  leftAt: null | string
}

/** An attendance row as the first event of an identity creates it. */
export interface AttendanceSeed {
  identity: string
  user: DocId | null
  name: null | string
  role: string
  firstJoinedAt: string
}

/**
 * The audience's database work. Every figure is counted from what is stored, never kept as a
 * delta, and each write only ever moves a value the way later events would (a join earlier, a
 * leave earlier, a peak higher), so duplicates, any order and several instances give one result.
 */
export interface AudienceStore {
  /** One row per connection; a known one keeps its earliest join and its earliest leave. */
  upsertConnections: (streamId: DocId, connections: ConnectionRow[]) => Promise<void>
  /** An attendance row for each identity that has none (a deleted user is recorded without it). */
  seedAttendance: (streamId: DocId, people: AttendanceSeed[]) => Promise<void>
  /** Recounts the attendance totals of `identities` from their connections, then the audience. */
  recount: (streamId: DocId, identities: string[]) => Promise<void>
  /** Writes the stream's audience figures as counted now (inside `req`'s transaction when given). */
  refresh: (streamId: DocId, req?: Partial<PayloadRequest>) => Promise<void>
  /** Records a removal once, whoever records it and however often. */
  recordRemoval: (streamId: DocId, identity: string, removedBy: string) => Promise<void>
}

/**
 * Sets a date `field` of one row to `value` where it is unset or later: one conditional update,
 * atomic on every adapter, so a time only ever moves earlier (first join, actual start).
 */
export async function lowerTo(
  payload: Payload,
  collection: string,
  id: DocId,
  field: string,
  value: string,
): Promise<void> {
  await payload.db.updateOne({
    collection,
    where: {
      and: [
        { id: { equals: id } },
        { or: [{ [field]: { exists: false } }, { [field]: { greater_than: value } }] },
      ],
    },
    data: { [field]: value },
    options: { atomic: true },
  })
}

/** The audience store for this Payload's database (see hotPaths). */
export function audienceStore(payload: Payload): AudienceStore {
  switch (hotPathsOf(payload)) {
    case 'mongodb':
      return mongoAudience(payload)
    case 'postgres':
      return postgresAudience(payload)
    case 'sqlite':
      return sqliteAudience(payload, () => genericAudience(payload))
    default:
      return genericAudience(payload)
  }
}

// ---------------------------------------------------------------- PostgreSQL

interface AudienceStatements {
  upsertConnections: Statement
  seedAttendance: Statement
  recountAttendance: Statement
  /**
   * Takes the stream row's lock: recounts of one stream take turns. NO KEY UPDATE, the lock an
   * UPDATE takes anyway: stronger would also block inserts that reference the stream (their
   * foreign-key check), which a closing stream's transaction may be waiting on.
   */
  lockStream: Statement
  /** Writes the audience figures counted from connections and attendance (one statement). */
  countAudience: Statement
  insertRemoval: Statement
}

const postgresAudience = perConfig((payload: Payload): AudienceStore => {
  const sql = audienceStatements(payload)
  return {
    upsertConnections: async (streamId, connections) => {
      await runPrepared(payload, sql.upsertConnections, [
        streamId,
        ...columnsOf(connections, ['connection', 'identity', 'role', 'joinedAt', 'leftAt']),
      ])
    },
    seedAttendance: async (streamId, people) => {
      await runPrepared(payload, sql.seedAttendance, [
        streamId,
        ...columnsOf(people, ['identity', 'user', 'name', 'role', 'firstJoinedAt']),
      ])
    },
    // Recounts of one stream take turns (the stream row's lock), and each reads after taking its
    // turn: a recount can never overwrite a newer one with figures from before a connection landed.
    recount: (streamId, identities) =>
      inTransaction(payload, async (run) => {
        await run(sql.lockStream, [streamId])
        await run(sql.recountAttendance, [streamId, identities])
        await run(sql.countAudience, [streamId])
      }),
    refresh: (streamId, req) =>
      inTransaction(
        payload,
        async (run) => {
          await run(sql.lockStream, [streamId])
          await run(sql.countAudience, [streamId])
        },
        req,
      ),
    recordRemoval: async (streamId, identity, removedBy) => {
      await runPrepared(payload, sql.insertRemoval, [streamId, identity, removedBy])
    },
  }
})

function audienceStatements(payload: Payload): AudienceStatements {
  const { streams, sessions, attendance, removals, users, l, s, a, x, viewers } = audienceTables(
    payload,
    'PostgreSQL',
  )
  const userType = attendance.type('user')!
  const openViewers = `(SELECT count(*) FROM ${sessions.ref} WHERE ${s('liveStream')} = $1 AND ${s('role')} IN (${viewers}) AND ${s('leftAt')} IS NULL)`
  const hostHere = `EXISTS (SELECT 1 FROM ${sessions.ref} WHERE ${s('liveStream')} = $1 AND ${s('role')} = 'host' AND ${s('leftAt')} IS NULL)`
  return {
    upsertConnections: statement(
      `INSERT INTO ${sessions.ref} AS t (${s('liveStream')}, ${s('connection')}, ${s('identity')}, ${s('role')}, ${s('joinedAt')}, ${s('leftAt')}, ${s('createdAt')}, ${s('updatedAt')}) ` +
        `SELECT $1, c, i, r, j, l, now(), now() FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[]) AS x(c, i, r, j, l) ` +
        `ON CONFLICT (${s('liveStream')}, ${s('connection')}) DO UPDATE SET ` +
        `${s('joinedAt')} = LEAST(t.${s('joinedAt')}, EXCLUDED.${s('joinedAt')}), ` +
        `${s('leftAt')} = CASE WHEN t.${s('leftAt')} IS NULL THEN EXCLUDED.${s('leftAt')} WHEN EXCLUDED.${s('leftAt')} IS NULL THEN t.${s('leftAt')} ELSE LEAST(t.${s('leftAt')}, EXCLUDED.${s('leftAt')}) END, ` +
        `${s('updatedAt')} = now()`,
    ),
    seedAttendance: statement(
      `INSERT INTO ${attendance.ref} (${a('liveStream')}, ${a('identity')}, ${a('user')}, ${a('name')}, ${a('role')}, ${a('firstJoinedAt')}, ${a('sessions')}, ${a('watchSeconds')}, ${a('noShow')}, ${a('createdAt')}, ${a('updatedAt')}) ` +
        // A user deleted since it joined is recorded without its user (no dangling reference).
        `SELECT $1, i, (SELECT ${users.column('id')} FROM ${users.ref} WHERE ${users.column('id')} = u), n, r, f, 0, 0, false, now(), now() FROM unnest($2::text[], $3::${userType}[], $4::text[], $5::text[], $6::timestamptz[]) AS x(i, u, n, r, f) ` +
        `ON CONFLICT (${a('liveStream')}, ${a('identity')}) DO NOTHING`,
    ),
    // Totals recounted from the identity's connections, never added to: order-independent.
    recountAttendance: statement(
      `UPDATE ${attendance.ref} AS t SET ${a('sessions')} = x.n, ${a('watchSeconds')} = x.w, ${a('firstJoinedAt')} = x.f, ${a('lastLeftAt')} = x.l, ${a('noShow')} = false, ${a('updatedAt')} = now() ` +
        `FROM (SELECT ${s('identity')} AS i, count(*) AS n, ` +
        `ROUND(COALESCE(SUM(GREATEST(0, EXTRACT(EPOCH FROM (${s('leftAt')} - ${s('joinedAt')})) * 1000)) FILTER (WHERE ${s('leftAt')} IS NOT NULL), 0) / 1000) AS w, ` +
        `MIN(${s('joinedAt')}) AS f, MAX(${s('leftAt')}) AS l FROM ${sessions.ref} WHERE ${s('liveStream')} = $1 AND ${s('identity')} = ANY($2::text[]) GROUP BY ${s('identity')}) AS x ` +
        `WHERE t.${a('liveStream')} = $1 AND t.${a('identity')} = x.i`,
    ),
    lockStream: statement(`SELECT 1 FROM ${streams.ref} WHERE ${l('id')} = $1 FOR NO KEY UPDATE`),
    countAudience: statement(
      `UPDATE ${streams.ref} SET ${l('currentViewers')} = ${openViewers}, ` +
        `${l('uniqueViewers')} = (SELECT count(*) FROM ${attendance.ref} WHERE ${a('liveStream')} = $1 AND ${a('role')} IN (${viewers}) AND ${a('noShow')} IS NOT TRUE), ` +
        `${l('totalParticipants')} = (SELECT count(*) FROM ${attendance.ref} WHERE ${a('liveStream')} = $1 AND ${a('noShow')} IS NOT TRUE), ` +
        `${l('hostPresent')} = ${hostHere}, ` +
        `${l('hostOnCamera')} = CASE WHEN ${hostHere} THEN ${l('hostOnCamera')} ELSE false END, ` +
        `${l('hostScreenSharing')} = CASE WHEN ${hostHere} THEN ${l('hostScreenSharing')} ELSE false END, ` +
        `${l('peakViewers')} = GREATEST(COALESCE(${l('peakViewers')}, 0), ${openViewers}), ` +
        `${l('updatedAt')} = now() WHERE ${l('id')} = $1`,
    ),
    insertRemoval: statement(
      `INSERT INTO ${removals.ref} (${x('liveStream')}, ${x('identity')}, ${x('removedBy')}, ${x('removedAt')}, ${x('createdAt')}, ${x('updatedAt')}) ` +
        `VALUES ($1, $2, $3, now(), now(), now()) ON CONFLICT (${x('liveStream')}, ${x('identity')}) DO NOTHING`,
    ),
  }
}

// ---------------------------------------------------------------- any adapter

const notNoShow: Where = { or: [{ noShow: { equals: false } }, { noShow: { exists: false } }] }

/**
 * The audience on Payload's database API, for adapters without a fast path. Inserts rely on the
 * unique indexes (connection per stream, identity per stream, removal per identity); moving a
 * time earlier is one conditional update; totals are recounted until a count after the write
 * agrees with it (see writeUntilSettled), since no lock is held across statements.
 */
export function genericAudience(payload: Payload): AudienceStore {
  const find = <T>(collection: string, where: Where, req?: Partial<PayloadRequest>) =>
    payload.db
      .find<{ id: DocId } & T>({ collection, where, limit: 0, pagination: false, req })
      .then((r) => r.docs)
  const count = async (collection: string, where: Where, req?: Partial<PayloadRequest>) =>
    (await payload.db.count({ collection, where, req })).totalDocs
  const lower = (collection: string, id: DocId, field: string, value: string) =>
    lowerTo(payload, collection, id, field, value)

  const audienceOf = async (streamId: DocId, req?: Partial<PayloadRequest>) => {
    const inStream = { liveStream: { equals: streamId } }
    const open = { leftAt: { exists: false } }
    const hostPresent =
      (await count(SESSIONS, { and: [inStream, { role: { equals: 'host' } }, open] }, req)) > 0
    return {
      currentViewers: await count(
        SESSIONS,
        { and: [inStream, { role: { in: VIEWER_ROLES } }, open] },
        req,
      ),
      uniqueViewers: await count(
        ATTENDANCE,
        { and: [inStream, { role: { in: VIEWER_ROLES } }, notNoShow] },
        req,
      ),
      totalParticipants: await count(ATTENDANCE, { and: [inStream, notNoShow] }, req),
      hostPresent,
    }
  }

  const refresh: AudienceStore['refresh'] = async (streamId, req) => {
    await writeUntilSettled(
      () => audienceOf(streamId, req),
      async (totals) => {
        await payload.db.updateOne({
          collection: LIVE_STREAMS,
          id: streamId,
          // Without the host in the room there is no camera or screen share to show.
          data: {
            ...totals,
            ...(totals.hostPresent ? {} : { hostOnCamera: false, hostScreenSharing: false }),
            updatedAt: new Date().toISOString(),
          },
          req,
        })
        // The peak only rises here (settleAudience makes it exact).
        await payload.db.updateOne({
          collection: LIVE_STREAMS,
          where: {
            and: [
              { id: { equals: streamId } },
              {
                or: [
                  { peakViewers: { exists: false } },
                  { peakViewers: { less_than: totals.currentViewers } },
                ],
              },
            ],
          },
          data: { peakViewers: totals.currentViewers },
          options: { atomic: true },
          req,
        })
      },
    )
  }

  return {
    upsertConnections: async (streamId, connections) => {
      for (const c of connections) {
        const where: Where = {
          and: [{ liveStream: { equals: streamId } }, { connection: { equals: c.connection } }],
        }
        const created = await insertUnique(payload, SESSIONS, where, {
          liveStream: streamId,
          ...c,
        })
        if (created) {
          continue
        }
        const [known] = await find<{ joinedAt?: null | string }>(SESSIONS, where)
        if (!known) {
          continue
        }
        await lower(SESSIONS, known.id, 'joinedAt', c.joinedAt)
        if (c.leftAt) {
          await lower(SESSIONS, known.id, 'leftAt', c.leftAt)
        }
      }
    },
    seedAttendance: async (streamId, people) => {
      const usersSlug = pluginOptionsOf(payload).usersSlug
      for (const person of people) {
        const where: Where = {
          and: [{ liveStream: { equals: streamId } }, { identity: { equals: person.identity } }],
        }
        if ((await count(ATTENDANCE, where)) > 0) {
          continue
        }
        // A user deleted since it joined is recorded without its user (no dangling reference).
        const user =
          person.user !== null && (await count(usersSlug, { id: { equals: person.user } })) > 0
            ? person.user
            : null
        await insertUnique(payload, ATTENDANCE, where, {
          liveStream: streamId,
          ...person,
          user,
          sessions: 0,
          watchSeconds: 0,
          noShow: false,
        })
      }
    },
    recount: async (streamId, identities) => {
      const totalsOf = async () =>
        attendanceTotals(
          await find<StoredConnection>(SESSIONS, {
            and: [{ liveStream: { equals: streamId } }, { identity: { in: identities } }],
          }),
          identities,
        )
      await writeUntilSettled(totalsOf, async (all) => {
        for (const [identity, totals] of Object.entries(all)) {
          await payload.db.updateMany({
            collection: ATTENDANCE,
            where: {
              and: [{ liveStream: { equals: streamId } }, { identity: { equals: identity } }],
            },
            data: { ...totals, noShow: false, updatedAt: new Date().toISOString() },
          })
        }
      })
      await refresh(streamId)
    },
    refresh,
    recordRemoval: async (streamId, identity, removedBy) => {
      await insertUnique(
        payload,
        STREAM_REMOVALS,
        { and: [{ liveStream: { equals: streamId } }, { identity: { equals: identity } }] },
        { liveStream: streamId, identity, removedBy, removedAt: new Date().toISOString() },
      )
    },
  }
}
