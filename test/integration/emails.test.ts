import { dispose, type Room } from '@livekit/rtc-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { sendDueEmails } from '../../src/emails/attendeeEmails.js'
import { openStream } from '../../src/lifecycle/operations/streamLifecycle.js'
import { settleRefunds } from '../../src/refunds/ticketRefunds.js'
import { createAppointmentWorld, liveStreamOf } from '../helpers/fixtures.js'
import { callApi, login, serveSite, type SiteServer } from '../helpers/httpServer.js'
import { sleep } from '../helpers/jobs.js'
import { type ReceivedMail, smtpEmailAdapter, startMailbox } from '../helpers/mailbox.js'
import { connect, publishSyntheticCamera } from '../helpers/media.js'
import {
  chargeRefunded,
  checkoutMetadata,
  deliverStripe,
  sessionCompleted,
  sessionOf,
} from '../helpers/stripeEvents.js'
import { startTestSite, type TestSite } from '../helpers/testSite.js'
import { deliver, livekitEvent, webhooksApplied } from '../helpers/webhooks.js'

type Id = number | string

let mailbox: Awaited<ReturnType<typeof startMailbox>>
let site: TestSite
let second: TestSite
let server: SiteServer
const rooms: Room[] = []

beforeAll(async () => {
  mailbox = await startMailbox()
  const plugin = {
    lifecycle: { autoRun: false as const, reconcileCron: false as const },
    emails: {
      // Buyers whose address starts with "de-" read German; "quiet-" buyers get no reminder.
      language: (user: Record<string, unknown>) =>
        String(user.email).startsWith('de-') ? 'de' : undefined,
      beforeSend: (
        email: { to: string; subject: string; text: string; html: string },
        context: { kind: string },
      ) =>
        context.kind === 'reminder' && email.to.startsWith('quiet-')
          ? (false as const)
          : { ...email, subject: `[Acme] ${email.subject}` },
    },
  }
  const withMail = (config: never) => ({
    ...(config as object),
    email: smtpEmailAdapter(mailbox.port),
  })
  site = await startTestSite({ plugin }, withMail as never)
  second = await startTestSite({ plugin }, withMail as never, site)
  server = await serveSite(site)
}, 180_000)
afterAll(async () => {
  for (const room of rooms) {
    await room.disconnect().catch(() => undefined)
  }
  await server?.close()
  await second?.close()
  await site?.close()
  await mailbox?.close()
  await dispose()
})

/**
 * One instance runs the job queue while the other runs the email sweep (what its cron does), at
 * once, until `done`. Payload's runner itself must not run one job on two instances at once.
 */
async function runBoth(done: () => boolean, timeoutMs = 20_000) {
  const round = () =>
    Promise.all([
      site.payload.jobs.run({ queue: 'livekit', limit: 100, silent: true }),
      sendDueEmails(second.payload),
    ])
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    await round()
    if (done()) {
      // Anything a duplicate would have sent has had its chance.
      await sleep(300)
      await round()
      return
    }
    await sleep(150)
  }
  throw new Error('the emails did not arrive')
}

const mailTo = (address: string) => mailbox.messages.filter((m) => m.to.includes(address))
const subjects = (address: string) => mailTo(address).map((m) => m.subject)

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString()

async function world(startsIn = 5) {
  const w = await createAppointmentWorld(site.payload, {
    startsAt: inMinutes(startsIn),
    endsAt: inMinutes(startsIn + 60),
  })
  const [stream] = await liveStreamOf(site.payload, w.appointment.id)
  return { ...w, stream, title: String(w.appointment.title) }
}
type World = Awaited<ReturnType<typeof world>>

let buyers = 0
async function sell(w: World, prefix = '') {
  const email = `${prefix}buyer-${++buyers}-${Date.now()}@a.test`
  const buyer = await site.payload.create({
    collection: 'users',
    data: { email, password: 'pw-123456', role: 'attendee', tenant: w.tenant.id } as never,
  })
  const event = sessionCompleted(checkoutMetadata(site.payload, { ...w, buyer }))
  expect((await deliverStripe(server.url, event)).status).toBe(200)
  return { email, buyer, event, paymentIntent: sessionOf(event).payment_intent }
}

