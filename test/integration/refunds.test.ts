import { dispose } from '@livekit/rtc-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { closeStream, openStream } from '../../src/lifecycle/operations/streamLifecycle.js'
import { settleRefunds } from '../../src/refunds/ticketRefunds.js'
import { createAppointmentWorld, liveStreamOf } from '../helpers/fixtures.js'
import { callApi, login, serveSite, type SiteServer } from '../helpers/httpServer.js'
import {
  chargeRefunded,
  checkoutMetadata,
  deliverStripe,
  flakyStripe,
  sessionCompleted,
  sessionOf,
} from '../helpers/stripeEvents.js'
import { startTestSite, testDatabase, type TestSite } from '../helpers/testSite.js'
import { deliver, hostJoined, webhooksApplied } from '../helpers/webhooks.js'

type Id = number | string
type Ticket = {
  id: Id
  status: string
  refundReason?: null | string
  refundAttempts?: null | number
  refundRetryAt?: null | string
  refundError?: null | string
  refundFailed?: boolean | null
  refundSentAt?: null | string
  stripePaymentIntentId: string
}

let site: TestSite
let second: TestSite
let server: SiteServer
let stripe: Awaited<ReturnType<typeof flakyStripe>>
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString()
const DAY = 24 * 60

beforeAll(async () => {
  stripe = await flakyStripe()
  const plugin = {
    lifecycle: { autoRun: false as const, reconcileCron: false as const },
    stripe: { apiBase: stripe.url },
  }
  site = await startTestSite({ plugin })
  // A second instance of the same site on the same database, running the same refund job.
  second = await startTestSite({ plugin }, undefined, site)
  server = await serveSite(site)
}, 180_000)
afterAll(async () => {
  await server?.close()
  await second?.close()
  await site?.close()
  await stripe?.close()
  await dispose()
})

const call = (method: string, path: string, authorization?: string, body?: unknown) =>
  callApi(server, method, path, authorization, body)

/** An appointment `startsIn` minutes from now with its stream. */
async function world(startsIn = 3 * DAY) {
  const w = await createAppointmentWorld(site.payload, {
    startsAt: inMinutes(startsIn),
    endsAt: inMinutes(startsIn + 60),
  })
  const [stream] = await liveStreamOf(site.payload, w.appointment.id)
  return { ...w, stream }
}

let buyers = 0
/** A new attendee who pays for a ticket through a signed checkout.session.completed. */
async function sell(w: Awaited<ReturnType<typeof world>>, destination?: string) {
  const buyer = await site.payload.create({
    collection: 'users',
    data: {
      email: `refund-buyer-${++buyers}-${Date.now()}@a.test`,
      password: 'pw-123456',
      role: 'attendee',
      tenant: w.tenant.id,
    } as never,
  })
  const event = sessionCompleted(
    checkoutMetadata(site.payload, { ...w, buyer }, destination ? { destination } : {}),
  )
  const answer = await deliverStripe(server.url, event)
  return { buyer, event, answer, paymentIntent: sessionOf(event).payment_intent }
}

const ticketsOf = async (streamId: Id) =>
  (
    await site.payload.find({
      collection: 'tickets',
      where: { liveStream: { equals: streamId } },
      sort: 'seat',
      depth: 0,
      limit: 0,
    })
  ).docs as unknown as Ticket[]

const refundCalls = () => stripe.calls.get('/v1/refunds') ?? 0
const refundKeys = () => stripe.keys.get('/v1/refunds') ?? []
const refundParams = () => stripe.sent.get('/v1/refunds') ?? []

/** Net gross, commission and host share the ledger booked for a payment. */
async function ledgerNet(paymentIntent: string) {
  const entries = (
    await site.payload.find({
      collection: 'revenue-tracking',
      where: { stripePaymentIntentId: { equals: paymentIntent } },
      limit: 0,
      depth: 0,
    })
  ).docs as unknown as Array<{
    kind: string
    grossAmount: number
    commissionAmount: number
    hostShareAmount: number
  }>
  const sum = (k: 'commissionAmount' | 'grossAmount' | 'hostShareAmount') =>
    entries.reduce((a, e) => a + e[k], 0)
  return {
    kinds: entries.map((e) => e.kind).sort(),
    gross: sum('grossAmount'),
    commission: sum('commissionAmount'),
    hostShare: sum('hostShareAmount'),
  }
}

