import type { Payload, Where } from 'payload'

import type { DocId } from '../core/ids.js'

import { LIVE_STREAMS, REVENUE_TRACKING } from '../core/slugs.js'
import { type PayoutEntry, tallyStream } from './payoutPolicy.js'

/**
 * What is held for hosts right now (streams whose payout waits for the hold), keyed
 * `host|currency` with the host id as the ledger keeps it (text). Filtered like a statement by
 * host and tenant.
 */
export async function heldForHosts(
  payload: Payload,
  filters: { host?: string; tenant?: string },
): Promise<Map<string, number>> {
  // The filters are compared with the ledger's text ids below, never with the streams' typed
  // relationships: a filter that is no id of that type matches nothing instead of failing.
  const streams = await payload.db.find<{ id: DocId }>({
    collection: LIVE_STREAMS,
    where: { payoutStatus: { equals: 'held' } },
    limit: 0,
    pagination: false,
    select: { payoutStatus: true },
  })
  const held = new Map<string, number>()
  const hasTenant = payload.collections[REVENUE_TRACKING]?.config.flattenedFields.some(
    (f) => f.name === 'tenant',
  )
  if (streams.docs.length === 0 || (filters.tenant && !hasTenant)) {
    return held
  }
  const entries = await payload.db.find<{ liveStream: string } & PayoutEntry>({
    collection: REVENUE_TRACKING,
    where: {
      and: [
        { liveStream: { in: streams.docs.map((s) => String(s.id)) } },
        { or: [{ settlement: { equals: 'separate' } }, { kind: { equals: 'payout' } }] },
        ...(filters.host ? [{ host: { equals: filters.host } } as Where] : []),
        // Ledgers of sites without tenants have no tenant column; their filter matches nothing.
        ...(filters.tenant ? [{ tenant: { equals: filters.tenant } } as Where] : []),
      ],
    },
    limit: 0,
    pagination: false,
  })
  const byStream = new Map<string, PayoutEntry[]>()
  for (const e of entries.docs) {
    byStream.set(e.liveStream, [...(byStream.get(e.liveStream) ?? []), e])
  }
  for (const list of byStream.values()) {
    const tally = tallyStream(list)
    if (tally.balance > 0 && tally.currency) {
      const key = `${tally.host ?? '-'}|${tally.currency}`
      held.set(key, (held.get(key) ?? 0) + tally.balance)
    }
  }
  return held
}
