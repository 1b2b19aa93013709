import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { openSeal } from '../../src/payments/checkoutSeal.js'
import { resolveOptions } from '../../src/resolveOptions.js'
import { pluginOptionsOf } from '../../src/runtime.js'
import { createAppointmentWorld, liveStreamOf } from '../helpers/fixtures.js'
import { callApi, login, serveSite, type SiteServer } from '../helpers/httpServer.js'
import { type RawDatabase, rawDatabase } from '../helpers/rawDatabase.js'
import {
  chargeRefunded,
  checkoutMetadata,
  deliverStripe,
  flakyStripe,
  sessionCompleted,
  sessionOf,
} from '../helpers/stripeEvents.js'
import { startTestSite, type TestSite } from '../helpers/testSite.js'

/*
 * The money holes: Stripe deliveries raced, reordered, failed half-way or made up by another site,
 * ledger rows forged or rewritten through the API, return URLs and saved stream keys sent elsewhere.
 */

type Id = number | string
let site: TestSite
let server: SiteServer
let stripeApi: Awaited<ReturnType<typeof flakyStripe>>
let db: RawDatabase
let adminAuth: string
const SITE_URL = 'http://tickets.site.test'
const PARTNER = 'https://partner.example'
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString()

beforeAll(async () => {
  stripeApi = await flakyStripe()
  site = await startTestSite({
    plugin: {
      lifecycle: { autoRun: false, reconcileCron: false },
      stripe: { apiBase: stripeApi.url, siteUrl: SITE_URL, returnUrlOrigins: [PARTNER] },
      egress: { encryptionKey: randomBytes(32).toString('base64') },
    },
  })
  server = await serveSite(site)
  db = await rawDatabase(site.databaseUri)
  const admin = await site.payload.create({
    collection: 'users',
    data: {
      email: `money-admin-${Date.now()}@x.test`,
      password: 'pw-123456',
      role: 'admin',
    } as never,
  })
  adminAuth = await login(server, String(admin.email), 'pw-123456')
}, 120_000)
afterAll(async () => {
  await db?.close()
  await server?.close()
  await stripeApi?.close()
  await site?.close()
})

const call = (method: string, path: string, authorization?: string, body?: unknown) =>
  callApi(server, method, path, authorization, body)
const deliver = (event: unknown) => deliverStripe(server.url, event)

async function world(overrides: Record<string, unknown> = {}) {
  const w = await createAppointmentWorld(site.payload, {
    startsAt: inMinutes(30),
    endsAt: inMinutes(90),
    price: 1500,
    ...overrides,
  })
  const buyer = await site.payload.create({
    collection: 'users',
    data: {
      email: `buyer-${Math.random().toString(36).slice(2, 8)}@a.test`,
      password: 'pw-123456',
      role: 'attendee',
      tenant: w.tenant.id,
    } as never,
  })
  const [stream] = await liveStreamOf(site.payload, w.appointment.id)
  return { ...w, buyer: buyer as unknown as { id: Id; email: string }, stream }
}

const entriesOf = async (streamId: Id) =>
  (
    await site.payload.find({
      collection: 'revenue-tracking',
      where: { liveStream: { equals: String(streamId) } },
      limit: 100,
      sort: 'createdAt',
    })
  ).docs
const net = (entries: Array<Record<string, unknown>>) => ({
  gross: entries.reduce((a, e) => a + (e.grossAmount as number), 0),
  commission: entries.reduce((a, e) => a + (e.commissionAmount as number), 0),
  hostShare: entries.reduce((a, e) => a + (e.hostShareAmount as number), 0),
})
const ticketOf = async (streamId: Id) =>
  (
    await site.payload.find({
      collection: 'tickets',
      where: { liveStream: { equals: streamId } },
      overrideAccess: true,
    })
  ).docs
