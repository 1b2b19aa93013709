/**
 * Money arithmetic of the ledger. Pure, integers only: amounts are in the currency's minor units
 * (cents; yen for JPY, which has none), rates in basis points (2000 = 20%).
 *
 * The rounding rule, the one the whole plugin uses:
 *   commission = round-half-up(gross × rate / 10000), host share = gross − commission.
 * The host gets the remainder, so gross = commission + host share always holds exactly.
 */

/** A sale or refund split between the platform and the host. */
export interface Split {
  gross: number
  commission: number
  hostShare: number
  rateBps: number
}

function assertAmount(name: string, value: number) {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`${name} must be a safe integer amount in minor units, got ${value}`)
  }
}

export function assertRate(rateBps: number) {
  if (!Number.isInteger(rateBps) || rateBps < 0 || rateBps > 10000) {
    throw new RangeError(`rate must be 0..10000 basis points, got ${rateBps}`)
  }
}

/** Half-up division of a non-negative numerator, in BigInt so large amounts stay exact. */
function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n)
}

/** Commission on a gross amount, half-up; negative amounts (refunds) mirror positive ones. */
export function commissionOf(gross: number, rateBps: number): number {
  assertAmount('gross', gross)
  assertRate(rateBps)
  const magnitude = divideHalfUp(BigInt(Math.abs(gross)) * BigInt(rateBps), 10000n)
  return Number(gross < 0 ? -magnitude : magnitude)
}

/** Splits a gross amount; refunds pass a negative gross and get a mirrored split. */
export function split(gross: number, rateBps: number): Split {
  const commission = commissionOf(gross, rateBps)
  return { gross, commission, hostShare: gross - commission, rateBps }
}

/**
 * The reversing split of a (partial) refund of `refunded` out of an original `sale`: in proportion
 * to the sale, so a full refund reverses it exactly and partial refunds never reverse more than
 * was booked. `alreadyRefunded` is what earlier refunds of the same sale reversed (as positive
 * amounts), so several partial refunds add up to the original split.
 */
export function refundSplit(
  sale: Split,
  refunded: number,
  alreadyRefunded: { gross: number; commission: number } = { gross: 0, commission: 0 },
): Split {
  assertAmount('refunded', refunded)
  if (refunded <= 0) {
    throw new RangeError('a refund is a positive amount')
  }
  const totalRefunded = alreadyRefunded.gross + refunded
  if (totalRefunded > sale.gross) {
    throw new RangeError('cannot refund more than the sale')
  }
  // Commission reversed so far is proportional to everything refunded so far; this refund reverses the difference.
  const commissionSoFar = Number(
    divideHalfUp(BigInt(sale.commission) * BigInt(totalRefunded), BigInt(sale.gross)),
  )
  const commission = commissionSoFar - alreadyRefunded.commission
  return {
    gross: -refunded,
    commission: -commission,
    hostShare: -(refunded - commission),
    rateBps: sale.rateBps,
  }
}

/** Who pays the payment processor's fee of a sale: the platform (from its commission) or the host. */
export type FeeBearer = 'host' | 'platform'

/** A sale's split once Stripe's fee is known: gross = commission + hostShare + fee, exactly. */
export interface FeeSplit extends Split {
  fee: number
  feeBearer: FeeBearer
}

/**
 * Takes the processor's fee from the side that bears it. The fee comes out of that side whole,
 * even past zero (a 0% commission with the platform bearing the fee books a negative commission):
 * what Stripe kept is what someone paid, and the entry must say who.
 */
export function withFee(sale: Split, fee: number, bearer: FeeBearer): FeeSplit {
  assertAmount('fee', fee)
  if (fee < 0) {
    throw new RangeError('a processor fee is zero or positive')
  }
  return bearer === 'platform'
    ? { ...sale, commission: sale.commission - fee, fee, feeBearer: bearer }
    : { ...sale, hostShare: sale.hostShare - fee, fee, feeBearer: bearer }
}

/**
 * The split a sale had before its fee was taken: what refunds reverse. Stripe keeps its fee when a
 * payment is refunded, so a refund gives back the split of the price and the fee stays a cost of
 * whoever bore it.
 */
export function beforeFee(sale: FeeSplit): Split {
  return {
    gross: sale.gross,
    commission: sale.commission + (sale.feeBearer === 'platform' ? sale.fee : 0),
    hostShare: sale.hostShare + (sale.feeBearer === 'host' ? sale.fee : 0),
    rateBps: sale.rateBps,
  }
}

/** ISO 4217 currencies without minor units: their amounts are whole units already. */
export const ZERO_DECIMAL_CURRENCIES = new Set([
  'bif',
  'clp',
  'djf',
  'gnf',
  'jpy',
  'kmf',
  'krw',
  'mga',
  'pyg',
  'rwf',
  'ugx',
  'vnd',
  'vuv',
  'xaf',
  'xof',
  'xpf',
])

/** Formats minor units for people (statements, CSV), without floating point. */
export function formatAmount(amount: number, currency: string): string {
  const code = currency.toLowerCase()
  if (ZERO_DECIMAL_CURRENCIES.has(code)) {
    return `${amount} ${code.toUpperCase()}`
  }
  const sign = amount < 0 ? '-' : ''
  const abs = Math.abs(amount)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')} ${code.toUpperCase()}`
}

/**
 * The participation estimate, an optional revenue model: base price × min(participants
 * / 10, 3), × 1.2 when the session ran longer than 60 minutes. In integers: base × min(p, 30) ×
 * (12 or 10) / 100, rounded half-up.
 */
export function participationGross(
  basePrice: number,
  participants: number,
  durationSeconds: number,
): number {
  assertAmount('basePrice', basePrice)
  if (basePrice <= 0 || participants <= 0) {
    return 0
  }
  const factor = durationSeconds > 3600 ? 12n : 10n
  return Number(divideHalfUp(BigInt(basePrice) * BigInt(Math.min(participants, 30)) * factor, 100n))
}
