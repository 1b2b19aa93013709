import type { DocId } from '../core/ids.js'

/** One line of a statement: the totals of a tenant, host, month and currency. */
export interface StatementLine {
  tenant: DocId | null
  host: DocId | null
  month: string
  currency: string
  gross: number
  commission: number
  hostShare: number
  entries: number
}

/** The month an entry belongs to, in UTC (`2026-11`). */
export const monthOf = (iso: string) => iso.slice(0, 7)

/** The rollup key of an entry: the grain statements are kept at. */
export const totalsKey = (tenant: unknown, host: unknown, month: string, currency: string) =>
  `${tenant ?? '-'}|${host ?? '-'}|${month}|${currency}`

/** Totals per currency over statement lines (amounts in different currencies never add up). Pure. */
export function totalsByCurrency(
  lines: StatementLine[],
): Record<string, { gross: number; commission: number; hostShare: number; entries: number }> {
  const out: Record<
    string,
    { gross: number; commission: number; hostShare: number; entries: number }
  > = {}
  for (const line of lines) {
    const t = (out[line.currency] ??= { gross: 0, commission: 0, hostShare: 0, entries: 0 })
    t.gross += line.gross
    t.commission += line.commission
    t.hostShare += line.hostShare
    t.entries += line.entries
  }
  return out
}

const csvCell = (value: unknown) => {
  const text = value === null || value === undefined ? '' : String(value)
  // Quote when needed, and defuse spreadsheet formulas.
  const safe = /^[=+\-@]/.test(text) && !/^-?\d+$/.test(text) ? `'${text}` : text
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
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
    'entries',
  ]
  const rows = lines.map((l) =>
    [l.month, l.tenant, l.host, l.currency, l.gross, l.commission, l.hostShare, l.entries]
      .map(csvCell)
      .join(','),
  )
  return [header.join(','), ...rows].join('\n') + '\n'
}
