import { dispose, type Room, RoomEvent } from '@livekit/rtc-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { openStream } from '../../src/lifecycle/operations/streamLifecycle.js'
import { createAppointmentWorld, liveStreamOf } from '../helpers/fixtures.js'
import { callApi, login, serveSite, type SiteServer } from '../helpers/httpServer.js'
import { joinRoom } from '../helpers/livekit.js'
import { smtpEmailAdapter, startMailbox } from '../helpers/mailbox.js'
import { waitFor } from '../helpers/media.js'
import { chargeRefunded, deliverStripe, sessionCompleted } from '../helpers/stripeEvents.js'
import { recordStripe } from '../helpers/stripeRecorder.js'
import { startTestSite, type TestSite } from '../helpers/testSite.js'

type Id = number | string
let site: TestSite
let server: SiteServer
let recorder: Awaited<ReturnType<typeof recordStripe>>
let mailbox: Awaited<ReturnType<typeof startMailbox>>
const rooms: Room[] = []
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString()

beforeAll(async () => {
  recorder = await recordStripe()
  mailbox = await startMailbox()
  site = await startTestSite(
    {
      plugin: {
        lifecycle: { autoRun: false, reconcileCron: false },
        stripe: { apiBase: recorder.url },
      },
    },
    ((config: object) => ({ ...config, email: smtpEmailAdapter(mailbox.port) })) as never,
  )
  server = await serveSite(site)
}, 120_000)
afterAll(async () => {
  for (const room of rooms) {
    await room.disconnect()
  }
  await server?.close()
  await recorder?.close()
  await site?.close()
  await mailbox?.close()
  await dispose()
})

const call = (method: string, path: string, authorization?: string, body?: unknown) =>
  callApi(server, method, path, authorization, body)

/** A public stream that is live, its host logged in, an attendee and a product. */
async function liveWorld(
  product: Record<string, unknown> = {},
  overrides: Record<string, unknown> = {},
) {
  const w = await createAppointmentWorld(site.payload, {
    startsAt: inMinutes(2),
    endsAt: inMinutes(60),
    visibility: 'public',
    price: 0,
    ...overrides,
  })
  const [stream] = await liveStreamOf(site.payload, w.appointment.id)
  expect(
    await openStream({ payload: site.payload, liveStreamId: stream.id, reason: 'test' }),
  ).toMatchObject({ outcome: 'opened' })
  const suffix = Math.random().toString(36).slice(2, 8)
  const attendee = await site.payload.create({
    collection: 'users',
    data: {
      email: `viewer-${suffix}@a.test`,
      password: 'pw-123456',
      role: 'attendee',
      tenant: w.tenant.id,
    } as never,
  })
  const item = (await site.payload.create({
    collection: 'products' as never,
    data: {
      title: `Yoga mat ${suffix}`,
      price: 2500,
      currency: 'usd',
      stock: 10,
      ...product,
    } as never,
  })) as unknown as { id: Id; title: string }
  const refreshed = (await site.payload.findByID({
    collection: 'live-streams',
    id: stream.id,
  })) as unknown as {
    id: Id
    roomName: string
  }
  return {
    ...w,
    stream: refreshed,
    product: item,
    attendee,
    hostAuth: await login(server, String(w.host.email), 'pw-123456'),
    attendeeAuth: await login(server, String(attendee.email), 'pw-123456'),
  }
}

const shopIn = (room: Room) => {
  const metadata = room.metadata ? (JSON.parse(room.metadata) as Record<string, any>) : {}
  return metadata.shop as
    { spotlight: null | Record<string, any>; shelf: Array<Record<string, any>> } | undefined
}

const stockOf = async (id: Id) =>
  (
    (await site.payload.findByID({ collection: 'products' as never, id })) as unknown as {
      stock: number
    }
  ).stock

