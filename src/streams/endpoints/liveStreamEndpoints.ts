import type { Endpoint } from 'payload'

import {
  listParticipants,
  moderateParticipant,
} from '../../audience/operations/moderateParticipant.js'
import { raiseHand } from '../../audience/operations/raiseHand.js'
import { DomainError } from '../../core/domainError.js'
import { endpoint, jsonBody, routeId } from '../../http/respond.js'
import { createIngress, deleteIngress } from '../../ingress/operations/controlIngress.js'
import { createCheckout } from '../../payments/operations/checkout.js'
import { startEgress, stopEgress, updateEgress } from '../../recordings/operations/controlEgress.js'
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
 * GET /api/live-streams/:id/participants — hosts, co-hosts, admins.
 * Returns `{ participants: [{ identity, name, role, handRaised, onStage, publishing, tracks, joinedAt }] }`.
 */
const participants: Endpoint = {
  path: '/:id/participants',
  method: 'get',
  handler: endpoint(async (req) =>
    Response.json({ participants: await listParticipants(req, routeId(req)) }),
  ),
}

/**
 * POST /api/live-streams/:id/participants/:identity/:action — hosts, co-hosts, admins.
 * Actions: remove (disconnect + revoke tokens), mute (body `{ kinds: ['audio'|'video'] }`),
 * promote (attendee on stage), demote (off stage).
 */
const moderate: Endpoint = {
  path: '/:id/participants/:identity/:action',
  method: 'post',
  handler: endpoint(async (req) => {
    const id = routeId(req)
    const identity = String(req.routeParams?.identity ?? '')
    if (!/^[\w.:@-]{1,128}$/.test(identity)) {
      throw new DomainError('invalid', 'invalid_identity', 'That is not a participant identity.')
    }
    const body = await jsonBody(req)
    const result = await moderateParticipant({
      req,
      liveStreamId: id,
      identity,
      action: String(req.routeParams?.action ?? ''),
      body,
    })
    return Response.json(result)
  }),
}

/**
 * POST /api/live-streams/:id/hand — attendees (on stage or not), in the room: raises or lowers
 * the caller's own hand (the `hand` attribute moderators see). Body: `{ raised: boolean }`.
 * Returns `{ identity, handRaised }`; 403 `not_an_attendee`, 409 `not_in_room`, else as the token.
 */
const hand: Endpoint = {
  path: '/:id/hand',
  method: 'post',
  handler: endpoint(async (req) => {
    const id = routeId(req)
    return Response.json(await raiseHand({ req, liveStreamId: id, body: await jsonBody(req) }))
  }),
}

/**
 * POST /api/live-streams/:id/checkout — a logged-in user buys a ticket.
 * Body (optional): `{ successUrl, cancelUrl }`. Returns `{ sessionId, url }` of a Stripe Checkout
 * Session; 401 not logged in, 403 other tenant, 409 already has one or sold out, 410 stream over.
 */
const checkout: Endpoint = {
  path: '/:id/checkout',
  method: 'post',
  handler: endpoint(async (req) => {
    const id = routeId(req)
    return Response.json(await createCheckout(req, id, await jsonBody(req)))
  }),
}

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
    return Response.json(await startEgress(req, id, await jsonBody(req)))
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
    return Response.json(await updateEgress(req, id, egressId, await jsonBody(req)))
  }),
}

/**
 * POST /api/live-streams/:id/ingress — host, co-hosts, admins: an OBS feed.
 * Body: `{ type?: 'rtmp' | 'whip' }`. Returns `{ ingressId, type, url, streamKey, notice }`; the
 * stream key is in this response only. Creating again replaces the feed (the old key stops working).
 */
const createIngressEndpoint: Endpoint = {
  path: '/:id/ingress',
  method: 'post',
  handler: endpoint(async (req) => {
    const id = routeId(req)
    return Response.json(await createIngress(req, id, await jsonBody(req)), {
      headers: { 'Cache-Control': 'no-store' },
    })
  }),
}

/** DELETE /api/live-streams/:id/ingress — host, co-hosts, admins: removes the OBS feed. */
const deleteIngressEndpoint: Endpoint = {
  path: '/:id/ingress',
  method: 'delete',
  handler: endpoint(async (req) => Response.json(await deleteIngress(req, routeId(req)))),
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

/** The live stream endpoints, mounted under `/api/live-streams`. */
export const liveStreamEndpoints = (): Endpoint[] => [
  token,
  status,
  participants,
  moderate,
  hand,
  checkout,
  startEgressEndpoint,
  stopEgressEndpoint,
  updateEgressEndpoint,
  createIngressEndpoint,
  deleteIngressEndpoint,
  endEndpoint,
]
