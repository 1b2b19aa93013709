import type { Endpoint } from 'payload'

import { analyticsEndpoints } from '../../analytics/endpoints/analyticsEndpoints.js'
import { participantEndpoints } from '../../audience/endpoints/participantEndpoints.js'
import { endpoint, jsonBody, routeId } from '../../http/respond.js'
import { ingressEndpoints } from '../../ingress/endpoints/ingressEndpoints.js'
import { checkoutEndpoints } from '../../payments/endpoints/checkoutEndpoint.js'
import { payoutEndpoints } from '../../payouts/endpoints/payoutEndpoints.js'
import { egressEndpoints } from '../../recordings/endpoints/egressEndpoints.js'
import { shoppingEndpoints } from '../../shopping/endpoints/shoppingEndpoints.js'
import { endStream } from '../operations/endStream.js'
import { issueToken } from '../operations/issueToken.js'
import { streamStatus } from '../operations/streamStatus.js'

/**
 * POST /api/live-streams/:id/token
 * Body (optional): `{ guestCredential }`, as a guest's earlier answer gave it, so an anonymous
 * viewer keeps its identity across reloads (400 `invalid_guest_credential` if this site did not issue it).
 * Returns `{ token, serverUrl, identity, name, role, expiresAt }` (guests also `guestCredential`),
 * or 401/403/409/410 with the reason.
 */
const token: Endpoint = {
  path: '/:id/token',
  method: 'post',
  handler: endpoint(async (req) => {
    const id = routeId(req)
    const body = await jsonBody(req)
    return Response.json(
      await issueToken({ req, liveStreamId: id, guestCredential: body.guestCredential }),
      {
        headers: { 'Cache-Control': 'no-store' },
      },
    )
  }),
}

/**
 * GET /api/live-streams/:id/status
 * Returns state, viewer count, publishers, recording/streaming flags; the participant list too for
 * hosts, co-hosts and admins. Same access rules as the token.
 */
const status: Endpoint = {
  path: '/:id/status',
  method: 'get',
  handler: endpoint(async (req) => Response.json(await streamStatus(req, routeId(req)))),
}

/**
 * POST /api/live-streams/:id/end — host, co-hosts, admins: ends the stream now (the appointment
 * moves to its close status, the room closes). Returns `{ state }`; 409 when it is not open.
 */
const endEndpoint: Endpoint = {
  path: '/:id/end',
  method: 'post',
  handler: endpoint(async (req) => Response.json(await endStream(req, routeId(req)))),
}

/**
 * Every endpoint under `/api/live-streams`: the stream's own (token, status, end) and those of
 * the features that act on a live stream, each defined in its feature's folder.
 */
export const liveStreamEndpoints = (): Endpoint[] => [
  token,
  status,
  ...participantEndpoints(),
  ...analyticsEndpoints(),
  ...checkoutEndpoints(),
  ...egressEndpoints(),
  ...ingressEndpoints(),
  ...payoutEndpoints(),
  ...shoppingEndpoints(),
  endEndpoint,
]