/** A paid completion of a product checkout the site created (the metadata as it sealed it). */
async function paidCheckout(
  w: Awaited<ReturnType<typeof liveWorld>>,
  pinId: string,
  auth?: string,
  email = 'buyer@a.test',
) {
  const answer = await call('POST', `/live-streams/${w.stream.id}/pins/${pinId}/checkout`, auth, {})
  expect(answer.status).toBe(200)
  const sent = recorder.requests.filter((r) => r.path === '/v1/checkout/sessions').at(-1)!
  const metadata: Record<string, string> = {}
  for (const [k, v] of sent.params) {
    const m = /^metadata\[(\w+)\]$/.exec(k)
    if (m) {
      metadata[m[1]] = v
    }
  }
  return sessionCompleted(metadata, {
    amount_total: Number(metadata.amount),
    currency: metadata.currency,
    customer_details: { email },
  })
}

describe('pinning', () => {
  it('a host pins a product: viewers in the room get the card within a second, a late joiner too, an attendee cannot pin', async () => {
    const w = await liveWorld()
    const viewers = await Promise.all([
      joinRoom(w.stream.roomName, 'viewer-a'),
      joinRoom(w.stream.roomName, 'viewer-b'),
    ])
    rooms.push(...viewers)
    const arrived = viewers.map(
      (room) =>
        new Promise<number>((resolve) => {
          room.on(RoomEvent.RoomMetadataChanged, () => {
            if (shopIn(room)?.spotlight) {
              resolve(Date.now())
            }
          })
        }),
    )
    const refused = await call('POST', `/live-streams/${w.stream.id}/pins`, w.attendeeAuth, {
      product: w.product.id,
    })
    expect(refused).toMatchObject({ status: 403, json: { error: { code: 'not_a_moderator' } } })
    expect(
      await call('POST', `/live-streams/${w.stream.id}/pins`, undefined, { product: w.product.id }),
    ).toMatchObject({
      status: 403,
    })

    const sentAt = Date.now()
    const pinned = await call('POST', `/live-streams/${w.stream.id}/pins`, w.hostAuth, {
      product: w.product.id,
    })
    expect(pinned.status).toBe(200)
    expect(pinned.json.shop.spotlight).toMatchObject({
      productId: String(w.product.id),
      price: 2500,
      stock: 10,
    })
    const times = await Promise.all(arrived)
    for (const t of times) {
      expect(t - sentAt).toBeLessThan(1000)
    }
    expect(shopIn(viewers[0])!.spotlight).toMatchObject({
      pinId: pinned.json.pinId,
      currency: 'usd',
    })

    const late = await joinRoom(w.stream.roomName, 'viewer-late')
    rooms.push(late)
    expect(shopIn(late)?.spotlight?.pinId).toBe(pinned.json.pinId)

    // A second product takes the spotlight; the first comes down, with its time kept.
    const other = (await site.payload.create({
      collection: 'products' as never,
      data: { title: 'Blocks', price: 900, currency: 'usd' } as never,
    })) as unknown as { id: Id }
    const next = await call('POST', `/live-streams/${w.stream.id}/pins`, w.hostAuth, {
      product: other.id,
    })
    expect(next.json.shop.spotlight).toMatchObject({ productId: String(other.id), stock: null })
    await waitFor(() => shopIn(late)?.spotlight?.productId === String(other.id), 2000)
    const shelf = await call('POST', `/live-streams/${w.stream.id}/pins`, w.hostAuth, {
      product: w.product.id,
      place: 'shelf',
    })
    expect(shelf.json.shop.shelf.map((c: any) => c.productId)).toEqual([String(w.product.id)])
    const down = await call(
      'DELETE',
      `/live-streams/${w.stream.id}/pins/${next.json.pinId}`,
      w.hostAuth,
    )
    expect(down).toMatchObject({ status: 200, json: { shop: { spotlight: null } } })
    await waitFor(() => shopIn(late)?.spotlight === null, 2000)

    const view = await call('GET', `/live-streams/${w.stream.id}/shop`, w.attendeeAuth)
    expect(view.json.moments.map((m: any) => m.pinId)).toEqual([
      pinned.json.pinId,
      next.json.pinId,
      shelf.json.pinId,
    ])
    expect(view.json.moments[0].unpinnedAt).not.toBeNull()
    expect(view.json.figures).toBeUndefined()
  }, 60_000)

  it('refuses bad pins clearly and changes nothing', async () => {
    const w = await liveWorld()
    const unpriced = (await site.payload.create({
      collection: 'products' as never,
      data: { title: 'Free sample', price: 1, currency: 'usd' } as never,
    })) as unknown as { id: Id }
    await site.payload.db.updateOne({ collection: 'products', id: unpriced.id, data: { price: 0 } })
    const cases: Array<[unknown, number, string]> = [
      [{}, 400, 'invalid_product'],
      [{ product: { $ne: 1 } }, 400, 'invalid_product'],
      [{ product: w.product.id, place: 'ceiling' }, 400, 'invalid_place'],
      [{ product: unpriced.id }, 409, 'product_unpriced'],
    ]
    for (const [body, status, code] of cases) {
      expect(
        await call('POST', `/live-streams/${w.stream.id}/pins`, w.hostAuth, body),
      ).toMatchObject({
        status,
        json: { error: { code } },
      })
    }
    const missing = await call('POST', `/live-streams/${w.stream.id}/pins`, w.hostAuth, {
      product: typeof w.product.id === 'number' ? 99_999_999 : '64b000000000000000000000',
    })
    expect(missing.status).toBe(404)
    expect(
      await call('DELETE', `/live-streams/${w.stream.id}/pins/nope`, w.hostAuth),
    ).toMatchObject({ status: 404 })
    const view = await call('GET', `/live-streams/${w.stream.id}/shop`, w.hostAuth)
    expect(view.json.moments).toEqual([])
  }, 60_000)
})

