import type { Endpoint } from 'payload'
import type Stripe from 'stripe'

import { DomainError } from '../../core/domainError.js'
import { BODY_LIMITS, endpoint, readBody } from '../../http/respond.js'
import { pluginOptionsOf, stripeFor } from '../../runtime.js'
import { applyStripeEvent } from '../operations/applyStripeEvent.js'

// Stripe's default: a signature older than five minutes is refused (replays).
const TOLERANCE_SECONDS = 300

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
  handler: endpoint(async (req) => {
    const raw = await readBody(req, BODY_LIMITS.stripeWebhook)
    const { payload } = req
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
        req.headers.get('stripe-signature') ?? '',
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
  }),
})
