import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createAppointmentWorld, grantTicket, liveStreamOf } from '../helpers/fixtures.js'
import { callApi, login, serveSite, type SiteServer } from '../helpers/httpServer.js'
import { startTestSite, type TestSite } from '../helpers/testSite.js'
import {
  connectionEvents,
  deliver,
  type SentConnection as Sent,
  webhooksApplied,
} from '../helpers/webhooks.js'

/*
 * A finished hour-long stream whose joins and leaves arrive as LiveKit's signed webhooks, in a
 * shuffled order: its audience figures, read by the host through the endpoint, are what a plain
 * count over the connections that were sent gives, and the CSV exports carry the same numbers.
 */

type Id = number | string
let site: TestSite
let server: SiteServer
const minute = 60_000

beforeAll(async () => {
  site = await startTestSite({
    plugin: { lifecycle: { autoRun: false as const, reconcileCron: false as const } },
  })
  server = await serveSite(site)
}, 180_000)
afterAll(async () => {
  await server?.close()
  await site?.close()
})

const user = (email: string, role: string, tenant: unknown) =>
  site.payload.create({
    collection: 'users',
    data: { email, password: 'pw-123456', role, tenant } as never,
  }) as unknown as Promise<{ id: Id }>

/** Viewer connections open at `time`, counted plainly. */
const openAt = (sent: Sent[], time: number) =>
  sent.filter(
    (s) =>
      ['attendee', 'guest'].includes(s.role) &&
      s.joinedAt <= time &&
      (s.leftAt === null || s.leftAt > time),
  ).length

