import type { Payload, Where } from 'payload'
import type Stripe from 'stripe'

import type { DocId } from '../../core/ids.js'

import { DomainError } from '../../core/domainError.js'
import { relationId } from '../../core/relationId.js'
import { LIVE_STREAMS, TICKETS } from '../../core/slugs.js'
import { storedIdOf } from '../../db/idFormat.js'
import { queueAttendeeEmails } from '../../emails/attendeeEmails.js'
import {
  applyRefunds,
  hasRefundReport,
  recordSale,
  type Settlement,
} from '../../ledger/ledgerEntries.js'
import { rateFor } from '../../ledger/rates.js'
import { holdPayout, payoutAfterRefund } from '../../payouts/hostPayouts.js'
import { requestTicketRefund, sendDueRefunds } from '../../refunds/ticketRefunds.js'
import { pluginOptionsOf, stripeFor } from '../../runtime.js'
import {
  closeRefundedOrders,
  type ProductSaleOutcome,
  productSold,
} from '../../shopping/productSale.js'
import { feeOfPayment } from '../chargeFee.js'
import { openSeal } from '../checkoutSeal.js'
import { saleRows } from '../saleRows.js'
import { refundSoldOut } from '../soldOutRefund.js'

/** What applying a Stripe event did; kept on the event's row and answered to Stripe. */
export type StripeEventOutcome =
  | 'already refunded'
  | 'amount or currency differ from the checkout'
  | 'fully refunded'
  | 'ignored'
  | 'kept until its sale is booked'
  | 'no payment intent'
  | 'not a checkout of this site'
  | 'nothing refunded'
  | 'not paid'
  | 'partly refunded'
  | 'refund requested: the appointment is off'
  | 'sold out: refunded'
  | 'ticket issued'
  | 'unknown live stream'
  | ProductSaleOutcome

/** The result of {@link applyStripeEvent}: a repeat of an event already applied, or what this one did. */
export type StripeEventResult =
  { duplicate: false; outcome: StripeEventOutcome } | { duplicate: true }

/** Stripe's object ids (`evt_…`, `cs_…`, `pi_…`, `ch_…`): anything else is no id of Stripe's. */
const stripeId = (value: unknown): null | string =>
  typeof value === 'string' && /^[\w-]{1,255}$/.test(value) ? value : null

/** Whether a verified body has the shape of a Stripe event; a signed body may still be anything. */
export const isStripeEvent = (value: unknown): value is Stripe.Event => {
  const event = value as { id?: unknown; type?: unknown; data?: { object?: unknown } } | null
  return (
    typeof event === 'object' &&
    event !== null &&
    stripeId(event.id) !== null &&
    typeof event.type === 'string' &&
    /^[a-z0-9_.]{1,100}$/.test(event.type) &&
    typeof event.data?.object === 'object' &&
    event.data.object !== null
  )
}

// The sealed ids were written by this site from real ids: read back in the type the
// collection's id column has (a number for integer ids, the text itself for text or UUID ids).
const idOf = (payload: Payload, slug: string, raw: string | undefined): DocId | null =>
  raw === undefined || raw === '' ? null : storedIdOf(payload, slug, raw)

/**
 * checkout.session.completed, paid: the ticket, the sale entry, refunds reported before the sale,
 * and the refund of a sale paid after the last place went. Each step is idempotent on its own, so
 * a retry after any failure completes what is missing, on any instance.
 */
