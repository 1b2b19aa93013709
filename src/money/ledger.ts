import type { Payload, PayloadRequest } from 'payload'

import { REVENUE_TRACKING } from '../collections/slugs.js'
import { refundSplit, split, type Split } from './split.js'

type Id = string | number

/** What a ledger entry is about. */
export interface EntryContext {
  appointment: Id | null
  liveStream: Id
  tenant: Id | null
  host: Id | null
  currency: string
}

interface StripeRefs {
  eventId: string
  paymentIntentId?: string | null
  chargeId?: string | null
  checkoutSessionId?: string | null
}

async function append(
  payload: Payload,
  kind: 'sale' | 'refund',
  entry: Split,
  context: EntryContext,
  refs: Partial<StripeRefs>,
  tenantsEnabled: boolean,
  extra: { source?: 'stripe' | 'system_generated'; systemRef?: string; note?: string; req?: Partial<PayloadRequest> } = {},
) {
  // Through the Local API so the collection's own checks (balance, integers) run on every entry.
  return payload.create({
    collection: REVENUE_TRACKING,
    overrideAccess: true,
    req: extra.req as PayloadRequest | undefined,
    data: {
      kind,
      source: extra.source ?? 'stripe',
      systemRef: extra.systemRef ?? null,
      note: extra.note ?? null,
      appointment: context.appointment,
      liveStream: context.liveStream,
      ...(tenantsEnabled ? { tenant: context.tenant } : {}),
      host: context.host,
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

/** Books a paid ticket: one `sale` entry split at the rate. */
export async function recordSale(payload: Payload, gross: number, rateBps: number, context: EntryContext, refs: StripeRefs, tenantsEnabled: boolean) {
  return append(payload, 'sale', split(gross, rateBps), context, refs, tenantsEnabled)
}

/**
 * Books a refund of a payment intent: Stripe reports the total refunded so far, so this entry
 * reverses the part not yet reversed, in proportion to the sale. Returns null when nothing new
 * was refunded (a repeat) or the sale is unknown.
 */
export async function recordRefund(payload: Payload, totalRefunded: number, refs: StripeRefs & { paymentIntentId: string }, tenantsEnabled: boolean) {
  const entries = await payload.db.find<{ id: Id; kind: string; grossAmount: number; commissionAmount: number; hostShareAmount: number; rateBps: number; appointment: Id | null; liveStream: Id; tenant?: Id | null; host: Id | null; currency: string }>({
    collection: REVENUE_TRACKING,
    where: { stripePaymentIntentId: { equals: refs.paymentIntentId } },
    limit: 0,
    pagination: false,
  })
  const sale = entries.docs.find((e) => e.kind === 'sale')
  if (!sale) return null
  const refunded = entries.docs.filter((e) => e.kind === 'refund')
  const done = { gross: -refunded.reduce((a, e) => a + e.grossAmount, 0), commission: -refunded.reduce((a, e) => a + e.commissionAmount, 0) }
  const amount = Math.min(totalRefunded, sale.grossAmount) - done.gross
  if (amount <= 0) return null
  const id = (v: unknown) => (typeof v === 'object' && v !== null ? (v as { id: Id }).id : (v as Id | null))
  const entry = refundSplit({ gross: sale.grossAmount, commission: sale.commissionAmount, hostShare: sale.hostShareAmount, rateBps: sale.rateBps }, amount, done)
  const context: EntryContext = { appointment: id(sale.appointment), liveStream: id(sale.liveStream)!, tenant: id(sale.tenant) ?? null, host: id(sale.host), currency: sale.currency }
  return { entry: await append(payload, 'refund', entry, context, refs, tenantsEnabled), fullyRefunded: done.gross + amount >= sale.grossAmount }
}

/**
 * The participation model's entry for a finished stream (seed 002), booked once per stream
 * (`systemRef`), as a `system_generated` sale split at the usual rate.
 */
export async function recordParticipation(payload: Payload, gross: number, rateBps: number, context: EntryContext, liveStreamId: Id, tenantsEnabled: boolean, req?: Partial<PayloadRequest>) {
  if (gross <= 0) return null
  const systemRef = `participation:${liveStreamId}`
  const existing = await payload.db.findOne({ collection: REVENUE_TRACKING, where: { systemRef: { equals: systemRef } }, req })
  if (existing) return null
  try {
    // Inside the closing transaction when there is one: the stream row is locked by it.
    return await append(payload, 'sale', split(gross, rateBps), context, {}, tenantsEnabled, {
      source: 'system_generated',
      systemRef,
      note: 'Participation estimate (seed 002 model), not a payment.',
      req,
    })
  } catch (error) {
    if (await payload.db.findOne({ collection: REVENUE_TRACKING, where: { systemRef: { equals: systemRef } }, req })) return null
    throw error
  }
}
