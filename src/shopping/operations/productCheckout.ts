import type { PayloadRequest } from 'payload'

import { createHash } from 'node:crypto'

import type { DocId } from '../../core/ids.js'

import { identifyCaller } from '../../access/identifyCaller.js'
import { pluginUser } from '../../access/pluginUser.js'
import { DomainError } from '../../core/domainError.js'
import { relationId } from '../../core/relationId.js'
import { split } from '../../core/split.js'
import { sealedMetadata } from '../../payments/checkoutSeal.js'
import {
  chargeTerms,
  type CheckoutSession,
  returnUrl,
  siteOrigins,
} from '../../payments/operations/checkout.js'
import { transferGroupOf } from '../../payouts/payoutPolicy.js'
import { stripeFor } from '../../runtime.js'
import { currentShop } from '../shopState.js'
import { shoppingOf } from './pinProducts.js'
import { recordInteraction } from './shopView.js'

/** The body of `POST /api/live-streams/:id/pins/:pinId/checkout`. */
export interface ProductCheckoutBody {
  successUrl?: string
  cancelUrl?: string
  /** A guest's credential, as its token answer gave it (guests of public streams). */
  guestCredential?: string
}

/**
 * Creates the Stripe Checkout Session for the product of a pin that is up in a live stream, at the
 * price on its card, for whoever may watch the stream: ticket holders, the people who run it and,
 * on a public stream, guests (Checkout asks for their email). The charge follows the ticket rules
 * (destination charge with the commission as application fee, or separate charges, rate per host
 * or tenant), its metadata is sealed with this site's key, and the same click gives the same
 * session. Refused: not up (`not_pinned`), none left (`sold_out`).
 */
export async function createProductCheckout(
  req: PayloadRequest,
  liveStreamId: DocId,
  pinId: string,
  body: ProductCheckoutBody,
): Promise<CheckoutSession> {
  shoppingOf(req)
  const caller = await identifyCaller({ req, liveStreamId, guestCredential: body.guestCredential })
  const { stream, appointment, resolved } = caller
  const shop = await currentShop(req.payload, stream.id)
  const card = [shop.spotlight, ...shop.shelf].find((c) => c?.pinId === pinId)
  if (!card) {
    throw new DomainError('conflict', 'not_pinned', 'That product is not up in this stream now.')
  }
  if (card.stock !== null && card.stock <= 0) {
    throw new DomainError('conflict', 'sold_out', 'This product is sold out.')
  }
  const f = resolved.appointments.fields
  const tenantId = f.tenant ? relationId(appointment[f.tenant]) : undefined
  const { hostAccount, rateBps, separate } = await chargeTerms(req, appointment, tenantId)
  const { commission } = split(card.price, rateBps)
  const user = pluginUser(req, resolved.usersSlug)
  const site = siteOrigins(req)
  const watch = `${site.own}/streams/${stream.id}/watch`
  const metadata = sealedMetadata(
    {
      site: resolved.stripe.siteId,
      liveStreamId: String(stream.id),
      appointmentId: String(stream.appointment),
      // Empty for a guest: the order keeps the email Checkout collects.
      userId: user ? String(user.id) : '',
      rateBps: String(rateBps),
      ...(hostAccount ? { destination: hostAccount } : {}),
      amount: String(card.price),
      currency: card.currency,
      ...(separate ? { settlement: 'separate' as const } : {}),
      feeBearer: resolved.stripe.feeBearer,
      kind: 'product',
      productId: card.productId,
      pinId: card.pinId,
    },
    req.payload.secret,
  )
  const params = {
    mode: 'payment' as const,
    ...(user ? { client_reference_id: String(user.id) } : {}),
    ...(user && typeof user.email === 'string' ? { customer_email: user.email } : {}),
    line_items: [
      {
        quantity: 1,
        price_data: {
          currency: card.currency,
          unit_amount: card.price,
          product_data: {
            name: card.title,
            ...(card.image?.startsWith('http') ? { images: [card.image] } : {}),
          },
        },
      },
    ],
    // Checkout opens in a new tab, so the stream plays on; coming back lands on the watch page.
    success_url: returnUrl(body.successUrl, `${watch}?purchase=success`, site),
    cancel_url: returnUrl(body.cancelUrl, `${watch}?purchase=cancelled`, site),
    metadata,
    payment_intent_data: {
      metadata,
      ...(separate
        ? {
            transfer_group: transferGroupOf(
              resolved.stripe.siteId,
              stream.appointment ?? stream.id,
            ),
          }
        : {}),
      ...(hostAccount
        ? { application_fee_amount: commission, transfer_data: { destination: hostAccount } }
        : {}),
    },
  }
  const fingerprint = createHash('sha256').update(JSON.stringify(params)).digest('hex').slice(0, 16)
  const session = await stripeFor(req.payload).checkout.sessions.create(params, {
    idempotencyKey: `product-checkout:${card.pinId}:${caller.identity}:${fingerprint}`,
  })
  await recordInteraction(req, {
    liveStreamId: stream.id,
    pinId: card.pinId,
    kind: 'checkout',
    identity: caller.identity,
  })
  return { sessionId: session.id, url: session.url ?? null }
}