function shuffled<T>(items: T[]): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}

describe('cancelling an appointment with paid tickets', () => {
  it('refunds every ticket once, even with two instances running the refund job, and the ledger nets to zero', async () => {
    const w = await world()
    const sales = [await sell(w, 'acct_host_refunds'), await sell(w), await sell(w)]
    for (const sale of sales) {
      expect(sale.answer).toMatchObject({ status: 200, json: { outcome: 'ticket issued' } })
    }
    const callsBefore = refundCalls()
    const keysBefore = refundKeys().length

    await site.payload.update({
      collection: 'appointments',
      id: w.appointment.id,
      data: { status: 'cancelled' } as never,
    })
    const pending = await ticketsOf(w.stream.id)
    expect(pending.map((t) => [t.status, t.refundReason])).toEqual(
      Array(3).fill(['refund_pending', 'appointment_cancelled']),
    )

    const runs = await Promise.all([settleRefunds(site.payload), settleRefunds(second.payload)])
    expect(runs.reduce((a, r) => a + r.sent, 0)).toBe(3)
    const keys = refundKeys().slice(keysBefore)
    expect([...new Set(keys)].sort()).toEqual(
      pending.map((t) => `ticket-refund:${t.id}:appointment_cancelled`).sort(),
    )
    if (testDatabase() !== 'mongodb') {
      // FerretDB's guarded update is a read then a write: there the key alone keeps it one refund.
      expect(refundCalls() - callsBefore).toBe(3)
    }
    const params = refundParams().slice(-keys.length)
    const forDestination = params.filter((p) => p.get('payment_intent') === sales[0].paymentIntent)
    expect(forDestination.length).toBeGreaterThan(0)
    for (const p of forDestination) {
      // A destination charge's refund takes the host's transfer and the commission back.
      expect(p.get('reverse_transfer')).toBe('true')
      expect(p.get('refund_application_fee')).toBe('true')
      expect(p.get('metadata[reason]')).toBe('appointment_cancelled')
    }
    for (const p of params.filter((p) => p.get('payment_intent') !== sales[0].paymentIntent)) {
      expect(p.get('reverse_transfer')).toBeNull()
    }
    // Every ticket still waits for Stripe's word; another run asks nothing new.
    expect((await ticketsOf(w.stream.id)).every((t) => t.status === 'refund_pending')).toBe(true)
    expect(await settleRefunds(second.payload)).toEqual({ sent: 0, retrying: 0, failed: 0 })
    expect(refundKeys().length).toBe(keysBefore + keys.length)

    // Stripe reports the refunds in any order, some twice.
    const reports = sales.map((s) => chargeRefunded(s.paymentIntent, 1500))
    for (const report of shuffled([...reports, reports[1], reports[2]])) {
      expect((await deliverStripe(server.url, report)).status).toBe(200)
    }
    expect((await ticketsOf(w.stream.id)).map((t) => t.status)).toEqual(Array(3).fill('refunded'))
    for (const sale of sales) {
      expect(await ledgerNet(sale.paymentIntent)).toEqual({
        kinds: ['refund', 'sale'],
        gross: 0,
        commission: 0,
        hostShare: 0,
      })
    }
  })

  it('refunds a ticket paid for while the appointment was being cancelled', async () => {
    const w = await world()
    await site.payload.update({
      collection: 'appointments',
      id: w.appointment.id,
      data: { status: 'cancelled' } as never,
    })
    const keysBefore = refundKeys().length
    const late = await sell(w)
    expect(late.answer).toMatchObject({
      status: 200,
      json: { outcome: 'refund requested: the appointment is off' },
    })
    const [ticket] = await ticketsOf(w.stream.id)
    expect(ticket).toMatchObject({
      status: 'refund_pending',
      refundReason: 'appointment_cancelled',
    })
    expect(refundKeys().slice(keysBefore)).toContain(
      `ticket-refund:${ticket.id}:appointment_cancelled`,
    )
    // Stripe delivers the sale again: nothing is asked twice.
    expect((await deliverStripe(server.url, late.event)).json).toMatchObject({ duplicate: true })
  })

  it('refunds the tickets of a deleted appointment', async () => {
    const w = await world()
    await sell(w)
    await site.payload.delete({ collection: 'appointments', id: w.appointment.id })
    await settleRefunds(site.payload)
    const [ticket] = await ticketsOf(w.stream.id)
    expect(ticket).toMatchObject({
      status: 'refund_pending',
      refundReason: 'appointment_cancelled',
    })
    expect(ticket.refundSentAt).toEqual(expect.any(String))
    expect(refundKeys()).toContain(`ticket-refund:${ticket.id}:appointment_cancelled`)
  })

  it('keeps tickets valid when the appointment is only rescheduled', async () => {
    const w = await world()
    await sell(w)
    await site.payload.update({
      collection: 'appointments',
      id: w.appointment.id,
      data: { startsAt: inMinutes(5 * DAY), endsAt: inMinutes(5 * DAY + 60) } as never,
    })
    await settleRefunds(site.payload)
    expect((await ticketsOf(w.stream.id)).map((t) => t.status)).toEqual(['active'])
  })
})

