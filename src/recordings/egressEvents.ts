import type { Payload } from 'payload'

import type { DocId } from '../core/ids.js'
import type { LivekitEgressReport } from '../livekit/events.js'

import { relationId } from '../core/relationId.js'
import { LIVE_STREAMS, RECORDINGS } from '../core/slugs.js'
import { insertUnique } from '../db/uniqueRows.js'
import { queueAttendeeEmails } from '../emails/attendeeEmails.js'
import { pluginOptionsOf } from '../runtime.js'
import {
  EGRESS_STATUSES,
  type EgressKind,
  type EgressStatus,
} from './createRecordingsCollection.js'
import { playbackUrlFor } from './playback.js'

type EgressInfo = LivekitEgressReport

// LiveKit's EgressStatus enum values in order: starting, active, ending, complete, failed, aborted, limit_reached.
export const statusOf = (info: EgressInfo): EgressStatus =>
  EGRESS_STATUSES[Number(info.status)] ?? 'failed'

/** Later states win; a late `active` never overwrites `complete` (events arrive in any order). */
const RANK: Record<EgressStatus, number> = {
  starting: 0,
  active: 1,
  ending: 2,
  complete: 3,
  failed: 3,
  aborted: 3,
  limit_reached: 3,
}

/** The kind of an egress we did not start ourselves, from its request. */
function kindOf(info: EgressInfo): EgressKind {
  switch (info.request.case) {
    case 'web':
      return 'web'
    case 'trackComposite':
      return 'track-composite'
    case 'roomComposite': {
      const request = info.request.value
      if (request.streamOutputs?.length) {
        return 'rtmp'
      }
      if (request.segmentOutputs?.length) {
        return 'hls'
      }
      return 'recording'
    }
    default:
      return 'recording'
  }
}

const nsToIso = (ns: bigint | undefined) =>
  ns && ns > 0n ? new Date(Number(ns / 1_000_000n)).toISOString() : null
const nsToSeconds = (ns: bigint | undefined) =>
  ns && ns > 0n ? Math.round(Number(ns / 1_000_000n) / 1000) : null

/** The recording fields an egress report carries. */
export function recordingFields(info: EgressInfo): Record<string, unknown> {
  const file = info.fileResults?.[0]
  const segments = info.segmentResults?.[0]
  const started = nsToIso(info.startedAt)
  const ended = nsToIso(info.endedAt)
  const duration =
    nsToSeconds(file?.duration) ??
    nsToSeconds(segments?.duration) ??
    (info.startedAt && info.endedAt && info.endedAt > info.startedAt
      ? Math.round(Number((info.endedAt - info.startedAt) / 1_000_000n) / 1000)
      : null)
  const fields: Record<string, unknown> = { status: statusOf(info) }
  if (started) {
    fields.startedAt = started
  }
  if (ended) {
    fields.endedAt = ended
  }
  if (duration !== null) {
    fields.durationSeconds = duration
  }
  const size = file?.size ?? segments?.size
  if (size !== undefined && size > 0n) {
    fields.sizeBytes = Number(size)
  }
  if (file?.location) {
    fields.fileLocation = file.location
  }
  // The object key is what replay URLs are signed for.
  if (file?.filename) {
    fields.objectKey = file.filename
  } else if (segments?.playlistName) {
    fields.objectKey = segments.playlistName
  }
  if (segments?.playlistLocation) {
    fields.playlistLocation = segments.playlistLocation
  }
  if (info.error) {
    fields.error = info.error
  }
  return fields
}

/**
 * egress_started / egress_updated / egress_ended: the recordings document of that egress, created
 * if the plugin did not start it. Out-of-order reports never move a recording backwards; reports
 * after the room has finished still land.
 */
export async function egressChanged(payload: Payload, info: EgressInfo): Promise<void> {
  const fields = recordingFields(info)
  const { egress } = pluginOptionsOf(payload)
  if (typeof fields.objectKey === 'string' && egress.playbackBaseUrl) {
    fields.playbackUrl = playbackUrlFor({ objectKey: fields.objectKey }, egress, new Date())?.url
  }
  const status = fields.status as EgressStatus
  const where = { egressId: { equals: info.egressId } }
  let recording = await payload.db.findOne<{ id: DocId; status: EgressStatus }>({
    collection: RECORDINGS,
    where,
  })
  if (!recording) {
    const stream = await payload.db.findOne<{ id: DocId }>({
      collection: LIVE_STREAMS,
      where: { roomName: { equals: info.roomName } },
    })
    if (!stream) {
      return
    }
    if (
      await insertUnique(payload, RECORDINGS, where, {
        ...fields,
        liveStream: stream.id,
        egressId: info.egressId,
        kind: kindOf(info),
      })
    ) {
      await replayReady(payload, info, status)
      return
    }
    recording = (await payload.db.findOne<{ id: DocId; status: EgressStatus }>({
      collection: RECORDINGS,
      where,
    }))!
  }
  // Guarded on the status it was read in, so two reports racing cannot move it backwards either.
  const lowerOrEqual = EGRESS_STATUSES.filter((s) => RANK[s] <= RANK[status])
  await payload.db.updateOne({
    collection: RECORDINGS,
    where: { and: [{ id: { equals: recording.id } }, { status: { in: lowerOrEqual } }] },
    data: { ...fields, updatedAt: new Date().toISOString() },
    options: { atomic: true },
  })
  await replayReady(payload, info, status)
}

/**
 * A finished recording (a file or HLS, not a simulcast) means a replay: its stream's ticket holders
 * are told, once per recording, however often LiveKit reports it.
 */
async function replayReady(payload: Payload, info: EgressInfo, status: EgressStatus) {
  if (status !== 'complete' || kindOf(info) === 'rtmp') {
    return
  }
  const recording = await payload.db.findOne<{
    id: DocId
    status: EgressStatus
    liveStream?: unknown
  }>({
    collection: RECORDINGS,
    where: { egressId: { equals: info.egressId } },
  })
  const liveStream = relationId(recording?.liveStream)
  if (recording?.status === 'complete' && liveStream !== undefined) {
    await queueAttendeeEmails(payload, {
      kind: 'replay',
      liveStreamId: String(liveStream),
      version: String(recording.id),
    })
  }
}
