import { totalsByCurrency } from '../src/ledger/statement.js'
/**
 * Statement speed (issue: tickets and the commission ledger).
 *
 * A tenant with 100,000 ledger entries (over 20 hosts and 12 months), appended through the Local
 * API so the running totals are kept as in production. Then its statement through the endpoint's
 * operation, against a plain count of the tenant's entries in the same run. Target: < 200 ms.
 */
import { statementLines } from '../src/ledger/totals.js'
import { createAppointmentWorld, liveStreamOf } from '../test/helpers/fixtures.js'
import { startTestSite } from '../test/helpers/testSite.js'

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 100_000)
const site = await startTestSite({
  plugin: { lifecycle: { autoRun: false, reconcileCron: false } },
})
const { payload } = site
const world = await createAppointmentWorld(payload)
const [stream] = await liveStreamOf(payload, world.appointment.id)
const hosts: Array<number | string> = [world.host.id]
for (let i = 1; i < 20; i++) {
  const h = await payload.create({
    collection: 'users',
    data: {
      email: `bench-host-${i}@x.test`,
      password: 'pw-123456',
      role: 'host',
      tenant: world.tenant.id,
    } as never,
  })
  hosts.push(h.id)
}

const t0 = performance.now()
let next = 0
await Promise.all(
  Array.from({ length: 8 }, async () => {
    while (next < ENTRIES) {
      const i = next++
      const gross = 500 + (i % 97) * 25
      const commission = Math.round((gross * 2000) / 10000)
      await payload.create({
        collection: 'revenue-tracking',
        data: {
          kind: 'sale',
          source: 'manual',
          liveStream: stream.id,
          tenant: world.tenant.id,
          host: hosts[i % hosts.length],
          grossAmount: gross,
          commissionAmount: commission,
          hostShareAmount: gross - commission,
          currency: 'usd',
          rateBps: 2000,
          occurredAt: new Date(Date.UTC(2026, i % 12, 1 + (i % 28))).toISOString(),
        } as never,
      })
    }
  }),
)
console.log(`appended ${ENTRIES} entries in ${((performance.now() - t0) / 1000).toFixed(0)} s`)

const runs = 20
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const countTimes: number[] = []
const statementTimes: number[] = []
let totals: ReturnType<typeof totalsByCurrency> = {}
for (let i = 0; i < runs; i++) {
  let t = performance.now()
  const count = await payload.db.count({
    collection: 'revenue-tracking',
    where: { tenant: { equals: world.tenant.id } },
  })
  countTimes.push(performance.now() - t)
  if (count.totalDocs !== ENTRIES) {
    throw new Error('count mismatch')
  }
  t = performance.now()
  totals = totalsByCurrency(await statementLines(payload, { tenant: String(world.tenant.id) }))
  statementTimes.push(performance.now() - t)
}
const s = median(statementTimes)
const c = median(countTimes)
console.log(
  `statement for a tenant with ${ENTRIES} entries: median ${s.toFixed(1)} ms vs plain count ${c.toFixed(1)} ms (ratio ${(s / c).toFixed(2)}); entries in totals ${totals.usd?.entries}; target < 200 ms -> ${s < 200 && totals.usd?.entries === ENTRIES ? 'PASS' : 'MISS'}`,
)
await site.close()
process.exit(0)