const watchLink = (w: World) => `/streams/${w.stream.id}/watch`

describe('attendee emails', () => {
  it('confirm a purchase once, with the watch link, whatever instance and however often Stripe delivers', async () => {
    const w = await world(3 * 24 * 60)
    const { email, event } = await sell(w)
    // Stripe delivers again; both instances run the job.
    expect((await deliverStripe(server.url, event)).status).toBe(200)
    await runBoth(() => mailTo(email).length > 0)
    const [mail] = mailTo(email) as [ReceivedMail]
    const rows = await site.payload.find({ collection: 'email-deliveries', limit: 20, depth: 0 })
    console.log(
      'DEBUG',
      JSON.stringify(rows.docs),
      JSON.stringify(mailTo(email).map((m) => m.subject)),
    )
    expect(mailTo(email)).toHaveLength(1)
    expect(mail.subject).toBe(`[Acme] Your ticket for ${w.title}`)
    expect(mail.text).toContain(watchLink(w))
    expect(mail.html).toContain(`href="http://`)
    expect(mail.from).toContain('events@site.test')
  }, 60_000)

  it('remind every ticket holder when the room opens, in their language, and the site may suppress one', async () => {
    const w = await world()
    const english = await sell(w)
    const german = await sell(w, 'de-')
    const quiet = await sell(w, 'quiet-')
    expect(
      await openStream({ payload: site.payload, liveStreamId: w.stream.id, reason: 'test' }),
    ).toMatchObject({ outcome: 'opened' })
    await runBoth(
      () =>
        mailTo(english.email).length > 1 &&
        mailTo(german.email).length > 1 &&
        mailTo(quiet.email).length > 0,
    )
    expect(subjects(english.email).sort()).toEqual(
      [`[Acme] Your ticket for ${w.title}`, `[Acme] ${w.title} starts soon`].sort(),
    )
    expect(subjects(german.email).sort()).toEqual(
      [`[Acme] Ihr Ticket für ${w.title}`, `[Acme] ${w.title} beginnt bald`].sort(),
    )
    // German dates for German readers, the zone named.
    expect(mailTo(german.email).find((m) => m.subject.includes('beginnt'))!.text).toMatch(/UTC/)
    expect(subjects(quiet.email)).toEqual([`[Acme] Your ticket for ${w.title}`])
    const suppressed = await site.payload.find({
      collection: 'email-deliveries',
      where: {
        and: [{ kind: { equals: 'reminder' } }, { liveStream: { equals: String(w.stream.id) } }],
      },
      limit: 10,
    })
    expect(suppressed.docs.map((d) => (d as { error?: null | string }).error).sort()).toEqual(
      ['not sent: suppressed', null, null].sort(),
    )
  }, 90_000)

  it('say "live now" once when the host starts broadcasting', async () => {
    const w = await world()
    const { email } = await sell(w)
    expect(
      await openStream({ payload: site.payload, liveStreamId: w.stream.id, reason: 'test' }),
    ).toMatchObject({ outcome: 'opened' })
    const started = livekitEvent('room_started', { room: { name: w.stream.roomName } })
    expect((await deliver(server.url, started)).status).toBe(200)
    await webhooksApplied(site.payload)
    const hostAuth = await login(server, String(w.host.email), 'pw-123456')
    const token = await callApi(server, 'POST', `/live-streams/${w.stream.id}/token`, hostAuth, {})
    expect(token.status).toBe(200)
    const room = await connect(token.json.serverUrl, token.json.token)
    rooms.push(room)
    const camera = await publishSyntheticCamera(room)
    try {
      for (let i = 0; i < 2; i++) {
        // LiveKit reports the track (twice: a repeat must not say it twice).
        const published = livekitEvent('track_published', {
          room: { name: w.stream.roomName },
          participant: { identity: token.json.identity, attributes: { role: 'host' } },
        })
        expect((await deliver(server.url, published)).status).toBe(200)
        await webhooksApplied(site.payload)
      }
      await runBoth(() => subjects(email).some((s) => s.includes('is live now')))
      expect(subjects(email).filter((s) => s.includes('is live now'))).toEqual([
        `[Acme] ${w.title} is live now`,
      ])
    } finally {
      camera.stop()
    }
  }, 90_000)

  it('tell a refunded buyer why, with the amount, and a rescheduled one the new time', async () => {
    const cancelled = await world(3 * 24 * 60)
    const { email, paymentIntent } = await sell(cancelled)
    await site.payload.update({
      collection: 'appointments',
      id: cancelled.appointment.id,
      data: { status: 'cancelled' } as never,
    })
    await settleRefunds(site.payload)
    expect((await deliverStripe(server.url, chargeRefunded(paymentIntent, 1500))).status).toBe(200)
    await runBoth(() => subjects(email).some((s) => s.includes('was refunded')))
    const refund = mailTo(email).find((m) => m.subject.includes('was refunded'))!
    expect(refund.text).toContain('$15.00')
    expect(refund.text).toContain('the appointment was cancelled')

    const moved = await world(3 * 24 * 60)
    const holder = await sell(moved)
    const newStart = new Date(Date.now() + 4 * 24 * 3600_000)
    newStart.setUTCHours(18, 30, 0, 0)
    await site.payload.update({
      collection: 'appointments',
      id: moved.appointment.id,
      data: {
        startsAt: newStart.toISOString(),
        endsAt: new Date(newStart.getTime() + 3600_000).toISOString(),
      } as never,
    })
    await runBoth(() => subjects(holder.email).some((s) => s.includes('new time')))
    const notice = mailTo(holder.email).find((m) => m.subject.includes('new time'))!
    expect(notice.text).toContain('06:30 PM')
    expect(notice.text).toContain(watchLink(moved))
  }, 90_000)

  it('announce a finished recording once, and retry a send the mail server refused', async () => {
    const w = await world()
    const { email } = await sell(w)
    await runBoth(() => mailTo(email).length > 0)
    mailbox.refusing.value = true
    const egressId = `EG_mail_${Date.now()}`
    const ns = (ms: number) => String(BigInt(ms) * 1_000_000n)
    const ended = livekitEvent('egress_ended', {
      egressInfo: {
        egressId,
        roomName: w.stream.roomName,
        status: 'EGRESS_COMPLETE',
        startedAt: ns(Date.now() - 65_000),
        endedAt: ns(Date.now() - 4_000),
        roomComposite: { roomName: w.stream.roomName, layout: 'speaker' },
        fileResults: [
          {
            filename: 'r.mp4',
            location: `s3://bucket/recordings/${w.stream.roomName}/r.mp4`,
            size: '7340032',
            duration: ns(61_000),
          },
        ],
      },
    })
    try {
      expect((await deliver(server.url, ended)).status).toBe(200)
      expect((await deliver(server.url, ended)).status).toBe(200)
      await webhooksApplied(site.payload)
      await site.payload.jobs.run({ queue: 'livekit', limit: 100, silent: true })
    } finally {
      mailbox.refusing.value = false
    }
    const [row] = (
      await site.payload.find({
        collection: 'email-deliveries',
        where: {
          and: [{ kind: { equals: 'replay' } }, { liveStream: { equals: String(w.stream.id) } }],
        },
      })
    ).docs as unknown as Array<{ id: Id; attempts: number; retryAt: string; error: string }>
    expect(row).toMatchObject({ attempts: 1, error: expect.stringMatching(/451|unavailable/) })
    // The retry, when it is due (the job's own sweep).
    await sendDueEmails(site.payload, new Date(Date.parse(row.retryAt) + 1000))
    expect(subjects(email).filter((s) => s.includes('replay'))).toEqual([
      `[Acme] The replay of ${w.title} is ready`,
    ])
  }, 90_000)
})