describe('no-shows at the close', () => {
  it('refunds every ticket when the host never came, and none when only an attendee stayed away', async () => {
    const absent = await world(5)
    const present = await world(5)
    await sell(absent)
    await sell(present)
    for (const w of [absent, present]) {
      expect(
        await openStream({ payload: site.payload, liveStreamId: w.stream.id, reason: 'test' }),
      ).toMatchObject({ outcome: 'opened' })
    }
    const joined = hostJoined(String(present.stream.roomName), present.host.id)
    expect((await deliver(server.url, joined)).status).toBe(200)
    await webhooksApplied(site.payload)

    for (const w of [absent, present]) {
      expect(
        await closeStream({ payload: site.payload, liveStreamId: w.stream.id, reason: 'test' }),
      ).toMatchObject({ outcome: 'closed' })
    }
    await settleRefunds(site.payload)
    const [refunded] = await ticketsOf(absent.stream.id)
    expect(refunded).toMatchObject({ status: 'refund_pending', refundReason: 'host_no_show' })
    expect(refunded.refundSentAt).toEqual(expect.any(String))
    expect(refundKeys()).toContain(`ticket-refund:${refunded.id}:host_no_show`)
    // The buyer of the other stream never came either: no-shows of attendees keep their charge.
    expect((await ticketsOf(present.stream.id)).map((t) => t.status)).toEqual(['active'])
  }, 120_000)
})

describe('an attendee cancelling their own ticket', () => {
  it('is refunded in full until a day before the start, and refused afterwards', async () => {
    const w = await world()
    const { buyer, paymentIntent } = await sell(w)
    const auth = await login(server, String(buyer.email), 'pw-123456')
    const [ticket] = await ticketsOf(w.stream.id)
    const path = `/tickets/${ticket.id}/cancel`

    const stranger = await sell(w)
    const strangerAuth = await login(server, String(stranger.buyer.email), 'pw-123456')
    expect(await call('POST', path)).toMatchObject({ status: 401 })
    expect(await call('POST', path, strangerAuth)).toMatchObject({
      status: 404,
      json: { error: { code: 'not_found' } },
    })

    const cancelled = await call('POST', path, auth)
    expect(cancelled.status).toBe(200)
    expect(cancelled.json).toMatchObject({
      status: 'refund_pending',
      refundReason: 'attendee_cancelled',
      refundSentAt: expect.any(String),
    })
    expect(refundKeys()).toContain(`ticket-refund:${ticket.id}:attendee_cancelled`)
    expect(await call('POST', path, auth)).toMatchObject({
      status: 409,
      json: { error: { code: 'ticket_not_active' } },
    })
    // The refund arrives; the ledger reverses the sale; the place is free again.
    await deliverStripe(server.url, chargeRefunded(paymentIntent, 1500))
    expect((await ticketsOf(w.stream.id))[0].status).toBe('refunded')
    expect((await ledgerNet(paymentIntent)).gross).toBe(0)

    const soon = await world(120)
    const late = await sell(soon)
    const lateAuth = await login(server, String(late.buyer.email), 'pw-123456')
    const [lateTicket] = await ticketsOf(soon.stream.id)
    const refused = await call('POST', `/tickets/${lateTicket.id}/cancel`, lateAuth)
    expect(refused).toMatchObject({
      status: 409,
      json: { error: { code: 'cancel_window_closed' } },
    })
    expect(refused.json.error.message).toMatch(/could be cancelled until/)
    expect((await ticketsOf(soon.stream.id))[0].status).toBe('active')
    expect(await call('POST', '/tickets/not-an-id/cancel', lateAuth)).toMatchObject({
      status: 404,
    })
  })
})

