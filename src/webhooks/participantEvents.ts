import type { Payload, Where } from 'payload'
import type { WebhookEvent } from 'livekit-server-sdk'

import { ATTENDANCE, LIVE_STREAMS, SESSIONS } from '../collections/slugs.js'
import type { StreamRecord } from '../lifecycle/streamStore.js'
import { livekitFor } from '../runtime.js'
import { findOrCreate } from '../db/uniqueRows.js'
import { refreshAudience } from './audience.js'

type Id = string | number
type Participant = NonNullable<WebhookEvent['participant']>

// LiveKit's ParticipantInfo.Kind: 0 = standard. Egress, ingress, SIP and agents are not audience.
const STANDARD = 0

const seconds = (value: bigint | number | undefined) => Number(value ?? 0)
const iso = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString()

/** The Payload user behind an identity the token endpoint issued (`user-<id>`). */
function userIdOf(identity: string): Id | null {
  const match = /^user-(.+)$/.exec(identity)
  if (!match) return null
  return /^\d+$/.test(match[1]!) ? Number(match[1]) : match[1]!
}

/** Audience members count; hidden observers, egress and ingress do not. */
export function counts(participant: Participant): boolean {
  return !participant.permission?.hidden && Number(participant.kind ?? STANDARD) === STANDARD
}

export const roleOf = (participant: Participant) => participant.attributes?.role ?? 'attendee'

/** The attendance row of an identity in a stream, created on its first event. Returns its id. */
export async function attendanceRow(
  payload: Payload,
  stream: StreamRecord,
  participant: { identity: string; name?: string; role: string; joinedAt?: string | null },
  extra: Record<string, unknown> = {},
): Promise<Id> {
  const where: Where = { and: [{ liveStream: { equals: stream.id } }, { identity: { equals: participant.identity } }] }
  const { doc } = await findOrCreate(payload, ATTENDANCE, where, {
    liveStream: stream.id,
    identity: participant.identity,
    user: userIdOf(participant.identity),
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
function joinedAtOf(participant: Participant): string | null {
  const ms = Number(participant.joinedAtMs ?? 0n) || seconds(participant.joinedAt) * 1000
  return ms ? new Date(ms).toISOString() : null
}

/**
 * Creates the connection's row, or (for a leave) closes it; either event may come first. The
 * connection is LiveKit's participant sid, which both events of one connection carry (the join
 * time is not reliable for that: the join event may stamp it to the second only).
 */
async function recordSession(payload: Payload, stream: StreamRecord, participant: Participant, role: string, joinedAt: string, leftAt?: string) {
  const connection = participant.sid || `${participant.identity}@${joinedAt}`
  const where: Where = { and: [{ liveStream: { equals: stream.id } }, { connection: { equals: connection } }] }
  const { created } = await findOrCreate(payload, SESSIONS, where, { liveStream: stream.id, connection, identity: participant.identity, role, joinedAt, leftAt: leftAt ?? null })
  if (created) return
  if (leftAt) {
    await payload.db.updateOne({
      collection: SESSIONS,
      where: { and: [where, { leftAt: { exists: false } }] },
      data: { leftAt },
      options: { atomic: true },
    })
  }
  // The earliest join time either event reported wins.
  await payload.db.updateOne({
    collection: SESSIONS,
    where: { and: [where, { joinedAt: { greater_than: joinedAt } }] },
    data: { joinedAt },
    options: { atomic: true },
  })
}

/** Per-identity totals, recounted from its connections (order-independent). */
async function refreshAttendance(payload: Payload, stream: StreamRecord, rowId: Id, identity: string) {
  const sessions = await payload.db.find<{ id: Id; joinedAt: string; leftAt?: string | null }>({
    collection: SESSIONS,
    where: { and: [{ liveStream: { equals: stream.id } }, { identity: { equals: identity } }] },
    limit: 0,
    pagination: false,
  })
  const watched = sessions.docs.reduce((sum, s) => (s.leftAt ? sum + Math.max(0, new Date(s.leftAt).getTime() - new Date(s.joinedAt).getTime()) : sum), 0)
  const first = sessions.docs.map((s) => s.joinedAt).sort()[0] ?? null
  const last = sessions.docs.map((s) => s.leftAt).filter((v): v is string => Boolean(v)).sort().pop() ?? null
  await payload.db.updateOne({
    collection: ATTENDANCE,
    id: rowId,
    data: { sessions: sessions.docs.length, watchSeconds: Math.round(watched / 1000), firstJoinedAt: first, lastLeftAt: last, noShow: false },
  })
}

/** Moves a date field earlier only (first join, actual start). */
async function lowerTo(payload: Payload, collection: string, id: Id, field: string, value: string) {
  await payload.db.updateOne({
    collection,
    where: { and: [{ id: { equals: id } }, { or: [{ [field]: { greater_than: value } }, { [field]: { exists: false } }] }] },
    data: { [field]: value },
    options: { atomic: true },
  })
}

/** participant_joined and participant_left / participant_connection_aborted. */
export async function participantChanged(payload: Payload, stream: StreamRecord, participant: Participant, occurredAt: number, joined: boolean): Promise<void> {
  if (!counts(participant)) return
  const identity = participant.identity
  if (joined && (stream.removedIdentities ?? []).includes(identity)) {
    // A removed participant came back with a token issued before its removal (servers that
    // ignore revokeTokenTs): send it away again.
    await livekitFor(payload).removeParticipant(stream.roomName, identity)
    return
  }
  const role = roleOf(participant)
  const joinedAt = joinedAtOf(participant) ?? iso(occurredAt)
  await recordSession(payload, stream, participant, role, joinedAt, joined ? undefined : iso(occurredAt))
  const rowId = await attendanceRow(payload, stream, { identity, name: participant.name, role, joinedAt })
  await refreshAttendance(payload, stream, rowId, identity)
  await refreshAudience(payload, stream.id)
  await lowerTo(payload, LIVE_STREAMS, stream.id, 'actualStart', joinedAt)
}
