import type { PayloadRequest } from 'payload'

import type { DocId } from '../../core/ids.js'

import { identifyCaller } from '../../access/identifyCaller.js'
import { DomainError } from '../../core/domainError.js'
import { relationId } from '../../core/relationId.js'
import { canModerate } from '../../core/roles.js'
import { RECORDINGS } from '../../core/slugs.js'
import { pluginOptionsOf } from '../../runtime.js'
import { playbackUrlFor } from '../playback.js'
import { replayClosesAt, replayOpen } from '../replayWindow.js'

/** What a viewer gets to play a replay. */
export interface Replay {
  recordingId: DocId
  format: 'hls' | 'mp4'
  url: string
  expiresAt: null | string
  durationSeconds: null | number
}

/**
 * The replay of a finished recording, for whoever may watch its live stream: the host, co-hosts,
 * admins, ticket holders, and guests when the appointment is public. Same refusals as the token.
 * The audience may watch until the replay window (`egress.replayDays` after the end) closes
 * (`gone` / `replay_expired`); the people who run the stream always may. RTMP egress leaves
 * nothing to replay.
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
  }
}
