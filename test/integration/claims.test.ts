import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { EMAIL_DELIVERIES } from '../../src/core/slugs.js'
import { claimRow } from '../../src/db/claims.js'
import { startTestSite, type TestSite } from '../helpers/testSite.js'

/*
 * The claim the refund, payout and email jobs take before they call a service once per row. Two
 * instances on one database race for it; on every adapter (FerretDB's conditional updates are a
 * read then a write) exactly one of them may win.
 */

let first: TestSite
let second: TestSite

beforeAll(async () => {
  const plugin = { lifecycle: { autoRun: false as const, reconcileCron: false as const } }
  first = await startTestSite({ plugin })
  second = await startTestSite({ plugin }, undefined, first)
}, 240_000)
afterAll(async () => {
  await second?.close()
  await first?.close()
})

const CLAIM_MS = 60_000

async function delivery(key: string) {
  const now = new Date().toISOString()
  return first.payload.db.create({
    collection: EMAIL_DELIVERIES,
    data: { key, kind: 'purchase', attempts: 0, createdAt: now, updatedAt: now },
  })
}

const claimOn = (site: TestSite, id: number | string, now: Date) =>
  claimRow(site.payload, {
    collection: EMAIL_DELIVERIES,
    id,
    field: 'claimedUntil',
    where: [{ sentAt: { equals: null } }],
    now,
    forMs: CLAIM_MS,
  })

/** Sixteen claims at once, half through each instance; the ones that won. */
async function race(id: number | string, now: Date) {
  const claims = await Promise.all(
    Array.from({ length: 16 }, (_, i) => claimOn(i % 2 ? second : first, id, now)),
  )
  return claims.filter((c) => c !== null)
}

describe('a claim on a row', () => {
  it('goes to exactly one of many racing instances, and to nobody while it holds', async () => {
    for (let round = 0; round < 5; round++) {
      const row = await delivery(`claims-race-${round}-${Date.now()}`)
      const now = new Date()
      expect(await race(row.id, now)).toHaveLength(1)
      // Held: nobody else gets it until it expires.
      expect(await claimOn(second, row.id, new Date(now.getTime() + CLAIM_MS / 2))).toBeNull()
    }
  })

  it('is taken over once after its holder vanished, and never after the work is done', async () => {
    const row = await delivery(`claims-expiry-${Date.now()}`)
    const now = new Date()
    expect(await claimOn(first, row.id, now)).not.toBeNull()
    // The holder crashed: after the expiry, one of the racers takes the row over.
    const later = new Date(now.getTime() + CLAIM_MS + 1000)
    const [winner, ...others] = await race(row.id, later)
    expect(winner).toBeDefined()
    expect(others).toHaveLength(0)
    // Done: the row no longer needs work, so nobody claims it again.
    await winner.release({ sentAt: later.toISOString() })
    expect(await race(row.id, new Date(later.getTime() + 1000))).toHaveLength(0)
    const stored = await first.payload.db.findOne<{
      id: number | string
      claimedUntil?: null | string
    }>({
      collection: EMAIL_DELIVERIES,
      where: { id: { equals: row.id } },
    })
    expect(stored?.claimedUntil ?? null).toBeNull()
  })

  it('is free for the next try once released after a failure', async () => {
    const row = await delivery(`claims-retry-${Date.now()}`)
    const now = new Date()
    const claim = await claimOn(first, row.id, now)
    expect(claim).not.toBeNull()
    await claim!.release({ attempts: 1, error: 'the mail server refused' })
    expect(await race(row.id, new Date(now.getTime() + 1000))).toHaveLength(1)
  })
})
