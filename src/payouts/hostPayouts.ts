import type { Payload, PayloadRequest, Where } from 'payload'

import type { DocId } from '../core/ids.js'
import type { StreamRecord } from '../streams/streamStore.js'
import type { PayoutStatus } from './payoutFields.js'

import { LIVE_STREAMS, REVENUE_TRACKING } from '../core/slugs.js'
import { claimRow } from '../db/claims.js'
import { storedIdOf } from '../db/idFormat.js'
import { type EntryContext, recordPayoutMove } from '../ledger/ledgerEntries.js'
import { PAY_HOSTS_TASK } from '../lifecycle/taskSlugs.js'
import { afterFailedRefund, isTransientStripeFailure } from '../refunds/refundPolicy.js'
import { pluginOptionsOf, stripeFor } from '../runtime.js'
import { loadStream } from '../streams/streamStore.js'
import {
  isPayable,
  nextPayoutStep,
  type PayoutEntry,
  payoutKey,
  type StreamTally,
  tallyStream,
  transferGroupOf,
} from './payoutPolicy.js'

/** A transfer or reversal decided and written down before Stripe is asked for it. */
interface PayoutMove {
  key: string
  kind: 'reverse' | 'transfer'
  amount: number
  currency: string
  /** The connected account (transfer) or the transfer to take back from (reverse). */
  target: string
}

type PayoutStream = {
  payoutStatus?: null | PayoutStatus
  payoutInFlight?: null | PayoutMove
  payoutAttempts?: null | number
} & StreamRecord

/** How long one instance keeps a stream's payout to itself while it talks to Stripe. */
const CLAIM_MS = 2 * 60_000
/** Streams settled per run of the job; the next run takes the rest. */
const RUN_LIMIT = 50

const queuePayoutJob = (payload: Payload, req?: Partial<PayloadRequest>) =>
  payload.jobs.queue({
    task: PAY_HOSTS_TASK as never,
    input: {} as never,
    queue: pluginOptionsOf(payload).lifecycle.queue,
    req: req as PayloadRequest | undefined,
  })

/**
 * A separate-mode sale of the stream was booked: its host share is held for the payout. A stream
 * already paid (a late sale) is held again for the rest; one needing an admin stays so.
 */
export async function holdPayout(payload: Payload, liveStreamId: DocId): Promise<void> {
  await payload.db.updateMany({
    collection: LIVE_STREAMS,
    where: {
      and: [
        { id: { equals: liveStreamId } },
        {
          or: [{ payoutStatus: { equals: null } }, { payoutStatus: { in: ['paid', 'none'] } }],
        },
      ],
    },
    data: { payoutStatus: 'held' },
  })
}

/**
 * A separate-mode refund was booked: if the host was paid already, the payout job takes the
 * refunded share back now rather than after a hold.
 */
export async function payoutAfterRefund(payload: Payload, liveStreamId: DocId): Promise<void> {
  const marked = await payload.db.updateMany({
    collection: LIVE_STREAMS,
    where: { and: [{ id: { equals: liveStreamId } }, { payoutStatus: { equals: 'paid' } }] },
    data: { payoutStatus: 'due' },
  })
  if (marked && marked.length > 0) {
    await queuePayoutJob(payload)
  }
}

/** The stream's ledger entries that decide its payout, and what the payout entries are about. */
async function readTally(
  payload: Payload,
  stream: PayoutStream,
): Promise<{ tally: StreamTally; context: EntryContext | null }> {
  const entries = await payload.db.find<
    { appointment?: null | string; tenant?: null | string } & PayoutEntry
  >({
    collection: REVENUE_TRACKING,
    where: {
      and: [
        { liveStream: { equals: String(stream.id) } },
        { or: [{ settlement: { equals: 'separate' } }, { kind: { equals: 'payout' } }] },
      ],
    },
    sort: 'createdAt',
    limit: 0,
    pagination: false,
  })
  const tally = tallyStream(entries.docs)
  const first = entries.docs.find((e) => e.kind !== 'payout')
  const context: EntryContext | null =
    first && tally.currency
      ? {
          appointment: first.appointment ?? null,
          liveStream: stream.id,
          tenant: first.tenant ?? null,
          host: tally.host,
          currency: tally.currency,
        }
      : null
  return { tally, context }
}

/** The connected account of a host (the ledger keeps host ids as text). */
async function accountOf(payload: Payload, host: null | string): Promise<null | string> {
  if (host === null) {
    return null
  }
  const { usersSlug, stripe } = pluginOptionsOf(payload)
  const user = await payload.db.findOne<{ id: DocId } & Record<string, unknown>>({
    collection: usersSlug,
    where: { id: { equals: storedIdOf(payload, usersSlug, host) } },
  })
  const account = user?.[stripe.hostAccountField]
  return typeof account === 'string' && account ? account : null
}

