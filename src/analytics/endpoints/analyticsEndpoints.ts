import type { Endpoint } from 'payload'

import { DomainError } from '../../core/domainError.js'
import { endpoint, routeId } from '../../http/respond.js'
import { AUDIENCE_FIGURES, audienceCsv, type AudienceFigure } from '../audienceExports.js'
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

/** The analytics endpoints of a stream, mounted under `/api/live-streams`. */
export const analyticsEndpoints = (): Endpoint[] => [audience]
