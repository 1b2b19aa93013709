import type { Endpoint } from 'payload'

import { endpoint, operationBody, routeId } from '../../http/respond.js'
import { type CheckoutBody, createCheckout } from '../operations/checkout.js'

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
    return Response.json(await createCheckout(req, id, await operationBody<CheckoutBody>(req)))
  }),
}

/** The ticket checkout endpoint of a live stream, mounted under `/api/live-streams`. */
export const checkoutEndpoints = (): Endpoint[] => [checkout]
