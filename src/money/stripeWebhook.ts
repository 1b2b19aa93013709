import type { Endpoint, Payload } from 'payload'
import type Stripe from 'stripe'

import { loadAppointment, pricingOf } from '../access/facts.js'
import { relationId } from '../appointments/relationId.js'
import { STRIPE_EVENTS, TICKETS } from '../collections/slugs.js'
import { insertUnique } from '../db/uniqueRows.js'
import { endpoint, errorResponse } from '../endpoints/respond.js'
import { loadStream } from '../lifecycle/streamStore.js'
import { pluginOptionsOf, stripeFor } from '../runtime.js'
import { recordRefund, recordSale } from './ledger.js'
import { rateFor } from './rates.js'

type Id = string | number
type Doc = Record<string, unknown>

// Stripe's default: a signature older than five minutes is refused (replays).
const TOLERANCE_SECONDS = 300

const idOf = (raw: string | undefined): Id | null => (raw === undefined || raw === '' ? null : /^\d+$/.test(raw) ? Number(raw) : raw)

/** checkout.session.completed, paid: the ticket, then the sale entry. Both unique, so repeats do nothing. */
async function ticketSold(payload: Payload, event: Stripe.Event, session: Stripe.Checkout.Session): Promise<string> {
  if (session.payment_status !== 'paid') return 'not paid'
  const resolved = pluginOptionsOf(payload)
  const liveStreamId = idOf(session.metadata?.liveStreamId)
  const userId = idOf(session.metadata?.userId)
  if (liveStreamId === null || userId === null) return 'not a ticket of this site'
  const stream = await loadStream(payload, liveStreamId)
  if (!stream) return 'unknown live stream'
  const gross = session.amount_total ?? 0
  const currency = (session.currency ?? resolved.appointments.defaultCurrency).toLowerCase()
  const paymentIntentId = typeof session.payment_intent === 'string' ? session.payment_intent : (session.payment_intent?.id ?? null)

  const ticket = await issueTicket(payload, stream.id, stream.appointment, userId, gross, currency, session.id, paymentIntentId)
  const appointment = await loadAppointment(payload, resolved, stream)
  const f = resolved.appointments.fields
  const tenant = f.tenant && appointment ? (relationId(appointment[f.tenant]) ?? null) : null
  const host = appointment ? (relationId(appointment[f.host]) ?? null) : null
  const fromCheckout = Number(session.metadata?.rateBps)
  const rateBps = Number.isInteger(fromCheckout) && fromCheckout >= 0 && fromCheckout <= 10000 ? fromCheckout : await rateFor(payload, host, tenant)
  await recordSale(
    payload,
    gross,
    rateBps,
    { appointment: stream.appointment, liveStream: stream.id, tenant, host, currency },
    { eventId: event.id, paymentIntentId, checkoutSessionId: session.id },
    Boolean(resolved.appointments.tenantsSlug),
  )
  const capacity = appointment ? pricingOf(resolved, appointment).capacity : undefined
  if (typeof capacity === 'number' && capacity > 0 && !(await withinCapacity(payload, stream.id, ticket, capacity))) {
    // Paid after the last place went: the payment goes back (the refund webhook books the reversal).
    await payload.db.updateOne({ collection: TICKETS, id: ticket.id, data: { status: 'refunded' } })
    if (paymentIntentId) {
      await stripeFor(payload).refunds.create(
        { payment_intent: paymentIntentId, reason: 'requested_by_customer', metadata: { reason: 'sold_out' }, ...(session.metadata?.destination ? { reverse_transfer: true, refund_application_fee: true } : {}) },
        { idempotencyKey: `sold-out-refund:${session.id}` },
      )
    }
    return 'sold out: refunded'
  }
  return 'ticket issued'
}

/**
 * The ticket of a Checkout Session, created once. Every ticket takes the next seat number, unique
 * per stream, so concurrent sales get a definite order for the capacity check.
 */
