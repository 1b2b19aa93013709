import type { Payload, PayloadRequest, Where } from 'payload'
import type Stripe from 'stripe'

import type { DocId } from '../core/ids.js'

import { LIVE_STREAMS, TICKETS } from '../core/slugs.js'
import { claimRow } from '../db/claims.js'
import { SETTLE_REFUNDS_TASK } from '../lifecycle/taskSlugs.js'
import { pluginOptionsOf, stripeFor } from '../runtime.js'
import {
  afterFailedRefund,
  isTransientStripeFailure,
  refundKey,
  type RefundReason,
  type StreamRefundReason,
} from './refundPolicy.js'

/** A ticket as the refund machinery reads it. */
export interface TicketRow {
  id: DocId
  status: string
  liveStream?: { id: DocId } | DocId | null
  user?: { id: DocId } | DocId | null
  stripePaymentIntentId?: null | string
  transferDestination?: null | string
  refundReason?: null | RefundReason
  refundRequestedAt?: null | string
  refundSentAt?: null | string
  stripeRefundId?: null | string
  refundAttempts?: null | number
  refundRetryAt?: null | string
  refundError?: null | string
  refundFailed?: boolean | null
}

/** How long one instance keeps a refund to itself while it asks Stripe for it. */
const CLAIM_MS = 2 * 60_000
/** Refunds sent per run of the job; the next run takes the rest. */
const SEND_LIMIT = 50
/** For how long after a stream's refunds were decided its tickets are still looked at (late sales). */
const LATE_SALE_DAYS = 7

/** What a new refund request writes on a ticket: pending, waiting for its first try now. */
const requested = (reason: RefundReason, now: Date) => ({
  status: 'refund_pending',
  refundReason: reason,
  refundRequestedAt: now.toISOString(),
  refundRetryAt: now.toISOString(),
  refundAttempts: 0,
  refundFailed: false,
  refundError: null,
  updatedAt: now.toISOString(),
})

/**
 * Decides the refund of every ticket of a stream that is still active (the appointment was
 * cancelled, or the host never came): they become `refund_pending` and admit no one. Idempotent:
 * a ticket already pending or refunded is left as it is. Stripe is asked by {@link sendDueRefunds}.
 */
export async function requestStreamRefunds(
  payload: Payload,
  liveStreamId: DocId,
  reason: StreamRefundReason,
  req?: Partial<PayloadRequest>,
): Promise<void> {
  await payload.db.updateMany({
    collection: TICKETS,
    where: { and: [{ liveStream: { equals: liveStreamId } }, { status: { equals: 'active' } }] },
    data: requested(reason, new Date()),
    req,
  })
}

/**
 * A stream's refunds were just decided (with the move that cancelled or closed it): its active
 * tickets are marked and the refund job is queued to send them, both with the caller's request,
 * so they land with the move. The job's cron run finishes this after a crash.
 */
export async function startStreamRefunds(
  payload: Payload,
  liveStreamId: DocId,
  reason: StreamRefundReason,
  req?: Partial<PayloadRequest>,
): Promise<void> {
  await requestStreamRefunds(payload, liveStreamId, reason, req)
  await payload.jobs.queue({
    task: SETTLE_REFUNDS_TASK as never,
    input: {} as never,
    queue: pluginOptionsOf(payload).lifecycle.queue,
    req: req as PayloadRequest | undefined,
  })
}

/**
 * Decides the refund of one active ticket; false when it is no longer active (refunded meanwhile,
 * or another request decided first).
 */
export async function requestTicketRefund(
  payload: Payload,
  ticketId: DocId,
  reason: RefundReason,
): Promise<boolean> {
  await payload.db.updateMany({
    collection: TICKETS,
    where: { and: [{ id: { equals: ticketId } }, { status: { equals: 'active' } }] },
    data: requested(reason, new Date()),
  })
  const ticket = await payload.db.findOne<TicketRow>({
    collection: TICKETS,
    where: { id: { equals: ticketId } },
  })
  return ticket?.status === 'refund_pending' && ticket.refundReason === reason
}

/**
 * The host's connected account of the ticket's charge, when the charge was a destination charge:
 * kept on the ticket since it was sold; for an older ticket Stripe's payment intent says.
 */
async function destinationOf(stripe: Stripe, ticket: TicketRow): Promise<null | string> {
  if (typeof ticket.transferDestination === 'string') {
    return ticket.transferDestination || null
  }
  const intent = await stripe.paymentIntents.retrieve(ticket.stripePaymentIntentId!)
  const destination = intent.transfer_data?.destination
  return typeof destination === 'string' ? destination : (destination?.id ?? null)
}

/** What one try of one refund ended with. */
export type RefundTry = 'failed' | 'retrying' | 'sent' | 'taken'

/**
 * Asks Stripe for one pending refund, if this instance wins the ticket's claim: the full amount,
 * with the host's transfer and the application fee taken back on a destination charge, under one
 * idempotency key per ticket and reason, so every retry (from any instance) is the same refund.
 * The ticket stays `refund_pending` until Stripe's `charge.refunded` arrives. A failure is written
 * on the ticket: another try later for a passing one, `refundFailed` for the rest. Never throws for
 * Stripe's sake: the job must go on with the other tickets.
 */
