import type { Payload, PayloadRequest } from 'payload'

import type { DocId } from '../core/ids.js'

import { REVENUE_TRACKING, STRIPE_EVENTS } from '../core/slugs.js'
import { refundSplit, split, type Split } from '../core/split.js'

/**
 * Marks the plugin's own ledger writes (in the create call's `context`). Entries created through
 * the API by a user are manual adjustments only; these are the ones that may be sales and refunds.
 */
export const PLUGIN_LEDGER_WRITE = 'livekitPluginLedgerWrite'

/** What a ledger entry is about. */
export interface EntryContext {
  appointment: DocId | null
  liveStream: DocId
  tenant: DocId | null
  host: DocId | null
  currency: string
}

interface StripeRefs {
  eventId: string
  paymentIntentId?: null | string
  chargeId?: null | string
  checkoutSessionId?: null | string
}

interface StoredEntry {
  id: DocId
  kind: string
  grossAmount: number
  commissionAmount: number
  hostShareAmount: number
  rateBps: number
  appointment: DocId | null
  liveStream: DocId
  tenant?: DocId | null
  host: DocId | null
  currency: string
  bookingKey?: null | string
}

// The ledger keeps the ids of what an entry is about as plain values: deleting a host, stream or
// tenant must never rewrite or block a booked entry.
const text = (v: DocId | null | undefined) => (v === null || v === undefined ? null : String(v))

async function append(
  payload: Payload,
  kind: 'refund' | 'sale',
  entry: Split,
  context: EntryContext,
  refs: Partial<StripeRefs>,
  tenantsEnabled: boolean,
  extra: {
    source?: 'stripe' | 'system_generated'
    systemRef?: string
    bookingKey?: string
    note?: string
    req?: Partial<PayloadRequest>
  } = {},
) {
  // Through the Local API so the collection's own checks (balance, integers) run on every entry.
  return payload.create({
    collection: REVENUE_TRACKING,
    overrideAccess: true,
    req: extra.req as PayloadRequest | undefined,
    context: { [PLUGIN_LEDGER_WRITE]: true },
    data: {
      kind,
      source: extra.source ?? 'stripe',
      // Left out rather than null when absent: MongoDB's unique indexes skip a missing key but
      // count null as a value, so a second entry without one would be refused.
      ...(extra.systemRef ? { systemRef: extra.systemRef } : {}),
      ...(extra.bookingKey ? { bookingKey: extra.bookingKey } : {}),
      note: extra.note ?? null,
      appointment: text(context.appointment),
      liveStream: text(context.liveStream),
      ...(tenantsEnabled ? { tenant: text(context.tenant) } : {}),
      host: text(context.host),
      grossAmount: entry.gross,
      commissionAmount: entry.commission,
      hostShareAmount: entry.hostShare,
      currency: context.currency,
      rateBps: entry.rateBps,
      stripeEventId: refs.eventId ?? null,
      stripePaymentIntentId: refs.paymentIntentId ?? null,
      stripeChargeId: refs.chargeId ?? null,
      stripeCheckoutSessionId: refs.checkoutSessionId ?? null,
      occurredAt: new Date().toISOString(),
    } as never,
  })
}

const byKey = (payload: Payload, bookingKey: string) =>
  payload.db.findOne<StoredEntry>({
    collection: REVENUE_TRACKING,
    where: { bookingKey: { equals: bookingKey } },
  })

/**
 * Books a paid ticket once: one `sale` entry split at the rate, keyed by its Checkout Session, so
 * a retried or repeated delivery finds the entry instead of failing on it.
 */
export async function recordSale(
  payload: Payload,
  gross: number,
  rateBps: number,
  context: EntryContext,
  refs: { checkoutSessionId: string } & StripeRefs,
  tenantsEnabled: boolean,
) {
  const bookingKey = `sale:${refs.checkoutSessionId}`
  const existing = await byKey(payload, bookingKey)
  if (existing) {
    return existing
  }
  try {
    return await append(payload, 'sale', split(gross, rateBps), context, refs, tenantsEnabled, {
      bookingKey,
    })
  } catch (error) {
    const booked = await byKey(payload, bookingKey)
    if (booked) {
      return booked
    }
    throw error
  }
}

/** How far the refunds of a payment intent are booked. */
export interface RefundState {
  /** Whether the sale of the payment intent is booked here. */
  sale: boolean
  /** Refunded gross booked so far (positive). */
  reversed: number
  fullyRefunded: boolean
}

