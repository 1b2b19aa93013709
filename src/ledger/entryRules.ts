/*
 * What every ledger entry must be, whoever books it: the plugin's own appends (which write to the
 * database directly, for speed) and entries made through Payload's API (the collection's hooks)
 * pass the same rules.
 */

export const LEDGER_KINDS = ['sale', 'product_sale', 'refund', 'adjustment', 'payout'] as const

/** Whether an entry books a sale: a ticket (`sale`) or a product bought during a stream. */
export const isSaleKind = (kind: unknown): kind is 'product_sale' | 'sale' =>
  kind === 'sale' || kind === 'product_sale'
export const LEDGER_SOURCES = ['stripe', 'system_generated', 'manual'] as const
/**
 * How the host's share of a sale travels: with the charge (`destination`), later by the payout
 * job (`separate`), or not through Stripe at all (`platform`: no connected account at checkout,
 * the platform holds it and the statement shows it as owed).
 */
export const LEDGER_SETTLEMENTS = ['destination', 'separate', 'platform'] as const
export const FEE_BEARERS = ['platform', 'host'] as const

/** The amounts of an entry, in integer minor units of its currency. */
const AMOUNTS = [
  'grossAmount',
  'commissionAmount',
  'hostShareAmount',
  'feeAmount',
  'paidOutAmount',
] as const

const oneOf = (list: readonly string[], value: unknown) =>
  typeof value === 'string' && list.includes(value)

/**
 * The first rule of the ledger's arithmetic that `entry` breaks, as a sentence for the one who
 * made it, or null: amounts are integers (fee and paid out may be absent: 0), the fee is not
 * negative, and gross = commission + host share + fee. Entries made through the API pass these
 * (the collection's hook) after Payload's own field checks; the plugin's bookings pass
 * {@link bookingProblem}, which adds what those field checks would have said.
 */
export function entryProblem(entry: Record<string, unknown>): null | string {
  const amount = (name: (typeof AMOUNTS)[number]) =>
    name === 'feeAmount' || name === 'paidOutAmount' ? (entry[name] ?? 0) : entry[name]
  for (const name of AMOUNTS) {
    if (!Number.isSafeInteger(amount(name))) {
      return `${name} must be an integer amount in minor units.`
    }
  }
  const [gross, commission, hostShare, fee] = AMOUNTS.map((n) => amount(n) as number)
  if (fee < 0) {
    return 'feeAmount is what the processor kept: zero or more.'
  }
  if (gross !== commission + hostShare + fee) {
    return 'grossAmount must equal commissionAmount + hostShareAmount + feeAmount.'
  }
  return null
}

/**
 * The rules a booking by the plugin keeps, written straight to the database: the arithmetic of
 * {@link entryProblem}, and what the collection's fields require (kind, source, currency as a
 * lower-case ISO code, whole basis points from 0 to 10,000, a time, known settlement and fee
 * bearer).
 */
export function bookingProblem(entry: Record<string, unknown>): null | string {
  if (!oneOf(LEDGER_KINDS, entry.kind)) {
    return `kind must be one of ${LEDGER_KINDS.join(', ')}.`
  }
  if (!oneOf(LEDGER_SOURCES, entry.source)) {
    return `source must be one of ${LEDGER_SOURCES.join(', ')}.`
  }
  if (typeof entry.currency !== 'string' || !/^[a-z]{3}$/.test(entry.currency)) {
    return 'currency must be a three-letter ISO code in lower case, such as usd.'
  }
  const rate = entry.rateBps
  if (!Number.isSafeInteger(rate) || (rate as number) < 0 || (rate as number) > 10000) {
    return 'rateBps must be whole basis points from 0 to 10000.'
  }
  if (typeof entry.occurredAt !== 'string' || Number.isNaN(Date.parse(entry.occurredAt))) {
    return 'occurredAt must be a time.'
  }
  if (entry.settlement != null && !oneOf(LEDGER_SETTLEMENTS, entry.settlement)) {
    return `settlement must be one of ${LEDGER_SETTLEMENTS.join(', ')}.`
  }
  if (entry.feeBearer != null && !oneOf(FEE_BEARERS, entry.feeBearer)) {
    return `feeBearer must be one of ${FEE_BEARERS.join(', ')}.`
  }
  return entryProblem(entry)
}
