import type { Payload } from 'payload'

import { REVENUE_TOTALS, REVENUE_TRACKING, STRIPE_EVENTS } from '../core/slugs.js'
import { hotPathsOf } from '../db/hotPaths.js'
import { perConfig, runPrepared, sqlTable, statement } from '../db/sqlSchema.js'
import { SUMMED } from './statement.js'

/** The entry fields the ledger's append writes, in the statement's parameter order. */
const ENTRY_FIELDS = [
  'kind',
  'source',
  'systemRef',
  'bookingKey',
  'note',
  'appointment',
  'liveStream',
  'tenant',
  'host',
  'product',
  'pin',
  'grossAmount',
  'commissionAmount',
  'hostShareAmount',
  'feeAmount',
  'feeBearer',
  'paidOutAmount',
  'settlement',
  'currency',
  'rateBps',
  'stripeEventId',
  'stripePaymentIntentId',
  'stripeChargeId',
  'stripeCheckoutSessionId',
  'stripeTransferId',
  'occurredAt',
] as const

/** The totals row's key fields, then the amounts it adds, after the entry's parameters. */
const TOTALS_KEYS = ['key', 'tenant', 'host', 'month', 'currency'] as const
/** What an entry adds to its totals row: every summed amount but the count of entries (1). */
const TOTALS_SUMS = SUMMED.filter(
  (k): k is Exclude<(typeof SUMMED)[number], 'entries'> => k !== 'entries',
)

/** What the totals row of an entry is and what the entry adds to it. */
export interface TotalsDelta {
  key: string
  tenant: null | string
  host: null | string
  month: string
  currency: string
  sums: Record<(typeof TOTALS_SUMS)[number], number>
}

/**
 * The append as one statement on PostgreSQL: the entry is inserted and its totals row created or
 * added to (`ON CONFLICT … DO UPDATE`, which PostgreSQL makes safe against concurrent inserts of
 * the same key) in a single statement, so both happen or neither does, in one round trip.
 * Null when the site's schema has no column for something the statement writes (a site that
 * renamed a field): the append then goes through Payload's database API.
 */
const appendStatement = perConfig((payload: Payload) => {
  const ledger = sqlTable(payload, REVENUE_TRACKING)
  const totals = sqlTable(payload, REVENUE_TOTALS)
  if (!ledger || !totals) {
    return null
  }
  const entryFields = ENTRY_FIELDS.filter((f) => f !== 'tenant' || ledger.column('tenant'))
  const entryColumns = entryFields.map((f) => ledger.column(f))
  const totalsColumns = [...TOTALS_KEYS, ...TOTALS_SUMS, 'entries'].map((f) => totals.column(f))
  const stamps = [ledger.column('createdAt'), ledger.column('updatedAt')]
  const totalsStamps = [totals.column('createdAt'), totals.column('updatedAt')]
  if ([...entryColumns, ...totalsColumns, ...stamps, ...totalsStamps].some((c) => !c)) {
    return null
  }
  const n = entryFields.length
  const param = (i: number) => `$${i + 1}`
  const keyParams = TOTALS_KEYS.map((_, i) => param(n + i))
  const sumParams = TOTALS_SUMS.map((_, i) => `${param(n + TOTALS_KEYS.length + i)}::numeric`)
  const t = (f: string) => totals.column(f)!
  const added = [...TOTALS_SUMS, 'entries']
    .map((f) => `${t(f)} = ${totals.ref}.${t(f)} + excluded.${t(f)}`)
    .join(', ')
  return {
    fields: entryFields,
    statement: statement(
      `WITH entry AS (INSERT INTO ${ledger.ref} (${[...entryColumns, ...stamps].join(', ')}) ` +
        `VALUES (${entryFields.map((_, i) => param(i)).join(', ')}, now(), now()) RETURNING ${ledger.column('id')} AS id), ` +
        `added AS (INSERT INTO ${totals.ref} (${[...totalsColumns, ...totalsStamps].join(', ')}) ` +
        `SELECT ${[...keyParams, ...sumParams, '1'].join(', ')}, now(), now() FROM entry ` +
        `ON CONFLICT (${t('key')}) DO UPDATE SET ${added}, ${t('updatedAt')} = now() RETURNING 1) ` +
        `SELECT id, (SELECT count(*) FROM added) AS added FROM entry`,
    ),
  }
})

/**
 * Appends `entry` and adds `delta` to its totals in one statement, on PostgreSQL. Returns the new
 * entry's id; null when this database has no such statement (not PostgreSQL, or an unknown
 * schema), and the caller takes the general path. A unique key already booked throws, as an
 * insert through Payload would, and changes nothing.
 */
export async function appendOnPostgres(
  payload: Payload,
  entry: Record<string, unknown>,
  delta: TotalsDelta,
): Promise<{ id: unknown } | null> {
  if (hotPathsOf(payload) !== 'postgres') {
    return null
  }
  const prepared = appendStatement(payload)
  if (!prepared) {
    return null
  }
  const values = [
    ...prepared.fields.map((f) => entry[f] ?? null),
    delta.key,
    delta.tenant,
    delta.host,
    delta.month,
    delta.currency,
    ...TOTALS_SUMS.map((f) => delta.sums[f]),
  ]
  const [row] = await runPrepared(payload, prepared.statement, values)
  return { id: row?.id }
}

const bookedStatement = perConfig((payload: Payload) => {
  const ledger = sqlTable(payload, REVENUE_TRACKING)
  const key = ledger?.column('bookingKey')
  return ledger && key
    ? statement(`SELECT 1 AS booked FROM ${ledger.ref} WHERE ${key} = $1 LIMIT 1`)
    : null
})

/**
 * Whether an entry is booked under `bookingKey`, by one prepared read on PostgreSQL; null
 * elsewhere (the caller asks Payload's database API).
 */
export async function bookedOnPostgres(
  payload: Payload,
  bookingKey: string,
): Promise<boolean | null> {
  const prepared = hotPathsOf(payload) === 'postgres' ? bookedStatement(payload) : null
  if (!prepared) {
    return null
  }
  return (await runPrepared(payload, prepared, [bookingKey])).length > 0
}

const refundReportStatement = perConfig((payload: Payload) => {
  const events = sqlTable(payload, STRIPE_EVENTS)
  const [intent, type, amount] = ['paymentIntentId', 'type', 'amountRefunded'].map(
    (key) => events?.column(key) ?? null,
  )
  return events && intent && type && amount
    ? statement(
        `SELECT 1 AS reported FROM ${events.ref} ` +
          `WHERE ${intent} = $1 AND ${type} = 'charge.refunded' AND ${amount} > 0 LIMIT 1`,
      )
    : null
})

/**
 * Whether Stripe reported a refund of a payment intent (a kept `charge.refunded` event with an
 * amount), by one prepared read on PostgreSQL; null elsewhere (the caller asks Payload's API).
 */
export async function refundReportedOnPostgres(
  payload: Payload,
  paymentIntentId: string,
): Promise<boolean | null> {
  const prepared = hotPathsOf(payload) === 'postgres' ? refundReportStatement(payload) : null
  if (!prepared) {
    return null
  }
  return (await runPrepared(payload, prepared, [paymentIntentId])).length > 0
}
