import { dispose } from '@livekit/rtc-node'
import Stripe from 'stripe'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { closeStream } from '../../src/lifecycle/operations/streamLifecycle.js'
import { createAppointmentWorld, liveStreamOf } from '../helpers/fixtures.js'
import { callApi, login, serveSite, type SiteServer } from '../helpers/httpServer.js'
import { joinRoom } from '../helpers/livekit.js'
import { checkoutMetadata } from '../helpers/stripeEvents.js'
import { recordStripe } from '../helpers/stripeRecorder.js'
import { startTestSite, type TestSite } from '../helpers/testSite.js'

let site: TestSite
let server: SiteServer
let recorder: Awaited<ReturnType<typeof recordStripe>>
const stripe = new Stripe('sk_test_123')
const secret = process.env.STRIPE_WEBHOOK_SECRET!
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString()

beforeAll(async () => {
  recorder = await recordStripe()
  site = await startTestSite({
    plugin: {
      lifecycle: { autoRun: false, reconcileCron: false },
      stripe: { apiBase: recorder.url },
    },
  })
  server = await serveSite(site)
}, 120_000)
afterAll(async () => {
  await server?.close()
  await recorder?.close()
  await site?.close()
  await dispose()
})

const call = (method: string, path: string, authorization?: string, body?: unknown) =>
  callApi(server, method, path, authorization, body)

async function world(overrides: Record<string, unknown> = {}, hostAccount?: string) {
  const w = await createAppointmentWorld(site.payload, {
    startsAt: inMinutes(30),
    endsAt: inMinutes(90),
    price: 1500,
    ...overrides,
  })
  if (hostAccount) {
    await site.payload.update({
      collection: 'users',
      id: w.host.id,
      data: { stripeAccountId: hostAccount } as never,
    })
  }
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
  return {
    ...w,
    buyer,
    stream,
    auth: await login(server, String(buyer.email), 'pw-123456'),
  }
}

function signed(
  event: Record<string, unknown>,
  opts: { timestamp?: number; secret?: string } = {},
) {
  const payload = JSON.stringify(event)
  return {
    payload,
    header: stripe.webhooks.generateTestHeaderString({
      payload,
      secret: opts.secret ?? secret,
      timestamp: opts.timestamp,
    }),
  }
}

async function deliverStripe(
  event: Record<string, unknown>,
  opts: { timestamp?: number; secret?: string } = {},
) {
  const { payload, header } = signed(event, opts)
  const response = await fetch(`${server.url}/api/stripe/webhook`, {
    method: 'POST',
    headers: { 'stripe-signature': header, 'content-type': 'application/json' },
    body: payload,
  })
  return { status: response.status, json: (await response.json()) as Record<string, any> }
}

const completed = (w: Awaited<ReturnType<typeof world>>, extra: Record<string, unknown> = {}) => ({
  id: `evt_${Math.random().toString(36).slice(2, 12)}`,
  object: 'event',
  type: 'checkout.session.completed',
  created: Math.floor(Date.now() / 1000),
  livemode: false,
  data: {
    object: {
      id: `cs_test_${Math.random().toString(36).slice(2, 12)}`,
      object: 'checkout.session',
      payment_status: 'paid',
      amount_total: 1500,
      currency: 'usd',
      payment_intent: `pi_${Math.random().toString(36).slice(2, 12)}`,
      metadata: checkoutMetadata(site.payload, w),
      ...extra,
    },
  },
})

const refunded = (paymentIntent: string, amountRefunded: number, full: boolean) => ({
  id: `evt_${Math.random().toString(36).slice(2, 12)}`,
  object: 'event',
  type: 'charge.refunded',
  created: Math.floor(Date.now() / 1000),
  livemode: false,
  data: {
    object: {
      id: `ch_${Math.random().toString(36).slice(2, 10)}`,
      object: 'charge',
      payment_intent: paymentIntent,
      amount: 1500,
      amount_refunded: amountRefunded,
      refunded: full,
      currency: 'usd',
    },
  },
})

const entriesFor = async (streamId: number | string) =>
  (
    await site.payload.find({
      collection: 'revenue-tracking',
      where: { liveStream: { equals: streamId } },
      sort: 'createdAt',
      limit: 50,
    })
  ).docs

