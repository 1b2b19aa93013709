import type { Payload } from 'payload'

import type { LivekitEvent } from '../livekit/events.js'

import { recordTrackPeriod } from '../analytics/trackPeriods.js'
import { type ParticipantChange, participantsChanged } from '../audience/participantEvents.js'
import { participantRole } from '../core/roles.js'
import { closeAt, insideWindow } from '../core/schedule.js'
import { LIVE_STREAMS } from '../core/slugs.js'
import { queueAttendeeEmails } from '../emails/attendeeEmails.js'
import { closeStream, openStream } from '../lifecycle/operations/streamLifecycle.js'
import { egressChanged } from '../recordings/egressEvents.js'
import { livekitFor, pluginOptionsOf } from '../runtime.js'
import { loadStreamByRoom, moveStream, type StreamRecord } from '../streams/streamStore.js'

/** The room an event is about, whatever kind of event it is. */
export function roomNameOf(event: LivekitEvent): string | undefined {
  return event.room?.name || event.egressInfo?.roomName || event.ingressInfo?.roomName || undefined
}

/**
 * Who publishes what, read from LiveKit itself after a track event: robust to events arriving
 * out of order, since it writes the current truth rather than a delta.
 */
async function refreshPublishing(payload: Payload, stream: StreamRecord) {
  const participants = await livekitFor(payload).listParticipants(stream.roomName)
  const host = participants.find((p) => participantRole(p.attributes) === 'host')
  await payload.db.updateOne({
    collection: LIVE_STREAMS,
    id: stream.id,
    data: {
      publishers: participants.filter((p) => !p.hidden && p.publishing).length,
      hostOnCamera: Boolean(host?.tracks.some((t) => t.source === 'camera' && !t.muted)),
      hostScreenSharing: Boolean(host?.tracks.some((t) => t.source === 'screen_share')),
    },
  })
  if (host?.tracks.some((t) => !t.muted)) {
    // The host is broadcasting: "live now" for the ticket holders, once per ticket and stream.
    await queueAttendeeEmails(payload, { kind: 'live', liveStreamId: String(stream.id) })
  }
}

/** The join or leave a participant event reports, or null for any other event. */
function participantChangeOf(event: LivekitEvent): null | ParticipantChange {
  if (!event.participant || !PARTICIPANT_EVENTS.has(event.event)) {
    return null
  }
  const occurredAt = Number(event.createdAt || BigInt(Math.floor(Date.now() / 1000)))
  return {
    participant: event.participant,
    occurredAt,
    joined: event.event === 'participant_joined',
  }
}

const PARTICIPANT_EVENTS = new Set([
  'participant_joined',
  'participant_left',
  'participant_connection_aborted',
])

/**
 * Applies verified events of one room, as a batch: the participant joins and leaves together
 * (one audience count for all of them), then every other event one by one in the order given.
 * The result is the same as applying them one at a time.
 */
export async function applyLivekitEvents(
  payload: Payload,
  roomName: string,
  events: LivekitEvent[],
): Promise<void> {
  const changes: ParticipantChange[] = []
  const others: LivekitEvent[] = []
  for (const event of events) {
    const change = participantChangeOf(event)
    if (change) {
      changes.push(change)
    } else {
      others.push(event)
    }
  }
  if (changes.length) {
    const stream = await loadStreamByRoom(payload, roomName)
    if (stream) {
      await participantsChanged(payload, stream, changes)
    }
  }
  for (const event of others) {
    await applyLivekitEvent(payload, event)
  }
}

/**
 * Applies one verified LiveKit event to the database. Every branch is a guarded transition, an
 * atomic counter or a write of current truth, so applying events in any order, from several
 * instances, leaves the same result.
 */
export async function applyLivekitEvent(payload: Payload, event: LivekitEvent): Promise<string> {
  if (event.egressInfo && event.event.startsWith('egress_')) {
    await egressChanged(payload, event.egressInfo)
    return 'egress recorded'
  }
  const roomName = roomNameOf(event)
  const stream = roomName ? await loadStreamByRoom(payload, roomName) : null
  if (!stream) {
    return 'not a room of this site'
  }

  switch (event.event) {
    case 'room_started': {
      if (stream.state === 'opening') {
        await moveStream(payload, stream, 'opened', 'webhook room_started', {
          lastError: null,
          attempts: 0,
        })
      }
      return 'room started'
    }
    case 'room_finished': {
      await payload.db.updateOne({
        collection: LIVE_STREAMS,
        id: stream.id,
        data: { publishers: 0, hostOnCamera: false, hostScreenSharing: false },
      })
      if (stream.state !== 'live' || !stream.scheduledStart || !stream.scheduledEnd) {
        return 'room finished'
      }
      const timing = pluginOptionsOf(payload).lifecycle
      const now = new Date()
      if (
        insideWindow(now, new Date(stream.scheduledStart), new Date(stream.scheduledEnd), timing)
      ) {
        // LiveKit closed it while the appointment still runs: the lifecycle reopens it.
        await openStream({
          payload,
          liveStreamId: stream.id,
          reason: 'webhook room_finished inside the window',
        })
        return 'room reopened'
      }
      if (now >= closeAt(new Date(stream.scheduledEnd), timing)) {
        await closeStream({
          payload,
          liveStreamId: stream.id,
          reason: 'webhook room_finished after the window',
        })
      }
      return 'room finished'
    }
    case 'participant_joined':
    case 'participant_left':
    case 'participant_connection_aborted': {
      const change = participantChangeOf(event)
      if (change) {
        await participantsChanged(payload, stream, [change])
      }
      return event.event === 'participant_joined' ? 'participant joined' : 'participant left'
    }
    case 'track_published':
    case 'track_unpublished':
      // The timeline keeps the period whatever the state (the host may share before going live).
      await recordTrackPeriod(payload, stream.id, event)
      if (stream.state === 'live') {
        await refreshPublishing(payload, stream)
      }
      return 'tracks refreshed'
    case 'ingress_started':
      await payload.db.updateOne({
        collection: LIVE_STREAMS,
        id: stream.id,
        data: { source: 'ingress', ingressState: 'publishing' },
      })
      return 'ingress started'
    case 'ingress_ended':
      await payload.db.updateOne({
        collection: LIVE_STREAMS,
        id: stream.id,
        data: { source: 'browser', ingressState: 'ended' },
      })
      return 'ingress ended'
    default:
      return `ignored ${event.event}`
  }
}
