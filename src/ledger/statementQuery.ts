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