async function ticketSold(
  payload: Payload,
  event: Stripe.Event,
  session: Stripe.Checkout.Session,
): Promise<StripeEventOutcome> {
  if (session.payment_status !== 'paid') {
    return 'not paid'
  }
  const resolved = pluginOptionsOf(payload)
  // Only sessions this site created, for the price it asked: another site or environment on the
  // same Stripe account, or edited metadata, books nothing here.
  const sealed = openSeal(session.metadata, resolved.stripe.siteId, payload.secret)
  if (!sealed) {
    return 'not a checkout of this site'
  }
  const gross = session.amount_total
  const currency = typeof session.currency === 'string' ? session.currency.toLowerCase() : null
  if (gross !== Number(sealed.amount) || currency !== sealed.currency) {
    return 'amount or currency differ from the checkout'
  }
  if (sealed.kind === 'product') {
    const intent = stripeId(
      typeof session.payment_intent === 'string'
        ? session.payment_intent
        : session.payment_intent?.id,
    )
    return stripeId(session.id)
      ? productSold(payload, event, session, sealed, intent)
      : 'not a checkout of this site'
  }
  const liveStreamId = idOf(payload, LIVE_STREAMS, sealed.liveStreamId)
  const userId = idOf(payload, resolved.usersSlug, sealed.userId)
  if (liveStreamId === null || userId === null) {
    return 'not a checkout of this site'
  }
  const rows = saleRows(payload)
  const facts = await rows.saleFacts(liveStreamId)
  if (!facts) {
    return 'unknown live stream'
  }
  const { stream, host, tenant } = facts
  const paymentIntentId = stripeId(
    typeof session.payment_intent === 'string'
      ? session.payment_intent
      : session.payment_intent?.id,
  )
  if (!stripeId(session.id)) {
    return 'not a checkout of this site'
  }
  const tenantsEnabled = Boolean(resolved.appointments.tenantsSlug)

  // A buyer deleted since the checkout still paid: the ticket is kept without a user (the money is
  // booked and can be refunded), rather than failing on the missing row at every retry.
  const ticket = await rows.issueTicket({
    liveStream: stream.id,
    appointment: stream.appointment,
    user: userId,
    amount: gross,
    currency,
    stripeCheckoutSessionId: session.id,
    stripePaymentIntentId: paymentIntentId,
    transferDestination: sealed.destination ?? '',
  })
  const fromCheckout = Number(sealed.rateBps)
  const rateBps =
    Number.isInteger(fromCheckout) && fromCheckout >= 0 && fromCheckout <= 10000
      ? fromCheckout
      : await rateFor(payload, host, tenant)
  const settlement: Settlement =
    sealed.settlement === 'separate' ? 'separate' : sealed.destination ? 'destination' : 'platform'
  await recordSale(
    payload,
    gross,
    rateBps,
    { appointment: stream.appointment, liveStream: stream.id, tenant, host, currency },
    { eventId: event.id, paymentIntentId, checkoutSessionId: session.id },
    tenantsEnabled,
    {
      settlement,
      feeBearer: sealed.feeBearer === 'host' ? 'host' : 'platform',
      // Every booking of a sale follows the creation of its ticket: a ticket this delivery
      // created has no sale booked before it.
      unbooked: ticket.issuedNow,
      // No payment intent, no charge: nothing was processed, so nothing was kept.
      fee: () =>
        paymentIntentId
          ? feeOfPayment(stripeFor(payload), paymentIntentId, currency)
          : Promise.resolve(0),
    },
  )
  if (settlement === 'separate') {
    await holdPayout(payload, stream.id)
  }
  // A refund Stripe reported before this sale was booked is booked now. One reported while this
  // sale is being booked finds the sale itself: its report is stored before it reads the ledger.
  if (paymentIntentId && (await hasRefundReport(payload, paymentIntentId))) {
    const refunds = await applyRefunds(payload, paymentIntentId, tenantsEnabled)
    if (refunds.fullyRefunded) {
      await revokeTickets(payload, paymentIntentId)
      return 'fully refunded'
    }
  }
  if (ticket.status === 'refunded') {
    return 'already refunded'
  }
  if (stream.refundsDue) {
    // Paid for a stream whose tickets are being refunded (cancelled while the buyer was paying):
    // this one goes back too; a refund Stripe cannot take now is retried by the refund job.
    if (ticket.status === 'active') {
      await requestTicketRefund(payload, ticket.id, stream.refundsDue)
    }
    await sendDueRefunds(payload, { ticketId: ticket.id })
    return 'refund requested: the appointment is off'
  }
  const { capacity } = facts
  const limited = typeof capacity === 'number' && capacity > 0
  // Seats are distinct whole numbers from 1, so a seat within the capacity has fewer tickets
  // before it than there are places: only a seat past the capacity needs the count (a refund
  // before it may have freed a place).
  const status =
    ticket.status === 'active' && (!limited || ticket.seat <= capacity)
      ? 'active'
      : await rows.placeOrSoldOut(
          ticket,
          stream.id,
          limited ? capacity : 0,
          new Date().toISOString(),
        )
  if (status === 'active') {
    await queueAttendeeEmails(payload, {
      kind: 'purchase',
      liveStreamId: String(stream.id),
      ticketId: String(ticket.id),
    })
    return 'ticket issued'
  }
  // Paid after the last place went: the decision is kept on the ticket first (`refunding`, not
  // active), so a retry finishes this refund instead of deciding again.
  if (status !== 'refunding') {
    return 'already refunded'
  }
  if (paymentIntentId) {
    await refundSoldOut(payload, paymentIntentId, session, sealed.destination)
  }
  // Only once the refund exists (the refund webhook books its reversal).
  await rows.markSoldOutRefunded(ticket.id)
  return 'sold out: refunded'
}

/**
 * A fully refunded payment's tickets no longer admit anyone. A refund the plugin did not ask for
 * (made in Stripe's dashboard) is recorded as such.
 */
