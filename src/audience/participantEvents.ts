import type { Payload, Where } from 'payload'

import type { DocId } from '../core/ids.js'
import type { LivekitEventParticipant } from '../livekit/events.js'
import type { StreamRecord } from '../streams/streamStore.js'

import { participantRole } from '../core/roles.js'
import { ATTENDANCE, LIVE_STREAMS, SESSIONS } from '../core/slugs.js'
import { idFromText, type IdShape, idShapeOf } from '../db/idFormat.js'
import { findOrCreate } from '../db/uniqueRows.js'
import { livekitFor, pluginOptionsOf } from '../runtime.js'
import { type AttendanceSeed, audienceStore, type ConnectionRow, lowerTo } from './audienceStore.js'
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
  const store = audienceStore(payload)
  await store.upsertConnections(stream.id, connections)
  await store.seedAttendance(stream.id, people)
  await store.recount(
    stream.id,
    people.map((p) => p.identity),
  )
  await lowerTo(
    payload,
    LIVE_STREAMS,
    stream.id,
    'actualStart',
    people.map((p) => p.firstJoinedAt).sort()[0],
  )
}
