import { dispose } from '@livekit/rtc-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { closeStream, openStream } from '../../src/lifecycle/operations/streamLifecycle.js'
import { payDueHosts } from '../../src/payouts/hostPayouts.js'
import { settleRefunds } from '../../src/refunds/ticketRefunds.js'
import { createAppointmentWorld, liveStreamOf } from '../helpers/fixtures.js'
import { callApi, login, serveSite, type SiteServer } from '../helpers/httpServer.js'
import {
  chargeRefunded,
  deliverStripe,
  flakyStripe,
  sessionCompleted,
  sessionOf,
} from '../helpers/stripeEvents.js'
import { stripeMockWithFee } from '../helpers/stripeMock.js'
import { startTestSite, type TestSite } from '../helpers/testSite.js'
import { deliver, hostJoined, webhooksApplied } from '../helpers/webhooks.js'

type Id = number | string
type Entry = {
  kind: string
  grossAmount: number
  commissionAmount: number
  hostShareAmount: number
  feeAmount: number
  feeBearer?: null | string
  paidOutAmount: number
  settlement?: null | string
  stripeTransferId?: null | string
  bookingKey?: null | string
}

/** What the fee stripe-mock's balance transactions say Stripe kept of every charge. */
const FEE = 59
const HOLD_DAYS = 2
const DAY_MS = 86_400_000

let feeMock: Awaited<ReturnType<typeof stripeMockWithFee>>
let stripe: Awaited<ReturnType<typeof flakyStripe>>
/** Separate charges and transfers, the host bearing the fee; `second` is another instance of it. */
let separate: TestSite
let second: TestSite
/** Destination charges, the platform bearing the fee. */
let destination: TestSite
let server: SiteServer
let destinationServer: SiteServer

beforeAll(async () => {
  feeMock = await stripeMockWithFee(FEE)
  stripe = await flakyStripe(feeMock.url)
  const lifecycle = { autoRun: false as const, reconcileCron: false as const }
  const plugin = {
    lifecycle,
    stripe: { apiBase: stripe.url, chargeMode: 'separate' as const, feeBearer: 'host' as const },
    payouts: { holdDays: HOLD_DAYS },
  }
  separate = await startTestSite({ plugin })
  second = await startTestSite({ plugin }, undefined, separate)
  destination = await startTestSite({ plugin: { lifecycle, stripe: { apiBase: stripe.url } } })
  server = await serveSite(separate)
  destinationServer = await serveSite(destination)
}, 240_000)
afterAll(async () => {
  await server?.close()
  await destinationServer?.close()
  await second?.close()
  await separate?.close()
  await destination?.close()
  await stripe?.close()
  await feeMock?.close()
  await dispose()
})

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString()

/** A ticketed appointment starting soon, its stream, and a host with a connected account. */
async function world(site: TestSite) {
  const w = await createAppointmentWorld(site.payload, {
    startsAt: inMinutes(5),
    endsAt: inMinutes(65),
  })
  const account = `acct_host${String(w.host.id)}`
  await site.payload.update({
    collection: 'users',
    id: w.host.id,
    data: { stripeAccountId: account } as never,
  })
  const [stream] = await liveStreamOf(site.payload, w.appointment.id)
  return { ...w, stream, account }
}
type World = Awaited<ReturnType<typeof world>>

let buyers = 0
/**
 * A buyer goes through the site's checkout, and Stripe reports the paid session with the metadata
 * the site sent it.
 */
async function sell(site: TestSite, on: SiteServer, w: World) {
  const email = `payout-buyer-${++buyers}-${Date.now()}@a.test`
  await site.payload.create({
    collection: 'users',
    data: { email, password: 'pw-123456', role: 'attendee', tenant: w.tenant.id } as never,
  })
  const auth = await login(on, email, 'pw-123456')
  const answer = await callApi(on, 'POST', `/live-streams/${w.stream.id}/checkout`, auth, {})
  expect(answer.status).toBe(200)
  const params = (stripe.sent.get('/v1/checkout/sessions') ?? []).at(-1)!
  const metadata = Object.fromEntries(
    [...params]
      .filter(([k]) => k.startsWith('metadata['))
      .map(([k, v]) => [k.slice('metadata['.length, -1), v]),
  )
  const event = sessionCompleted(metadata)
  expect((await deliverStripe(on.url, event)).status).toBe(200)
  return { params, paymentIntent: sessionOf(event).payment_intent }
}

const entriesOf = async (site: TestSite, where: Record<string, unknown>) =>
  (
    await site.payload.find({
      collection: 'revenue-tracking',
      where: where as never,
      limit: 0,
      depth: 0,
      sort: 'createdAt',
    })
  ).docs as unknown as Entry[]