/** Makes a decided move through Stripe; the same move always sends the same idempotency key. */
async function sendMove(
  payload: Payload,
  stream: PayoutStream,
  move: PayoutMove,
): Promise<{ transferId: string }> {
  const stripe = stripeFor(payload)
  const { siteId } = pluginOptionsOf(payload).stripe
  if (move.kind === 'transfer') {
    const transfer = await stripe.transfers.create(
      {
        amount: move.amount,
        currency: move.currency,
        destination: move.target,
        transfer_group: transferGroupOf(siteId, stream.appointment ?? stream.id),
        metadata: { liveStreamId: String(stream.id), payout: move.key },
      },
      { idempotencyKey: move.key },
    )
    return { transferId: transfer.id }
  }
  await stripe.transfers.createReversal(
    move.target,
    { amount: move.amount, metadata: { liveStreamId: String(stream.id), payout: move.key } },
    { idempotencyKey: move.key },
  )
  return { transferId: move.target }
}

const isBooked = async (payload: Payload, key: string) =>
  (
    await payload.db.count({
      collection: REVENUE_TRACKING,
      where: { bookingKey: { equals: key } },
    })
  ).totalDocs > 0

/**
 * A move in flight that Stripe made on an earlier try whose answer was lost. Stripe keeps
 * idempotency keys for a day; a move retried later is looked up by the key kept in its metadata.
 */
async function madeEarlier(
  payload: Payload,
  stream: PayoutStream,
  move: PayoutMove,
): Promise<{ transferId: string } | null> {
  const stripe = stripeFor(payload)
  if (move.kind === 'transfer') {
    const { siteId } = pluginOptionsOf(payload).stripe
    const transfers = await stripe.transfers.list({
      transfer_group: transferGroupOf(siteId, stream.appointment ?? stream.id),
      limit: 100,
    })
    const made = transfers.data.find((t) => t.metadata?.payout === move.key)
    return made ? { transferId: made.id } : null
  }
  const reversals = await stripe.transfers.listReversals(move.target, { limit: 100 })
  return reversals.data.some((r) => r.metadata?.payout === move.key)
    ? { transferId: move.target }
    : null
}

/** What one settling of one stream ended with. */
export type PayoutOutcome = 'failed' | 'held' | 'none' | 'paid' | 'retrying' | 'taken'

/**
 * Settles one stream's payout, if this instance wins its claim: transfers the host's balance
 * once the stream is payable, takes back what refunds after the payout made negative, and writes
 * where it stands. Each move is written on the stream before Stripe is asked and booked in the
 * ledger under its key afterwards, so a crash between the two is finished by the next run with
 * the very same move. Stripe's refusals are written on the stream (tried again later, or shown
 * to admins as `failed`); this never throws for Stripe's sake.
 */
