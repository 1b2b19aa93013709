import type { Endpoint, Payload } from 'payload'
import type Stripe from 'stripe'

import { DomainError } from '../../core/domainError.js'
import { BODY_LIMITS, type BodySource, endpoint, readBody } from '../../http/respond.js'
import { pluginOptionsOf, stripeFor } from '../../runtime.js'
import { applyStripeEvent } from '../operations/applyStripeEvent.js'

// Stripe's default: a signature older than five minutes is refused (replays).
const TOLERANCE_SECONDS = 300

/**
 * One Stripe delivery answered: the signature checked over the exact bytes received, then the
 * event applied. Shared by the endpoint the plugin adds and the route file that skips Payload's
 * request pipeline ({@link stripeWebhookRoute}), so both answer the same.
 */
export async function answerStripeDelivery(
  payload: Payload,
  request: BodySource,
): Promise<Response> {
  const raw = await readBody(request, BODY_LIMITS.stripeWebhook)
  const resolved = pluginOptionsOf(payload)
  if (!resolved.stripe.secretKey || !resolved.stripe.webhookSecret) {
    throw new DomainError(
      'unavailable',
      'stripe_not_configured',
      'Stripe webhooks need STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET.',
    )
  }
  let event: Stripe.Event
  try {
    event = stripeFor(payload).webhooks.constructEvent(
      raw,
      request.headers.get('stripe-signature') ?? '',
      resolved.stripe.webhookSecret,
      TOLERANCE_SECONDS,
    )
  } catch {
    throw new DomainError(
      'invalid',
      'invalid_signature',
      'The Stripe signature did not verify or is too old.',
    )
  }
  const result = await applyStripeEvent(payload, event)
  return Response.json(
    result.duplicate
      ? { received: true, duplicate: true }
      : { received: true, outcome: result.outcome },
  )
}

/**
 * POST /api/stripe/webhook (path configurable)
 * Stripe's signed event. 400 for a bad or stale signature (nothing written) or a body that is no
 * Stripe event; 503 `stripe_not_configured` without the Stripe keys. Returns `{ received: true,
 * outcome }` once handled; a repeated event id gets `{ received: true, duplicate: true }` and
 * changes nothing. Failed payments write nothing.
 */
export const stripeWebhookEndpoint = (path: string): Endpoint => ({
  path,
  method: 'post',
  handler: endpoint(async (req) => answerStripeDelivery(req.payload, req)),
})