describe('buying in the stream', () => {
  it('a guest buys the spotlight product: Checkout at the card price with the commission; the completion books one product_sale and takes a unit', async () => {
    const w = await liveWorld({ price: 3000, stock: 5 })
    await site.payload.update({
      collection: 'users',
      id: w.host.id,
      data: { stripeAccountId: 'acct_1ShopHost' } as never,
    })
    const pinned = await call('POST', `/live-streams/${w.stream.id}/pins`, w.hostAuth, {
      product: w.product.id,
    })
    // A guest of the public stream: no login, Checkout asks for the email.
    expect(
      (
        await call(
          'POST',
          `/live-streams/${w.stream.id}/pins/${pinned.json.pinId}/click`,
          undefined,
          {},
        )
      ).status,
    ).toBe(200)
    const event = await paidCheckout(w, pinned.json.pinId)
    const sent = recorder.requests.filter((r) => r.path === '/v1/checkout/sessions').at(-1)!
    expect(sent.params.get('line_items[0][price_data][unit_amount]')).toBe('3000')
    expect(sent.params.get('payment_intent_data[application_fee_amount]')).toBe('600')
    expect(sent.params.get('payment_intent_data[transfer_data][destination]')).toBe(
      'acct_1ShopHost',
    )
    expect(sent.params.get('metadata[kind]')).toBe('product')
    expect(sent.params.get('metadata[pinId]')).toBe(pinned.json.pinId)
    expect(sent.params.get('metadata[userId]')).toBe('')
    expect(sent.idempotencyKey).toMatch(new RegExp(`^product-checkout:${pinned.json.pinId}:guest-`))

    const first = await deliverStripe(server.url, event)
    expect(first).toMatchObject({ status: 200, json: { outcome: 'product sold' } })
    expect((await deliverStripe(server.url, event)).json).toMatchObject({ duplicate: true })
    expect(await stockOf(w.product.id)).toBe(4)
    const entries = (
      await site.payload.find({
        collection: 'revenue-tracking',
        where: { liveStream: { equals: String(w.stream.id) } },
      })
    ).docs as unknown as Array<Record<string, any>>
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({
      kind: 'product_sale',
      grossAmount: 3000,
      commissionAmount: 600,
      product: String(w.product.id),
      pin: pinned.json.pinId,
      settlement: 'destination',
    })
    const orders = (
      await site.payload.find({
        collection: 'product-orders' as never,
        where: { liveStream: { equals: w.stream.id } },
      })
    ).docs as unknown as Array<Record<string, any>>
    expect(orders).toMatchObject([
      { status: 'paid', stockDecision: 'taken', stockBefore: 5, email: 'buyer@a.test' },
    ])

    const view = await call('GET', `/live-streams/${w.stream.id}/shop`, w.hostAuth)
    expect(view.json.shop.spotlight.stock).toBe(4)
    expect(view.json.figures.pins[0]).toMatchObject({
      clicks: 1,
      checkouts: 1,
      purchases: 1,
      revenue: 3000,
      commission: 600,
    })

    // The statement separates the product from tickets.
    const statement = await call(
      'GET',
      `/revenue-tracking/statement?host=${w.host.id}`,
      await adminAuth(),
    )
    expect(statement.status).toBe(200)
    expect(statement.json.lines[0]).toMatchObject({
      gross: 3000,
      productGross: 3000,
      productCommission: 600,
    })

    // The host, who may not read product orders in general, reads the sales of their stream:
    // the order with its ledger line, without the buyer's address; an attendee reads nothing.
    const hostSales = await call('GET', `/live-streams/${w.stream.id}/sales`, w.hostAuth)
    expect(hostSales.status).toBe(200)
    expect(hostSales.json.orders).toHaveLength(1)
    expect(hostSales.json.orders[0]).toMatchObject({
      status: 'paid',
      amount: 3000,
      pin: pinned.json.pinId,
      lines: [{ kind: 'product_sale', grossAmount: 3000, commissionAmount: 600 }],
    })
    expect(hostSales.json.orders[0]).not.toHaveProperty('email')
    expect(hostSales.json.otherLines).toEqual([])
    const adminSales = await call('GET', `/live-streams/${w.stream.id}/sales`, await adminAuth())
    expect(adminSales.json.orders[0].email).toBe('buyer@a.test')
    const refused = await call('GET', `/live-streams/${w.stream.id}/sales`, w.attendeeAuth)
    expect(refused).toMatchObject({ status: 403, json: { error: { code: 'not_a_moderator' } } })
    // A guest of this public stream is no moderator either.
    expect((await call('GET', `/live-streams/${w.stream.id}/sales`)).status).toBe(403)
  }, 60_000)

  it('three buyers of the last unit at once: one sale, two refunds, never oversold', async () => {
    const w = await liveWorld({ stock: 1 })
    const pinned = await call('POST', `/live-streams/${w.stream.id}/pins`, w.hostAuth, {
      product: w.product.id,
    })
    const buyers = ['one', 'two', 'three'].map((n) => `${n}-${String(w.stream.id)}@buyers.test`)
    const events = [
      await paidCheckout(w, pinned.json.pinId, w.attendeeAuth, buyers[0]),
      await paidCheckout(w, pinned.json.pinId, undefined, buyers[1]),
      await paidCheckout(w, pinned.json.pinId, undefined, buyers[2]),
    ]
    const answers = await Promise.all(events.map((e) => deliverStripe(server.url, e)))
    expect(answers.map((a) => a.json.outcome).sort()).toEqual([
      'product sold',
      'sold out: refunded',
      'sold out: refunded',
    ])
    expect(await stockOf(w.product.id)).toBe(0)
    const refunds = recorder.requests.filter(
      (r) =>
        r.path === '/v1/refunds' &&
        events.some((e) => r.idempotencyKey === `sold-out-refund:${e.data.object.id}`),
    )
    expect(refunds).toHaveLength(2)
    const orders = (
      await site.payload.find({
        collection: 'product-orders' as never,
        where: { liveStream: { equals: w.stream.id } },
      })
    ).docs as unknown as Array<Record<string, any>>
    expect(orders.map((o) => o.status).sort()).toEqual(['paid', 'refunded', 'refunded'])
    // The two refunded buyers are told, once each, at the address they gave Checkout.
    const refunded = orders.filter((o) => o.status === 'refunded').map((o) => String(o.email))
    for (const e of events) {
      await deliverStripe(server.url, e)
    }
    await site.payload.jobs.run({ queue: 'livekit', silent: true })
    await waitFor(
      () =>
        Promise.resolve(
          mailbox.messages.filter((m) => buyers.some((b) => m.to.includes(b))).length >= 2,
        ),
      15_000,
    )
    await site.payload.jobs.run({ queue: 'livekit', silent: true })
    const told = mailbox.messages.filter((m) => buyers.some((b) => m.to.includes(b)))
    expect(told.map((m) => m.to).sort()).toEqual([...refunded].sort())
    expect(told[0].subject).toBe(`Your order of ${w.product.title} was refunded`)
    expect(told[0].text).toContain('We refunded $25.00 to your payment method.')
    // Stripe reports the two refunds: the ledger nets one sale.
    for (const e of events) {
      if (
        orders.find((o) => o.stripeCheckoutSessionId === e.data.object.id)?.status === 'refunded'
      ) {
        await deliverStripe(server.url, chargeRefunded(e.data.object.payment_intent, 2500, 2500))
      }
    }
    const entries = (
      await site.payload.find({
        collection: 'revenue-tracking',
        where: { liveStream: { equals: String(w.stream.id) } },
        limit: 20,
      })
    ).docs as unknown as Array<Record<string, any>>
    expect(entries.filter((e) => e.kind === 'product_sale')).toHaveLength(3)
    expect(entries.filter((e) => e.kind === 'refund')).toHaveLength(2)
    expect(entries.every((e) => e.product === String(w.product.id))).toBe(true)
    expect(entries.reduce((a, e) => a + e.grossAmount, 0)).toBe(2500)
    // Sold out now: the card says so and Checkout is refused.
    expect(
      await call(
        'POST',
        `/live-streams/${w.stream.id}/pins/${pinned.json.pinId}/checkout`,
        w.attendeeAuth,
        {},
      ),
    ).toMatchObject({ status: 409, json: { error: { code: 'sold_out' } } })
  }, 60_000)

  it('refuses a checkout of a pin that is not up, and on a ticketed stream one without a ticket', async () => {
    const w = await liveWorld()
    const pinned = await call('POST', `/live-streams/${w.stream.id}/pins`, w.hostAuth, {
      product: w.product.id,
    })
    await call('DELETE', `/live-streams/${w.stream.id}/pins/${pinned.json.pinId}`, w.hostAuth)
    expect(
      await call(
        'POST',
        `/live-streams/${w.stream.id}/pins/${pinned.json.pinId}/checkout`,
        w.attendeeAuth,
        {},
      ),
    ).toMatchObject({ status: 409, json: { error: { code: 'not_pinned' } } })

    const ticketed = await liveWorld({}, { visibility: 'ticketed', price: 1500 })
    const up = await call('POST', `/live-streams/${ticketed.stream.id}/pins`, ticketed.hostAuth, {
      product: ticketed.product.id,
    })
    const refused = await call(
      'POST',
      `/live-streams/${ticketed.stream.id}/pins/${up.json.pinId}/checkout`,
      ticketed.attendeeAuth,
      {},
    )
    expect([401, 402, 403]).toContain(refused.status)
    const guest = await call(
      'POST',
      `/live-streams/${ticketed.stream.id}/pins/${up.json.pinId}/checkout`,
      undefined,
      {},
    )
    expect(guest.status).toBeGreaterThanOrEqual(400)
    expect(guest.status).toBeLessThan(500)
  }, 60_000)
})

async function adminAuth() {
  const email = `admin-${Math.random().toString(36).slice(2, 8)}@a.test`
  await site.payload.create({
    collection: 'users',
    data: { email, password: 'pw-123456', role: 'admin' } as never,
  })
  return login(server, email, 'pw-123456')
}
