import type { Payload } from 'payload'

import type { DocId } from '../core/ids.js'

import { assertRate } from '../core/split.js'
import { pluginOptionsOf } from '../runtime.js'

/** Name of the optional per-host and per-tenant rate field (basis points). */
export const RATE_FIELD = 'commissionRateBps'

const rateOn = (doc: null | Record<string, unknown>): number | undefined => {
  const value = doc?.[RATE_FIELD]
  if (typeof value !== 'number') {
    return undefined
  }
  assertRate(value)
  return value
}

/**
 * The commission rate of a sale: the host's own rate if set, else the tenant's, else the plugin's
 * global `commissionRateBps`.
 */
export async function rateFor(
  payload: Payload,
  hostId: DocId | null | undefined,
  tenantId: DocId | null | undefined,
): Promise<number> {
  const resolved = pluginOptionsOf(payload)
  if (hostId !== null && hostId !== undefined) {
    const host = await payload.db.findOne<{ id: DocId } & Record<string, unknown>>({
      collection: resolved.usersSlug,
      where: { id: { equals: hostId } },
    })
    const own = rateOn(host)
    if (own !== undefined) {
      return own
    }
  }
  if (tenantId !== null && tenantId !== undefined && resolved.appointments.tenantsSlug) {
    const tenant = await payload.db.findOne<{ id: DocId } & Record<string, unknown>>({
      collection: resolved.appointments.tenantsSlug,
      where: { id: { equals: tenantId } },
    })
    const own = rateOn(tenant)
    if (own !== undefined) {
      return own
    }
  }
  return resolved.commissionRateBps
}
