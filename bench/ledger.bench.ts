/**
 * Ledger appends: how many sales the plugin books per second, with every check of the ledger
 * (integers, balance, known values, one entry per Checkout Session) and its running totals, next
 * to bare inserts of the same rows into the same collection in the same run (Payload's database
 * adapter, no checks, no totals), and to appends through Payload's Local API (`payload.create`,
 * the collection's own hooks), which is what the plugin did before. 8 appends in flight. Target:
 * >= 1,000 appends/s. `BENCH=ledger npm run bench`; BENCH_ENTRIES sets the count (10,000).
 */
import { recordSale } from '../src/ledger/ledgerEntries.js'
import { statementLines } from '../src/ledger/totals.js'
import { createAppointmentWorld, liveStreamOf } from '../test/helpers/fixtures.js'
import { startTestSite } from '../test/helpers/testSite.js'

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 10_000)
const LOCAL_API_ENTRIES = Math.min(ENTRIES, 1_000)
const IN_FLIGHT = 8

const site = await startTestSite({
  plugin: { lifecycle: { autoRun: false, reconcileCron: false } },
})
const { payload } = site
const world = await createAppointmentWorld(payload)
const [stream] = await liveStreamOf(payload, world.appointment.id)
const context = {
  appointment: world.appointment.id,
  liveStream: stream.id,
  tenant: world.tenant.id,
  host: world.host.id,
  currency: 'usd',
}
const rand = () => Math.random().toString(36).slice(2, 12)

async function timed(count: number, one: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < count) {
        await one(next++)
      }
    }),
  )
  return count / ((performance.now() - t0) / 1000)
}

const row = (i: number, gross: number) => {
  const commission = Math.round((gross * 2000) / 10000)
  return {
    kind: 'sale',
    source: 'stripe',
    appointment: String(world.appointment.id),
    liveStream: String(stream.id),
    tenant: String(world.tenant.id),
    host: String(world.host.id),
    grossAmount: gross,
    commissionAmount: commission - 59,
    hostShareAmount: gross - commission,
    feeAmount: 59,
    feeBearer: 'platform',
    paidOutAmount: 0,
    settlement: 'platform',
    currency: 'usd',
    rateBps: 2000,
    bookingKey: `bench-bare-${i}-${rand()}`,
    occurredAt: new Date().toISOString(),
  }
}

// Warm both paths up (connections, prepared statements, the totals row).
for (let i = 0; i < 50; i++) {
  await payload.db.create({ collection: 'revenue-tracking', data: row(-i - 1, 1500) })
}

const bare = await timed(ENTRIES, (i) => {
  const at = new Date().toISOString()
  return payload.db.create({
    collection: 'revenue-tracking',
    data: { ...row(i, 500 + (i % 97) * 25), createdAt: at, updatedAt: at },
  })
})

let booked = 0
let bookedGross = 0
const appends = await timed(ENTRIES, async (i) => {
  const gross = 500 + (i % 97) * 25
  await recordSale(
    payload,
    gross,
    2000,
    context,
    {
      eventId: `evt_${rand()}`,
      paymentIntentId: `pi_${rand()}`,
      checkoutSessionId: `cs_${i}_${rand()}`,
    },
    true,
    { settlement: 'platform', feeBearer: 'platform', fee: () => Promise.resolve(59) },
  )
  booked++
  bookedGross += gross
})
const lines = await statementLines(payload, {})
// Bare inserts skip the totals: only the appends are in them.
const totalsEntries = lines.reduce((a, l) => a + l.entries, 0)
const totalsGross = lines.reduce((a, l) => a + l.gross, 0)

const localApi = await timed(LOCAL_API_ENTRIES, (i) =>
  payload.create({
    collection: 'revenue-tracking',
    overrideAccess: true,
    data: { ...row(i, 1500), bookingKey: `bench-local-${i}-${rand()}` } as never,
  }),
)

console.log(
  `ledger appends (checks + totals): ${appends.toFixed(0)}/s vs bare inserts ${bare.toFixed(0)}/s (ratio ${(appends / bare).toFixed(2)}); through the Local API ${localApi.toFixed(0)}/s (${(appends / localApi).toFixed(1)}x slower than appends); totals took ${totalsEntries} of ${booked} entries (gross ${totalsGross === bookedGross ? 'exact' : `${totalsGross} vs ${bookedGross}`}); target >= 1,000/s -> ${appends >= 1000 && totalsEntries === booked && totalsGross === bookedGross ? 'PASS' : 'MISS'}`,
)
await site.close()
process.exit(0)
