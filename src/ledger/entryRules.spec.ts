import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { split, withFee } from '../core/split.js'
import { bookingProblem, entryProblem } from './entryRules.js'

const booking = (over: Record<string, unknown> = {}) => ({
  kind: 'sale',
  source: 'stripe',
  currency: 'usd',
  rateBps: 2000,
  occurredAt: '2026-12-03T10:00:00.000Z',
  grossAmount: 1500,
  commissionAmount: 241,
  hostShareAmount: 1200,
  feeAmount: 59,
  paidOutAmount: 0,
  feeBearer: 'platform',
  settlement: 'destination',
  ...over,
})

describe('a ledger booking', () => {
  it('passes whenever it is a split of the plugin, fee taken from either side (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
        fc.integer({ min: 0, max: 10000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.constantFrom('platform', 'host'),
        (gross, rateBps, fee, bearer: 'host' | 'platform') => {
          const s = withFee(split(gross, rateBps), fee, bearer)
          const entry = booking({
            grossAmount: s.gross,
            commissionAmount: s.commission,
            hostShareAmount: s.hostShare,
            feeAmount: fee,
            feeBearer: bearer,
            rateBps,
          })
          expect(bookingProblem(entry)).toBeNull()
          // Any one minor unit moved off the balance is refused.
          expect(bookingProblem({ ...entry, commissionAmount: s.commission + 1 })).toMatch(
            /grossAmount must equal/,
          )
        },
      ),
    )
  })

  it('is refused with a sentence naming what is wrong', () => {
    expect(bookingProblem(booking({ grossAmount: 1500.5 }))).toBe(
      'grossAmount must be an integer amount in minor units.',
    )
    expect(bookingProblem(booking({ feeAmount: -1, commissionAmount: 301 }))).toMatch(
      /zero or more/,
    )
    expect(bookingProblem(booking({ currency: 'USD' }))).toMatch(/lower case/)
    expect(bookingProblem(booking({ rateBps: 10001 }))).toMatch(/basis points/)
    expect(bookingProblem(booking({ kind: 'gift' }))).toMatch(/^kind must be one of/)
    expect(bookingProblem(booking({ source: undefined }))).toMatch(/^source must be one of/)
    expect(bookingProblem(booking({ occurredAt: 'yesterday' }))).toMatch(/occurredAt/)
    expect(bookingProblem(booking({ settlement: 'cash' }))).toMatch(/^settlement/)
    expect(bookingProblem(booking({ feeBearer: 'buyer' }))).toMatch(/^feeBearer/)
  })

  it('shares its arithmetic with entries made through the API, where absent fees are 0', () => {
    expect(entryProblem({ grossAmount: 100, commissionAmount: 20, hostShareAmount: 80 })).toBeNull()
    expect(entryProblem({ grossAmount: 100, commissionAmount: 20, hostShareAmount: 79 })).toMatch(
      /grossAmount must equal/,
    )
  })
})
