import type { Endpoint } from 'payload'

import { DomainError } from '../../core/domainError.js'
import { endpoint, operationBody, routeId } from '../../http/respond.js'
import { AUDIENCE_FIGURES, audienceCsv, type AudienceFigure } from '../audienceExports.js'
import {
  type ChatBody,
  type ReactionBody,
  sendChat,
  sendReaction,
} from '../operations/sendEngagement.js'
import { streamAudienceOf } from '../operations/streamAudience.js'

const noStore = { 'Cache-Control': 'no-store' }

/**
 * GET /api/live-streams/:id/audience — hosts, co-hosts, admins (403 `not_a_moderator`).
 * Returns `{ live, window, stepSeconds, curve: [{ at, viewers, peak, joins, leaves }],
 * watch: { bins, viewers, averageSeconds, medianSeconds }, funnel }`, computed from the stored
 * connections on each read. `?format=csv&figure=curve|watch|funnel` answers one figure as CSV
 * (400 `invalid_format` / `invalid_figure` otherwise).
 */
const audience: Endpoint = {
  path: '/:id/audience',
  method: 'get',
  handler: endpoint(async (req) => {
    const q = req.searchParams
    // Who may read is decided first: a stranger learns nothing from a bad query either.
    const figures = await streamAudienceOf(req, routeId(req))
    const format = q.get('format') ?? 'json'
    if (format !== 'json' && format !== 'csv') {
      throw new DomainError('invalid', 'invalid_format', 'format must be json or csv.')
    }
    if (format === 'json') {
      return Response.json(figures, { headers: noStore })
    }
    const figure = q.get('figure') ?? 'curve'
    if (!(AUDIENCE_FIGURES as readonly string[]).includes(figure)) {
      throw new DomainError(
        'invalid',
        'invalid_figure',
        `figure must be one of ${AUDIENCE_FIGURES.join(', ')}.`,
      )
    }
    return new Response(audienceCsv(figures, figure as AudienceFigure), {
      headers: {
        ...noStore,
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="audience-${figure}.csv"`,
      },
    })
  }),
}

/**
 * POST /api/live-streams/:id/chat — anyone in the open room but admins (as for its token).
 * Body `{ text, guestCredential? }`. Sends the message to the room through LiveKit, from the
 * caller, and counts it. Returns `{ at, from: { identity, name, role } }`.
 */
const chat: Endpoint = {
  path: '/:id/chat',
  method: 'post',
  handler: endpoint(async (req) => {
    const id = routeId(req)
    const body = await operationBody<ChatBody>(req)
    return Response.json(await sendChat({ req, liveStreamId: id, body }))
  }),
}

/**
 * POST /api/live-streams/:id/reactions — as the chat. Body `{ emoji, guestCredential? }`.
 * Returns `{ at, from }`.
 */
const reactions: Endpoint = {
  path: '/:id/reactions',
  method: 'post',
  handler: endpoint(async (req) => {
    const id = routeId(req)
    const body = await operationBody<ReactionBody>(req)
    return Response.json(await sendReaction({ req, liveStreamId: id, body }))
  }),
}

/** The analytics endpoints of a stream, mounted under `/api/live-streams`. */
export const analyticsEndpoints = (): Endpoint[] => [audience, chat, reactions]