const streamOf = async (site: TestSite, id: Id) =>
  (await site.payload.findByID({ collection: 'live-streams', id, depth: 0 })) as unknown as {
    payoutStatus?: null | string
    payoutError?: null | string
    payoutRetryAt?: null | string
    closedAt?: null | string
  }

/** Opens the stream, lets the host in (unless it stays away), and closes it. */
async function holdTheSession(site: TestSite, on: SiteServer, w: World, hostComes = true) {
  expect(
    await openStream({ payload: site.payload, liveStreamId: w.stream.id, reason: 'test' }),
  ).toMatchObject({ outcome: 'opened' })
  if (hostComes) {
    const joined = hostJoined(String(w.stream.roomName), w.host.id)
    expect((await deliver(on.url, joined)).status).toBe(200)
    await webhooksApplied(site.payload)
  }
  expect(
    await closeStream({ payload: site.payload, liveStreamId: w.stream.id, reason: 'test' }),
  ).toMatchObject({ outcome: 'closed' })
}

let admins = 0
/** A new admin of `site`, logged in on `on`. */
async function adminOf(site: TestSite, on: SiteServer) {
  const email = `payout-admin-${++admins}-${Date.now()}@a.test`
  await site.payload.create({
    collection: 'users',
    data: { email, password: 'pw-123456', role: 'admin' } as never,
  })
  return login(on, email, 'pw-123456')
}

const transferKeys = () => stripe.keys.get('/v1/transfers') ?? []
const afterHold = () => new Date(Date.now() + HOLD_DAYS * DAY_MS + 60_000)

