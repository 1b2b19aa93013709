import type { DocId } from '../core/ids.js'

const MONTH = /^\d{4}-(?:0[1-9]|1[0-2])$/
const ID = /^[\w-]{1,64}$/

/** Filters of a statement: tenant, host (ids), from/to (months). */
export interface StatementFilters {
  tenant?: string
  host?: string
  from?: string
  to?: string
}

/** A filter value that is wrong: which filter, what it must be, and a sentence naming both. */
export class StatementFilterError extends Error {
  constructor(
    readonly filter: keyof StatementFilters,
    readonly expected: 'id' | 'month',
    message: string,
  ) {
    super(message)
    this.name = 'StatementFilterError'
  }
}

/**
 * Reads statement filters from query parameters. A platform admin may filter freely; anyone else
 * sees only their own entries as host, whatever they ask for. Pure.
 */
export function statementFilters(
  get: (key: string) => null | string | undefined,
  viewer: { isAdmin: boolean; userId: DocId },
): StatementFilters {
  const filters: StatementFilters = {}
  for (const key of ['tenant', 'host'] as const) {
    const value = get(key)
    if (value === null || value === undefined || value === '') {
      continue
    }
    if (!ID.test(value)) {
      throw new StatementFilterError(key, 'id', `${key} must be an id.`)
    }
    filters[key] = value
  }
  for (const key of ['from', 'to'] as const) {
    const value = get(key)
    if (value === null || value === undefined || value === '') {
      continue
    }
    if (!MONTH.test(value)) {
      throw new StatementFilterError(key, 'month', `${key} must be a month such as 2026-11.`)
    }
    filters[key] = value
  }
  if (!viewer.isAdmin) {
    filters.host = String(viewer.userId)
  }
  return filters
}

/** Digits after the decimal point of a currency (0 for JPY, 2 for EUR). */
export function currencyDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    )
  } catch {
    return 2
  }
}

/** Integer minor units as a display amount (`EUR 1,234.50`), by string arithmetic, no floats. */
export function formatMinor(minor: number, currency: string): string {
  const digits = currencyDigits(currency)
  const text = String(Math.abs(Math.trunc(minor))).padStart(digits + 1, '0')
  const major = text.slice(0, text.length - digits).replace(/\B(?=(?:\d{3})+(?!\d))/g, ',')
  const fraction = digits ? `.${text.slice(text.length - digits)}` : ''
  return `${minor < 0 ? '-' : ''}${currency.toUpperCase()} ${major}${fraction}`
}

/**
 * Integer minor units as the reader's locale writes money (`15,00 €` for `de`, `$15.00` for
 * `en-US`, `￥1,500` for JPY). Exact: the amount goes to Intl as a decimal string, never a float.
 */
export function formatMoneyFor(minor: number, currency: string, locale: string): string {
  const digits = currencyDigits(currency)
  const text = String(Math.abs(Math.trunc(minor))).padStart(digits + 1, '0')
  const decimal = `${minor < 0 ? '-' : ''}${text.slice(0, text.length - digits)}${digits ? `.${text.slice(text.length - digits)}` : ''}`
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(
      decimal as unknown as number,
    )
  } catch {
    return formatMinor(minor, currency)
  }
}
