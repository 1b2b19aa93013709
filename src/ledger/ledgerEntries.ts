import type { Payload, PayloadRequest } from 'payload'

import type { DocId } from '../core/ids.js'

import { REVENUE_TRACKING, STRIPE_EVENTS } from '../core/slugs.js'
import {
  beforeFee,
  type FeeBearer,
  refundSplit,
  split,
  type Split,
  withFee,
} from '../core/split.js'
import { bookingProblem, isSaleKind } from './entryRules.js'
import { appendOnPostgres, bookedOnPostgres, refundReportedOnPostgres } from './postgresLedger.js'
import { addToRow, totalsDeltaOf, totalsRowOf } from './totals.js'

/** What a ledger entry is about. */
export interface EntryContext {
  appointment: DocId | null
  liveStream: DocId
  tenant: DocId | null
  host: DocId | null
  currency: string
  /** The product sold during the stream, for a product sale and its refunds. */
  product?: DocId | null
  /** The pin that was showing when the product was bought. */
  pin?: DocId | null
}

/** How the host's share of a sale travels (see the ledger's `settlement` field). */
export type Settlement = 'destination' | 'platform' | 'separate'

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
  feeAmount?: null | number
  feeBearer?: FeeBearer | null
  paidOutAmount?: null | number
  settlement?: null | Settlement
  stripeTransferId?: null | string
  product?: null | string
  pin?: null | string
}

// The ledger keeps the ids of what an entry is about as plain values: deleting a host, stream or
// tenant must never rewrite or block a booked entry.
const text = (v: DocId | null | undefined) => (v === null || v === undefined ? null : String(v))

/** What an entry books besides its split. */
interface EntryExtras {
  source?: 'stripe' | 'system_generated'
  systemRef?: string
  bookingKey?: string
  note?: string
  req?: Partial<PayloadRequest>
  fee?: { amount: number; bearer: FeeBearer }
  /** Host share this entry moved to the host's connected account (negative: moved back). */
  paidOut?: number
  settlement?: Settlement
  transferId?: string
}

/**
 * Appends one entry: the ledger's rules checked here (the same as for entries made through the
 * API), then the row and its running totals written straight to the database, together in one
 * transaction where the database has them. Payload's Local API would run the same checks through
 * its field and hook machinery at several times the cost, which a flash sale of a full class
 * cannot wait for. Throws on a unique key already booked (the caller looks it up).
 */
async function append(
  payload: Payload,
  kind: 'payout' | 'product_sale' | 'refund' | 'sale',
  entry: Split,
  context: EntryContext,
  refs: Partial<StripeRefs>,
  tenantsEnabled: boolean,
  extra: EntryExtras = {},
) {
  const data: Record<string, unknown> = {
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
    // Absent rather than null for tickets, so entries of sites without live shopping stay as they were.
    ...(context.product != null ? { product: text(context.product) } : {}),
    ...(context.pin != null ? { pin: text(context.pin) } : {}),
    grossAmount: entry.gross,
    commissionAmount: entry.commission,
    hostShareAmount: entry.hostShare,
    feeAmount: extra.fee?.amount ?? 0,
    feeBearer: extra.fee?.bearer ?? null,
    paidOutAmount: extra.paidOut ?? 0,
    settlement: extra.settlement ?? null,
    currency: context.currency,
    rateBps: entry.rateBps,
    stripeEventId: refs.eventId ?? null,
    stripePaymentIntentId: refs.paymentIntentId ?? null,
    stripeChargeId: refs.chargeId ?? null,
    stripeCheckoutSessionId: refs.checkoutSessionId ?? null,
    stripeTransferId: extra.transferId ?? null,
    occurredAt: new Date().toISOString(),
  }
  const problem = bookingProblem(data)
  if (problem) {
    throw new Error(`payload-plugin-livekit: a ledger booking was refused: ${problem}`)
  }
  if (!extra.req?.transactionID) {
    // PostgreSQL: the entry and its totals in one statement.
    const appended = await appendOnPostgres(payload, data, totalsDeltaOf(data))
    if (appended) {
      return { ...data, id: appended.id }
    }
  }
  const row = await totalsRowOf(payload, data)
  // Inside the caller's transaction when there is one (closing a stream), else in one of its own.
  const own = extra.req?.transactionID ? null : ((await payload.db.beginTransaction?.()) ?? null)
  const req = own ? { transactionID: own } : extra.req
  try {
    const at = new Date().toISOString()
    const doc = await payload.db.create({
      collection: REVENUE_TRACKING,
      data: { ...data, createdAt: at, updatedAt: at },
      req,
    })
    await addToRow(payload, row, data, req)
    if (own) {
      await payload.db.commitTransaction(own)
    }
    return doc
  } catch (error) {
    if (own) {
      await payload.db.rollbackTransaction(own)
    }
    throw error
  }
}

const byKey = (payload: Payload, bookingKey: string) =>
  payload.db.findOne<StoredEntry>({
    collection: REVENUE_TRACKING,
    where: { bookingKey: { equals: bookingKey } },
  })

/** How a sale is settled, and the fee Stripe kept, asked only when the sale is not booked yet. */
export interface SaleTerms {
  settlement: Settlement
  feeBearer: FeeBearer
  /** Stripe's fee of the charge, in the sale's currency (minor units). */
  fee: () => Promise<number>
  /**
   * Known not to be booked yet (the sale's ticket was created by this very delivery): the check
   * for an earlier booking is skipped. Should one exist after all, the append's unique key
   * refuses the second entry and the first is kept.
   */
  unbooked?: boolean
  /** `product_sale` for a product bought during a stream; a ticket by default. */
  kind?: 'product_sale' | 'sale'
}

