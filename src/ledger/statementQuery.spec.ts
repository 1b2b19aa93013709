import { describe, expect, it } from 'vitest'

import { formatMinor, formatMoneyFor } from '../core/money.js'
import { statementFilters } from './statementQuery.js'

describe('statement filters', () => {
  const query = (q: Record<string, string>) => (key: string) => q[key]
  it('let admins filter freely and keep everyone else to their own entries', () => {
    expect(
      statementFilters(query({ tenant: '3', host: '9', from: '2026-01', to: '2026-11' }), {
        isAdmin: true,
        userId: 1,
      }),
    ).toEqual({ tenant: '3', host: '9', from: '2026-01', to: '2026-11' })
    expect(statementFilters(query({ host: '9' }), { isAdmin: false, userId: 4 })).toEqual({
      host: '4',
    })
  })
  it('refuse malformed values', () => {
    expect(() =>
      statementFilters(query({ from: '2026-13' }), { isAdmin: true, userId: 1 }),
    ).toThrow(/from must be a month/)
    expect(() =>
      statementFilters(query({ tenant: "1' or 1=1" }), { isAdmin: true, userId: 1 }),
    ).toThrow(/tenant must be an id/)
  })
})

describe('amounts for people', () => {
  it('are minor units written with the currency digits, without floating point', () => {
    expect(formatMinor(123456, 'eur')).toBe('EUR 1,234.56')
    expect(formatMinor(-5, 'usd')).toBe('-USD 0.05')
    expect(formatMinor(1500, 'jpy')).toBe('JPY 1,500')
    expect(formatMinor(900719925474099, 'usd')).toBe('USD 9,007,199,254,740.99')
  })
})

describe('money for its reader', () => {
  it('writes minor units the way the locale writes the currency, exactly', () => {
    expect(formatMoneyFor(1500, 'usd', 'en-US')).toBe('$15.00')
    expect(formatMoneyFor(1500, 'eur', 'de').replace(/\s/g, ' ')).toBe('15,00 €')
    expect(formatMoneyFor(1500, 'jpy', 'en-US')).toBe('¥1,500')
    expect(formatMoneyFor(-5, 'usd', 'en-US')).toBe('-$0.05')
    // The largest safe amount stays exact to the cent (as a float of major units it would not).
    expect(formatMoneyFor(9007199254740991, 'usd', 'en-US')).toBe('$90,071,992,547,409.91')
  })
})
