import type { PayloadRequest, Where } from 'payload'

import { createHash } from 'node:crypto'

import type { DocId } from '../../core/ids.js'

import { loadAppointment, pricingOf } from '../../access/facts.js'
import { pluginUser } from '../../access/pluginUser.js'
import { DomainError } from '../../core/domainError.js'
import { relationId } from '../../core/relationId.js'
import { TICKETS } from '../../core/slugs.js'
import { split } from '../../core/split.js'
import { rateFor } from '../../ledger/rates.js'
import { transferGroupOf } from '../../payouts/payoutPolicy.js'
import { pluginOptionsOf, stripeFor } from '../../runtime.js'
import { loadStream } from '../../streams/streamStore.js'
import { sealedMetadata } from '../checkoutSeal.js'

type Doc = Record<string, unknown>

/** Active tickets of a stream (the capacity counts these). */
export async function activeTickets(req: PayloadRequest, liveStreamId: DocId, userId?: DocId) {
  const where: Where = {
    and: [
      { liveStream: { equals: liveStreamId } },
      { status: { equals: 'active' } },
      ...(userId !== undefined ? [{ user: { equals: userId } }] : []),
    ],
  }
  return (await req.payload.db.count({ collection: TICKETS, where })).totalDocs
}

/**
 * Where Checkout may send the buyer back to: the site's own origin (`stripe.siteUrl`, else
 * Payload's `serverURL`) and the origins `stripe.returnUrlOrigins` allows. Only a site with
 * neither configured (development) takes the origin the request was addressed to. A return URL
 * elsewhere would make the plugin's checkout a "pay here" link for someone else's page.
 */
export function siteOrigins(req: PayloadRequest): { own: string; allowed: Set<string> } {
  const { stripe } = pluginOptionsOf(req.payload)
  const configured = stripe.siteUrl || req.payload.config.serverURL || undefined
  const own = configured ? new URL(configured).origin : req.origin || 'http://localhost:3000'
  return { own, allowed: new Set([own, ...stripe.returnUrlOrigins]) }
}