describe('separate charges and transfers', () => {
  it('charges for the platform, in the appointment’s transfer group, with no destination', async () => {
    const w = await world(separate)
    const { params } = await sell(separate, server, w)
    expect(params.get('payment_intent_data[transfer_group]')).toBe(
      `${separate.roomPrefix}:appointment:${w.appointment.id}`,
    )
    expect(params.get('payment_intent_data[transfer_data][destination]')).toBeNull()
    expect(params.get('payment_intent_data[application_fee_amount]')).toBeNull()
    const [sale] = await entriesOf(separate, { liveStream: { equals: String(w.stream.id) } })
    // The host bears the fee here: 1500 = 300 commission + 1141 host share + 59 fee.
    expect(sale).toMatchObject({
      kind: 'sale',
      settlement: 'separate',
      grossAmount: 1500,
      commissionAmount: 300,
      hostShareAmount: 1200 - FEE,
      feeAmount: FEE,
      feeBearer: 'host',
      paidOutAmount: 0,
    })
    expect((await streamOf(separate, w.stream.id)).payoutStatus).toBe('held')
  }, 60_000)

  it('pays the host once after the hold, with two instances running the job, and the statement follows', async () => {
    const w = await world(separate)
    await sell(separate, server, w)
    await sell(separate, server, w)
    await holdTheSession(separate, server, w)
    const keysBefore = transferKeys().length

    // Inside the hold nothing moves; the statement shows the share as held.
    expect(await payDueHosts(separate.payload)).toMatchObject({ paid: 0 })
    expect(transferKeys()).toHaveLength(keysBefore)
    const admin = await adminOf(separate, server)
    const held = await callApi(
      server,
      'GET',
      `/revenue-tracking/statement?host=${w.host.id}`,
      admin,
    )
    expect(held.json.hosts).toEqual([
      expect.objectContaining({
        earned: 2 * (1200 - FEE),
        held: 2 * (1200 - FEE),
        paidOut: 0,
        owed: 0,
      }),
    ])

    const now = afterHold()
    const runs = await Promise.all([
      payDueHosts(separate.payload, { now }),
      payDueHosts(second.payload, { now }),
    ])
    expect(runs.reduce((a, r) => a + r.paid, 0)).toBe(1)
    const sent = transferKeys().slice(keysBefore)
    expect(new Set(sent)).toEqual(new Set([`payout:${w.stream.id}:1`]))
    const transfer = (stripe.sent.get('/v1/transfers') ?? []).at(-1)!
    expect(Object.fromEntries(transfer)).toMatchObject({
      amount: String(2 * (1200 - FEE)),
      currency: 'usd',
      destination: w.account,
      transfer_group: `${separate.roomPrefix}:appointment:${w.appointment.id}`,
    })
    const payouts = await entriesOf(separate, {
      and: [{ liveStream: { equals: String(w.stream.id) } }, { kind: { equals: 'payout' } }],
    })
    expect(payouts).toEqual([
      expect.objectContaining({
        grossAmount: 0,
        paidOutAmount: 2 * (1200 - FEE),
        stripeTransferId: expect.stringMatching(/^tr_/),
      }),
    ])
    expect((await streamOf(separate, w.stream.id)).payoutStatus).toBe('paid')
    // A later run finds nothing to do.
    await payDueHosts(separate.payload, { now })
    expect(transferKeys().slice(keysBefore)).toHaveLength(sent.length)

    const paid = await callApi(
      server,
      'GET',
      `/revenue-tracking/statement?host=${w.host.id}`,
      admin,
    )
    expect(paid.json.hosts).toEqual([
      expect.objectContaining({ held: 0, paidOut: 2 * (1200 - FEE), owed: 0 }),
    ])
    expect(paid.json.lines[0]).toMatchObject({ fee: 2 * FEE, paidOut: 2 * (1200 - FEE) })
    const csv = await fetch(
      `${server.url}/api/revenue-tracking/statement?host=${w.host.id}&format=csv`,
      { headers: { authorization: admin } },
    )
    const [header, row] = (await csv.text()).trim().split('\n')
    const cells = Object.fromEntries(header.split(',').map((h, i) => [h, row.split(',')[i]]))
    expect(cells).toMatchObject({
      fee_minor: String(2 * FEE),
      paid_out_minor: String(2 * (1200 - FEE)),
    })
  }, 120_000)

  it('takes a refund after the payout back from the transfer', async () => {
    const w = await world(separate)
    const { paymentIntent } = await sell(separate, server, w)
    await sell(separate, server, w)
    await holdTheSession(separate, server, w)
    const now = afterHold()
    await payDueHosts(separate.payload, { now })
    const [payout] = await entriesOf(separate, {
      and: [{ liveStream: { equals: String(w.stream.id) } }, { kind: { equals: 'payout' } }],
    })
    expect(payout.paidOutAmount).toBe(2 * (1200 - FEE))

    expect((await deliverStripe(server.url, chargeRefunded(paymentIntent, 1500))).status).toBe(200)
    expect((await streamOf(separate, w.stream.id)).payoutStatus).toBe('due')
    // Due at once, not after another hold.
    await payDueHosts(separate.payload)
    const reversals = stripe.sent.get(`/v1/transfers/${payout.stripeTransferId}/reversals`) ?? []
    expect(reversals.map((p) => p.get('amount'))).toEqual(['1200'])
    const moves = await entriesOf(separate, {
      and: [{ liveStream: { equals: String(w.stream.id) } }, { kind: { equals: 'payout' } }],
    })
    expect(moves.map((m) => m.paidOutAmount)).toEqual([2 * (1200 - FEE), -1200])
    expect((await streamOf(separate, w.stream.id)).payoutStatus).toBe('paid')
    // The host kept one ticket's share and bore both fees (Stripe keeps the fee of a refund).
    const all = await entriesOf(separate, { liveStream: { equals: String(w.stream.id) } })
    const net = (k: keyof Entry) => all.reduce((a, e) => a + Number(e[k] ?? 0), 0)
    expect(net('hostShareAmount')).toBe(1200 - 2 * FEE)
    expect(net('paidOutAmount')).toBe(1200 - 2 * FEE)
    expect(net('grossAmount')).toBe(1500)
  }, 120_000)

  it('pays nothing for a host no-show: the tickets are refunded instead', async () => {
    const w = await world(separate)
    await sell(separate, server, w)
    await holdTheSession(separate, server, w, false)
    await settleRefunds(separate.payload)
    await payDueHosts(separate.payload, { now: afterHold() })
    expect(transferKeys().filter((k) => k.startsWith(`payout:${w.stream.id}:`))).toEqual([])
    expect((await streamOf(separate, w.stream.id)).payoutStatus).toBe('none')
  }, 120_000)

  it('tries a payout again after Stripe failed, and makes it once', async () => {
    const w = await world(separate)
    await sell(separate, server, w)
    await holdTheSession(separate, server, w)
    stripe.failing.add('/v1/transfers')
    const now = afterHold()
    try {
      expect(await payDueHosts(separate.payload, { now })).toMatchObject({ retrying: 1 })
    } finally {
      stripe.failing.delete('/v1/transfers')
    }
    const waiting = await streamOf(separate, w.stream.id)
    expect(waiting).toMatchObject({ payoutStatus: 'held', payoutError: expect.any(String) })
    // Not before its retry time; then the same move, under the same key.
    await payDueHosts(separate.payload, { now })
    expect((await streamOf(separate, w.stream.id)).payoutStatus).toBe('held')
    await payDueHosts(separate.payload, {
      now: new Date(Date.parse(waiting.payoutRetryAt!) + 1000),
    })
    const keys = transferKeys().filter((k) => k.startsWith(`payout:${w.stream.id}:`))
    expect(new Set(keys)).toEqual(new Set([`payout:${w.stream.id}:1`]))
    expect(await streamOf(separate, w.stream.id)).toMatchObject({
      payoutStatus: 'paid',
      payoutError: null,
    })
  }, 120_000)

  it('shows a payout Stripe refused for good as failed, and an admin retries it once fixed', async () => {
    const w = await world(separate)
    await sell(separate, server, w)
    await holdTheSession(separate, server, w)
    stripe.refusing.set('/v1/transfers', {
      status: 400,
      error: {
        type: 'invalid_request_error',
        code: 'insufficient_capabilities_for_transfer',
        message: 'The destination account cannot receive transfers.',
      },
    })
    try {
      expect(await payDueHosts(separate.payload, { now: afterHold() })).toMatchObject({ failed: 1 })
    } finally {
      stripe.refusing.delete('/v1/transfers')
    }
    expect(await streamOf(separate, w.stream.id)).toMatchObject({
      payoutStatus: 'failed',
      payoutError: expect.stringContaining('cannot receive transfers'),
    })
    const path = `/live-streams/${w.stream.id}/retry-payout`
    const host = await login(server, String(w.host.email), 'pw-123456')
    expect(await callApi(server, 'POST', path, host, {})).toMatchObject({
      status: 403,
      json: { error: { code: 'admin_only' } },
    })
    const admin = await adminOf(separate, server)
    // The hold is long past for the retry too: the test's stream closed "days ago".
    await separate.payload.db.updateOne({
      collection: 'live-streams',
      id: w.stream.id,
      data: { closedAt: new Date(Date.now() - (HOLD_DAYS + 1) * DAY_MS).toISOString() },
    })
    const retried = await callApi(server, 'POST', path, admin, {})
    expect(retried).toMatchObject({
      status: 200,
      json: { payoutStatus: 'paid', payoutError: null },
    })
    expect(await callApi(server, 'POST', path, admin, {})).toMatchObject({
      status: 409,
      json: { error: { code: 'payout_not_failed' } },
    })
  }, 120_000)

  it('keeps its payout state out of reach of the API, admins included', async () => {
    const w = await world(separate)
    const admin = await adminOf(separate, server)
    const changed = await callApi(server, 'PATCH', `/live-streams/${w.stream.id}`, admin, {
      payoutStatus: 'due',
      payoutInFlight: {
        key: 'x',
        kind: 'transfer',
        amount: 99999,
        currency: 'usd',
        target: 'acct_evil',
      },
    })
    expect(changed.status).toBeLessThan(500)
    const stored = (await separate.payload.db.findOne({
      collection: 'live-streams',
      where: { id: { equals: w.stream.id } },
    })) as unknown as { payoutStatus?: null | string; payoutInFlight?: unknown }
    expect(stored.payoutStatus ?? null).toBeNull()
    expect(stored.payoutInFlight ?? null).toBeNull()
  }, 60_000)
})

