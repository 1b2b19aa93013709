import type { Payload, Where } from 'payload'
import type { WebhookEvent } from 'livekit-server-sdk'

import { ATTENDANCE, LIVE_STREAMS } from '../collections/slugs.js'
import type { StreamRecord } from '../lifecycle/streamStore.js'
import { livekitFor } from '../runtime.js'
import { bump, floorAtZero, raiseTo, setIfEmpty } from './streamCounters.js'

type Id = string | number
type Participant = NonNullable<WebhookEvent['participant']>

const VIEWER_ROLES = new Set(['attendee', 'guest'])
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

/** Finds or creates the attendance row; `created` tells whether this identity is new here. */
export async function attendanceRow(
  payload: Payload,
  stream: StreamRecord,
  participant: { identity: string; name?: string; role: string; joinedAt?: string | null },
  extra: Record<string, unknown> = {},
): Promise<{ id: Id; created: boolean }> {
  const where: Where = { and: [{ liveStream: { equals: stream.id } }, { identity: { equals: participant.identity } }] }
  const existing = await payload.db.findOne<{ id: Id }>({ collection: ATTENDANCE, where })
  if (existing) return { id: existing.id, created: false }
  try {
    const created = await payload.db.create({
      collection: ATTENDANCE,
      data: {
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
        createdAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
      },
    })
    return { id: created.id as Id, created: true }
  } catch (error) {
    // The unique (stream, identity) index: another instance created it a moment ago.
    const raced = await payload.db.findOne<{ id: Id }>({ collection: ATTENDANCE, where })
    if (raced) return { id: raced.id, created: false }
    throw error
  }
}

/** participant_joined: attendance, current/peak/unique viewers, actual start, host presence. */
export async function participantJoined(payload: Payload, stream: StreamRecord, participant: Participant): Promise<void> {
  if (!counts(participant)) return
  const identity = participant.identity
  const removed = ((stream as unknown as { removedIdentities?: string[] }).removedIdentities ?? []).includes(identity)
  if (removed) {
    // A removed participant came back with a token issued before its removal (servers that
    // ignore revokeTokenTs): send it away again.
    await livekitFor(payload).removeParticipant(stream.roomName, identity)
    return
  }
  const role = roleOf(participant)
  const joinedAt = iso(seconds(participant.joinedAt))
  const row = await attendanceRow(payload, stream, { identity, name: participant.name, role, joinedAt })
  await bump(payload, ATTENDANCE, row.id, 'sessions', 1)
  if (VIEWER_ROLES.has(role)) {
    const current = await bump(payload, LIVE_STREAMS, stream.id, 'currentViewers', 1)
    if (current !== undefined) await raiseTo(payload, LIVE_STREAMS, stream.id, 'peakViewers', current)
    if (row.created) await bump(payload, LIVE_STREAMS, stream.id, 'uniqueViewers', 1)
  }
  if (row.created) await bump(payload, LIVE_STREAMS, stream.id, 'totalParticipants', 1)
  await setIfEmpty(payload, LIVE_STREAMS, stream.id, 'actualStart', joinedAt)
  if (role === 'host') await payload.db.updateOne({ collection: LIVE_STREAMS, id: stream.id, data: { hostPresent: true } })
}

/** participant_left / participant_connection_aborted: viewers down, watch time up. */
export async function participantLeft(payload: Payload, stream: StreamRecord, participant: Participant, occurredAt: number): Promise<void> {
  if (!counts(participant)) return
  const role = roleOf(participant)
  const joined = seconds(participant.joinedAt)
  const row = await attendanceRow(payload, stream, { identity: participant.identity, name: participant.name, role, joinedAt: joined ? iso(joined) : null })
  if (joined && occurredAt >= joined) await bump(payload, ATTENDANCE, row.id, 'watchSeconds', occurredAt - joined)
  await raiseLastLeft(payload, row.id, iso(occurredAt))
  if (VIEWER_ROLES.has(role)) {
    const current = await bump(payload, LIVE_STREAMS, stream.id, 'currentViewers', -1)
    if (current !== undefined && current < 0) await floorAtZero(payload, stream.id, 'currentViewers')
  }
  if (role === 'host') {
    await payload.db.updateOne({ collection: LIVE_STREAMS, id: stream.id, data: { hostPresent: false, hostOnCamera: false, hostScreenSharing: false } })
  }
}

async function raiseLastLeft(payload: Payload, rowId: Id, at: string) {
  await payload.db.updateOne({
    collection: ATTENDANCE,
    where: { and: [{ id: { equals: rowId } }, { or: [{ lastLeftAt: { less_than: at } }, { lastLeftAt: { exists: false } }] }] },
    data: { lastLeftAt: at },
    options: { atomic: true },
  })
}