async function revokeTickets(payload: Payload, paymentIntentId: string) {
  const open: Where[] = [
    { stripePaymentIntentId: { equals: paymentIntentId } },
    { status: { in: ['active', 'refunding', 'refund_pending'] } },
  ]
  const updatedAt = new Date().toISOString()
  await payload.db.updateMany({
    collection: TICKETS,
    where: { and: [...open, { refundReason: { equals: null } }] },
    data: { refundReason: 'stripe', updatedAt },
  })
  await payload.db.updateMany({
    collection: TICKETS,
    where: { and: open },
    data: { status: 'refunded', refundRetryAt: null, refundClaimedUntil: null, updatedAt },
  })
  // Every retry of the event asks again; the delivery rows make it one email per ticket.
  const refunded = await payload.db.find<{ id: DocId; liveStream?: unknown }>({
    collection: TICKETS,
    where: {
      and: [
        { stripePaymentIntentId: { equals: paymentIntentId } },
        { status: { equals: 'refunded' } },
      ],
    },
    limit: 0,
    pagination: false,
  })
  for (const ticket of refunded.docs) {
    const liveStream = relationId(ticket.liveStream)
    if (liveStream !== undefined) {
      await queueAttendeeEmails(payload, {
        kind: 'refund',
        liveStreamId: String(liveStream),
        ticketId: String(ticket.id),
      })
    }
  }
}

const paymentIntentOf = (charge: Stripe.Charge) =>
  stripeId(
    typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id,
  )

/**
 * charge.refunded: the refunds of the payment intent brought up to Stripe's cumulative total; a
 * full refund revokes the ticket. Before its sale is booked, the report is kept (on the event's
 * row) and booked with the sale.
 */
async function ticketRefunded(
  payload: Payload,
  charge: Stripe.Charge,
): Promise<StripeEventOutcome> {
  const paymentIntentId = paymentIntentOf(charge)
  if (!paymentIntentId) {
    return 'no payment intent'
  }
  const resolved = pluginOptionsOf(payload)
  const state = await applyRefunds(
    payload,
    paymentIntentId,
    Boolean(resolved.appointments.tenantsSlug),
  )
  if (!state.sale) {
    return 'kept until its sale is booked'
  }
  if (state.settlement === 'separate' && state.liveStream !== null) {
    // The host may have been paid this share already: the payout job takes it back.
    await payoutAfterRefund(payload, state.liveStream)
  }
  if (state.fullyRefunded) {
    await revokeTickets(payload, paymentIntentId)
    await closeRefundedOrders(payload, paymentIntentId)
    return 'fully refunded'
  }
  return state.reversed > 0 ? 'partly refunded' : 'nothing refunded'
}

/**
 * Applies one Stripe event whose signature the caller has verified: a paid checkout becomes the
 * ticket and the sale in the ledger (refunded at once when it came after the last place), a
 * refund books its reversal and, once full, revokes the ticket. Each event id is applied once: a
 * repeat returns `{ duplicate: true }` and changes nothing. Other event types are kept as `ignored`.
 * A shape no Stripe event has is refused (`invalid` / `invalid_event`); a failure is written on the
 * event's row and thrown, and applying the same event again completes what is missing.
 */
export async function applyStripeEvent(
  payload: Payload,
  event: unknown,
): Promise<StripeEventResult> {
  if (!isStripeEvent(event)) {
    throw new DomainError(
      'invalid',
      'invalid_event',
      'The body is not a Stripe event (id, type and data.object).',
    )
  }
  const charge = event.type === 'charge.refunded' ? event.data.object : null
  // A refund's cumulative total is kept with its event: it is what the ledger books, now or
  // when the sale arrives.
  const reported = charge
    ? {
        paymentIntentId: paymentIntentOf(charge),
        chargeId: stripeId(charge.id),
        amountRefunded: Number.isSafeInteger(charge.amount_refunded)
          ? charge.amount_refunded
          : null,
      }
    : {}
  const rows = saleRows(payload)
  const row = await rows.eventRow({ eventId: event.id, type: event.type, ...reported })
  if (row.applied) {
    return { duplicate: true }
  }
  // Not applied yet: the first delivery, a retry after a failure, or one running elsewhere right
  // now. Every step below is idempotent, so each of them may run it.
  let outcome: StripeEventOutcome = 'ignored'
  try {
    if (
      event.type === 'checkout.session.completed' ||
      event.type === 'checkout.session.async_payment_succeeded'
    ) {
      outcome = await ticketSold(payload, event, event.data.object)
    } else if (charge) {
      outcome = await ticketRefunded(payload, charge)
    }
  } catch (error) {
    // Stripe retries (for days); the retry completes what is missing.
    await rows
      .eventFailed(row.id, String((error as Error).message ?? error).slice(0, 500))
      .catch(() => undefined)
    throw error
  }
  await rows.eventApplied(row.id, outcome)
  return { duplicate: false, outcome }
}
