import type { PayloadRequest } from 'payload'

import type { DocId } from '../../core/ids.js'

import { identifyCaller } from '../../access/identifyCaller.js'
import { DomainError } from '../../core/domainError.js'
import { relationId } from '../../core/relationId.js'
import { canModerate } from '../../core/roles.js'
import { RECORDINGS, STREAM_PINS } from '../../core/slugs.js'
import { pluginOptionsOf } from '../../runtime.js'
import { playbackUrlFor } from '../playback.js'
import { type ReplayChapter, replayChapters } from '../replayChapters.js'
import { replayClosesAt, replayOpen } from '../replayWindow.js'

/** What a viewer gets to play a replay. */
export interface Replay {
  recordingId: DocId
  format: 'hls' | 'mp4'
  url: string
  expiresAt: null | string
  durationSeconds: null | number
  /** When the recording began: chapter offsets count from here. */
  startedAt: null | string
  /** The products shown during the recording, where each went up (live shopping sites). */
  chapters: ReplayChapter[]
}

const idText = (value: unknown) =>
  String(typeof value === 'object' && value !== null ? (value as { id: unknown }).id : value)

/** The product moments of a stream as chapter input; none on a site without live shopping. */
async function productMoments(req: PayloadRequest, liveStreamId: DocId) {
  if (!pluginOptionsOf(req.payload).shopping) {
    return []
  }
  const pins = await req.payload.db.find<{
    id: DocId
    product: unknown
    title: string
    place: string
    pinnedAt: string
    unpinnedAt?: null | string
  }>({
    collection: STREAM_PINS,
    where: { liveStream: { equals: liveStreamId } },
    sort: 'pinnedAt',
    limit: 0,
    pagination: false,
  })
  return pins.docs.map((pin) => ({
    pinId: String(pin.id),
    productId: idText(pin.product),
    title: pin.title,
    place: pin.place,
    pinnedAt: new Date(pin.pinnedAt).toISOString(),
    unpinnedAt: pin.unpinnedAt ? new Date(pin.unpinnedAt).toISOString() : null,
  }))
}

/**
 * The replay of a finished recording, for whoever may watch its live stream: the host, co-hosts,
 * admins, ticket holders, and guests when the appointment is public. Same refusals as the token.
 * The audience may watch until the replay window (`egress.replayDays` after the end) closes
 * (`gone` / `replay_expired`); the people who run the stream always may. RTMP egress leaves
 * nothing to replay. On a live shopping site the replay lists the product moments as chapters.
 */
export async function replayOf(req: PayloadRequest, recordingId: DocId): Promise<Replay> {
  const recording = await req.payload.db.findOne<{
    id: DocId
    liveStream: unknown
    kind: string
    status: string
    objectKey?: null | string
    fileLocation?: null | string
    playlistLocation?: null | string
    durationSeconds?: null | number
    startedAt?: null | string
    endedAt?: null | string
  }>({ collection: RECORDINGS, where: { id: { equals: recordingId } } })
  if (!recording) {
    throw new DomainError('not_found', 'not_found', 'No recording with that id.')
  }
  const caller = await identifyCaller({
    req,
    liveStreamId: relationId(recording.liveStream) as DocId,
    ignoreState: true,
  })
  const closesAt = replayClosesAt(caller.stream, caller.resolved.egress.replayDays)
  if (!canModerate(caller.role) && !replayOpen(closesAt, new Date())) {
    throw new DomainError(
      'gone',
      'replay_expired',
      `The replays of this live stream could be watched until ${closesAt!.toISOString()}.`,
    )
  }
  if (recording.status !== 'complete') {
    throw new DomainError(
      'conflict',
      'recording_not_ready',
      `This recording is ${recording.status.replace('_', ' ')}; its replay is available once it is complete.`,
    )
  }
  const format = recording.kind === 'hls' ? 'hls' : 'mp4'
  const location = format === 'hls' ? recording.playlistLocation : recording.fileLocation
  const playback = playbackUrlFor(
    { objectKey: recording.objectKey, location },
    pluginOptionsOf(req.payload).egress,
    new Date(),
  )
  if (!playback) {
    throw new DomainError(
      'conflict',
      'no_replay',
      'This egress left no file to replay (RTMP streams are not stored).',
    )
  }
  return {
    recordingId: recording.id,
    format,
    url: playback.url,
    expiresAt: playback.expiresAt,
    durationSeconds: recording.durationSeconds ?? null,
    startedAt: recording.startedAt ? new Date(recording.startedAt).toISOString() : null,
    chapters: replayChapters(
      await productMoments(req, relationId(recording.liveStream) as DocId),
      recording,
    ),
  }
}