describe('refunds Stripe refuses', () => {
  it('tries again later after an outage, and shows the ones it gave up on until an admin retries', async () => {
    const w = await world()
    await sell(w)
    stripe.failing.add('/v1/refunds')
    try {
      await site.payload.update({
        collection: 'appointments',
        id: w.appointment.id,
        data: { status: 'cancelled' } as never,
      })
      expect(await settleRefunds(site.payload)).toMatchObject({ retrying: 1, sent: 0 })
    } finally {
      stripe.failing.delete('/v1/refunds')
    }
    const [waiting] = await ticketsOf(w.stream.id)
    expect(waiting).toMatchObject({
      status: 'refund_pending',
      refundAttempts: 1,
      refundFailed: false,
    })
    expect(waiting.refundError).toMatch(/outage/)
    const retryAt = new Date(waiting.refundRetryAt!)
    expect(retryAt.getTime()).toBeGreaterThan(Date.now())
    // Not due yet: nothing is asked.
    expect((await settleRefunds(site.payload)).sent).toBe(0)
    expect(
      await settleRefunds(site.payload, { now: new Date(retryAt.getTime() + 1000) }),
    ).toMatchObject({ sent: 1 })
    expect((await ticketsOf(w.stream.id))[0].refundSentAt).toEqual(expect.any(String))

    const disputed = await world()
    await sell(disputed)
    stripe.refusing.set('/v1/refunds', {
      status: 400,
      error: {
        type: 'invalid_request_error',
        code: 'charge_disputed',
        message: 'This charge has been disputed.',
      },
    })
    try {
      await site.payload.update({
        collection: 'appointments',
        id: disputed.appointment.id,
        data: { status: 'cancelled' } as never,
      })
      expect(await settleRefunds(site.payload)).toMatchObject({ failed: 1 })
    } finally {
      stripe.refusing.delete('/v1/refunds')
    }
    const [failed] = await ticketsOf(disputed.stream.id)
    expect(failed).toMatchObject({ status: 'refund_pending', refundFailed: true })
    expect(failed.refundError).toMatch(/disputed/)
    // Given up: later runs leave it for a person.
    expect(await settleRefunds(site.payload, { now: new Date(Date.now() + DAY * 60_000) })).toEqual(
      { sent: 0, retrying: 0, failed: 0 },
    )

    const path = `/tickets/${failed.id}/retry-refund`
    const hostAuth = await login(server, String(disputed.host.email), 'pw-123456')
    expect(await call('POST', path, hostAuth)).toMatchObject({
      status: 403,
      json: { error: { code: 'admin_only' } },
    })
    const admin = await site.payload.create({
      collection: 'users',
      data: {
        email: `refund-admin-${Date.now()}@x.test`,
        password: 'pw-123456',
        role: 'admin',
      } as never,
    })
    const adminAuth = await login(server, String(admin.email), 'pw-123456')
    const retried = await call('POST', path, adminAuth)
    expect(retried).toMatchObject({
      status: 200,
      json: { status: 'refund_pending', refundFailed: false, refundSentAt: expect.any(String) },
    })
    expect(await call('POST', path, adminAuth)).toMatchObject({
      status: 409,
      json: { error: { code: 'refund_not_failed' } },
    })
  })
})