const hostTotals = async (hostId: Id) => {
  const rows = (
    await site.payload.db.find<{ id: Id; gross: number }>({
      collection: 'revenue-totals',
      where: { host: { equals: String(hostId) } },
      limit: 0,
      pagination: false,
    })
  ).docs
  return rows.reduce((a, r) => a + Number(r.gross), 0)
}

describe('refunds raced and reordered', () => {
  it('three cumulative partial refunds (500, 700, 1,000 of 1,500) delivered at once reverse exactly 1,000', async () => {
    for (let round = 0; round < 3; round++) {
      const w = await world()
      const sale = sessionCompleted(checkoutMetadata(site.payload, w))
      expect((await deliver(sale)).status).toBe(200)
      const pi = sessionOf(sale).payment_intent
      const results = await Promise.all(
        [500, 700, 1000].map((amount) => deliver(chargeRefunded(pi, amount))),
      )
      expect(results.map((r) => r.status)).toEqual([200, 200, 200])
      const entries = await entriesOf(w.stream.id)
      expect(net(entries)).toEqual({ gross: 500, commission: 100, hostShare: 400 })
      expect(entries.every((e) => (e.grossAmount as number) >= -1500)).toBe(true)
      expect(await hostTotals(w.host.id)).toBe(500)
      expect((await ticketOf(w.stream.id))[0]?.status).toBe('active')
    }
  })

  it('a refund reported above the sale never reverses more than the sale', async () => {
    const w = await world()
    const sale = sessionCompleted(checkoutMetadata(site.payload, w))
    await deliver(sale)
    await Promise.all([
      deliver(chargeRefunded(sessionOf(sale).payment_intent, 9_999_999)),
      deliver(chargeRefunded(sessionOf(sale).payment_intent, 1500)),
    ])
    expect(net(await entriesOf(w.stream.id))).toEqual({ gross: 0, commission: 0, hostShare: 0 })
  })

  it('a full refund delivered before its sale is booked when the sale arrives: net 0 and the ticket revoked', async () => {
    const w = await world()
    const sale = sessionCompleted(checkoutMetadata(site.payload, w))
    const early = await deliver(chargeRefunded(sessionOf(sale).payment_intent, 1500))
    expect(early.status).toBe(200)
    expect(await entriesOf(w.stream.id)).toHaveLength(0)
    expect((await deliver(sale)).status).toBe(200)
    expect(net(await entriesOf(w.stream.id))).toEqual({ gross: 0, commission: 0, hostShare: 0 })
    expect((await ticketOf(w.stream.id)).map((t) => t.status)).toEqual(['refunded'])
  })

  it('a partial refund delivered before its sale, then the sale, equals the same two in order', async () => {
    const w = await world()
    const sale = sessionCompleted(checkoutMetadata(site.payload, w))
    await deliver(chargeRefunded(sessionOf(sale).payment_intent, 700))
    await deliver(sale)
    expect(net(await entriesOf(w.stream.id))).toEqual({
      gross: 800,
      commission: 160,
      hostShare: 640,
    })
    expect((await ticketOf(w.stream.id))[0]?.status).toBe('active')
  })
})

describe('a failure half-way through a sale', () => {
  it('a sold-out refund that fails is retried by Stripe until it completes; the ticket is refunded only once the refund exists', async () => {
    const w = await world({ capacity: 1 })
    expect((await deliver(sessionCompleted(checkoutMetadata(site.payload, w)))).json.outcome).toBe(
      'ticket issued',
    )
    const late = await site.payload.create({
      collection: 'users',
      data: {
        email: `late-${Date.now()}@a.test`,
        password: 'pw-123456',
        role: 'attendee',
        tenant: w.tenant.id,
      } as never,
    })
    const second = sessionCompleted(checkoutMetadata(site.payload, { ...w, buyer: late }))
    stripeApi.failing.add('/v1/refunds')
    try {
      const failed = await deliver(second)
      expect(failed.status).toBeGreaterThanOrEqual(500)
      const pending = (await ticketOf(w.stream.id)).find(
        (t) => String((t.user as { id: Id }).id ?? t.user) === String(late.id),
      )
      expect(pending?.status).toBe('refunding')
    } finally {
      stripeApi.failing.delete('/v1/refunds')
    }
    // Stripe's retries of the same event, twice over, finish it and change nothing more.
    for (let retry = 0; retry < 2; retry++) {
      const again = await deliver(second)
      expect(again.status).toBe(200)
    }
    const tickets = await ticketOf(w.stream.id)
    expect(tickets.map((t) => t.status).sort()).toEqual(['active', 'refunded'])
    const sales = (await entriesOf(w.stream.id)).filter((e) => e.kind === 'sale')
    expect(sales).toHaveLength(2)
  })
})