describe('the audience of a finished stream', () => {
  it('is the count of what LiveKit reported, for the host, in JSON and in CSV', async () => {
    const w = await createAppointmentWorld(site.payload, { capacity: 10 })
    const [stream] = await liveStreamOf(site.payload, w.appointment.id)
    const tenant = w.tenant.id
    const suffix = Date.now()
    const [a, b, c] = await Promise.all([
      user(`aud-a-${suffix}@a.test`, 'attendee', tenant),
      user(`aud-b-${suffix}@a.test`, 'attendee', tenant),
      user(`aud-c-${suffix}@a.test`, 'attendee', tenant),
      user(`aud-x-${suffix}@a.test`, 'attendee', tenant),
    ])
    for (const [seat, holder] of [a, b, c].entries()) {
      await grantTicket(site.payload, {
        liveStream: stream.id,
        appointment: w.appointment.id,
        user: holder.id,
        seat: seat + 1,
      })
    }
    // An hour that ended a few minutes ago, on whole seconds.
    const t0 = Math.floor((Date.now() - 70 * minute) / 1000) * 1000
    const end = t0 + 60 * minute
    await site.payload.db.updateOne({
      collection: 'live-streams',
      id: stream.id,
      data: { state: 'live', actualStart: new Date(t0).toISOString() },
    })
    const at = (m: number) => t0 + m * minute
    const sent: Sent[] = [
      { identity: `user-${w.host.id}`, role: 'host', joinedAt: at(0), leftAt: end },
      // The whole hour.
      { identity: `user-${a.id}`, role: 'attendee', joinedAt: at(0), leftAt: end },
      // Two connections, 33 minutes in all, gone before the end.
      { identity: `user-${b.id}`, role: 'attendee', joinedAt: at(5), leftAt: at(20) },
      { identity: `user-${b.id}`, role: 'attendee', joinedAt: at(22), leftAt: at(40) },
      // A second tab of A for a while: a second connection, the same person.
      { identity: `user-${a.id}`, role: 'attendee', joinedAt: at(10.5), leftAt: at(12) },
      // Guests come and go; one hands over to the next at the same instant.
      { identity: 'guest-g1', role: 'guest', joinedAt: at(10), leftAt: at(12) },
      { identity: 'guest-g2', role: 'guest', joinedAt: at(12), leftAt: at(59.5) },
      { identity: 'guest-g3', role: 'guest', joinedAt: at(30.25), leftAt: at(30.75) },
    ]
    const events = connectionEvents(stream.roomName as string, sent).sort(() => Math.random() - 0.5)
    for (const event of events) {
      expect((await deliver(server.url, event)).status).toBe(200)
    }
    await webhooksApplied(site.payload)
    await site.payload.db.updateOne({
      collection: 'live-streams',
      id: stream.id,
      data: { state: 'ended', actualEnd: new Date(end).toISOString() },
    })

    const host = await login(server, w.host.email as string, 'pw-123456')
    const path = `/live-streams/${stream.id}/audience`
    const answer = await callApi(server, 'GET', path, host)
    expect(answer.status).toBe(200)
    const figures = answer.json
    expect(figures.live).toBe(false)
    expect(figures.window).toEqual({
      from: new Date(t0).toISOString(),
      to: new Date(end).toISOString(),
    })
    expect(figures.stepSeconds).toBe(60)
    expect(figures.curve).toHaveLength(60)
    for (const [i, point] of (figures.curve as Array<Record<string, any>>).entries()) {
      const from = at(i)
      const inside = sent
        .flatMap((s) => [s.joinedAt, s.leftAt ?? end])
        .filter((time) => time >= from && time < from + minute)
      expect(point.at).toBe(new Date(from).toISOString())
      expect(point.viewers).toBe(openAt(sent, from))
      expect(point.peak).toBe(Math.max(openAt(sent, from), ...inside.map((t) => openAt(sent, t))))
    }
    // The peak of the hour: A's two tabs, B and a guest at once (10.5 to 12 minutes in).
    expect(Math.max(...figures.curve.map((p: { peak: number }) => p.peak))).toBe(4)
    expect(figures.curve[12]).toMatchObject({ viewers: 3, joins: 1, leaves: 2 })
    // Watch time by person: A 60 min, B 33, g1 2, g2 47.5, g3 0.5.
    expect(figures.watch).toMatchObject({ viewers: 5, medianSeconds: 33 * 60 })
    expect(figures.watch.bins.map((bin: { viewers: number }) => bin.viewers)).toEqual([
      2, 0, 0, 0, 0, 1, 0, 1, 0, 1,
    ])
    expect(figures.funnel).toEqual({ ticketsSold: 3, joined: 2, stayedHalf: 2, stayedToEnd: 1 })

    // The downloads hold the same numbers.
    const csv = await fetch(`${server.url}/api${path}?format=csv&figure=curve`, {
      headers: { authorization: host },
    })
    expect(csv.headers.get('content-type')).toContain('text/csv')
    const lines = (await csv.text()).trim().split('\n')
    expect(lines[0]).toBe('at,viewers,peak,joins,leaves')
    expect(lines.slice(1)).toEqual(
      figures.curve.map((p: Record<string, unknown>) =>
        [p.at, p.viewers, p.peak, p.joins, p.leaves].join(','),
      ),
    )
    const funnel = await fetch(`${server.url}/api${path}?format=csv&figure=funnel`, {
      headers: { authorization: host },
    })
    expect((await funnel.text()).trim().split('\n')).toEqual([
      'step,people',
      'tickets_sold,3',
      'joined,2',
      'stayed_half,2',
      'stayed_to_end,1',
    ])

    // A ticket holder, a stranger and nobody read nothing; bad queries are refused clearly.
    const holder = await login(server, `aud-a-${suffix}@a.test`, 'pw-123456')
    const stranger = await login(server, `aud-x-${suffix}@a.test`, 'pw-123456')
    for (const [who, code] of [
      [holder, 'not_a_moderator'],
      [stranger, 'ticket_required'],
    ]) {
      const refused = await callApi(server, 'GET', path, who)
      expect(refused.status).toBe(403)
      expect(refused.json.error.code).toBe(code)
      expect(refused.text).not.toContain('curve')
    }
    const anonymous = await callApi(server, 'GET', path)
    expect([401, 403]).toContain(anonymous.status)
    expect(anonymous.json.error).toBeDefined()
    const badFormat = await callApi(server, 'GET', `${path}?format=xml`, host)
    expect(badFormat.status).toBe(400)
    expect(badFormat.json.error.code).toBe('invalid_format')
    const badFigure = await callApi(server, 'GET', `${path}?format=csv&figure=__proto__`, host)
    expect(badFigure.status).toBe(400)
    expect(badFigure.json.error.code).toBe('invalid_figure')
  })
})
