import type { DocId } from '../core/ids.js'

import { csvCell } from '../core/csv.js'

/** One line of a statement: the totals of a tenant, host, month and currency. */
export interface StatementLine {
  tenant: DocId | null
  host: DocId | null
  month: string
  currency: string
  gross: number
  commission: number
  hostShare: number
  /** Host share booked by sales. */
  hostEarned: number
  /** Host share taken back by refunds (negative or 0). */
  hostRefunded: number
  /** Stripe's fees of the sales, whoever bore them. */
  fee: number
  /** Host share moved to the host's connected account (transfers less reversals). */
  paidOut: number
  /** Of gross: what products sold during streams brought in (less their refunds); the rest is tickets. */
  productGross: number
  /** Of commission: the part on product sales. */
  productCommission: number
  entries: number
}

export type Sums = Pick<
  StatementLine,
  | 'commission'
  | 'entries'
  | 'fee'
  | 'gross'
  | 'hostEarned'
  | 'hostRefunded'
  | 'hostShare'
  | 'paidOut'
  | 'productCommission'
  | 'productGross'
>
/** The amounts a statement line (and a totals row) adds up, in the order they are listed. */
export const SUMMED = [
  'gross',
  'commission',
  'hostShare',
  'hostEarned',
  'hostRefunded',
  'fee',
  'paidOut',
  'productGross',
  'productCommission',
  'entries',
] as const

/** A line's amounts all at 0: a new totals row, or a new currency's totals. */
export const zeroSums = (): Sums => Object.fromEntries(SUMMED.map((k) => [k, 0])) as Sums

/** The month an entry belongs to, in UTC (`2026-11`). */
export const monthOf = (iso: string) => iso.slice(0, 7)

/** The rollup key of an entry: the grain statements are kept at. */
export const totalsKey = (tenant: unknown, host: unknown, month: string, currency: string) =>
  `${tenant ?? '-'}|${host ?? '-'}|${month}|${currency}`

/** Totals per currency over statement lines (amounts in different currencies never add up). Pure. */
export function totalsByCurrency(lines: StatementLine[]): Record<string, Sums> {
  const out: Record<string, Sums> = {}
  for (const line of lines) {
    const t = (out[line.currency] ??= zeroSums())
    for (const k of SUMMED) {
      t[k] += line[k]
    }
  }
  return out
}

/** What one host has earned and been paid, in one currency. */
export interface HostBalance {
  host: StatementLine['host']
  currency: string
  /** Host share of sales (after any fee the host bears). */
  earned: number
  /** Host share taken back by refunds (negative or 0). */
  refunded: number
  /** Owed for streams whose payout is still held (separate charges before the hold passed). */
  held: number
  /** Moved to the host's connected account. */
  paidOut: number
  /**
   * What is left: the host share (adjustments included) less what was paid out and what is held.
   * Positive: the platform owes the host; negative: the host owes the platform (a refund after
   * the money was moved, or a fee the host bears on a destination charge).
   */
  owed: number
}

/**
 * Balances per host and currency over statement lines, with what is held for each (keyed
 * `host|currency`). Pure.
 */
export function hostBalances(
  lines: StatementLine[],
  held: ReadonlyMap<string, number> = new Map(),
): HostBalance[] {
  const out = new Map<string, { share: number } & HostBalance>()
  for (const line of lines) {
    const key = `${line.host ?? '-'}|${line.currency}`
    const b = out.get(key) ?? {
      host: line.host,
      currency: line.currency,
      earned: 0,
      refunded: 0,
      held: held.get(key) ?? 0,
      paidOut: 0,
      owed: 0,
      share: 0,
    }
    b.earned += line.hostEarned
    b.refunded += line.hostRefunded
    b.paidOut += line.paidOut
    b.share += line.hostShare
    out.set(key, b)
  }
  return [...out.values()].map(({ share, ...b }) => ({ ...b, owed: share - b.paidOut - b.held }))
}

/** CSV of statement lines, amounts in minor units. Pure. */
export function statementCsv(lines: StatementLine[]): string {
  const header = [
    'month',
    'tenant',
    'host',
    'currency',
    'gross_minor',
    'commission_minor',
    'host_share_minor',
    'fee_minor',
    'paid_out_minor',
    'product_gross_minor',
    'product_commission_minor',
    'entries',
  ]
  const rows = lines.map((l) =>
    [
      l.month,
      l.tenant,
      l.host,
      l.currency,
      l.gross,
      l.commission,
      l.hostShare,
      l.fee,
      l.paidOut,
      l.productGross,
      l.productCommission,
      l.entries,
    ]
      .map(csvCell)
      .join(','),
  )
  return [header.join(','), ...rows].join('\n') + '\n'
}