export async function settleStreamPayout(
  payload: Payload,
  liveStreamId: DocId,
  now = new Date(),
): Promise<PayoutOutcome> {
  const claimed = await claimRow(payload, {
    collection: LIVE_STREAMS,
    id: liveStreamId,
    field: 'payoutClaimedUntil',
    where: [{ payoutStatus: { in: ['held', 'due'] } }],
    now,
    forMs: CLAIM_MS,
  })
  if (!claimed) {
    return 'taken'
  }
  const stream = (await loadStream(payload, liveStreamId)) as null | PayoutStream
  const write = (data: Record<string, unknown>) => claimed.release(data)
  if (!stream) {
    await write({})
    return 'taken'
  }
  const resolved = pluginOptionsOf(payload)
  const tenantsEnabled = Boolean(resolved.appointments.tenantsSlug)
  let move = stream.payoutInFlight ?? null
  // Only a move left by an earlier run may have been made already.
  let inherited = move !== null
  try {
    // At most a few moves per stream: finish one in flight, then whatever the balance still needs.
    for (let round = 0; round < 4; round++) {
      const { tally, context } = await readTally(payload, stream)
      if (move) {
        // Booked already (a crash before the move was cleared): never made twice, even after
        // Stripe forgot the idempotency key.
        const { transferId } = (await isBooked(payload, move.key))
          ? { transferId: move.target }
          : ((inherited ? await madeEarlier(payload, stream, move) : null) ??
            (await sendMove(payload, stream, move)))
        if (context) {
          await recordPayoutMove(
            payload,
            {
              key: move.key,
              amount: move.kind === 'transfer' ? move.amount : -move.amount,
              transferId,
            },
            context,
            tenantsEnabled,
          )
        }
        move = null
        inherited = false
        await payload.db.updateOne({
          collection: LIVE_STREAMS,
          id: liveStreamId,
          data: { payoutInFlight: null },
        })
        continue
      }
      const payable = isPayable(stream, resolved.payouts.holdDays, now)
      const step = nextPayoutStep(tally, payable)
      if (step.kind === 'settled') {
        const status: PayoutStatus = tally.paidOut > 0 ? 'paid' : 'none'
        await write({ payoutStatus: status, payoutError: null, payoutRetryAt: null })
        return status
      }
      if (step.kind === 'wait') {
        // A cancelled stream or a host no-show is never paid; its refunds bring the balance to 0.
        const status: PayoutStatus = stream.refundsDue ? 'none' : 'held'
        await write({ payoutStatus: status })
        return status
      }
      if (step.kind === 'unrecoverable') {
        await write({
          payoutStatus: 'failed',
          payoutError: `Refunds after the payout took back more than its transfers hold: the host owes ${step.amount} ${tally.currency ?? ''}.`,
          payoutRetryAt: null,
        })
        return 'failed'
      }
      const booked = await payload.db.count({
        collection: REVENUE_TRACKING,
        where: {
          and: [{ liveStream: { equals: String(stream.id) } }, { kind: { equals: 'payout' } }],
        },
      })
      let target: null | string = step.kind === 'reverse' ? step.transferId : null
      if (step.kind === 'transfer') {
        target = await accountOf(payload, tally.host)
        if (!target) {
          // Not a failure: the host may connect an account any day; the job looks again hourly.
          await write({
            payoutStatus: 'held',
            payoutError: 'The host has no connected Stripe account yet.',
            payoutRetryAt: new Date(now.getTime() + 3600_000).toISOString(),
          })
          return 'held'
        }
      }
      move = {
        key: payoutKey(stream.id, booked.totalDocs + 1),
        kind: step.kind,
        amount: step.amount,
        currency: tally.currency!,
        target: target!,
      }
      await payload.db.updateOne({
        collection: LIVE_STREAMS,
        id: liveStreamId,
        data: { payoutInFlight: move },
      })
    }
    await write({})
    return 'held'
  } catch (error) {
    const attempts = (stream.payoutAttempts ?? 0) + 1
    const transient = isTransientStripeFailure(error)
    const next = afterFailedRefund(attempts, transient, resolved.refunds.maxAttempts, now)
    const message = String((error as Error)?.message ?? error).slice(0, 500)
    payload.logger.warn({
      msg: `payload-plugin-livekit: the payout of live stream ${String(stream.id)} failed (try ${attempts}${next.giveUp ? ', given up' : ''}): ${message}`,
    })
    await write({
      payoutAttempts: attempts,
      payoutError: message,
      // Stripe refused the move itself: nothing was made, so the next try decides afresh.
      ...(transient ? {} : { payoutInFlight: null }),
      ...(next.giveUp
        ? { payoutStatus: 'failed', payoutRetryAt: null }
        : { payoutRetryAt: next.retryAt.toISOString() }),
    })
    return next.giveUp ? 'failed' : 'retrying'
  }
}

/** How one run of the payout job went, by outcome. */
export type PayoutRun = Record<Exclude<PayoutOutcome, 'taken'>, number>

/**
 * The payout job: settles every stream whose payout is due now (a refund after the payout), or
 * held and closed longer ago than the hold, or held for a stream that will not be paid (cancelled,
 * host no-show). Safe on several instances at once: each stream is claimed.
 */
export async function payDueHosts(
  payload: Payload,
  options: { now?: Date } = {},
): Promise<PayoutRun> {
  const now = options.now ?? new Date()
  const { holdDays } = pluginOptionsOf(payload).payouts
  const closedBefore = new Date(now.getTime() - holdDays * 86_400_000).toISOString()
  const where: Where = {
    and: [
      {
        or: [
          { payoutStatus: { equals: 'due' } },
          {
            and: [
              { payoutStatus: { equals: 'held' } },
              {
                or: [
                  { closedAt: { less_than_equal: closedBefore } },
                  { refundsDue: { in: ['appointment_cancelled', 'host_no_show'] } },
                ],
              },
            ],
          },
        ],
      },
      {
        or: [
          { payoutRetryAt: { equals: null } },
          { payoutRetryAt: { less_than_equal: now.toISOString() } },
        ],
      },
    ],
  }
  const due = await payload.db.find<{ id: DocId }>({
    collection: LIVE_STREAMS,
    where,
    sort: 'closedAt',
    limit: RUN_LIMIT,
    pagination: false,
    select: { payoutStatus: true },
  })
  const run: PayoutRun = { paid: 0, held: 0, none: 0, retrying: 0, failed: 0 }
  for (const stream of due.docs) {
    const outcome = await settleStreamPayout(payload, stream.id, now)
    if (outcome !== 'taken') {
      run[outcome] += 1
    }
  }
  return run
}
