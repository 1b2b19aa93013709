import type { Endpoint } from 'payload'

import { DomainError } from '../../core/domainError.js'
import { endpoint, operationBody, routeId } from '../../http/respond.js'
import {
  startEgress,
  type StartEgressBody,
  stopEgress,
  updateEgress,
  type UpdateEgressBody,
} from '../operations/controlEgress.js'

/**
 * POST /api/live-streams/:id/egress — hosts, co-hosts, admins.
 * Body: `{ kind: 'recording' | 'hls' | 'rtmp', layout?: 'speaker' | 'grid' | 'single-speaker',
 * quality?: 'low' | 'medium' | 'high', audioOnly?, urls? (rtmp) }`. Returns `{ egressId, kind, status }`;
 * 409 not live, 400 naming a bad field, 503 `egress_unavailable` when no egress worker runs.
 */
const startEgressEndpoint: Endpoint = {
  path: '/:id/egress',
  method: 'post',
  handler: endpoint(async (req) => {
    const id = routeId(req)
    return Response.json(await startEgress(req, id, await operationBody<StartEgressBody>(req)))
  }),
}

function egressIdOf(req: Parameters<Endpoint['handler']>[0]): string {
  const egressId = String(req.routeParams?.egressId ?? '')
  if (!/^EG_[A-Za-z0-9]{1,64}$/.test(egressId)) {
    throw new DomainError('invalid', 'invalid_egress_id', 'That is not an egress id (EG_…).')
  }
  return egressId
}

/** DELETE /api/live-streams/:id/egress/:egressId — hosts, co-hosts, admins: stops one egress. */
const stopEgressEndpoint: Endpoint = {
  path: '/:id/egress/:egressId',
  method: 'delete',
  handler: endpoint(async (req) =>
    Response.json(await stopEgress(req, routeId(req), egressIdOf(req))),
  ),
}

/**
 * PATCH /api/live-streams/:id/egress/:egressId — hosts, co-hosts, admins: changes a running egress.
 * Body: `{ layout?, addUrls?, removeUrls?, addDestinations?, removeDestinations? }` (LiveKit's
 * updateLayout and updateStream). Returns `{ egressId, layout, outputs }` with keys masked.
 */
const updateEgressEndpoint: Endpoint = {
  path: '/:id/egress/:egressId',
  method: 'patch',
  handler: endpoint(async (req) => {
    const id = routeId(req)
    const egressId = egressIdOf(req)
    const body = await operationBody<UpdateEgressBody>(req)
    return Response.json(await updateEgress(req, id, egressId, body))
  }),
}

/** The egress endpoints of a live stream (start, stop, change), mounted under `/api/live-streams`. */
export const egressEndpoints = (): Endpoint[] => [
  startEgressEndpoint,
  stopEgressEndpoint,
  updateEgressEndpoint,
]
