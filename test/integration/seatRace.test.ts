import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createAppointmentWorld, liveStreamOf } from '../helpers/fixtures.js'
import { serveSite, type SiteServer } from '../helpers/httpServer.js'
import { checkoutMetadata, deliverStripe, sessionCompleted } from '../helpers/stripeEvents.js'
import { startTestSite, type TestSite } from '../helpers/testSite.js'

/*
 * A small flash sale: forty buyers of a class with ten places, their payments delivered at once
 * to two Payload instances of one database. Both instances take seats for the same stream at the
 * same time. Besides the capacity being exact, a refused write on the way (a seat the other
 * instance took first) must not cost a database connection: a pool that drops a connection at
 * every refusal reconnects (a new server process on PostgreSQL) hundreds of times in a real sale.
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

interface PoolEvents {
  on: (event: 'remove', listener: () => void) => void
  off: (event: 'remove', listener: () => void) => void
}
/**
 * The connection pool of a site on PostgreSQL whose sales take the plugin's own statements; none
 * on the other databases. On Payload's database API (TEST_HOT_PATHS=generic) the refused writes go
 * through the adapter's `pool.query`, which drops the connection with the error: that is the
 * adapter's behaviour, not the plugin's, so the count is only asserted for the plugin's path.
 */
const poolOf = (site: TestSite) =>
  process.env.TEST_HOT_PATHS === 'generic'
    ? null
    : ((site.payload.db as unknown as { pool?: PoolEvents }).pool ?? null)

describe('two instances selling the last places of one class', () => {
  it('sell exactly the capacity, refund the rest, and keep their database connections', async () => {
    const places = 10
    const w = await createAppointmentWorld(first.payload, {
      startsAt: inMinutes(30),
      endsAt: inMinutes(90),
      capacity: places,
    })
    const [stream] = await liveStreamOf(first.payload, w.appointment.id)
    const buyers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        first.payload.create({
          collection: 'users',
          data: {
            email: `seat-race-${i}-${Date.now()}@a.test`,
            password: 'pw-123456',
            role: 'attendee',
            tenant: w.tenant.id,
          } as never,
        }),
      ),
    )
    const events = buyers.map((buyer) =>
      sessionCompleted(
        checkoutMetadata(first.payload, {
          stream: stream as { id: Id },
          appointment: w.appointment,
          buyer: buyer as unknown as { id: Id },
        }),
      ),
    )

    let dropped = 0
    const onRemove = () => dropped++
    const pools = [first, second].map(poolOf).filter((p) => p !== null)
    pools.forEach((p) => p.on('remove', onRemove))
    try {
      const answers = await Promise.all(
        events.map((event, i) => deliverStripe(servers[i % 2].url, event)),
      )
      expect(answers.map((a) => a.status)).toEqual(events.map(() => 200))
      const outcomes = answers.map((a) => a.json.outcome as string)
      expect(outcomes.filter((o) => o === 'ticket issued')).toHaveLength(places)
      expect(outcomes.filter((o) => o === 'sold out: refunded')).toHaveLength(30)
    } finally {
      pools.forEach((p) => p.off('remove', onRemove))
    }
    expect(dropped).toBe(0)

    const tickets = await first.payload.find({
      collection: 'tickets',
      where: { liveStream: { equals: stream.id } },
      limit: 0,
      pagination: false,
    })
    const active = tickets.docs.filter((t) => t.status === 'active')
    expect(active).toHaveLength(places)
    expect(tickets.docs.filter((t) => t.status === 'refunded')).toHaveLength(30)
    // Every place is held by the buyer who came first: the active tickets have the lowest seats.
    const seats = tickets.docs.map((t) => Number(t.seat)).sort((a, b) => a - b)
    const lowest = new Set(seats.slice(0, places))
    expect(active.every((t) => lowest.has(Number(t.seat)))).toBe(true)
    expect(new Set(seats).size).toBe(40)
  })
})