describe('a buyer gone before the payment arrives', () => {
  it('a buyer deleted between checkout and payment: the sale is still booked once, retries converge, no 500', async () => {
    const w = await world()
    const sale = sessionCompleted(checkoutMetadata(site.payload, w))
    await site.payload.delete({ collection: 'users', id: w.buyer.id, overrideAccess: true })
    for (let delivery = 0; delivery < 2; delivery++) {
      expect((await deliver(sale)).status).toBe(200)
    }
    expect(net(await entriesOf(w.stream.id))).toEqual({
      gross: 1500,
      commission: 300,
      hostShare: 1200,
    })
    expect((await ticketOf(w.stream.id)).map((t) => [t.status, t.user ?? null])).toEqual([
      ['active', null],
    ])
  })
})

describe("another site's sessions", () => {
  it('a session sealed by another site (other secret), another environment (other site id) or with edited facts books nothing', async () => {
    const w = await world()
    const forgeries = [
      sessionCompleted(checkoutMetadata(site.payload, w, {}, 'the-secret-of-another-site')),
      sessionCompleted(checkoutMetadata(site.payload, w, { site: 'staging' })),
      // A legitimate seal with one fact changed: another buyer.
      sessionCompleted({ ...checkoutMetadata(site.payload, w), userId: String(w.host.id) }),
      // Metadata that merely looks right, as the plugin wrote it before sessions were sealed.
      sessionCompleted({
        liveStreamId: String(w.stream.id),
        appointmentId: String(w.appointment.id),
        userId: String(w.buyer.id),
        rateBps: '0',
      }),
      // The plugin's own seal, but paid a different amount or in another currency.
      sessionCompleted(checkoutMetadata(site.payload, w), { amount_total: 1 }),
      sessionCompleted(checkoutMetadata(site.payload, w), { currency: 'jpy' }),
    ]
    for (const event of forgeries) {
      const answer = await deliver(event)
      expect(answer.status).toBe(200)
      expect(answer.json.outcome).not.toBe('ticket issued')
    }
    expect(await ticketOf(w.stream.id)).toHaveLength(0)
    expect(await entriesOf(w.stream.id)).toHaveLength(0)
    // The site's own session is still booked.
    expect((await deliver(sessionCompleted(checkoutMetadata(site.payload, w)))).json.outcome).toBe(
      'ticket issued',
    )
  })

  it("the plugin's own checkout is sealed with the site id and the price, and its paid session is booked", async () => {
    const w = await world()
    const buyerAuth = await login(server, w.buyer.email, 'pw-123456')
    expect((await call('POST', `/live-streams/${w.stream.id}/checkout`, buyerAuth)).status).toBe(
      200,
    )
    const params = stripeApi.sent.get('/v1/checkout/sessions')!.at(-1)!
    const metadata = Object.fromEntries(
      [...params].filter(([k]) => /^metadata\[/.test(k)).map(([k, v]) => [k.slice(9, -1), v]),
    )
    expect(
      openSeal(metadata, pluginOptionsOf(site.payload).stripe.siteId, site.payload.secret),
    ).toMatchObject({
      liveStreamId: String(w.stream.id),
      userId: String(w.buyer.id),
      amount: '1500',
      currency: 'usd',
    })
    expect(params.get('payment_intent_data[metadata][seal]')).toBe(metadata.seal)
    expect((await deliver(sessionCompleted(metadata))).json.outcome).toBe('ticket issued')
  })
})

describe('signed nonsense', () => {
  it('a signed body that is no Stripe event is a 400; odd ids and types inside an event book nothing and are never a 500', async () => {
    for (const body of [
      null,
      1,
      'evt',
      [],
      { id: 1 },
      { id: 'evt_x' },
      { id: 'evt\u0000x', type: 'charge.refunded', data: { object: {} } },
      { id: 'evt_ok', type: 'charge.refunded', data: null },
    ]) {
      expect(await deliver(body)).toMatchObject({
        status: 400,
        json: { error: { code: 'invalid_event' } },
      })
    }
    const w = await world()
    const odd = [
      chargeRefunded('pi_\u0000', 500),
      {
        ...chargeRefunded('pi_odd', 500),
        data: { object: { object: 'charge', payment_intent: { id: 5 }, amount_refunded: 'lots' } },
      },
      sessionCompleted(checkoutMetadata(site.payload, w), { currency: 5 }),
      sessionCompleted(checkoutMetadata(site.payload, w), {
        id: 'cs_\u0000',
        payment_intent: ['pi'],
      }),
      sessionCompleted(checkoutMetadata(site.payload, w), { amount_total: '1500' }),
    ]
    for (const event of odd) {
      expect((await deliver(event)).status).toBe(200)
    }
    expect(await ticketOf(w.stream.id)).toHaveLength(0)
    expect(await entriesOf(w.stream.id)).toHaveLength(0)
  })
})

describe('the ledger through the API', () => {
  it("an admin's forged Stripe sale is refused; an adjustment gets the server's time and no Stripe refs", async () => {
    const w = await world()
    const forged = {
      kind: 'sale',
      source: 'stripe',
      liveStream: w.stream.id,
      host: w.host.id,
      grossAmount: 100000,
      commissionAmount: 0,
      hostShareAmount: 100000,
      currency: 'usd',
      rateBps: 0,
      stripePaymentIntentId: 'pi_forged',
      stripeEventId: 'evt_forged',
      occurredAt: '2020-01-01T00:00:00.000Z',
    }
    expect((await call('POST', '/revenue-tracking', adminAuth, forged)).status).toBe(400)
    expect(
      (
        await call('POST', '/revenue-tracking', adminAuth, {
          ...forged,
          kind: 'adjustment',
          source: 'manual',
        })
      ).status,
    ).toBe(400)
    expect(
      (
        await call('POST', '/revenue-tracking', adminAuth, {
          ...forged,
          kind: 'refund',
          source: 'manual',
          stripePaymentIntentId: undefined,
          stripeEventId: undefined,
        })
      ).status,
    ).toBe(400)
    const adjustment = await call('POST', '/revenue-tracking', adminAuth, {
      ...forged,
      kind: 'adjustment',
      source: undefined,
      stripePaymentIntentId: undefined,
      stripeEventId: undefined,
      grossAmount: -200,
      hostShareAmount: -200,
      note: 'goodwill',
    })
    expect(adjustment.status).toBe(201)
    expect(adjustment.json.doc).toMatchObject({ kind: 'adjustment', source: 'manual' })
    // No Stripe refs: null on the SQL adapters, left out of the document on MongoDB.
    expect(adjustment.json.doc.stripePaymentIntentId ?? null).toBeNull()
    expect(adjustment.json.doc.stripeEventId ?? null).toBeNull()
    expect(Math.abs(Date.parse(adjustment.json.doc.occurredAt) - Date.now())).toBeLessThan(60_000)
    expect(
      await site.payload.count({
        collection: 'revenue-tracking',
        where: { stripePaymentIntentId: { equals: 'pi_forged' } },
      }),
    ).toMatchObject({ totalDocs: 0 })
  })

  it("an admin cannot squat a sale's booking key or plant a refund report to block or inflate its refunds", async () => {
    const w = await world()
    const sale = sessionCompleted(checkoutMetadata(site.payload, w))
    const pi = sessionOf(sale).payment_intent
    const adjustment = {
      kind: 'adjustment',
      grossAmount: 0,
      commissionAmount: 0,
      hostShareAmount: 0,
      currency: 'usd',
      rateBps: 0,
    }
    for (const bookingKey of [`refund:${pi}:0`, `sale:${sessionOf(sale).id}`]) {
      expect(
        (await call('POST', '/revenue-tracking', adminAuth, { ...adjustment, bookingKey })).status,
      ).toBe(400)
    }
    const planted = await call('POST', '/stripe-webhook-events', adminAuth, {
      eventId: `evt_planted_${pi}`,
      type: 'charge.refunded',
      paymentIntentId: pi,
      amountRefunded: 1500,
    })
    expect(planted.status).toBe(403)
    await deliver(sale)
    await deliver(chargeRefunded(pi, 300))
    expect(net(await entriesOf(w.stream.id))).toEqual({
      gross: 1200,
      commission: 240,
      hostShare: 960,
    })
  })

  it('deleting the stream, appointment, host and tenant of a sale leaves its ledger rows byte-identical', async () => {
    const w = await world()
    const sale = sessionCompleted(checkoutMetadata(site.payload, w))
    await deliver(sale)
    await deliver(chargeRefunded(sessionOf(sale).payment_intent, 500))
    const rows = async () =>
      db.rows('revenue-tracking', 'stripePaymentIntentId', sessionOf(sale).payment_intent)
    const totals = async () => db.rows('revenue-totals', 'host', String(w.host.id))
    const booked = await rows()
    const bookedTotals = await totals()
    expect(booked).toHaveLength(2)
    for (const [collection, id] of [
      ['live-streams', w.stream.id],
      ['appointments', w.appointment.id],
      ['users', w.host.id],
      ['tenants', w.tenant.id],
    ] as const) {
      await site.payload.delete({ collection, id, overrideAccess: true })
      expect(await rows(), `after deleting the ${collection} row`).toEqual(booked)
      expect(await totals()).toEqual(bookedTotals)
    }
  })
})

describe('return URLs', () => {
  it('a checkout with a success or cancel URL on another site is refused; the own site and allowed origins pass', async () => {
    const w = await world()
    const buyerAuth = await login(server, w.buyer.email, 'pw-123456')
    const checkout = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${server.url}/api/live-streams/${w.stream.id}/checkout`, {
        method: 'POST',
        headers: { authorization: buyerAuth, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, json: (await r.json()) as Record<string, any> }))
    for (const url of [
      'https://evil.example/pay-for-me',
      'http://tickets.site.test.evil.example/',
      'https://partner.example.evil.example/x',
      `${server.url}/looks-local`,
    ]) {
      expect(await checkout({ successUrl: url })).toMatchObject({
        status: 400,
        json: { error: { code: 'invalid_return_url' } },
      })
      expect(await checkout({ cancelUrl: url })).toMatchObject({
        status: 400,
        json: { error: { code: 'invalid_return_url' } },
      })
    }
    // An API client names any Origin it likes; it is not the site's.
    expect(
      await checkout({ successUrl: 'https://evil.example/x' }, { origin: 'https://evil.example' }),
    ).toMatchObject({ status: 400 })
    expect(await checkout({ successUrl: '//evil.example/x' })).toMatchObject({
      status: 400,
      json: { error: { code: 'invalid_return_url' } },
    })
    expect(
      (await checkout({ successUrl: `${SITE_URL}/thanks`, cancelUrl: `${PARTNER}/back` })).status,
    ).toBe(200)
    expect((await checkout({ successUrl: '/thanks' })).status).toBe(200)
  })

  it('returnUrlOrigins must be origins, checked when the config is built', () => {
    const config = {
      collections: [
        { slug: 'users', auth: true, fields: [] },
        {
          slug: 'appointments',
          fields: [
            { name: 'host', type: 'relationship', relationTo: 'users' },
            { name: 'startsAt', type: 'date' },
            { name: 'endsAt', type: 'date' },
          ],
        },
      ],
    } as never
    const env = {
      LIVEKIT_URL: 'ws://127.0.0.1:7880',
      LIVEKIT_API_KEY: 'devkey',
      LIVEKIT_API_SECRET: 'secret',
    }
    for (const bad of [
      ['https://partner.example/path'],
      ['javascript:alert(1)'],
      'https://partner.example',
    ]) {
      expect(() =>
        resolveOptions(
          { appointments: { slug: 'appointments' }, stripe: { returnUrlOrigins: bad as never } },
          config,
          env,
        ),
      ).toThrow(/returnUrlOrigins/)
    }
    expect(
      resolveOptions(
        {
          appointments: { slug: 'appointments' },
          stripe: { returnUrlOrigins: ['https://partner.example'] },
        },
        config,
        env,
      ).stripe.returnUrlOrigins,
    ).toEqual(['https://partner.example'])
  })
})

describe('saved destinations', () => {
  it('moving a destination to another server needs its stream key again, so a saved key never travels to a new server', async () => {
    const w = await world()
    const hostAuth = await login(server, String(w.host.email), 'pw-123456')
    const created = await call('POST', '/stream-destinations', hostAuth, {
      name: 'Channel',
      platform: 'custom',
      serverUrl: 'rtmp://a.rtmp.youtube.com/live2',
      streamKey: 'my-real-key',
    })
    expect(created.status).toBe(201)
    const id = created.json.doc.id as Id
    const stored = async () =>
      (await site.payload.db.findOne<{ id: Id; serverUrl: string; streamKey: string }>({
        collection: 'stream-destinations',
        where: { id: { equals: id } },
      }))!
    const before = await stored()
    const moved = await call('PATCH', `/stream-destinations/${id}`, hostAuth, {
      serverUrl: 'rtmp://collector.evil.example/live',
    })
    expect(moved.status).toBe(400)
    expect(moved.text).toMatch(/stream key/i)
    expect(await stored()).toMatchObject({
      serverUrl: before.serverUrl,
      streamKey: before.streamKey,
    })
    // The same URL again, a rename, and a move with the key re-entered all pass.
    expect(
      (
        await call('PATCH', `/stream-destinations/${id}`, hostAuth, {
          serverUrl: 'rtmp://a.rtmp.youtube.com/live2',
          name: 'Renamed',
        })
      ).status,
    ).toBe(200)
    expect((await stored()).streamKey).toBe(before.streamKey)
    expect(
      (
        await call('PATCH', `/stream-destinations/${id}`, hostAuth, {
          serverUrl: 'rtmp://b.rtmp.youtube.com/live2',
          streamKey: 'the-key-again',
        })
      ).status,
    ).toBe(200)
    expect((await stored()).streamKey).not.toBe(before.streamKey)
    // A value that looks encrypted (another destination's key, if one leaked) is no key to save.
    const copied = await call('PATCH', `/stream-destinations/${id}`, hostAuth, {
      serverUrl: 'rtmp://collector.evil.example/live',
      streamKey: before.streamKey,
    })
    expect(copied.status).toBe(400)
    // A NUL the database would refuse is a 400, not a 500.
    expect(
      (
        await call('POST', '/stream-destinations', hostAuth, {
          name: 'a\u0000b',
          serverUrl: 'rtmp://a.example/live',
        })
      ).status,
    ).toBe(400)
    expect(
      (
        await call('POST', '/stream-destinations', hostAuth, {
          name: 'ok',
          serverUrl: 'rtmp://a.example/live\u0000',
        })
      ).status,
    ).toBe(400)
    expect((await stored()).serverUrl).toBe('rtmp://b.rtmp.youtube.com/live2')
  })
})
