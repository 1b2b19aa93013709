import type { Payload, Where } from 'payload'

import type { DocId } from '../core/ids.js'

/**
 * Claims a row for one instance for `forMs`, as the plugin's jobs do before they call a service
 * once for that row (a refund, a payout, an email): one conditional update that succeeds only
 * where `where` still holds and no unexpired claim is in `field`. Two instances racing get one
 * true; a claim left by a crash expires. Atomic on every adapter (a single guarded update).
 */
export async function claimRow(
  payload: Payload,
  claim: {
    collection: string
    id: DocId
    /** The date field holding the claim's expiry. */
    field: string
    /** What must still be true of the row (it is still pending, not sent yet). */
    where: Where[]
    now: Date
    forMs: number
  },
): Promise<boolean> {
  const { collection, id, field, where, now, forMs } = claim
  const claimed = await payload.db.updateOne({
    collection,
    where: {
      and: [
        { id: { equals: id } },
        ...where,
        { or: [{ [field]: { equals: null } }, { [field]: { less_than: now.toISOString() } }] },
      ],
    },
    data: { [field]: new Date(now.getTime() + forMs).toISOString() },
    options: { atomic: true },
  })
  return Boolean(claimed)
}