describe('checkout', () => {
  it('sends a destination charge with the 20% commission as application fee and an idempotency key', async () => {
    const w = await world({}, 'acct_1HostConnected')
    const first = await call('POST', `/live-streams/${w.stream.id}/checkout`, w.auth)
    expect(first.status).toBe(200)
    expect(first.json.sessionId).toMatch(/^cs_/)
    const sent = recorder.requests.filter((r) => r.path === '/v1/checkout/sessions').at(-1)!
    expect(sent.params.get('payment_intent_data[application_fee_amount]')).toBe('300')
    expect(sent.params.get('payment_intent_data[transfer_data][destination]')).toBe(
      'acct_1HostConnected',
    )
    expect(sent.params.get('line_items[0][price_data][unit_amount]')).toBe('1500')
    expect(sent.params.get('line_items[0][price_data][currency]')).toBe('usd')
    expect(sent.params.get('metadata[userId]')).toBe(String(w.buyer.id))
    expect(sent.idempotencyKey).toMatch(
      new RegExp(`^ticket-checkout:${w.stream.id}:${w.buyer.id}:`),
    )
    await call('POST', `/live-streams/${w.stream.id}/checkout`, w.auth)
    expect(
      recorder.requests.filter((r) => r.path === '/v1/checkout/sessions').at(-1)!.idempotencyKey,
    ).toBe(sent.idempotencyKey)
  })

  it('lets the platform collect when the host has no connected account', async () => {
    const w = await world()
    expect((await call('POST', `/live-streams/${w.stream.id}/checkout`, w.auth)).status).toBe(200)
    const sent = recorder.requests.filter((r) => r.path === '/v1/checkout/sessions').at(-1)!
    expect(sent.params.get('payment_intent_data[application_fee_amount]')).toBeNull()
    expect(sent.params.get('payment_intent_data[transfer_data][destination]')).toBeNull()
  })

  it('refuses clearly: anonymous, free, bad return URL, already bought, sold out', async () => {
    const w = await world({ capacity: 1 })
    expect(await call('POST', `/live-streams/${w.stream.id}/checkout`)).toMatchObject({
      status: 401,
      json: { error: { code: 'login_required' } },
    })
    const free = await world({ visibility: 'public', price: 0 })
    expect(await call('POST', `/live-streams/${free.stream.id}/checkout`, free.auth)).toMatchObject(
      { status: 400 },
    )
    expect(
      await call('POST', `/live-streams/${w.stream.id}/checkout`, w.auth, {
        successUrl: 'javascript:alert(1)',
      }),
    ).toMatchObject({ status: 400, json: { error: { code: 'invalid_url' } } })
    expect((await deliverStripe(completed(w))).status).toBe(200)
    expect(await call('POST', `/live-streams/${w.stream.id}/checkout`, w.auth)).toMatchObject({
      status: 409,
      json: { error: { code: 'already_has_ticket' } },
    })
    const late = await site.payload.create({
      collection: 'users',
      data: {
        email: `late-${Date.now()}@a.test`,
        password: 'pw-123456',
        role: 'attendee',
        tenant: w.tenant.id,
      } as never,
    })
    expect(
      await call(
        'POST',
        `/live-streams/${w.stream.id}/checkout`,
        await login(server, String(late.email), 'pw-123456'),
      ),
    ).toMatchObject({ status: 409, json: { error: { code: 'sold_out' } } })
  })
})

