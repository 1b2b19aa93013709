import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createAppointmentWorld, liveStreamOf } from '../helpers/fixtures.js'
import { serveSite, type SiteServer } from '../helpers/httpServer.js'
import {
  chargeRefunded,
  checkoutMetadata,
  deliverStripe,
  sessionCompleted,
  sessionOf,
} from '../helpers/stripeEvents.js'
import { startTestSite, type TestSite } from '../helpers/testSite.js'

/*
 * Stripe delivers at least once, in any order, to whichever instance the load balancer picks.
 * Whatever it does with a sale and its refunds — duplicates, refunds before the sale, deliveries
 * racing on two Payload instances of one database — the ledger and the ticket must end as if the
 * events had come once each, in order, and the net of the sale never goes below zero.
 */

type Id = number | string
let first: TestSite
let second: TestSite
let servers: SiteServer[]
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString()

beforeAll(async () => {
  const plugin = { lifecycle: { autoRun: false as const, reconcileCron: false as const } }
  first = await startTestSite({ plugin })
  second = await startTestSite({ plugin }, undefined, first)
  servers = [await serveSite(first), await serveSite(second)]
}, 180_000)
afterAll(async () => {
  for (const server of servers ?? []) {
    await server.close()
  }
  await second?.close()
  await first?.close()
})

async function world() {
  const w = await createAppointmentWorld(first.payload, {
    startsAt: inMinutes(30),
    endsAt: inMinutes(90),
  })
  const buyer = await first.payload.create({
    collection: 'users',
    data: {
      email: `prop-${Math.random().toString(36).slice(2, 10)}@a.test`,
      password: 'pw-123456',
      role: 'attendee',
      tenant: w.tenant.id,
    } as never,
  })
  const [stream] = await liveStreamOf(first.payload, w.appointment.id)
  return { ...w, buyer: buyer as unknown as { id: Id }, stream }
}

/** The ledger and ticket state of one sale, read back from the shared database. */
async function stateOf(w: Awaited<ReturnType<typeof world>>) {
  const entries = (
    await first.payload.find({
      collection: 'revenue-tracking',
      where: { liveStream: { equals: String(w.stream.id) } },
      limit: 0,
      pagination: false,
    })
  ).docs
  const sum = (k: string) => entries.reduce((a, e) => a + (e[k] as number), 0)
  const totals = (
    await first.payload.db.find<{ id: Id; gross: number; commission: number; hostShare: number }>({
      collection: 'revenue-totals',
      where: { host: { equals: String(w.host.id) } },
      limit: 0,
      pagination: false,
    })
  ).docs
  const tickets = (
    await first.payload.find({
      collection: 'tickets',
      where: { liveStream: { equals: w.stream.id } },
      overrideAccess: true,
    })
  ).docs
  return {
    net: {
      gross: sum('grossAmount'),
      commission: sum('commissionAmount'),
      hostShare: sum('hostShareAmount'),
    },
    totals: {
      gross: totals.reduce((a, t) => a + Number(t.gross), 0),
      commission: totals.reduce((a, t) => a + Number(t.commission), 0),
      hostShare: totals.reduce((a, t) => a + Number(t.hostShare), 0),
    },
    sales: entries.filter((e) => e.kind === 'sale').length,
    tickets: tickets.map((t) => ({ status: t.status, amount: t.amount, currency: t.currency })),
  }
}

/** A sale and the cumulative refunds Stripe would report for it, in order. */
function eventsFor(
  w: Awaited<ReturnType<typeof world>>,
  gross: number,
  rateBps: number,
  refunds: number[],
) {
  const sale = sessionCompleted(
    checkoutMetadata(first.payload, w, { amount: String(gross), rateBps: String(rateBps) }),
    { amount_total: gross },
  )
  const pi = sessionOf(sale).payment_intent
  return [sale, ...refunds.map((cumulative) => chargeRefunded(pi, cumulative, gross))]
}

const scenario = fc
  .record({
    gross: fc.integer({ min: 1, max: 250_000 }),
    rateBps: fc.integer({ min: 0, max: 10_000 }),
    // Partial refunds as thousandths of the sale; `full` ends with a full refund.
    parts: fc.uniqueArray(fc.integer({ min: 1, max: 999 }), { maxLength: 3 }),
    full: fc.boolean(),
  })
  .map((s) => {
    const partial = [
      ...new Set(s.parts.sort((a, b) => a - b).map((p) => Math.floor((s.gross * p) / 1000))),
    ].filter((c) => c > 0 && c < s.gross)
    return { ...s, refunds: s.full ? [...partial, s.gross] : partial }
  })
  .chain((s) => {
    const events = 1 + s.refunds.length
    // Each event at least once, some twice; each delivery to one of the two instances, in one of
    // a few waves: a wave's deliveries run at once, waves one after another.
    const delivery = (event: number) =>
      fc.record({
        event: fc.constant(event),
        instance: fc.integer({ min: 0, max: 1 }),
        wave: fc.integer({ min: 0, max: 2 }),
      })
    return fc.record({
      ...Object.fromEntries(Object.entries(s).map(([k, v]) => [k, fc.constant(v)])),
      deliveries: fc
        .tuple(
          fc.tuple(...Array.from({ length: events }, (_, e) => delivery(e))),
          fc.array(fc.integer({ min: 0, max: events - 1 }).chain(delivery), { maxLength: 3 }),
        )
        .map(([once, again]) => [...once, ...again]),
    }) as fc.Arbitrary<
      { deliveries: Array<{ event: number; instance: number; wave: number }> } & typeof s
    >
  })

describe('the money property', () => {
  it('any interleaving of a sale, partial and full refunds, duplicates and reorderings over two instances ends as in-order delivery, never below zero', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        // In order, once each, on one instance: the reference.
        const reference = await world()
        for (const event of eventsFor(reference, s.gross, s.rateBps, s.refunds)) {
          expect((await deliverStripe(servers[0].url, event)).status).toBe(200)
        }
        const expected = await stateOf(reference)

        const w = await world()
        const events = eventsFor(w, s.gross, s.rateBps, s.refunds)
        for (let wave = 0; wave <= 2; wave++) {
          const now = s.deliveries.filter((d) => d.wave === wave)
          const answers = await Promise.all(
            now.map((d) => deliverStripe(servers[d.instance].url, events[d.event])),
          )
          expect(answers.map((a) => a.status)).toEqual(now.map(() => 200))
          const { net } = await stateOf(w)
          expect(net.gross).toBeGreaterThanOrEqual(0)
          expect(net.commission).toBeGreaterThanOrEqual(0)
          expect(net.hostShare).toBeGreaterThanOrEqual(0)
        }
        const actual = await stateOf(w)
        expect(actual).toEqual(expected)
        expect(actual.totals).toEqual(actual.net)
        expect(actual.sales).toBe(1)
        expect(actual.tickets).toEqual([
          { status: s.full ? 'refunded' : 'active', amount: s.gross, currency: 'usd' },
        ])
      }),
      { numRuns: 20, endOnFailure: true },
    )
  }, 300_000)
})
