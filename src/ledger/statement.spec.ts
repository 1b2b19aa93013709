import { describe, expect, it } from 'vitest'

import { hostBalances, statementCsv, type StatementLine, totalsByCurrency } from './statement.js'

const line = (over: Partial<StatementLine>): StatementLine => ({
  tenant: 1,
  host: 7,
  month: '2026-11',
  currency: 'usd',
  gross: 0,
  commission: 0,
  hostShare: 0,
  hostEarned: 0,
  hostRefunded: 0,
  fee: 0,
  paidOut: 0,
  productGross: 0,
  productCommission: 0,
  entries: 0,
  ...over,
})

describe('what a host is owed', () => {
  it('is the host share less what was paid out and what is held, across months', () => {
    const lines = [
      line({ hostShare: 2282, hostEarned: 2282, fee: 118, gross: 3000, commission: 600 }),
      line({ month: '2026-12', hostShare: -1200, hostRefunded: -1200, paidOut: 1082 }),
      line({ host: 8, hostShare: 1200, hostEarned: 1200, paidOut: 1200 }),
      line({ host: 8, currency: 'eur', hostShare: 500, hostEarned: 500 }),
    ]
    expect(hostBalances(lines, new Map([['8|eur', 500]]))).toEqual([
      { host: 7, currency: 'usd', earned: 2282, refunded: -1200, held: 0, paidOut: 1082, owed: 0 },
      { host: 8, currency: 'usd', earned: 1200, refunded: 0, held: 0, paidOut: 1200, owed: 0 },
      { host: 8, currency: 'eur', earned: 500, refunded: 0, held: 500, paidOut: 0, owed: 0 },
    ])
    // A destination charge whose fee the host bears: the host was paid before the fee, and owes it.
    expect(hostBalances([line({ hostShare: 1141, hostEarned: 1141, paidOut: 1200 })])).toEqual([
      expect.objectContaining({ owed: -59 }),
    ])
  })

  it('adds fees and payouts into the totals and the CSV', () => {
    const lines = [line({ fee: 59, paidOut: 1200, entries: 1 }), line({ fee: 41, entries: 1 })]
    expect(totalsByCurrency(lines).usd).toMatchObject({ fee: 100, paidOut: 1200, entries: 2 })
    const [header, first] = statementCsv(lines).trim().split('\n')
    const cells = Object.fromEntries(header.split(',').map((h, i) => [h, first.split(',')[i]]))
    expect(cells).toMatchObject({ fee_minor: '59', paid_out_minor: '1200' })
  })
})