describe('Stripe webhooks', () => {
  it('one paid checkout delivered five times at once: one ticket, one sale entry, and the buyer may watch', async () => {
    const w = await world()
    const event = completed(w)
    const results = await Promise.all(Array.from({ length: 5 }, () => deliverStripe(event)))
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200])
    // Deliveries that overlap the first all finish the same idempotent steps; once it is applied,
    // a repeat is acknowledged as a duplicate.
    expect((await deliverStripe(event)).json.duplicate).toBe(true)
    const tickets = await site.payload.find({
      collection: 'tickets',
      where: { liveStream: { equals: w.stream.id } },
    })
    expect(tickets.docs).toHaveLength(1)
    expect(tickets.docs[0]).toMatchObject({ status: 'active', amount: 1500, currency: 'usd' })
    const entries = await entriesFor(w.stream.id)
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({
      kind: 'sale',
      source: 'stripe',
      grossAmount: 1500,
      commissionAmount: 300,
      hostShareAmount: 1200,
      rateBps: 2000,
      currency: 'usd',
    })

    await site.payload.update({
      collection: 'appointments',
      id: w.appointment.id,
      data: { status: 'in-progress' },
    })
    expect(await call('POST', `/live-streams/${w.stream.id}/token`, w.auth)).toMatchObject({
      status: 200,
      json: { role: 'attendee' },
    })
  })

  it('an unpaid session writes nothing; a forged or stale signature is refused with 400', async () => {
    const w = await world()
    expect((await deliverStripe(completed(w, { payment_status: 'unpaid' }))).json.outcome).toBe(
      'not paid',
    )
    expect(await deliverStripe(completed(w), { secret: 'whsec_forged' })).toMatchObject({
      status: 400,
      json: { error: { code: 'invalid_signature' } },
    })
    expect(
      await deliverStripe(completed(w), { timestamp: Math.floor(Date.now() / 1000) - 3600 }),
    ).toMatchObject({ status: 400 })
    expect(
      await site.payload.count({
        collection: 'tickets',
        where: { liveStream: { equals: w.stream.id } },
      }),
    ).toMatchObject({ totalDocs: 0 })
    expect(await entriesFor(w.stream.id)).toHaveLength(0)
  })

  it('refunds reverse in proportion; a full refund revokes the ticket', async () => {
    const w = await world()
    const sale = completed(w)
    await deliverStripe(sale)
    const pi = (sale.data.object as { payment_intent: string }).payment_intent
    await deliverStripe(refunded(pi, 500, false))
    const again = refunded(pi, 500, false)
    await deliverStripe(again)
    await deliverStripe(refunded(pi, 1500, true))
    const entries = await entriesFor(w.stream.id)
    expect(
      entries.map((e) => [e.kind, e.grossAmount, e.commissionAmount, e.hostShareAmount]),
    ).toEqual([
      ['sale', 1500, 300, 1200],
      ['refund', -500, -100, -400],
      ['refund', -1000, -200, -800],
    ])
    const sum = entries.reduce((a, e) => a + (e.grossAmount as number), 0)
    expect(sum).toBe(0)
    const ticket = (
      await site.payload.find({
        collection: 'tickets',
        where: { liveStream: { equals: w.stream.id } },
      })
    ).docs[0]
    expect(ticket?.status).toBe('refunded')
    await site.payload.update({
      collection: 'appointments',
      id: w.appointment.id,
      data: { status: 'in-progress' },
    })
    expect(await call('POST', `/live-streams/${w.stream.id}/token`, w.auth)).toMatchObject({
      status: 403,
      json: { error: { code: 'ticket_required' } },
    })
  })

  it("an admin's attempt to edit or delete a ledger entry is refused", async () => {
    const w = await world()
    await deliverStripe(completed(w))
    const [entry] = await entriesFor(w.stream.id)
    await site.payload.create({
      collection: 'users',
      data: { email: `admin-${Date.now()}@x.test`, password: 'pw-123456', role: 'admin' } as never,
    })
    const admins = await site.payload.find({
      collection: 'users',
      where: { role: { equals: 'admin' } },
      limit: 1,
    })
    const adminAuth = await login(server, String(admins.docs[0].email), 'pw-123456')
    expect(
      (await call('PATCH', `/revenue-tracking/${entry.id}`, adminAuth, { grossAmount: 1 })).status,
    ).toBe(403)
    expect((await call('DELETE', `/revenue-tracking/${entry.id}`, adminAuth)).status).toBe(403)
    expect(
      (await site.payload.findByID({ collection: 'revenue-tracking', id: entry.id })).grossAmount,
    ).toBe(1500)
  })
})

