import type { Payload, Where } from 'payload'

import { randomUUID } from 'node:crypto'

import type { DocId } from '../core/ids.js'

import { CLAIMS } from '../core/slugs.js'

/** What a won claim lets its holder do: give the row back, with what the work wrote on it. */
export type Claim = {
  /**
   * Writes `data` on the row, clears its claim field and lets the next claim in: called when the
   * work is done or has failed for now (another try comes later).
   */
  release: (data?: Record<string, unknown>) => Promise<void>
}

type ClaimRow = { id: DocId; key: string; holder: string; expiresAt: string }

/**
 * Claims a row for one instance for `forMs`, as the plugin's jobs do before they call a service
 * once for that row (a refund, a payout, an email). Two instances racing get one claim; a claim
 * left by a crash expires.
 *
 * The arbiter is a unique insert into `livekit-claims` (key: collection, row and field), the one
 * write every database makes exclusive: on some (FerretDB, for one) a conditional update is a
 * read and then a write, which two instances can both pass. After winning it, a guarded update of
 * the row checks that `where` still holds (it is still pending, not sent yet) and writes the
 * claim's expiry on the row, where admins see it. Released claims are deleted only after the
 * row's own write, so whoever claims next reads the row as the last holder left it.
 */
export async function claimRow(
  payload: Payload,
  claim: {
    collection: string
    id: DocId
    /** The date field on the row showing the claim's expiry. */
    field: string
    /** What must still be true of the row (it is still pending, not sent yet). */
    where: Where[]
    now: Date
    forMs: number
  },
): Promise<Claim | null> {
  const { collection, id, field, where, now, forMs } = claim
  const key = `${collection}/${String(id)}/${field}`
  const expiresAt = new Date(now.getTime() + forMs).toISOString()
  const holder = randomUUID()
  if (!(await takeKey(payload, key, holder, expiresAt, now))) {
    return null
  }
  const claimed = await payload.db.updateOne({
    collection,
    where: {
      and: [
        { id: { equals: id } },
        ...where,
        { or: [{ [field]: { equals: null } }, { [field]: { less_than: now.toISOString() } }] },
      ],
    },
    data: { [field]: expiresAt },
    options: { atomic: true },
  })
  if (!claimed) {
    await dropClaim(payload, key, holder)
    return null
  }
  return {
    release: async (data = {}) => {
      await payload.db.updateOne({
        collection,
        id,
        data: { ...data, [field]: null, updatedAt: new Date().toISOString() },
      })
      await dropClaim(payload, key, holder)
    },
  }
}

/**
 * Inserts the claim's key, after taking away an expired claim under it (its holder crashed or
 * stalled). False when another instance holds it. A failed insert with no key to be found means
 * a holder released its claim between the two: that is read again, a few times at most.
 */
async function takeKey(
  payload: Payload,
  key: string,
  holder: string,
  expiresAt: string,
  now: Date,
): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const held = await payload.db.findOne<ClaimRow>({
      collection: CLAIMS,
      where: { key: { equals: key } },
    })
    if (held) {
      if (new Date(held.expiresAt).getTime() > now.getTime()) {
        return false
      }
      // Only that very claim is taken away: if another instance replaced it meanwhile, this
      // deletes nothing and the insert below fails.
      await dropClaim(payload, key, held.holder)
    }
    try {
      const at = new Date().toISOString()
      await payload.db.create({
        collection: CLAIMS,
        data: { key, holder, expiresAt, createdAt: at, updatedAt: at },
      })
      return true
    } catch (error) {
      const taken = await payload.db.findOne<ClaimRow>({
        collection: CLAIMS,
        where: { key: { equals: key } },
      })
      if (taken) {
        return taken.holder === holder
      }
      if (attempt >= 3) {
        throw error
      }
    }
  }
}

async function dropClaim(payload: Payload, key: string, holder: string): Promise<void> {
  await payload.db.deleteMany({
    collection: CLAIMS,
    where: { and: [{ key: { equals: key } }, { holder: { equals: holder } }] },
  })
}

/**
 * Runs `work` while this instance holds the claim `key` (in `livekit-claims`), waiting up to
 * `waitMs` for another holder to finish: a lock across every instance on the database, for work
 * that reads and then writes rows no unique key protects (a product's stock, a room's shelf). A
 * holder that crashed leaves a claim that expires after `forMs`; the work must finish well within
 * it. Throws when the claim could not be had in time (the caller's retry tries again).
 */
export async function whileHolding<T>(
  payload: Payload,
  key: string,
  { forMs = 30_000, waitMs = 10_000 }: { forMs?: number; waitMs?: number },
  work: () => Promise<T>,
): Promise<T> {
  const holder = randomUUID()
  const giveUpAt = Date.now() + waitMs
  for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
    const now = new Date()
    if (await takeKey(payload, key, holder, new Date(now.getTime() + forMs).toISOString(), now)) {
      break
    }
    if (Date.now() > giveUpAt) {
      throw new Error(`${key} stayed claimed by another instance for ${waitMs} ms`)
    }
    await new Promise((resolve) => setTimeout(resolve, pause + Math.random() * pause))
  }
  try {
    return await work()
  } finally {
    await dropClaim(payload, key, holder)
  }
}
