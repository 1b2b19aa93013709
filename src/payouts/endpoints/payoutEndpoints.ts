import type { Endpoint } from 'payload'

import { endpoint, routeId } from '../../http/respond.js'
import { retryPayout } from '../operations/retryPayout.js'

/**
 * POST /api/live-streams/:id/retry-payout — an admin settles again a host payout the plugin gave
 * up on. Returns `{ id, payoutStatus, payoutError }`; 403 for anyone else, 409 `payout_not_failed`.
 */
const retry: Endpoint = {
  path: '/:id/retry-payout',
  method: 'post',
  handler: endpoint(async (req) => Response.json(await retryPayout(req, routeId(req)))),
}

/** The payout endpoints, mounted under `/api/live-streams`. */
export const payoutEndpoints = (): Endpoint[] => [retry]
