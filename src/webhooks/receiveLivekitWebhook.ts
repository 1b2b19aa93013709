import type { Payload } from 'payload'

import { DomainError } from '../core/domainError.js'
import { shuttingDown } from '../db/sqlSchema.js'
import { WebhookVerificationError } from '../livekit/errors.js'
import { type LivekitEvent, livekitEventJson } from '../livekit/events.js'
import { livekitFor } from '../runtime.js'
import { roomNameOf } from './applyLivekitEvent.js'
import { applyStoredEvent } from './applyStoredEvent.js'
import { drainRoom } from './drainRoom.js'
import { storedEvent, storeEvent } from './inbox.js'
import { bodyToStore, columnText } from './storedBody.js'

/** Latest time a JavaScript date holds (the year 275,760), in milliseconds. */
const LATEST_DATE_MS = 8.64e15

/** When LiveKit says the event happened, or now when its stamp is missing or no date can hold it. */
function occurredAtMs(event: LivekitEvent): number {
  const ms = Number(event.createdAt || 0n) * 1000
  return ms > 0 && ms <= LATEST_DATE_MS ? ms : Date.now()
}

/**
 * One LiveKit delivery: verified (refused as `invalid_signature` otherwise, nothing stored; an
 * event without id or type is `invalid_event`), stored once by event id (without
 * the stream keys and tokens egress and ingress reports carry, see {@link bodyToStore}), and
 * answered as soon as it is durable. Applying it follows right after, in a batch with whatever
 * else arrived for the same room meanwhile (one audience count for all of them); if this
 * instance stops before that, the reconcile job's sweep applies it. `duplicate` when the event id
 * was stored already (a repeat, or another instance has it right now).
 */
export async function receiveLivekitDelivery(
  payload: Payload,
  raw: string,
  authorization: null | string,
): Promise<{ duplicate: boolean }> {
  // Outside the try: a broken adapter or configuration is the site's failure (a 500, logged, and
  // LiveKit retries), not a forged delivery.
  const livekit = livekitFor(payload)
  let event: LivekitEvent
  try {
    event = await livekit.receiveWebhook(raw, authorization)
  } catch (error) {
    if (!(error instanceof WebhookVerificationError)) {
      throw error
    }
    throw new DomainError(
      'unauthenticated',
      'invalid_signature',
      'The webhook signature, body hash or token validity did not verify.',
    )
  }
  if (!event.id || !event.event) {
    throw new DomainError('invalid', 'invalid_event', 'The event has no id or type.')
  }

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
  if (rowId === null) {
    return { duplicate: true }
  }
  if (!roomName) {
    // Applied as stored, as the room's events are (NULs replaced, keys masked).
    await applyStoredEvent(payload, rowId, body === raw ? event : storedEvent(JSON.parse(body)))
    return { duplicate: false }
  }
  // Not awaited: LiveKit waits for the answer, and the event is safe in the inbox already.
  drainRoom(payload, roomName).catch((error: unknown) => {
    if (shuttingDown(payload)) {
      return
    }
    payload.logger.error({
      err: error,
      msg: `payload-plugin-livekit: applying the webhook events of ${roomName} failed; the next delivery or the reconcile sweep retries`,
    })
  })
  return { duplicate: false }
}