/**
 * Books a paid ticket once: one `sale` entry split at the rate, with Stripe's fee taken from the
 * side that bears it, keyed by its Checkout Session, so a retried or repeated delivery finds the
 * entry instead of failing on it. A destination charge paid the host with the charge: the entry
 * says so (`paidOutAmount`, the share before any fee the host bears, which is what Stripe moved).
 */
export async function recordSale(
  payload: Payload,
  gross: number,
  rateBps: number,
  context: EntryContext,
  refs: { checkoutSessionId: string } & StripeRefs,
  tenantsEnabled: boolean,
  terms: SaleTerms,
) {
  const bookingKey = `sale:${refs.checkoutSessionId}`
  // Booked already (a retried or repeated delivery): Stripe is not asked for the fee again.
  if (
    !terms.unbooked &&
    ((await bookedOnPostgres(payload, bookingKey)) ?? (await byKey(payload, bookingKey)))
  ) {
    return
  }
  const price = split(gross, rateBps)
  const fee = await terms.fee()
  try {
    await append(
      payload,
      terms.kind ?? 'sale',
      withFee(price, fee, terms.feeBearer),
      context,
      refs,
      tenantsEnabled,
      {
        bookingKey,
        fee: { amount: fee, bearer: terms.feeBearer },
        settlement: terms.settlement,
        paidOut: terms.settlement === 'destination' ? price.hostShare : 0,
      },
    )
  } catch (error) {
    // Another delivery of the same session booked it a moment ago.
    if (!(await byKey(payload, bookingKey))) {
      throw error
    }
  }
}

/** The split a stored sale had before its fee: what its refunds reverse. */
const priceOf = (sale: StoredEntry): Split =>
  beforeFee({
    gross: sale.grossAmount,
    commission: sale.commissionAmount,
    hostShare: sale.hostShareAmount,
    rateBps: sale.rateBps,
    fee: sale.feeAmount ?? 0,
    feeBearer: sale.feeBearer ?? 'platform',
  })

/**
 * Books a payout move once: a transfer of the host's share to its connected account (positive) or
 * a reversal of one (negative). It moves money the ledger already split, so gross, commission,
 * host share and fee are 0 and `paidOutAmount` says what moved; `bookingKey` is the move's
 * idempotency key, so a retried move finds its entry.
 */
export async function recordPayoutMove(
  payload: Payload,
  move: { key: string; amount: number; transferId: string },
  context: EntryContext,
  tenantsEnabled: boolean,
): Promise<void> {
  if (await byKey(payload, move.key)) {
    return
  }
  try {
    await append(
      payload,
      'payout',
      { gross: 0, commission: 0, hostShare: 0, rateBps: 0 },
      context,
      {},
      tenantsEnabled,
      {
        bookingKey: move.key,
        paidOut: move.amount,
        settlement: 'separate',
        transferId: move.transferId,
        note:
          move.amount >= 0
            ? 'Payout of the host share after the hold.'
            : 'Payout taken back after a refund.',
      },
    )
  } catch (error) {
    if (!(await byKey(payload, move.key))) {
      throw error
    }
  }
}

/** How far the refunds of a payment intent are booked. */
export interface RefundState {
  /** Whether the sale of the payment intent is booked here. */
  sale: boolean
  /** Refunded gross booked so far (positive). */
  reversed: number
  fullyRefunded: boolean
  /** How the sale was settled; a refund of a `separate` one may change what its host is owed. */
  settlement: null | Settlement
  liveStream: DocId | null
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

/**
 * Whether Stripe reported any refund of a payment intent (its `charge.refunded` events are kept).
 * A sale asks this before {@link applyRefunds}: almost every sale has none, and the answer costs
 * one read where booking them costs two.
 */
export async function hasRefundReport(payload: Payload, paymentIntentId: string): Promise<boolean> {
  return (
    (await refundReportedOnPostgres(payload, paymentIntentId)) ??
    (await reportedRefund(payload, paymentIntentId)) !== null
  )
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
    const sale = entries.docs.find((e) => isSaleKind(e.kind))
    if (!sale) {
      return { sale: false, reversed: 0, fullyRefunded: false, settlement: null, liveStream: null }
    }
    const refunds = entries.docs.filter((e) => e.kind === 'refund')
    const done = {
      gross: -refunds.reduce((a, e) => a + e.grossAmount, 0),
      commission: -refunds.reduce((a, e) => a + e.commissionAmount, 0),
    }
    const price = priceOf(sale)
    const reported = await reportedRefund(payload, paymentIntentId)
    const amount = Math.min(reported?.amount ?? 0, sale.grossAmount) - done.gross
    if (amount <= 0 || !reported) {
      return {
        sale: true,
        reversed: done.gross,
        fullyRefunded: done.gross >= sale.grossAmount,
        settlement: sale.settlement ?? null,
        liveStream: sale.liveStream,
      }
    }
    const entry = refundSplit(price, amount, done)
    const context: EntryContext = {
      appointment: sale.appointment,
      liveStream: sale.liveStream,
      tenant: sale.tenant ?? null,
      host: sale.host,
      currency: sale.currency,
      product: sale.product ?? null,
      pin: sale.pin ?? null,
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
          settlement: sale.settlement ?? undefined,
          // A destination charge's refund takes the host's part back from the host's account
          // (reverse_transfer); a separate charge's is settled by the payout job.
          paidOut: sale.settlement === 'destination' ? entry.hostShare : 0,
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
    return {
      sale: true,
      reversed,
      fullyRefunded: reversed >= sale.grossAmount,
      settlement: sale.settlement ?? null,
      liveStream: sale.liveStream,
    }
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
