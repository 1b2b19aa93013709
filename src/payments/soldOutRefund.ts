import type { Payload } from 'payload'
import type Stripe from 'stripe'

import { stripeFor } from '../runtime.js'

/** Refunds a sale that came too late for a place (a ticket or a product's last unit); the same key on every retry, so Stripe refunds once. */
export async function refundSoldOut(
  payload: Payload,
  paymentIntentId: string,
  session: Stripe.Checkout.Session,
  destination: string | undefined,
) {
  try {
    await stripeFor(payload).refunds.create(
      {
        payment_intent: paymentIntentId,
        reason: 'requested_by_customer',
        metadata: { reason: 'sold_out' },
        ...(destination ? { reverse_transfer: true, refund_application_fee: true } : {}),
      },
      { idempotencyKey: `sold-out-refund:${session.id}` },
    )
  } catch (error) {
    // Refunded already (from the dashboard, or by an earlier try whose answer was lost).
    if ((error as { code?: string }).code !== 'charge_already_refunded') {
      throw error
    }
  }
}