async function sendRefund(payload: Payload, ticket: TicketRow, now: Date): Promise<RefundTry> {
  const claimed = await claimRow(payload, {
    collection: TICKETS,
    id: ticket.id,
    field: 'refundClaimedUntil',
    where: [{ status: { equals: 'refund_pending' } }, { refundSentAt: { equals: null } }],
    now,
    forMs: CLAIM_MS,
  })
  if (!claimed) {
    return 'taken'
  }
  const reason = ticket.refundReason ?? 'attendee_cancelled'
  const done = (data: Record<string, unknown>) => claimed.release(data)
  if (!ticket.stripePaymentIntentId) {
    await done({ refundFailed: true, refundRetryAt: null, refundError: 'No payment to refund.' })
    return 'failed'
  }
  try {
    const stripe = stripeFor(payload)
    const destination = await destinationOf(stripe, ticket)
    const refund = await stripe.refunds.create(
      {
        payment_intent: ticket.stripePaymentIntentId,
        reason: 'requested_by_customer',
        metadata: { ticketId: String(ticket.id), reason },
        ...(destination ? { reverse_transfer: true, refund_application_fee: true } : {}),
      },
      { idempotencyKey: refundKey(ticket.id, reason) },
    )
    await done({
      refundSentAt: new Date().toISOString(),
      stripeRefundId: refund.id,
      refundRetryAt: null,
      refundError: null,
    })
    return 'sent'
  } catch (error) {
    if ((error as { code?: unknown }).code === 'charge_already_refunded') {
      // Refunded already (in the dashboard, or by a try whose answer was lost): Stripe's
      // charge.refunded finishes the ticket.
      await done({ refundSentAt: new Date().toISOString(), refundRetryAt: null, refundError: null })
      return 'sent'
    }
    const attempts = (ticket.refundAttempts ?? 0) + 1
    const next = afterFailedRefund(
      attempts,
      isTransientStripeFailure(error),
      pluginOptionsOf(payload).refunds.maxAttempts,
      new Date(),
    )
    // Stripe's own sentence says what is wrong; it never holds the secret key.
    const message = String((error as Error)?.message ?? error).slice(0, 500)
    payload.logger.warn({
      msg: `payload-plugin-livekit: the refund of ticket ${String(ticket.id)} failed (try ${attempts}${next.giveUp ? ', given up' : ''}): ${message}`,
    })
    await done(
      next.giveUp
        ? {
            refundAttempts: attempts,
            refundFailed: true,
            refundRetryAt: null,
            refundError: message,
          }
        : {
            refundAttempts: attempts,
            refundRetryAt: next.retryAt.toISOString(),
            refundError: message,
          },
    )
    return next.giveUp ? 'failed' : 'retrying'
  }
}

/** How many refunds one run sent, left for a later try, and gave up on. */
export interface RefundRun {
  sent: number
  retrying: number
  failed: number
}

/**
 * Sends the refunds that are due: pending, not sent yet, not given up, their (next) try due.
 * `ticketId` limits the run to one ticket (an attendee's own cancel sends at once).
 */
export async function sendDueRefunds(
  payload: Payload,
  options: { now?: Date; ticketId?: DocId } = {},
): Promise<RefundRun> {
  const now = options.now ?? new Date()
  const where: Where = {
    and: [
      ...(options.ticketId !== undefined ? [{ id: { equals: options.ticketId } }] : []),
      { status: { equals: 'refund_pending' } },
      { refundSentAt: { equals: null } },
      { refundFailed: { equals: false } },
      { refundRetryAt: { less_than_equal: now.toISOString() } },
    ],
  }
  const due = await payload.db.find<TicketRow>({
    collection: TICKETS,
    where,
    sort: 'refundRetryAt',
    limit: SEND_LIMIT,
    pagination: false,
  })
  const run: RefundRun = { sent: 0, retrying: 0, failed: 0 }
  for (const ticket of due.docs) {
    const outcome = await sendRefund(payload, ticket, now)
    if (outcome !== 'taken') {
      run[outcome] += 1
    }
  }
  return run
}

/**
 * The refund job: every stream whose refunds were decided in the last days gets its still-active
 * tickets marked (one sold after the decision, or one a crash left behind), then the due refunds
 * are sent. Safe on several instances at once: marking is idempotent and each refund is claimed.
 */
export async function settleRefunds(
  payload: Payload,
  options: { now?: Date } = {},
): Promise<RefundRun> {
  const now = options.now ?? new Date()
  const streams = await payload.db.find<{ id: DocId; refundsDue?: null | StreamRefundReason }>({
    collection: LIVE_STREAMS,
    where: {
      and: [
        { refundsDue: { in: ['appointment_cancelled', 'host_no_show'] } },
        {
          refundsDueAt: {
            greater_than: new Date(now.getTime() - LATE_SALE_DAYS * 86_400_000).toISOString(),
          },
        },
      ],
    },
    limit: 0,
    pagination: false,
    select: { refundsDue: true },
  })
  for (const stream of streams.docs) {
    if (stream.refundsDue) {
      await requestStreamRefunds(payload, stream.id, stream.refundsDue)
    }
  }
  return sendDueRefunds(payload, { now })
}
