/**
 * When and how much a host is paid in separate-charges mode. Pure: the payout job reads the
 * stream's ledger entries and its state, asks these functions, and does what they say.
 *
 * A stream's host is owed the host share of its `separate` sales less their refunds, less what
 * payouts moved already. That balance is paid out once the stream closed, the host came, and the
 * hold period passed; a refund that arrives after the payout makes the balance negative, which
 * reverses that much of the stream's transfers.
 */

import { isSaleKind } from '../ledger/entryRules.js'

/** A ledger entry as the payout rules read it. */
export interface PayoutEntry {
  kind: string
  settlement?: null | string
  hostShareAmount: number
  paidOutAmount?: null | number
  stripeTransferId?: null | string
  host?: null | string
  currency: string
}

/** Where a stream's payouts stand. */
export interface StreamTally {
  /** Host share still owed to the host (negative: paid more than it earned, after refunds). */
  balance: number
  paidOut: number
  host: null | string
  currency: null | string
  /** The stream's transfers and how much of each is not yet reversed, newest first. */
  transfers: { id: string; reversible: number }[]
}

/** Adds up a stream's separate-mode entries. */
export function tallyStream(entries: readonly PayoutEntry[]): StreamTally {
  let earned = 0
  let paidOut = 0
  let host: null | string = null
  let currency: null | string = null
  const transfers = new Map<string, number>()
  for (const e of entries) {
    if (e.kind === 'payout') {
      const moved = e.paidOutAmount ?? 0
      paidOut += moved
      if (e.stripeTransferId) {
        transfers.set(e.stripeTransferId, (transfers.get(e.stripeTransferId) ?? 0) + moved)
      }
    } else if (e.settlement === 'separate' && (isSaleKind(e.kind) || e.kind === 'refund')) {
      earned += e.hostShareAmount
      host ??= e.host ?? null
      currency ??= e.currency
    }
  }
  return {
    balance: earned - paidOut,
    paidOut,
    host,
    currency,
    transfers: [...transfers]
      .filter(([, left]) => left > 0)
      .map(([id, reversible]) => ({ id, reversible }))
      .reverse(),
  }
}

/** What the stream's payout needs now. */
export type PayoutStep =
  | { kind: 'reverse'; transferId: string; amount: number }
  | { kind: 'settled' }
  | { kind: 'transfer'; amount: number }
  | { kind: 'unrecoverable'; amount: number }
  | { kind: 'wait' }

/**
 * The next step for a stream: pay a positive balance once `payable` (the stream was held, the host
 * came, the hold passed), take back a negative one from its newest transfer at any time, and say
 * so when there is no transfer left to take it from (the host then owes it).
 */
export function nextPayoutStep(tally: StreamTally, payable: boolean): PayoutStep {
  if (tally.balance > 0) {
    return payable ? { kind: 'transfer', amount: tally.balance } : { kind: 'wait' }
  }
  if (tally.balance < 0) {
    const newest = tally.transfers[0]
    return newest
      ? {
          kind: 'reverse',
          transferId: newest.id,
          amount: Math.min(-tally.balance, newest.reversible),
        }
      : { kind: 'unrecoverable', amount: -tally.balance }
  }
  return { kind: 'settled' }
}

/** The stream facts that decide whether its host may be paid. */
export interface PayableFacts {
  state: string
  closedAt?: null | string
  refundsDue?: null | string
}

/**
 * Whether a stream's host may be paid at `now`: the stream ended (closed, not cancelled), its
 * tickets are not being refunded (a cancel or a host no-show), and `holdDays` passed since it closed.
 */
export function isPayable(stream: PayableFacts, holdDays: number, now: Date): boolean {
  if (stream.state !== 'ended' || stream.refundsDue || !stream.closedAt) {
    return false
  }
  const closed = Date.parse(stream.closedAt)
  return Number.isFinite(closed) && closed + holdDays * 86_400_000 <= now.getTime()
}

/** The `transfer_group` of an appointment's charges and payouts: one group per appointment. */
export const transferGroupOf = (siteId: string, appointment: number | string) =>
  `${siteId}:appointment:${String(appointment)}`

/**
 * The idempotency key (and ledger booking key) of a stream's n-th payout move: the same move on
 * any instance or retry is one transfer and one entry.
 */
export const payoutKey = (liveStream: number | string, n: number) =>
  `payout:${String(liveStream)}:${n}`
