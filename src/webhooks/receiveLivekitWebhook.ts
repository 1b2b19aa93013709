import type { Endpoint, Payload } from 'payload'
import { WebhookEvent } from 'livekit-server-sdk'

import { WEBHOOK_EVENTS } from '../collections/slugs.js'
import { insertUnique } from '../db/uniqueRows.js'
import { endpoint, errorResponse } from '../endpoints/respond.js'
import { APPLY_WEBHOOK_TASK } from '../lifecycle/taskSlugs.js'
import { livekitFor, pluginOptionsOf } from '../runtime.js'
import { applyLivekitEvent, roomNameOf } from './applyLivekitEvent.js'

type Id = string | number

/**
 * Applies a stored event and marks it applied; a failure is written on the inbox row and handed
 * to the jobs queue, so LiveKit (which drops retries after ~30 s) never has to deliver it again.
 */
export async function applyStoredEvent(payload: Payload, rowId: Id, event: WebhookEvent): Promise<void> {
  try {
    const outcome = await applyLivekitEvent(payload, event)
    await payload.db.updateOne({ collection: WEBHOOK_EVENTS, id: rowId, data: { appliedAt: new Date().toISOString(), error: null } })
    payload.logger.debug({ msg: `payload-plugin-livekit: ${event.event} ${event.id}: ${outcome}` })
  } catch (error) {
    const message = (error as Error)?.message ?? String(error)
    await payload.db.updateOne({ collection: WEBHOOK_EVENTS, id: rowId, data: { error: message } })
    await payload.jobs.queue({ task: APPLY_WEBHOOK_TASK as never, input: { eventId: event.id } as never, queue: pluginOptionsOf(payload).lifecycle.queue })
    payload.logger.warn({ msg: `payload-plugin-livekit: applying ${event.event} ${event.id} failed (${message}); queued for retry` })
  }
}

/** Re-applies an event from the inbox (the retry job). Already applied events are left alone. */
export async function reapplyStoredEvent(payload: Payload, eventId: string): Promise<string> {
  const row = await payload.db.findOne<{ id: Id; appliedAt?: string | null; body: unknown }>({ collection: WEBHOOK_EVENTS, where: { eventId: { equals: eventId } } })
  if (!row) return 'unknown event'
  if (row.appliedAt) return 'already applied'
  await applyStoredEvent(payload, row.id, WebhookEvent.fromJson(row.body as never, { ignoreUnknownFields: true }))
  return 'applied'
}

/**
 * POST /api/livekit/webhook (path configurable)
 * Body: LiveKit's webhook event, `Authorization`: LiveKit's signed JWT carrying the body's sha256.
 * 401 when the signature, the hash or the token's validity fail (nothing stored); 200 once the
 * event is stored; a repeated event id is acknowledged and changes nothing.
 */
export const livekitWebhookEndpoint = (path: string): Endpoint => ({
  path,
  method: 'post',
  handler: endpoint(async (req) => {
    // The raw body, before anything parses it: the signature covers these exact bytes.
    const raw = req.text ? await req.text() : ''
    const { payload } = req
    let event: WebhookEvent
    try {
      event = await livekitFor(payload).receiveWebhook(raw, req.headers.get('authorization'))
    } catch {
      return errorResponse(401, 'invalid_signature', 'The webhook signature, body hash or token validity did not verify.')
    }
    if (!event.id || !event.event) return errorResponse(400, 'invalid_event', 'The event has no id or type.')

    const row = await insertUnique(payload, WEBHOOK_EVENTS, { eventId: { equals: event.id } }, {
      eventId: event.id,
      event: event.event,
      roomName: roomNameOf(event) ?? null,
      occurredAt: new Date(Number(event.createdAt || 0n) * 1000 || Date.now()).toISOString(),
      body: event.toJson(),
    })
    // The unique event id: this delivery is a repeat (or another instance has it right now).
    if (!row) return Response.json({ received: true, duplicate: true })
    await applyStoredEvent(payload, row.id, event)
    return Response.json({ received: true })
  }),
})