describe('statements', () => {
  it('equal the sum of their entries, per tenant, host and month, and export as CSV', async () => {
    const a = await world()
    const b = await world()
    const entries = [
      { w: a, gross: 1500, when: '2026-09-03T10:00:00Z' },
      { w: a, gross: 2500, when: '2026-09-20T10:00:00Z' },
      { w: a, gross: -500, when: '2026-10-01T10:00:00Z' },
      { w: b, gross: 999, when: '2026-10-02T10:00:00Z' },
    ]
    for (const e of entries) {
      const commission = Math.round((e.gross * 2000) / 10000)
      await site.payload.create({
        collection: 'revenue-tracking',
        data: {
          kind: e.gross < 0 ? 'refund' : 'sale',
          source: 'manual',
          liveStream: e.w.stream.id,
          tenant: e.w.tenant.id,
          host: e.w.host.id,
          grossAmount: e.gross,
          commissionAmount: commission,
          hostShareAmount: e.gross - commission,
          currency: 'usd',
          rateBps: 2000,
          occurredAt: e.when,
        } as never,
      })
    }
    const admin = await site.payload.create({
      collection: 'users',
      data: {
        email: `stmt-admin-${Date.now()}@x.test`,
        password: 'pw-123456',
        role: 'admin',
      } as never,
    })
    const adminAuth = await login(server, String(admin.email), 'pw-123456')
    for (const w of [a, b]) {
      const statement = await call(
        'GET',
        `/revenue-tracking/statement?tenant=${w.tenant.id}`,
        adminAuth,
      )
      expect(statement.status).toBe(200)
      const all = await site.payload.find({
        collection: 'revenue-tracking',
        where: { tenant: { equals: w.tenant.id } },
        limit: 100,
      })
      const sum = (k: string, kind?: string) =>
        all.docs
          .filter((e) => kind === undefined || e.kind === kind)
          .reduce((s, e) => s + Number(e[k] ?? 0), 0)
      expect(statement.json.totals.usd).toEqual({
        gross: sum('grossAmount'),
        commission: sum('commissionAmount'),
        hostShare: sum('hostShareAmount'),
        hostEarned: sum('hostShareAmount', 'sale'),
        hostRefunded: sum('hostShareAmount', 'refund'),
        fee: sum('feeAmount'),
        paidOut: sum('paidOutAmount'),
        // No products were sold: it is all tickets.
        productGross: 0,
        productCommission: 0,
        entries: all.totalDocs,
      })
    }
    const byMonth = await call(
      'GET',
      `/revenue-tracking/statement?host=${a.host.id}&from=2026-09&to=2026-09`,
      adminAuth,
    )
    expect(byMonth.json.lines).toEqual([
      expect.objectContaining({
        month: '2026-09',
        gross: 4000,
        commission: 800,
        hostShare: 3200,
        entries: 2,
      }),
    ])
    const csv = await fetch(
      `${server.url}/api/revenue-tracking/statement?tenant=${a.tenant.id}&format=csv`,
      { headers: { authorization: adminAuth } },
    )
    expect(csv.headers.get('content-type')).toContain('text/csv')
    const text = await csv.text()
    expect(text.split('\n')[0]).toBe(
      'month,tenant,host,currency,gross_minor,commission_minor,host_share_minor,fee_minor,paid_out_minor,product_gross_minor,product_commission_minor,entries',
    )
    expect(text).toContain(`2026-09,${a.tenant.id},${a.host.id},usd,4000,800,3200,0,0,0,0,2`)
    // A buyer has no lines of its own; a host sees only its own, whatever it asks for.
    expect(await call('GET', `/revenue-tracking/statement`, a.auth)).toMatchObject({
      status: 200,
      json: { lines: [] },
    })
    const hostOwn = await call(
      'GET',
      `/revenue-tracking/statement?host=${b.host.id}`,
      await login(server, String(a.host.email), 'pw-123456'),
    )
    expect(hostOwn.status).toBe(200)
    expect(hostOwn.json.lines.map((l: { host: unknown }) => String(l.host))).toEqual([
      String(a.host.id),
      String(a.host.id),
    ])
    expect(await call('GET', `/revenue-tracking/statement`)).toMatchObject({ status: 401 })
    expect(
      await call('GET', `/revenue-tracking/statement?from=September`, adminAuth),
    ).toMatchObject({ status: 400, json: { error: { code: 'invalid_filter' } } })
  })
})

