import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { beforeFee, commissionOf, formatAmount, refundSplit, split, withFee } from './split.js'

const amount = fc.integer({ min: 1, max: 1_000_000_000_000 })
const rate = fc.integer({ min: 0, max: 10000 })

describe('the rounding rule', () => {
  it('is half-up on gross x rate / 10000, the host gets the remainder', () => {
    expect(split(1500, 2000)).toEqual({
      gross: 1500,
      commission: 300,
      hostShare: 1200,
      rateBps: 2000,
    })
    expect(commissionOf(1, 5000)).toBe(1) // 0.5 rounds up
    expect(commissionOf(1, 4999)).toBe(0)
    expect(commissionOf(3, 2000)).toBe(1) // 0.6
    expect(commissionOf(2, 2000)).toBe(0) // 0.4
    expect(split(999, 2000)).toEqual({ gross: 999, commission: 200, hostShare: 799, rateBps: 2000 }) // 199.8
    expect(split(-1500, 2000)).toEqual({
      gross: -1500,
      commission: -300,
      hostShare: -1200,
      rateBps: 2000,
    })
  })

  it('works for currencies without minor units (JPY amounts are yen)', () => {
    expect(split(1234, 2000)).toEqual({
      gross: 1234,
      commission: 247,
      hostShare: 987,
      rateBps: 2000,
    })
    expect(formatAmount(1234, 'jpy')).toBe('1234 JPY')
    expect(formatAmount(-1505, 'usd')).toBe('-15.05 USD')
  })

  it('refuses non-integer amounts and impossible rates', () => {
    expect(() => split(10.5, 2000)).toThrow(/safe integer/)
    expect(() => split(100, 10001)).toThrow(/basis points/)
  })
})

describe('invariants (property tests)', () => {
  it('gross = commission + host share, and 0 <= commission <= gross', () => {
    fc.assert(
      fc.property(amount, rate, (gross, bps) => {
        const s = split(gross, bps)
        return s.commission + s.hostShare === gross && s.commission >= 0 && s.commission <= gross
      }),
    )
  })

  it('the commission is the exact value rounded half-up', () => {
    fc.assert(
      fc.property(amount, rate, (gross, bps) => {
        const exactTimes2 = 2n * BigInt(gross) * BigInt(bps)
        const c = BigInt(commissionOf(gross, bps))
        // Half-up: c - 1/2 <= gross x rate / 10000 < c + 1/2, multiplied out to stay in integers.
        return 2n * c * 10000n - 10000n <= exactTimes2 && exactTimes2 < 2n * c * 10000n + 10000n
      }),
    )
  })

  it('partial refunds in any split add up to reversing the sale exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        rate,
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 6 }),
        (gross, bps, parts) => {
          const sale = split(gross, bps)
          const total = parts.reduce((a, b) => a + b, 0)
          // Cut the gross into refunds in the proportions of `parts`, the last one taking the rest.
          const refunds = parts.map((p) => Math.floor((gross * p) / total))
          refunds[refunds.length - 1] += gross - refunds.reduce((a, b) => a + b, 0)
          let done = { gross: 0, commission: 0 }
          const entries = []
          for (const r of refunds.filter((r) => r > 0)) {
            const e = refundSplit(sale, r, done)
            if (e.gross !== e.commission + e.hostShare) {
              return false
            }
            entries.push(e)
            done = { gross: done.gross - e.gross, commission: done.commission - e.commission }
          }
          const sum = entries.reduce(
            (a, e) => ({
              gross: a.gross + e.gross,
              commission: a.commission + e.commission,
              hostShare: a.hostShare + e.hostShare,
            }),
            { gross: 0, commission: 0, hostShare: 0 },
          )
          return (
            sum.gross === -sale.gross &&
            sum.commission === -sale.commission &&
            sum.hostShare === -sale.hostShare
          )
        },
      ),
    )
  })

  it('never refunds more than was sold', () => {
    expect(() => refundSplit(split(1000, 2000), 600, { gross: 500, commission: 100 })).toThrow(
      /more than the sale/,
    )
  })
})

describe('participation model', () => {
  it('is base x min(participants / 10, 3), x 1.2 past an hour', async () => {
    const { participationGross } = await import('./split.js')
    expect(participationGross(1500, 1, 600)).toBe(150)
    expect(participationGross(1500, 10, 600)).toBe(1500)
    expect(participationGross(1500, 45, 600)).toBe(4500)
    expect(participationGross(1500, 45, 3601)).toBe(5400)
    expect(participationGross(999, 7, 4000)).toBe(839) // 999 x 0.7 x 1.2 = 839.16
    expect(participationGross(1500, 0, 4000)).toBe(0)
  })
})

describe('the processor fee', () => {
  it('comes out of the commission when the platform bears it, out of the host share otherwise', () => {
    const sale = split(1500, 2000)
    expect(withFee(sale, 74, 'platform')).toMatchObject({
      commission: 226,
      hostShare: 1200,
      fee: 74,
    })
    expect(withFee(sale, 74, 'host')).toMatchObject({ commission: 300, hostShare: 1126, fee: 74 })
    // A fee larger than the bearer's side is still booked whole.
    expect(withFee(split(100, 0), 33, 'platform')).toMatchObject({
      commission: -33,
      hostShare: 100,
    })
    expect(() => withFee(sale, -1, 'host')).toThrow(RangeError)
    expect(() => withFee(sale, 0.5, 'host')).toThrow(RangeError)
  })

  it('balances whoever bears it, and a full refund leaves exactly the fee as the bearer’s cost', () => {
    fc.assert(
      fc.property(
        amount,
        rate,
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.constantFrom('host' as const, 'platform' as const),
        (gross, rateBps, fee, bearer) => {
          const booked = withFee(split(gross, rateBps), fee, bearer)
          expect(booked.commission + booked.hostShare + booked.fee).toBe(gross)
          const refund = refundSplit(beforeFee(booked), gross)
          expect(booked.gross + refund.gross).toBe(0)
          const net = {
            commission: booked.commission + refund.commission,
            hostShare: booked.hostShare + refund.hostShare,
          }
          expect(net).toEqual(
            bearer === 'platform'
              ? { commission: 0 - fee, hostShare: 0 }
              : { commission: 0, hostShare: 0 - fee },
          )
        },
      ),
    )
  })
})
