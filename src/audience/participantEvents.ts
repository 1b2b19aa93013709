import type { Payload, Where } from 'payload'

import type { DocId } from '../core/ids.js'
import type { LivekitEventParticipant } from '../livekit/events.js'
import type { StreamRecord } from '../streams/streamStore.js'

import { participantRole } from '../core/roles.js'
import { ATTENDANCE, LIVE_STREAMS, SESSIONS } from '../core/slugs.js'
import { idFromText, type IdShape, idShapeOf } from '../db/idFormat.js'
import {
  columnsOf,
  inTransaction,
  perConfig,
  runPrepared,
  sqlTable,
  statement,
  type Statement,
} from '../db/sqlSchema.js'
import { findOrCreate } from '../db/uniqueRows.js'
import { livekitFor, pluginOptionsOf } from '../runtime.js'
import { audienceStatements } from './audienceCounts.js'
import { removedAmong } from './removals.js'

type Participant = LivekitEventParticipant

// LiveKit's ParticipantInfo.Kind: 0 = standard. Egress, ingress, SIP and agents are not audience.
const STANDARD = 0

const seconds = (value: bigint | number | undefined) => Number(value ?? 0)
const iso = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString()

/** Payload's ids on a SQL database by default (serial), for folds given no users' id shape. */
const SERIAL_IDS: IdShape = { kind: 'integer', max: BigInt(Number.MAX_SAFE_INTEGER) }

/** The Payload user behind an identity the token endpoint issued (`user-<id>`), typed as the users' ids are. */
function userIdOf(identity: string, users: IdShape): DocId | null {
  const match = /^user-(.+)$/.exec(identity)
  return match ? idFromText(users, match[1]) : null
}

const usersIdShape = (payload: Payload) => idShapeOf(payload, pluginOptionsOf(payload).usersSlug)

/** Audience members count; hidden observers, egress and ingress do not. */
export function counts(participant: Participant): boolean {
  return !participant.permission?.hidden && Number(participant.kind ?? STANDARD) === STANDARD
}

/** The attendance row of an identity in a stream, created on its first event. Returns its id. */
export async function attendanceRow(
  payload: Payload,
  stream: StreamRecord,
  participant: { identity: string; name?: string; role: string; joinedAt?: null | string },
  extra: Record<string, unknown> = {},
): Promise<DocId> {
  const where: Where = {
    and: [{ liveStream: { equals: stream.id } }, { identity: { equals: participant.identity } }],
  }
  const { doc } = await findOrCreate(payload, ATTENDANCE, where, {
    liveStream: stream.id,
    identity: participant.identity,
    user: userIdOf(participant.identity, usersIdShape(payload)),
    name: participant.name ?? null,
    role: participant.role,
    firstJoinedAt: participant.joinedAt ?? null,
    sessions: 0,
    watchSeconds: 0,
    noShow: false,
    ...extra,
  })
  return doc.id
}

/** The connection's join time, to the millisecond where LiveKit sends it. */
function joinedAtOf(participant: Participant): null | string {
  const ms = Number(participant.joinedAtMs ?? 0n) || seconds(participant.joinedAt) * 1000
  return ms ? new Date(ms).toISOString() : null
}

/** One participant join or leave, as a webhook reported it. */
export interface ParticipantChange {
  participant: Participant
  /** The event's time, Unix seconds. */
  occurredAt: number
  joined: boolean
}

/** A connection (LiveKit's participant sid) as the events of a batch describe it. */
interface ConnectionRow {
  connection: string
  identity: string
  role: string
  joinedAt: string
  leftAt: null | string
}

/** An attendance row as the first event of an identity creates it. */
interface AttendanceSeed {
  identity: string
  user: DocId | null
  name: null | string
  role: string
  firstJoinedAt: string
}

const earlier = (a: null | string, b: null | string) =>
  a === null ? b : b === null ? a : a < b ? a : b

/**
 * Folds a batch of events into one row per connection and one per identity. Either event of a
 * connection may come first; the earliest join and the earliest leave reported win, so any
 * order and any duplicates fold to the same rows. `users` is the shape of the users' ids, which
 * the `user` of each identity takes. Pure.
 */
