import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { isPayable, nextPayoutStep, type PayoutEntry, tallyStream } from './payoutPolicy.js'

const sale = (hostShare: number): PayoutEntry => ({
  kind: 'sale',
  settlement: 'separate',
  hostShareAmount: hostShare,
  host: '7',
  currency: 'usd',
})
const refund = (hostShare: number): PayoutEntry => ({ ...sale(-hostShare), kind: 'refund' })
const payout = (amount: number, transfer: string): PayoutEntry => ({
  kind: 'payout',
  hostShareAmount: 0,
  paidOutAmount: amount,
  stripeTransferId: transfer,
  currency: 'usd',
})

describe('a stream payout', () => {
  it('waits for the hold, then transfers the host share less refunds', () => {
    const tally = tallyStream([sale(1200), sale(1200), refund(1200)])
    expect(tally).toMatchObject({ balance: 1200, host: '7', currency: 'usd' })
    expect(nextPayoutStep(tally, false)).toEqual({ kind: 'wait' })
    expect(nextPayoutStep(tally, true)).toEqual({ kind: 'transfer', amount: 1200 })
  })

  it('ignores destination charges, which paid the host with the charge', () => {
    const destination = { ...sale(1200), settlement: 'destination' }
    expect(tallyStream([destination]).balance).toBe(0)
    expect(nextPayoutStep(tallyStream([destination]), true)).toEqual({ kind: 'settled' })
  })

  it('takes a refund after the payout back from the newest transfer, and says when none is left', () => {
    const paid = [sale(1200), sale(1200), payout(2400, 'tr_1')]
    expect(nextPayoutStep(tallyStream(paid), true)).toEqual({ kind: 'settled' })
    const refunded = [...paid, refund(1200)]
    expect(nextPayoutStep(tallyStream(refunded), false)).toEqual({
      kind: 'reverse',
      transferId: 'tr_1',
      amount: 1200,
    })
    const reversed = [...refunded, payout(-1200, 'tr_1')]
    expect(nextPayoutStep(tallyStream(reversed), true)).toEqual({ kind: 'settled' })
    const fullyReversed = [...reversed, refund(1200), payout(-1200, 'tr_1'), refund(0), sale(-5)]
    expect(nextPayoutStep(tallyStream(fullyReversed), true)).toEqual({
      kind: 'unrecoverable',
      amount: 5,
    })
  })

  it('converges: following the steps always ends settled, with paid out = host share', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 100_000 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
        (shares, refundedAfterPayout) => {
          const entries: PayoutEntry[] = shares.map(sale)
          let transfers = 0
          const settle = () => {
            for (let i = 0; i < 20; i++) {
              const step = nextPayoutStep(tallyStream(entries), true)
              if (step.kind === 'settled' || step.kind === 'unrecoverable') {
                return step
              }
              if (step.kind === 'transfer') {
                entries.push(payout(step.amount, `tr_${++transfers}`))
              } else if (step.kind === 'reverse') {
                entries.push(payout(-step.amount, step.transferId))
              }
            }
            throw new Error('did not settle')
          }
          expect(settle().kind).toBe('settled')
          shares.forEach((share, i) => {
            if (refundedAfterPayout[i]) {
              entries.push(refund(share))
            }
          })
          expect(settle().kind).toBe('settled')
          const tally = tallyStream(entries)
          const earned = shares.reduce((a, s, i) => a + (refundedAfterPayout[i] ? 0 : s), 0)
          expect(tally.paidOut).toBe(earned)
        },
      ),
    )
  })
})

describe('when a host may be paid', () => {
  const closedAt = '2026-12-01T10:00:00.000Z'
  it('after the hold, once the stream ended without refunds due', () => {
    const ended = { state: 'ended', closedAt }
    expect(isPayable(ended, 7, new Date('2026-12-08T09:59:59Z'))).toBe(false)
    expect(isPayable(ended, 7, new Date('2026-12-08T10:00:00Z'))).toBe(true)
    expect(isPayable(ended, 0, new Date(closedAt))).toBe(true)
    expect(isPayable({ ...ended, refundsDue: 'host_no_show' }, 0, new Date('2027-01-01'))).toBe(
      false,
    )
    expect(isPayable({ state: 'cancelled', closedAt }, 0, new Date('2027-01-01'))).toBe(false)
    expect(isPayable({ state: 'live' }, 0, new Date('2027-01-01'))).toBe(false)
  })
})
