import type { CollectionAfterChangeHook, Payload, PayloadRequest, Where } from 'payload'

import type { DocId } from '../core/ids.js'
import type { TotalsDelta } from './postgresLedger.js'

import { relationId } from '../core/relationId.js'
import { REVENUE_TOTALS } from '../core/slugs.js'
import { idFromText, idShapeOf } from '../db/idFormat.js'
import { findOrCreate } from '../db/uniqueRows.js'
import { pluginOptionsOf } from '../runtime.js'
import { isSaleKind } from './entryRules.js'
import { monthOf, type StatementLine, SUMMED, type Sums, totalsKey, zeroSums } from './statement.js'

type Doc = Record<string, unknown>

/** The running-totals row an entry adds to (tenant, host, month, currency). */
const keyOf = (entry: Doc) =>
  totalsKey(
    relationId(entry.tenant) ?? null,
    relationId(entry.host) ?? null,
    monthOf(String(entry.occurredAt)),
    String(entry.currency),
  )

/** Which totals row an entry adds to, and what it adds (the host's share split by kind). */
export function totalsDeltaOf(entry: Doc): TotalsDelta {
  const tenant = relationId(entry.tenant) ?? null
  const host = relationId(entry.host) ?? null
  const hostShare = Number(entry.hostShareAmount)
  return {
    key: keyOf(entry),
    tenant: tenant === null ? null : String(tenant),
    host: host === null ? null : String(host),
    month: monthOf(String(entry.occurredAt)),
    currency: String(entry.currency),
    sums: {
      gross: Number(entry.grossAmount),
      commission: Number(entry.commissionAmount),
      hostShare,
      hostEarned: isSaleKind(entry.kind) ? hostShare : 0,
      hostRefunded: entry.kind === 'refund' ? hostShare : 0,
      fee: Number(entry.feeAmount ?? 0),
      paidOut: Number(entry.paidOutAmount ?? 0),
      // Product sales and their refunds, also counted in gross and commission above.
      productGross: entry.product != null ? Number(entry.grossAmount) : 0,
      productCommission: entry.product != null ? Number(entry.commissionAmount) : 0,
    },
  }
}

// Totals rows are never deleted (nobody may, admins included) and their ids never change, so an
// instance may remember them: a row found once is found again by every instance.
const knownRows = new WeakMap<Payload, Map<string, DocId>>()

/**
 * The id of the running-totals row `entry` adds to, made empty when it is missing. Made outside
 * any transaction: two first entries of a month racing to create it would otherwise abort one
 * transaction on the unique key. An empty row changes no total, so making it early is harmless.
 */
export async function totalsRowOf(payload: Payload, entry: Doc): Promise<DocId> {
  const key = keyOf(entry)
  const known = knownRows.get(payload) ?? new Map<string, DocId>()
  knownRows.set(payload, known)
  const cached = known.get(key)
  if (cached !== undefined) {
    return cached
  }
  const { tenant, host, month, currency } = totalsDeltaOf(entry)
  const { doc: row } = await findOrCreate(
    payload,
    REVENUE_TOTALS,
    { key: { equals: key } },
    { key, tenant, host, month, currency, ...zeroSums() },
  )
  known.set(key, row.id)
  return row.id
}

/**
 * Adds an entry's amounts to its totals row with the database's own increments, in the entry's
 * transaction when it has one. (Exact on PostgreSQL, SQLite and MongoDB; see the README for
 * FerretDB, whose increments that race can be lost.)
 */
export async function addToRow(
  payload: Payload,
  rowId: DocId,
  entry: Doc,
  req?: Partial<PayloadRequest>,
): Promise<void> {
  const { sums } = totalsDeltaOf(entry)
  const updated = await payload.db.updateOne({
    collection: REVENUE_TOTALS,
    id: rowId,
    data: {
      ...Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, { $inc: v }])),
      entries: { $inc: 1 },
    },
    req,
  })
  if (!updated) {
    knownRows.get(payload)?.delete(keyOf(entry))
    throw new Error(`the ledger's totals row ${String(rowId)} is gone; the booking is retried`)
  }
}

/** Adds an entry made through Payload's API (an admin's adjustment) to its running totals. */
export const addToTotals: CollectionAfterChangeHook = async ({ doc, operation, req }) => {
  if (operation !== 'create') {
    return doc
  }
  await addToRow(req.payload, await totalsRowOf(req.payload, doc as Doc), doc as Doc, req)
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
