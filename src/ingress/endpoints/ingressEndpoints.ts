import type { Endpoint } from 'payload'

import { endpoint, operationBody, routeId } from '../../http/respond.js'
import {
  createIngress,
  type CreateIngressBody,
  deleteIngress,
} from '../operations/controlIngress.js'

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
    return Response.json(
      await createIngress(req, id, await operationBody<CreateIngressBody>(req)),
      {
        headers: { 'Cache-Control': 'no-store' },
      },
    )
  }),
}

/** DELETE /api/live-streams/:id/ingress — host, co-hosts, admins: removes the OBS feed. */
const deleteIngressEndpoint: Endpoint = {
  path: '/:id/ingress',
  method: 'delete',
  handler: endpoint(async (req) => Response.json(await deleteIngress(req, routeId(req)))),
}

/** The ingress (OBS feed) endpoints of a live stream, mounted under `/api/live-streams`. */
export const ingressEndpoints = (): Endpoint[] => [createIngressEndpoint, deleteIngressEndpoint]