export function returnUrl(
  value: unknown,
  fallback: string,
  site: { own: string; allowed: Set<string> },
): string {
  if (value === undefined || value === null) {
    return fallback
  }
  const { own, allowed } = site
  let url: URL
  try {
    // A path alone is on the site's own origin.
    url = new URL(String(value), own)
  } catch {
    throw new DomainError(
      'invalid',
      'invalid_url',
      'successUrl and cancelUrl must be http(s) URLs.',
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DomainError(
      'invalid',
      'invalid_url',
      'successUrl and cancelUrl must be http(s) URLs.',
    )
  }
  if (!allowed.has(url.origin)) {
    throw new DomainError(
      'invalid',
      'invalid_return_url',
      'successUrl and cancelUrl must be on this site (or an origin listed in stripe.returnUrlOrigins).',
    )
  }
  return url.toString()
}

/**
 * Where Checkout sends the buyer afterwards: the body of `POST /api/live-streams/:id/checkout`.
 * Each URL is absolute or a path on the site; the operation checks both (`invalid_url`,
 * `invalid_return_url`) and takes the stream's watch page for a missing one.
 */
export interface CheckoutBody {
  successUrl?: string
  cancelUrl?: string
}

/** The Stripe Checkout Session to send the buyer to. */
export interface CheckoutSession {
  sessionId: string
  /** Stripe's page for the session (null only when Stripe gives none). */
  url: null | string
}

/** How a sale of a stream is charged: the host's account for a destination charge, the rate, the mode. */
export interface ChargeTerms {
  hostId: DocId | undefined
  /** The host's connected account when the charge pays the host at once (destination mode). */
  hostAccount: null | string
  separate: boolean
  rateBps: number
}

/**
 * The charge terms of a sale for an appointment: in `separate` mode the platform takes the whole
 * payment and the payout job pays the host later, so the charge names no destination whatever
 * account the host has; otherwise the host's connected account, if any. The rate is fixed now and
 * travels in the sealed metadata, so the booked split matches the fee Stripe took.
 */
export async function chargeTerms(
  req: PayloadRequest,
  appointment: Doc,
  tenantId: DocId | undefined,
): Promise<ChargeTerms> {
  const resolved = pluginOptionsOf(req.payload)
  const hostId = relationId(appointment[resolved.appointments.fields.host])
  const host =
    hostId !== undefined
      ? await req.payload.db.findOne<{ id: DocId } & Doc>({
          collection: resolved.usersSlug,
          where: { id: { equals: hostId } },
        })
      : null
  const separate = resolved.stripe.chargeMode === 'separate'
  const hostAccount =
    !separate &&
    typeof host?.[resolved.stripe.hostAccountField] === 'string' &&
    host[resolved.stripe.hostAccountField]
      ? String(host[resolved.stripe.hostAccountField])
      : null
  return { hostId, hostAccount, separate, rateBps: await rateFor(req.payload, hostId, tenantId) }
}

/**
 * Creates a Stripe Checkout Session for one ticket to a ticketed stream. In `destination` mode a
 * destination charge with the commission as application fee when the host has a connected
 * account (otherwise the platform collects and the ledger records what it owes the host); in
 * `separate` mode the platform collects, in the appointment's transfer group, and the payout job
 * pays the host after the hold. The idempotency key is derived
 * from what the session is for, so a retried click never creates a second charge.
 */
export async function createCheckout(
  req: PayloadRequest,
  liveStreamId: DocId,
  body: CheckoutBody,
): Promise<CheckoutSession> {
  const resolved = pluginOptionsOf(req.payload)
  const user = pluginUser(req, resolved.usersSlug)
  if (!user) {
    throw new DomainError('unauthenticated', 'login_required', 'Log in to buy a ticket.')
  }
  const stream = await loadStream(req.payload, liveStreamId)
  if (!stream) {
    throw new DomainError('not_found', 'not_found', 'No live stream with that id.')
  }
  if (stream.state === 'ended' || stream.state === 'ending' || stream.state === 'cancelled') {
    throw new DomainError(
      'gone',
      'stream_over',
      'This live stream is over; tickets are no longer sold.',
    )
  }
  const appointment = await loadAppointment(req.payload, resolved, stream)
  if (!appointment) {
    throw new DomainError(
      'not_found',
      'not_found',
      'The appointment of this live stream no longer exists.',
    )
  }
  const f = resolved.appointments.fields
  const { price, currency, capacity } = pricingOf(resolved, appointment)
  if (f.visibility && appointment[f.visibility] === 'public') {
    throw new DomainError(
      'invalid',
      'free_stream',
      'This live stream is public; no ticket is needed.',
    )
  }
  if (typeof price !== 'number' || !Number.isSafeInteger(price) || price <= 0) {
    throw new DomainError('invalid', 'no_price', 'This appointment has no ticket price.')
  }
  const tenantId = f.tenant ? relationId(appointment[f.tenant]) : undefined
  if (
    tenantId !== undefined &&
    !(await resolved.isAdmin({ req })) &&
    !resolved.access.userTenants(user).some((t) => String(t) === String(tenantId))
  ) {
    throw new DomainError(
      'forbidden',
      'other_tenant',
      'This live stream belongs to another organisation.',
    )
  }
  if ((await activeTickets(req, stream.id, user.id)) > 0) {
    throw new DomainError(
      'conflict',
      'already_has_ticket',
      'You already have a ticket for this live stream.',
    )
  }
  if (
    typeof capacity === 'number' &&
    capacity > 0 &&
    (await activeTickets(req, stream.id)) >= capacity
  ) {
    throw new DomainError('conflict', 'sold_out', 'This live stream is sold out.')
  }

  const { hostAccount, rateBps, separate } = await chargeTerms(req, appointment, tenantId)
  const { commission } = split(price, rateBps)
  const site = siteOrigins(req)
  const origin = site.own
  // Sealed with this site's key and id, so the webhook books only what this site sold, at its price.
  const metadata = sealedMetadata(
    {
      site: resolved.stripe.siteId,
      liveStreamId: String(stream.id),
      appointmentId: String(stream.appointment),
      userId: String(user.id),
      rateBps: String(rateBps),
      ...(hostAccount ? { destination: hostAccount } : {}),
      amount: String(price),
      currency: String(currency).toLowerCase(),
      ...(separate ? { settlement: 'separate' as const } : {}),
      feeBearer: resolved.stripe.feeBearer,
    },
    req.payload.secret,
  )
  const params = {
    mode: 'payment' as const,
    client_reference_id: String(user.id),
    line_items: [
      {
        quantity: 1,
        price_data: {
          currency,
          unit_amount: price,
          product_data: { name: `Ticket: ${String(appointment.title ?? stream.roomName)}` },
        },
      },
    ],
    success_url: returnUrl(
      body.successUrl,
      `${origin}/streams/${stream.id}/watch?checkout=success`,
      site,
    ),
    cancel_url: returnUrl(
      body.cancelUrl,
      `${origin}/streams/${stream.id}/watch?checkout=cancelled`,
      site,
    ),
    metadata,
    payment_intent_data: {
      metadata,
      // The payout's transfer names the same group, so Stripe's dashboard ties them together.
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
  // Same purpose, same key: a double click or a retried request returns the same session.
  // The key covers the parameters too, since Stripe refuses a known key with different ones.
  const fingerprint = createHash('sha256').update(JSON.stringify(params)).digest('hex').slice(0, 16)
  const session = await stripeFor(req.payload).checkout.sessions.create(params, {
    idempotencyKey: `ticket-checkout:${stream.id}:${user.id}:${fingerprint}`,
  })
  return { sessionId: session.id, url: session.url ?? null }
}