export function foldChanges(
  changes: ParticipantChange[],
  users: IdShape = SERIAL_IDS,
): { connections: ConnectionRow[]; people: AttendanceSeed[] } {
  const connections = new Map<string, ConnectionRow>()
  const people = new Map<string, AttendanceSeed>()
  for (const { participant, occurredAt, joined } of changes) {
    const identity = participant.identity
    const role = participantRole(participant.attributes)
    const joinedAt = joinedAtOf(participant) ?? iso(occurredAt)
    // The sid ties a connection's two events together (the join time may be stamped to the second only).
    const connection = participant.sid || `${identity}@${joinedAt}`
    const leftAt = joined ? null : iso(occurredAt)
    const known = connections.get(connection)
    if (known) {
      known.joinedAt = earlier(known.joinedAt, joinedAt)!
      known.leftAt = earlier(known.leftAt, leftAt)
    } else {
      connections.set(connection, { connection, identity, role, joinedAt, leftAt })
    }
    const person = people.get(identity)
    if (person) {
      person.firstJoinedAt = earlier(person.firstJoinedAt, joinedAt)!
    } else {
      people.set(identity, {
        identity,
        user: userIdOf(identity, users),
        name: participant.name ?? null,
        role,
        firstJoinedAt: joinedAt,
      })
    }
  }
  return { connections: [...connections.values()], people: [...people.values()] }
}

interface BatchStatements {
  upsertConnections: Statement
  seedAttendance: Statement
  recountAttendance: Statement
}

const statementsFor = perConfig((payload: Payload): BatchStatements => {
  const sessions = sqlTable(payload, SESSIONS)
  const attendance = sqlTable(payload, ATTENDANCE)
  if (!sessions || !attendance) {
    throw new Error('payload-plugin-livekit: participant events need the Postgres adapter.')
  }
  const s = (key: string) => sessions.column(key)!
  const a = (key: string) => attendance.column(key)!
  const users = sqlTable(payload, pluginOptionsOf(payload).usersSlug)
  if (!users) {
    throw new Error('payload-plugin-livekit: participant events need the users table.')
  }
  const userType = attendance.type('user')!
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
  }
})

/** Moves a date field earlier only (first join, actual start). */
async function lowerTo(
  payload: Payload,
  collection: string,
  id: DocId,
  field: string,
  value: string,
) {
  await payload.db.updateOne({
    collection,
    where: {
      and: [
        { id: { equals: id } },
        { or: [{ [field]: { greater_than: value } }, { [field]: { exists: false } }] },
      ],
    },
    data: { [field]: value },
    options: { atomic: true },
  })
}

/**
 * participant_joined and participant_left / participant_connection_aborted of one stream, any
 * number at once: one row per connection, one attendance row per identity with totals recounted
 * from its connections, then the stream's audience counted once for the whole batch. A batch
 * of one is a single event; the result does not depend on how events were batched.
 */
export async function participantsChanged(
  payload: Payload,
  stream: StreamRecord,
  changes: ParticipantChange[],
): Promise<void> {
  const joining = changes
    .filter((c) => c.joined && counts(c.participant))
    .map((c) => c.participant.identity)
  const removed = await removedAmong(payload, stream.id, [...new Set(joining)])
  const kept: ParticipantChange[] = []
  for (const change of changes) {
    if (!counts(change.participant)) {
      continue
    }
    if (change.joined && removed.has(change.participant.identity)) {
      // A removed participant came back with a token issued before its removal (servers that
      // ignore revokeTokenTs): send it away again.
      await livekitFor(payload).removeParticipant(stream.roomName, change.participant.identity)
      continue
    }
    kept.push(change)
  }
  if (!kept.length) {
    return
  }
  const { connections, people } = foldChanges(kept, usersIdShape(payload))
  const sql = statementsFor(payload)
  await runPrepared(payload, sql.upsertConnections, [
    stream.id,
    ...columnsOf(connections, ['connection', 'identity', 'role', 'joinedAt', 'leftAt']),
  ])
  await runPrepared(payload, sql.seedAttendance, [
    stream.id,
    ...columnsOf(people, ['identity', 'user', 'name', 'role', 'firstJoinedAt']),
  ])
  // Recounts of one stream take turns (the stream row's lock), and each reads after taking its
  // turn: a recount can never overwrite a newer one with figures from before a connection landed.
  const audience = audienceStatements(payload)
  await inTransaction(payload, async (run) => {
    await run(audience.lockStream, [stream.id])
    await run(sql.recountAttendance, [stream.id, people.map((p) => p.identity)])
    await run(audience.countAudience, [stream.id])
  })
  await lowerTo(
    payload,
    LIVE_STREAMS,
    stream.id,
    'actualStart',
    people.map((p) => p.firstJoinedAt).sort()[0],
  )
}
