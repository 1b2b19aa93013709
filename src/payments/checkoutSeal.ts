import { createHmac, timingSafeEqual } from 'node:crypto'

import { derivedKey } from '../access/derivedKey.js'

/**
 * What a ticket's Checkout Session says it is for, as the plugin wrote it into the session's
 * metadata. Every value is a string (Stripe metadata is strings only).
 */
export interface CheckoutFacts {
  /** The site (and environment) that created the session: `stripe.siteId`. */
  site: string
  liveStreamId: string
  appointmentId: string
  userId: string
  rateBps: string
  /** The host's connected account, when the sale is a destination charge. */
  destination?: string
  /** The price the plugin asked for, in minor units, and its currency (lower case). */
  amount: string
  currency: string
  /** `separate` when the host is paid later by the payout job (separate charges and transfers). */
  settlement?: 'separate'
  /** Who bears Stripe's fee, fixed at checkout like the rate. */
  feeBearer?: 'host' | 'platform'
  /** `product` for a product bought during the stream; absent for a ticket. */
  kind?: 'product'
  /** The product and the pin that was showing, for a product. */
  productId?: string
  pinId?: string
}

const FIELDS = [
  'site',
  'liveStreamId',
  'appointmentId',
  'userId',
  'rateBps',
  'destination',
  'amount',
  'currency',
] as const
// Fields added later are sealed only when present, so sessions created before them still open.
const LATER_FIELDS = ['settlement', 'feeBearer', 'kind', 'productId', 'pinId'] as const

/**
 * The key that seals checkout metadata, derived from the site's Payload secret: another site or
 * environment on the same Stripe account (another secret) cannot make sessions this one books.
 */
function sealKey(payloadSecret: string): Buffer {
  return derivedKey(payloadSecret, 'payload-plugin-livekit/checkout-metadata/v1')
}

function sealOf(facts: CheckoutFacts, payloadSecret: string): string {
  // Length-prefixed, so no value can shift into its neighbour; an absent value is not an empty one.
  const later = LATER_FIELDS.filter((f) => facts[f] !== undefined).map(
    (f) => `${f}=${facts[f]!.length}:${facts[f]}`,
  )
  const text = [
    ...FIELDS.map((f) => {
      const v = facts[f]
      return v === undefined ? '-' : `${v.length}:${v}`
    }),
    ...later,
  ].join('|')
  return createHmac('sha256', sealKey(payloadSecret)).update(text).digest('base64url')
}

/** The session metadata for `facts`, with the seal (`seal`) that vouches for them. */
export function sealedMetadata(
  facts: CheckoutFacts,
  payloadSecret: string,
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const f of [...FIELDS, ...LATER_FIELDS]) {
    if (facts[f] !== undefined) {
      out[f] = facts[f]!
    }
  }
  out.seal = sealOf(facts, payloadSecret)
  return out
}

/**
 * The facts of a session's metadata when this site sealed them with its id, else null (a session
 * of another site, of an older plugin, or with edited metadata).
 */
export function openSeal(
  metadata: null | Record<string, string> | undefined,
  siteId: string,
  payloadSecret: string,
): CheckoutFacts | null {
  if (!metadata || metadata.site !== siteId || typeof metadata.seal !== 'string') {
    return null
  }
  const facts = {} as CheckoutFacts
  for (const f of [...FIELDS, ...LATER_FIELDS]) {
    const v = metadata[f]
    if (v !== undefined && typeof v !== 'string') {
      return null
    }
    if (v !== undefined) {
      ;(facts as unknown as Record<string, string>)[f] = v
    }
  }
  for (const f of FIELDS) {
    if (f !== 'destination' && facts[f] === undefined) {
      return null
    }
  }
  const expected = Buffer.from(sealOf(facts, payloadSecret))
  const given = Buffer.from(metadata.seal)
  return expected.length === given.length && timingSafeEqual(expected, given) ? facts : null
}