describe('rates and revenue models', () => {
  it("a host's own rate overrides the default, at checkout and in the ledger", async () => {
    const w = await world({}, 'acct_1RateHost')
    await site.payload.update({
      collection: 'users',
      id: w.host.id,
      data: { commissionRateBps: 1000 } as never,
    })
    expect((await call('POST', `/live-streams/${w.stream.id}/checkout`, w.auth)).status).toBe(200)
    const sent = recorder.requests.filter((r) => r.path === '/v1/checkout/sessions').at(-1)!
    expect(sent.params.get('payment_intent_data[application_fee_amount]')).toBe('150')
    expect(sent.params.get('metadata[rateBps]')).toBe('1000')
    const metadata = Object.fromEntries(
      [...sent.params]
        .filter(([k]) => k.startsWith('metadata['))
        .map(([k, v]) => [k.slice(9, -1), v]),
    )
    await deliverStripe(completed(w, { metadata }))
    expect((await entriesFor(w.stream.id))[0]).toMatchObject({
      grossAmount: 1500,
      commissionAmount: 150,
      hostShareAmount: 1350,
      rateBps: 1000,
    })
  })

  it('the participation model books a system-generated estimate once when a stream ends', async () => {
    const own = await startTestSite({
      plugin: {
        lifecycle: { autoRun: false, reconcileCron: false },
        revenueModel: 'participation',
      },
    })
    try {
      const { payload } = own
      const w = await createAppointmentWorld(payload, {
        startsAt: inMinutes(5),
        endsAt: inMinutes(60),
        price: 1500,
        status: 'in-progress',
      })
      const [stream] = await liveStreamOf(payload, w.appointment.id)
      const room = await joinRoom(String(stream.roomName), 'viewer-estimate')
      await new Promise((r) => setTimeout(r, 1000))
      await payload.update({
        collection: 'appointments',
        id: w.appointment.id,
        data: { status: 'completed' },
      })
      await room.disconnect()
      await closeStream({ payload, liveStreamId: stream.id, reason: 'again' })
      const entries = await payload.find({
        collection: 'revenue-tracking',
        where: { liveStream: { equals: stream.id } },
      })
      expect(entries.docs).toHaveLength(1)
      expect(entries.docs[0]).toMatchObject({
        kind: 'sale',
        source: 'system_generated',
        grossAmount: 150,
        commissionAmount: 30,
        hostShareAmount: 120,
      })
    } finally {
      await own.close()
    }
  })
})

describe('capacity', () => {
  it('is never oversold: sales paid at the same time for the last place get one ticket, the rest refunded', async () => {
    const w = await world({ capacity: 2 })
    const buyers = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        site.payload.create({
          collection: 'users',
          data: {
            email: `rush-${i}-${Date.now()}@a.test`,
            password: 'pw-123456',
            role: 'attendee',
            tenant: w.tenant.id,
          } as never,
        }),
      ),
    )
    const events = buyers.map((b) => completed({ ...w, buyer: b }))
    const results = await Promise.all(events.map((e) => deliverStripe(e)))
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200])
    const active = await site.payload.count({
      collection: 'tickets',
      where: { and: [{ liveStream: { equals: w.stream.id } }, { status: { equals: 'active' } }] },
    })
    expect(active.totalDocs).toBe(2)
    expect(results.filter((r) => r.json.outcome === 'sold out: refunded')).toHaveLength(3)
    const refunds = recorder.requests.filter((r) => r.path === '/v1/refunds')
    expect(refunds.length).toBeGreaterThanOrEqual(3)
    expect(refunds.every((r) => r.idempotencyKey?.startsWith('sold-out-refund:'))).toBe(true)
  })

  it('gives a place freed by a refund to the next buyer, whose seat is past the capacity', async () => {
    const w = await world({ capacity: 2 })
    const buyers = await Promise.all(
      Array.from({ length: 3 }, (_, i) =>
        site.payload.create({
          collection: 'users',
          data: {
            email: `freed-${i}-${Date.now()}@a.test`,
            password: 'pw-123456',
            role: 'attendee',
            tenant: w.tenant.id,
          } as never,
        }),
      ),
    )
    const [first, second, third] = buyers.map((b) => completed({ ...w, buyer: b }))
    for (const sale of [first, second]) {
      expect((await deliverStripe(sale)).json.outcome).toBe('ticket issued')
    }
    // The first buyer's payment is refunded in full (from Stripe's dashboard): their place is free.
    const intent = first.data.object.payment_intent
    expect((await deliverStripe(refunded(intent, 1500, true))).status).toBe(200)
    const sale = await deliverStripe(third)
    expect(sale.json.outcome).toBe('ticket issued')
    const tickets = await site.payload.find({
      collection: 'tickets',
      where: { liveStream: { equals: w.stream.id } },
      sort: 'seat',
      pagination: false,
    })
    expect(tickets.docs.map((t) => [Number(t.seat), t.status])).toEqual([
      [1, 'refunded'],
      [2, 'active'],
      [3, 'active'],
    ])
  })
})