async function issueTicket(payload: Payload, liveStreamId: Id, appointment: Id | null, userId: Id, amount: number, currency: string, sessionId: string, paymentIntentId: string | null): Promise<{ id: Id; seat: number }> {
  const bySession = { stripeCheckoutSessionId: { equals: sessionId } }
  for (let attempt = 0; attempt < 20; attempt++) {
    const existing = await payload.db.findOne<{ id: Id; seat: number }>({ collection: TICKETS, where: bySession })
    if (existing) return existing
    const seat = (await payload.db.count({ collection: TICKETS, where: { liveStream: { equals: liveStreamId } } })).totalDocs + 1 + attempt
    try {
      const created = await payload.db.create({
        collection: TICKETS,
        data: { liveStream: liveStreamId, appointment, user: userId, status: 'active', amount, currency, seat, stripeCheckoutSessionId: sessionId, stripePaymentIntentId: paymentIntentId, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() },
      })
      return { id: created.id as Id, seat }
    } catch {
      // The session's ticket or that seat was just taken by another delivery: look again.
    }
  }
  throw new Error(`could not issue a ticket for ${sessionId}`)
}

/** Whether this ticket is among the first `capacity` active ones by seat. */
async function withinCapacity(payload: Payload, liveStreamId: Id, ticket: { id: Id; seat: number }, capacity: number): Promise<boolean> {
  const ahead = await payload.db.count({
    collection: TICKETS,
    where: { and: [{ liveStream: { equals: liveStreamId } }, { status: { equals: 'active' } }, { seat: { less_than: ticket.seat } }] },
  })
  return ahead.totalDocs < capacity
}

/** charge.refunded: a reversing entry in proportion; a full refund revokes the ticket. */
async function ticketRefunded(payload: Payload, event: Stripe.Event, charge: Stripe.Charge): Promise<string> {
  const paymentIntentId = typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id
  if (!paymentIntentId) return 'no payment intent'
  const resolved = pluginOptionsOf(payload)
  const result = await recordRefund(payload, charge.amount_refunded, { eventId: event.id, paymentIntentId, chargeId: charge.id }, Boolean(resolved.appointments.tenantsSlug))
  if (!result) return 'nothing new to refund'
  if (result.fullyRefunded || charge.refunded) {
    await payload.db.updateMany({ collection: TICKETS, where: { stripePaymentIntentId: { equals: paymentIntentId } }, data: { status: 'refunded' } })
  }
  return result.fullyRefunded ? 'fully refunded' : 'partly refunded'
}

/**
 * POST /api/stripe/webhook (path configurable)
 * Stripe's signed event. 400 for a bad or stale signature (nothing written); 200 once handled; a
 * repeated event id is acknowledged and changes nothing. Failed payments write nothing.
 */
export const stripeWebhookEndpoint = (path: string): Endpoint => ({
  path,
  method: 'post',
  handler: endpoint(async (req) => {
    const raw = req.text ? await req.text() : ''
    const { payload } = req
    const resolved = pluginOptionsOf(payload)
    if (!resolved.stripe.secretKey || !resolved.stripe.webhookSecret) {
      return errorResponse(503, 'stripe_not_configured', 'Stripe webhooks need STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET.')
    }
    let event: Stripe.Event
    try {
      event = stripeFor(payload).webhooks.constructEvent(raw, req.headers.get('stripe-signature') ?? '', resolved.stripe.webhookSecret, TOLERANCE_SECONDS)
    } catch {
      return errorResponse(400, 'invalid_signature', 'The Stripe signature did not verify or is too old.')
    }
    const row = await insertUnique(payload, STRIPE_EVENTS, { eventId: { equals: event.id } }, { eventId: event.id, type: event.type })
    if (!row) return Response.json({ received: true, duplicate: true })
    const rowId = row.id
    let outcome = 'ignored'
    try {
      if (event.type === 'checkout.session.completed' || event.type === 'checkout.session.async_payment_succeeded') {
        outcome = await ticketSold(payload, event, event.data.object as Stripe.Checkout.Session)
      } else if (event.type === 'charge.refunded') {
        outcome = await ticketRefunded(payload, event, event.data.object as Stripe.Charge)
      }
    } catch (error) {
      // Let Stripe retry (it does for days): forget the event so the retry is not a duplicate.
      await payload.db.deleteOne({ collection: STRIPE_EVENTS, where: { id: { equals: rowId } } })
      throw error
    }
    await payload.db.updateOne({ collection: STRIPE_EVENTS, id: rowId, data: { appliedAt: new Date().toISOString(), outcome } })
    return Response.json({ received: true, outcome })
  }),
})
