import type { Endpoint } from 'payload'

import { endpoint, routeId } from '../../http/respond.js'
import { cancelTicket, retryRefund } from '../operations/cancelTicket.js'

/**
 * POST /api/tickets/:id/cancel — the ticket's holder cancels it and is refunded in full.
 * Returns the ticket's refund (`status: 'refund_pending'` until Stripe reports it done); 401 not
 * logged in, 404 not their ticket, 409 `ticket_not_active` or `cancel_window_closed`, 403
 * `cancel_not_offered` when the site turned cancelling off.
 */
const cancel: Endpoint = {
  path: '/:id/cancel',
  method: 'post',
  handler: endpoint(async (req) => Response.json(await cancelTicket(req, routeId(req, 'ticket')))),
}

/**
 * POST /api/tickets/:id/retry-refund — an admin sends again a refund the plugin gave up on.
 * 403 for anyone else, 409 `refund_not_failed` for a ticket whose refund did not fail.
 */
const retry: Endpoint = {
  path: '/:id/retry-refund',
  method: 'post',
  handler: endpoint(async (req) => Response.json(await retryRefund(req, routeId(req, 'ticket')))),
}

/** The tickets' endpoints, mounted under `/api/tickets`. */
export const ticketEndpoints = (): Endpoint[] => [cancel, retry]
