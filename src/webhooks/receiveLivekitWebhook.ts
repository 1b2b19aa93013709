import type { Endpoint, Payload } from 'payload'

import { shuttingDown } from '../db/sqlSchema.js'
import { BODY_LIMITS, endpoint, errorResponse, readBody } from '../http/respond.js'
import { livekitEventJson, type LivekitEvent } from '../livekit/events.js'
import { livekitFor } from '../runtime.js'
import { roomNameOf } from './applyLivekitEvent.js'
import { applyStoredEvent } from './applyStoredEvent.js'
import { drainRoom } from './drainRoom.js'
import { storeEvent, storedEvent } from './inbox.js'
import { bodyToStore, columnText } from './storedBody.js'

/** Latest time a JavaScript date holds (the year 275,760), in milliseconds. */
const LATEST_DATE_MS = 8.64e15

/** When LiveKit says the event happened, or now when its stamp is missing or no date can hold it. */
function occurredAtMs(event: LivekitEvent): number {
  const ms = Number(event.createdAt || 0n) * 1000
  return ms > 0 && ms <= LATEST_DATE_MS ? ms : Date.now()
}

/**
 * One LiveKit delivery: verified (401 otherwise, nothing stored), stored once by event id (without
 * the stream keys and tokens egress and ingress reports carry, see {@link bodyToStore}), and
 * answered as soon as it is durable. Applying it follows right after, in a batch with whatever
 * else arrived for the same room meanwhile (one audience count for all of them); if this
 * instance stops before that, the reconcile job's sweep applies it.
 */
export async function receiveLivekitDelivery(payload: Payload, raw: string, authorization: string | null): Promise<Response> {
  let event: LivekitEvent
  try {
    event = await livekitFor(payload).receiveWebhook(raw, authorization)
  } catch {
    return errorResponse(401, 'invalid_signature', 'The webhook signature, body hash or token validity did not verify.')
  }
  if (!event.id || !event.event) return errorResponse(400, 'invalid_event', 'The event has no id or type.')

  const room = roomNameOf(event)
  const roomName = room ? columnText(room) : null
  const body = bodyToStore(raw, () => livekitEventJson(event))
  const rowId = await storeEvent(payload, {
    eventId: columnText(event.id),
    event: columnText(event.event),
    roomName,
    occurredAt: new Date(occurredAtMs(event)).toISOString(),
    body,
  })
  // The unique event id: this delivery is a repeat (or another instance has it right now).
  if (rowId === null) return Response.json({ received: true, duplicate: true })
  if (!roomName) {
    // Applied as stored, as the room's events are (NULs replaced, keys masked).
    await applyStoredEvent(payload, rowId, body === raw ? event : storedEvent(JSON.parse(body)))
    return Response.json({ received: true })
  }
  // Not awaited: LiveKit waits for the answer, and the event is safe in the inbox already.
  drainRoom(payload, roomName).catch((error: unknown) => {
    if (shuttingDown(payload)) return
    payload.logger.error({ err: error, msg: `payload-plugin-livekit: applying the webhook events of ${roomName} failed; the next delivery or the reconcile sweep retries` })
  })
  return Response.json({ received: true })
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
  // The raw body, before anything parses it: the signature covers these exact bytes.
  handler: endpoint(async (req) => receiveLivekitDelivery(req.payload, await readBody(req, BODY_LIMITS.livekitWebhook), req.headers.get('authorization'))),
})
