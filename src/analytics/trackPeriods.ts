import type { Payload, Where } from 'payload'

import type { DocId } from '../core/ids.js'
import type { LivekitEvent } from '../livekit/events.js'

import { participantRole } from '../core/roles.js'
import { TRACK_PERIODS } from '../core/slugs.js'
import { insertUnique } from '../db/uniqueRows.js'
import { TIMELINE_SOURCES } from '../livekit/events.js'

interface StoredPeriod {
  id: DocId
  startedAt?: null | string
  endedAt?: null | string
}

const earlier = (stored: null | string | undefined, at: string) =>
  !stored || new Date(at).getTime() < new Date(stored).getTime()

/**
 * Keeps when a camera or screen share of the stream was published: `track_published` writes the
 * start and `track_unpublished` the end of the track's row. Either may come first or twice, from
 * any instance: the row is created once (unique per stream and track) and each time only moves
 * earlier, so the result does not depend on delivery order. Microphones and other sources are not
 * part of the timeline and are left out.
 */
export async function recordTrackPeriod(
  payload: Payload,
  liveStream: DocId,
  event: LivekitEvent,
): Promise<void> {
  const source = event.track ? TIMELINE_SOURCES[event.track.source] : undefined
  if (!source || !event.track?.sid || !event.participant?.identity) {
    return
  }
  const at = new Date(Number(event.createdAt) * 1000).toISOString()
  const field = event.event === 'track_published' ? 'startedAt' : 'endedAt'
  const where: Where = {
    and: [{ liveStream: { equals: liveStream } }, { track: { equals: event.track.sid } }],
  }
  const inserted = await insertUnique(payload, TRACK_PERIODS, where, {
    liveStream,
    track: event.track.sid,
    identity: event.participant.identity,
    role: participantRole(event.participant.attributes) ?? null,
    source,
    [field]: at,
  })
  if (inserted) {
    return
  }
  const stored = await payload.db.findOne<StoredPeriod>({ collection: TRACK_PERIODS, where })
  if (stored && earlier(stored[field], at)) {
    await payload.db.updateOne({
      collection: TRACK_PERIODS,
      id: stored.id,
      data: { [field]: at, updatedAt: new Date().toISOString() },
    })
  }
}
