import type { CollectionAfterChangeHook, Payload, Where } from 'payload'

import type { DocId } from '../core/ids.js'

import { relationId } from '../core/relationId.js'
import { REVENUE_TOTALS } from '../core/slugs.js'
import { idFromText, idShapeOf } from '../db/idFormat.js'
import { findOrCreate } from '../db/uniqueRows.js'
import { pluginOptionsOf } from '../runtime.js'
import { monthOf, type StatementLine, SUMMED, type Sums, totalsKey, zeroSums } from './statement.js'

type Doc = Record<string, unknown>

/** Adds a new ledger entry to its running totals (create-if-missing, then atomic increments). */
export const addToTotals: CollectionAfterChangeHook = async ({ doc, operation, req }) => {
  if (operation !== 'create') {
    return doc
  }
  const entry = doc as Doc
  const tenant = relationId(entry.tenant) ?? null
  const host = relationId(entry.host) ?? null
  const month = monthOf(String(entry.occurredAt))
  const currency = String(entry.currency)
  const key = totalsKey(tenant, host, month, currency)
  const { payload } = req
  // The empty totals row is made outside the entry's transaction: two first entries of a month
  // racing to create it would otherwise abort one transaction on the unique key. An empty row
  // changes no total, so making it early is harmless; the increments below are transactional.
  const { doc: row } = await findOrCreate(
    payload,
    REVENUE_TOTALS,
    { key: { equals: key } },
    {
      key,
      tenant: tenant === null ? null : String(tenant),
      host: host === null ? null : String(host),
      month,
      currency,
      ...zeroSums(),
    },
  )
  const hostShare = Number(entry.hostShareAmount)
  await payload.db.updateOne({
    collection: REVENUE_TOTALS,
    id: row.id,
    data: {
      gross: { $inc: entry.grossAmount },
      commission: { $inc: entry.commissionAmount },
      hostShare: { $inc: hostShare },
      hostEarned: { $inc: entry.kind === 'sale' ? hostShare : 0 },
      hostRefunded: { $inc: entry.kind === 'refund' ? hostShare : 0 },
      fee: { $inc: Number(entry.feeAmount ?? 0) },
      paidOut: { $inc: Number(entry.paidOutAmount ?? 0) },
      entries: { $inc: 1 },
    },
    req,
  })
  return doc
}

/**
 * Totals rows keep tenant and host as text; they go back to the type of the ids they name: the
 * users' ids for hosts, the tenants collection's for tenants. A site without a tenants collection
 * keeps the tenant in a plain number or text field of its appointments, whose type decides.
 */
function idReaders(payload: Payload): {
  tenant: (text: string) => DocId
  host: (text: string) => DocId
} {
  const { usersSlug, appointments } = pluginOptionsOf(payload)
  const users = idShapeOf(payload, usersSlug)
  const host = (text: string) => idFromText(users, text)
  if (appointments.tenantsSlug) {
    const tenants = idShapeOf(payload, appointments.tenantsSlug)
    return { host, tenant: (text) => idFromText(tenants, text) }
  }
  const field = appointments.fields.tenant
  const numeric =
    field !== undefined &&
    payload.collections[appointments.slug]?.config.flattenedFields.some(
      (f) => f.name === field && f.type === 'number',
    )
  return {
    host,
    tenant: (text) => (numeric && Number.isFinite(Number(text)) ? Number(text) : text),
  }
}

/** Statement lines for the filters (tenant, host, month range), from the running totals. */
export async function statementLines(
  payload: Payload,
  filters: { tenant?: string; host?: string; from?: string; to?: string },
): Promise<StatementLine[]> {
  const and: Where[] = []
  if (filters.tenant) {
    and.push({ tenant: { equals: filters.tenant } })
  }
  if (filters.host) {
    and.push({ host: { equals: filters.host } })
  }
  if (filters.from) {
    and.push({ month: { greater_than_equal: filters.from } })
  }
  if (filters.to) {
    and.push({ month: { less_than_equal: filters.to } })
  }
  const rows = await payload.db.find<{ id: DocId } & Doc>({
    collection: REVENUE_TOTALS,
    where: and.length ? { and } : {},
    limit: 0,
    pagination: false,
    sort: 'month',
  })
  const { tenant, host } = idReaders(payload)
  const id = (v: unknown, read: (text: string) => DocId) =>
    v === null || v === undefined ? null : read(String(v))
  return rows.docs.map((r) => ({
    tenant: id(r.tenant, tenant),
    host: id(r.host, host),
    month: String(r.month),
    currency: String(r.currency),
    // A column added after the row was made reads as 0.
    ...(Object.fromEntries(SUMMED.map((k) => [k, Number(r[k] ?? 0)])) as Sums),
  }))
}