describe('the processing fee', () => {
  it('comes out of the commission when the platform bears it, and stays its cost after a refund', async () => {
    const w = await world(destination)
    const { params, paymentIntent } = await sell(destination, destinationServer, w)
    expect(params.get('payment_intent_data[transfer_data][destination]')).toBe(w.account)
    const [sale] = await entriesOf(destination, {
      stripePaymentIntentId: { equals: paymentIntent },
    })
    expect(sale).toMatchObject({
      settlement: 'destination',
      grossAmount: 1500,
      commissionAmount: 300 - FEE,
      hostShareAmount: 1200,
      feeAmount: FEE,
      feeBearer: 'platform',
      // Stripe moved the host's share with the charge.
      paidOutAmount: 1200,
    })
    expect(
      (await deliverStripe(destinationServer.url, chargeRefunded(paymentIntent, 1500))).status,
    ).toBe(200)
    const all = await entriesOf(destination, { stripePaymentIntentId: { equals: paymentIntent } })
    const net = (k: keyof Entry) => all.reduce((a, e) => a + Number(e[k] ?? 0), 0)
    expect({
      gross: net('grossAmount'),
      commission: net('commissionAmount'),
      hostShare: net('hostShareAmount'),
      fee: net('feeAmount'),
      paidOut: net('paidOutAmount'),
    }).toEqual({ gross: 0, commission: -FEE, hostShare: 0, fee: FEE, paidOut: 0 })
    for (const e of all) {
      expect(e.grossAmount).toBe(e.commissionAmount + e.hostShareAmount + e.feeAmount)
    }
  }, 60_000)
})
