import type { Endpoint } from 'payload'

import { endpoint, routeId } from '../../http/respond.js'
import { replayOf } from '../operations/replay.js'

/**
 * GET /api/recordings/:id/playback — the replay of a finished recording for whoever may watch the
 * live stream (ticket rules). Returns `{ recordingId, format: 'mp4' | 'hls', url, expiresAt,
 * durationSeconds, startedAt, chapters }` (chapters: the products shown, each with `atSeconds` from
 * the start); the URL is signed when the storage allows. 401/403 as the token, 409 when not
 * complete, 410 `replay_expired` for the audience once the replay window closed.
 */
const playback: Endpoint = {
  path: '/:id/playback',
  method: 'get',
  handler: endpoint(async (req) =>
    Response.json(await replayOf(req, routeId(req, 'recording')), {
      headers: { 'Cache-Control': 'private, no-store' },
    }),
  ),
}

/** The recordings endpoints, mounted under `/api/recordings`. */
export const recordingEndpoints = (): Endpoint[] => [playback]
