import type { Endpoint, Payload } from 'payload'

import { BODY_LIMITS, type BodySource, endpoint, readBody } from '../../http/respond.js'
import { receiveLivekitDelivery } from '../receiveLivekitWebhook.js'

/**
 * The answer to one LiveKit delivery read from `request`: `{ received: true }` once stored (and
 * `duplicate: true` for an event id stored before), or the refusal. Shared by the endpoint and
 * the route handler, which answer alike.
 */
export async function answerLivekitDelivery(
  payload: Payload,
  request: BodySource,
): Promise<Response> {
  // The raw body, before anything parses it: the signature covers these exact bytes.
  const raw = await readBody(request, BODY_LIMITS.livekitWebhook)
  const { duplicate } = await receiveLivekitDelivery(
    payload,
    raw,
    request.headers.get('authorization'),
  )
  return Response.json(duplicate ? { received: true, duplicate: true } : { received: true })
}

/**
 * POST /api/livekit/webhook (path configurable)
 * Body: LiveKit's webhook event, `Authorization`: LiveKit's signed JWT carrying the body's sha256.
 * 413 over 1 MiB (nothing read past that); 401 when the signature, the hash or the token's validity fail (nothing stored); 200 once the
 * event is stored (it is applied right after); a repeated event id is acknowledged and changes nothing.
 */
export const livekitWebhookEndpoint = (path: string): Endpoint => ({
  path,
  method: 'post',
  handler: endpoint(async (req) => answerLivekitDelivery(req.payload, req)),
})