/** The largest cumulative refund Stripe reported for a payment intent (refund events are kept). */
async function reportedRefund(
  payload: Payload,
  paymentIntentId: string,
): Promise<{ amount: number; eventId: string; chargeId: null | string } | null> {
  const reports = await payload.db.find<{
    eventId: string
    amountRefunded?: null | number
    chargeId?: null | string
  }>({
    collection: STRIPE_EVENTS,
    where: {
      and: [
        { paymentIntentId: { equals: paymentIntentId } },
        { type: { equals: 'charge.refunded' } },
      ],
    },
    limit: 0,
    pagination: false,
  })
  let best: { amount: number; eventId: string; chargeId: null | string } | null = null
  for (const r of reports.docs) {
    const amount = Number(r.amountRefunded)
    if (Number.isSafeInteger(amount) && amount > 0 && (!best || amount > best.amount)) {
      best = { amount, eventId: r.eventId, chargeId: r.chargeId ?? null }
    }
  }
  return best
}

// Each try loses only to another booking of the same payment intent, which got further.
const MAX_REFUND_TRIES = 12

/**
 * Brings the refunds of a payment intent up to what Stripe reported: Stripe sends the total
 * refunded so far, so this books the part not yet reversed, in proportion to the sale, never more
 * than the sale. Refund entries are numbered per payment intent (`refund:<pi>:<n>`, n = refund
 * entries before it, unique): two deliveries booking at once collide on the same number, and the
 * one that loses reads again and books what is still missing, if anything. The same on every
 * instance and database, and the same whatever order refunds and the sale arrive in: a refund
 * reported before its sale is booked when the sale is (the sale's delivery calls this too).
 */
export async function applyRefunds(
  payload: Payload,
  paymentIntentId: string,
  tenantsEnabled: boolean,
): Promise<RefundState> {
  for (let attempt = 0; attempt < MAX_REFUND_TRIES; attempt++) {
    const entries = await payload.db.find<StoredEntry>({
      collection: REVENUE_TRACKING,
      where: { stripePaymentIntentId: { equals: paymentIntentId } },
      limit: 0,
      pagination: false,
    })
    const sale = entries.docs.find((e) => e.kind === 'sale')
    if (!sale) {
      return { sale: false, reversed: 0, fullyRefunded: false }
    }
    const refunds = entries.docs.filter((e) => e.kind === 'refund')
    const done = {
      gross: -refunds.reduce((a, e) => a + e.grossAmount, 0),
      commission: -refunds.reduce((a, e) => a + e.commissionAmount, 0),
    }
    const reported = await reportedRefund(payload, paymentIntentId)
    const amount = Math.min(reported?.amount ?? 0, sale.grossAmount) - done.gross
    if (amount <= 0 || !reported) {
      return { sale: true, reversed: done.gross, fullyRefunded: done.gross >= sale.grossAmount }
    }
    const entry = refundSplit(
      {
        gross: sale.grossAmount,
        commission: sale.commissionAmount,
        hostShare: sale.hostShareAmount,
        rateBps: sale.rateBps,
      },
      amount,
      done,
    )
    const context: EntryContext = {
      appointment: sale.appointment,
      liveStream: sale.liveStream,
      tenant: sale.tenant ?? null,
      host: sale.host,
      currency: sale.currency,
    }
    try {
      await append(
        payload,
        'refund',
        entry,
        context,
        { eventId: reported.eventId, paymentIntentId, chargeId: reported.chargeId },
        tenantsEnabled,
        {
          bookingKey: `refund:${paymentIntentId}:${refunds.length}`,
        },
      )
    } catch (error) {
      // Another delivery booked refund number n first: read again and book what is left.
      if (await byKey(payload, `refund:${paymentIntentId}:${refunds.length}`)) {
        continue
      }
      throw error
    }
    const reversed = done.gross + amount
    return { sale: true, reversed, fullyRefunded: reversed >= sale.grossAmount }
  }
  throw new Error(
    `refunds of ${paymentIntentId} kept changing while being booked; Stripe's retry will finish them`,
  )
}

/**
 * The participation model's entry for a finished stream: an estimate from the audience, not a
 * payment, booked once per stream (`systemRef`) as a `system_generated` sale split at the usual rate.
 */
export async function recordParticipation(
  payload: Payload,
  gross: number,
  rateBps: number,
  context: EntryContext,
  liveStreamId: DocId,
  tenantsEnabled: boolean,
  req?: Partial<PayloadRequest>,
) {
  if (gross <= 0) {
    return null
  }
  const systemRef = `participation:${liveStreamId}`
  const existing = await payload.db.findOne({
    collection: REVENUE_TRACKING,
    where: { systemRef: { equals: systemRef } },
    req,
  })
  if (existing) {
    return null
  }
  try {
    // Inside the closing transaction when there is one: the stream row is locked by it.
    return await append(payload, 'sale', split(gross, rateBps), context, {}, tenantsEnabled, {
      source: 'system_generated',
      systemRef,
      note: 'Participation estimate from the audience of the stream, not a payment.',
      req,
    })
  } catch (error) {
    if (
      await payload.db.findOne({
        collection: REVENUE_TRACKING,
        where: { systemRef: { equals: systemRef } },
        req,
      })
    ) {
      return null
    }
    throw error
  }
}
