import { dispose, type Room, RoomEvent } from '@livekit/rtc-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { openStream } from '../../src/lifecycle/operations/streamLifecycle.js'
import { pluginOptionsOf } from '../../src/runtime.js'
import { createAppointmentWorld, liveStreamOf } from '../helpers/fixtures.js'
import { callApi, login, serveSite, type SiteServer } from '../helpers/httpServer.js'
import { joinRoom } from '../helpers/livekit.js'
import { waitFor } from '../helpers/media.js'
import { startTestSite, type TestSite } from '../helpers/testSite.js'
import { deliver, livekitEvent, webhooksApplied } from '../helpers/webhooks.js'

/*
 * Chat, reactions and raised hands of a live stream go through the plugin: participants in the
 * room (rtc-node) receive each one from the server with who sent it, the stream's engagement
 * figures count exactly what was sent, and a participant cannot send data around the plugin.
 * Camera and screen-share periods come from signed track webhooks, in any order.
 */

type Id = number | string
let site: TestSite
let server: SiteServer
const rooms: Room[] = []
const minute = 60_000

beforeAll(async () => {
  site = await startTestSite({
    plugin: { lifecycle: { autoRun: false as const, reconcileCron: false as const } },
  })
  server = await serveSite(site)
}, 180_000)
afterAll(async () => {
  for (const room of rooms) {
    await room.disconnect()
  }
  await server?.close()
  await site?.close()
  await dispose()
})

const call = (method: string, path: string, authorization?: string, body?: unknown) =>
  callApi(server, method, path, authorization, body)

interface Received {
  topic: string
  body: Record<string, any>
  fromParticipant: boolean
}

/** A participant of the room that keeps every data message it receives. */
async function listener(roomName: string, identity: string, token?: string) {
  const room = token ? await joinWithToken(token) : await joinRoom(roomName, identity)
  rooms.push(room)
  const received: Received[] = []
  room.on(RoomEvent.DataReceived, (payload, participant, _kind, topic) => {
    received.push({
      topic: topic ?? '',
      body: JSON.parse(new TextDecoder().decode(payload)),
      fromParticipant: participant !== undefined,
    })
  })
  return { room, received }
}

async function joinWithToken(token: string) {
  const { Room: RtcRoom } = await import('@livekit/rtc-node')
  const room = new RtcRoom()
  await room.connect(process.env.LIVEKIT_URL!, token, { autoSubscribe: false, dynacast: false })
  return room
}

async function liveWorld() {
  const w = await createAppointmentWorld(site.payload, {
    startsAt: new Date(Date.now() + 2 * minute).toISOString(),
    endsAt: new Date(Date.now() + 60 * minute).toISOString(),
    visibility: 'public',
    price: 0,
  })
  const [stream] = await liveStreamOf(site.payload, w.appointment.id)
  await openStream({ payload: site.payload, liveStreamId: stream.id, reason: 'test' })
  // Live since a minute ago, on a whole minute, so every message falls on a known step.
  const start = Math.floor((Date.now() - minute) / minute) * minute
  await site.payload.db.updateOne({
    collection: 'live-streams',
    id: stream.id,
    data: { state: 'live', actualStart: new Date(start).toISOString() },
  })
  const suffix = Math.random().toString(36).slice(2, 8)
  const attendee = (await site.payload.create({
    collection: 'users',
    data: {
      email: `chatter-${suffix}@a.test`,
      password: 'pw-123456',
      role: 'attendee',
      tenant: w.tenant.id,
    } as never,
  })) as unknown as { id: Id; email: string }
  const admin = (await site.payload.create({
    collection: 'users',
    data: { email: `admin-${suffix}@x.test`, password: 'pw-123456', role: 'admin' } as never,
  })) as unknown as { id: Id; email: string }
  const refreshed = (await site.payload.findByID({
    collection: 'live-streams',
    id: stream.id,
  })) as {
    id: Id
    roomName: string
  }
  return {
    ...w,
    start,
    stream: refreshed,
    attendee,
    hostAuth: await login(server, String(w.host.email), 'pw-123456'),
    attendeeAuth: await login(server, attendee.email, 'pw-123456'),
    adminAuth: await login(server, admin.email, 'pw-123456'),
  }
}

const engagementRows = async (liveStream: Id) =>
  (
    await site.payload.find({
      collection: 'stream-engagement' as never,
      where: { liveStream: { equals: liveStream } },
      limit: 0,
      pagination: false,
      overrideAccess: true,
    })
  ).docs as unknown as Array<Record<string, unknown>>

describe('chat, reactions and raised hands', () => {
  it('reach the room from the server with their sender, and are counted exactly as sent', async () => {
    const w = await liveWorld()
    const base = `/live-streams/${w.stream.id}`
    const watcher = await listener(w.stream.roomName, 'watcher')
    // The attendee is in the room with the plugin's own token (its hand is raised there).
    const token = await call('POST', `${base}/token`, w.attendeeAuth, {})
    expect(token.status).toBe(200)
    const attendee = await listener(w.stream.roomName, '', token.json.token)

    const sent: Array<{ kind: 'chat' | 'hand' | 'reaction'; at: string; identity: string }> = []
    const chat = async (auth: string, text: string) => {
      const answer = await call('POST', `${base}/chat`, auth, { text })
      expect(answer.status).toBe(200)
      sent.push({ kind: 'chat', at: answer.json.at, identity: answer.json.from.identity })
      return answer.json
    }
    const first = await chat(w.attendeeAuth, 'Hello from the back row')
    expect(first.from).toEqual({
      identity: `user-${w.attendee.id}`,
      name: expect.any(String),
      role: 'attendee',
    })
    await chat(w.hostAuth, 'Welcome, everyone')
    for (let i = 0; i < 4; i++) {
      await chat(w.attendeeAuth, `question ${i}`)
    }
    for (const emoji of ['👏', '🔥', '👏']) {
      const answer = await call('POST', `${base}/reactions`, w.attendeeAuth, { emoji })
      expect(answer.status).toBe(200)
      sent.push({ kind: 'reaction', at: answer.json.at, identity: answer.json.from.identity })
    }
    const hand = await call('POST', `${base}/hand`, w.attendeeAuth, { raised: true })
    expect(hand.status).toBe(200)
    sent.push({ kind: 'hand', at: new Date().toISOString(), identity: `user-${w.attendee.id}` })
    // Lowering a hand is not a raised hand.
    expect((await call('POST', `${base}/hand`, w.attendeeAuth, { raised: false })).status).toBe(200)

    // Everyone in the room has every message, from the server, with who wrote it.
    await waitFor(() => watcher.received.length >= 9, 10_000, 'the messages in the room')
    expect(watcher.received.every((r) => !r.fromParticipant)).toBe(true)
    expect(watcher.received.filter((r) => r.topic === 'chat').map((r) => r.body.text)).toEqual([
      'Hello from the back row',
      'Welcome, everyone',
      'question 0',
      'question 1',
      'question 2',
      'question 3',
    ])
    expect(watcher.received.find((r) => r.body.text === 'Welcome, everyone')?.body.from).toEqual({
      identity: `user-${w.host.id}`,
      name: expect.any(String),
      role: 'host',
    })
    expect(
      watcher.received.filter((r) => r.topic === 'reactions').map((r) => r.body.emoji),
    ).toEqual(['👏', '🔥', '👏'])
    // Its own message comes back to the sender too: that is how the kit shows it once.
    await waitFor(() => attendee.received.length >= 9, 10_000, 'the sender receiving its own')

    // Bad bodies are refused and change nothing; an admin watches hidden and does not write.
    for (const [path, body, code] of [
      ['chat', { text: '' }, 'invalid_message'],
      ['chat', { text: 'x'.repeat(501) }, 'invalid_message'],
      ['chat', { text: 'bell\u0007' }, 'invalid_message'],
      ['chat', { text: 'hi', from: 'the host' }, 'invalid_message'],
      ['chat', { text: 42 }, 'invalid_message'],
      ['reactions', { emoji: 'two words' }, 'invalid_reaction'],
      ['reactions', { emoji: '👏'.repeat(9) }, 'invalid_reaction'],
    ] as const) {
      const refused = await call('POST', `${base}/${path}`, w.attendeeAuth, body)
      expect(refused.status).toBe(400)
      expect(refused.json.error.code).toBe(code)
    }
    const byAdmin = await call('POST', `${base}/chat`, w.adminAuth, { text: 'hidden' })
    expect(byAdmin.status).toBe(403)
    expect(byAdmin.json.error.code).toBe('not_a_participant')
    // Nobody in particular writes nothing: a guest writes with the credential of its token.
    const anonymous = await call('POST', `${base}/chat`, undefined, { text: 'who am I' })
    expect(anonymous.status).toBe(401)
    expect(anonymous.json.error.code).toBe('guest_credential_required')
    const guestToken = await call('POST', `${base}/token`, undefined, {})
    expect(guestToken.status).toBe(200)
    const asGuest = await call('POST', `${base}/chat`, undefined, {
      text: 'a guest says hi',
      guestCredential: guestToken.json.guestCredential,
    })
    expect(asGuest.status).toBe(200)
    expect(asGuest.json.from.identity).toBe(guestToken.json.identity)
    sent.push({ kind: 'chat', at: asGuest.json.at, identity: asGuest.json.from.identity })

    // A participant cannot write around the plugin: its token grants no data of its own, so
    // LiveKit drops what it publishes (the SDK may or may not say so).
    await attendee.room
      .localParticipant!.publishData(new TextEncoder().encode('{"text":"sneaky"}'), {
        reliable: true,
        topic: 'chat',
      })
      .catch(() => undefined)
    await new Promise((r) => setTimeout(r, 1000))
    expect(watcher.received.some((r) => r.body.text === 'sneaky')).toBe(false)

    // The figures count what was sent, each in the minute the server took it.
    const rows = await engagementRows(w.stream.id)
    expect(rows).toHaveLength(sent.length)
    expect(rows.every((r) => r.text === null || r.text === undefined)).toBe(true)
    const figures = (await call('GET', `${base}/audience`, w.hostAuth)).json
    expect(figures.engagementTotals).toEqual({ chat: 7, reactions: 3, hands: 1 })
    const stepOf = (at: string) => Math.floor((new Date(at).getTime() - w.start) / minute)
    for (const [i, point] of (figures.engagement as Array<Record<string, any>>).entries()) {
      const here = sent.filter((s) => stepOf(s.at) === i)
      const count = (kind: string) => here.filter((s) => s.kind === kind).length
      expect(point.at).toBe(new Date(w.start + i * minute).toISOString())
      expect(point.chat).toBe(count('chat'))
      expect(point.reactions).toBe(count('reaction'))
      // The hand's time is taken just after the server's, so it may sit on the next step.
      expect(point.hands).toBeLessThanOrEqual(1)
    }
    const csv = await fetch(`${server.url}/api${base}/audience?format=csv&figure=engagement`, {
      headers: { authorization: w.hostAuth },
    })
    expect((await csv.text()).trim().split('\n')).toEqual([
      'at,chat,reactions,hands',
      ...figures.engagement.map((p: Record<string, unknown>) =>
        [p.at, p.chat, p.reactions, p.hands].join(','),
      ),
    ])
  })

  it('keeps what was written only when the site opts in', async () => {
    const w = await liveWorld()
    const options = pluginOptionsOf(site.payload)
    options.analytics.keepChatText = true
    try {
      const answer = await call('POST', `/live-streams/${w.stream.id}/chat`, w.attendeeAuth, {
        text: 'kept on purpose',
      })
      expect(answer.status).toBe(200)
    } finally {
      options.analytics.keepChatText = false
    }
    expect((await engagementRows(w.stream.id)).map((r) => r.text)).toEqual(['kept on purpose'])
  })
})

describe("the stream's timeline", () => {
  it('has the host on camera and sharing a screen as the track webhooks said, in any order', async () => {
    const w = await liveWorld()
    const host = {
      sid: 'PA_host',
      identity: `user-${w.host.id}`,
      name: 'Host',
      attributes: { role: 'host' },
    }
    const viewer = {
      sid: 'PA_viewer',
      identity: 'guest-g1',
      name: 'G',
      attributes: { role: 'guest' },
    }
    const s = (ms: number) => String(Math.floor(ms / 1000))
    const at = (m: number) => w.start + m * 60_000
    const track = (event: string, who: object, sid: string, source: string, time: number) => ({
      ...livekitEvent(event, { room: { name: w.stream.roomName }, participant: who }),
      track: { sid, source, type: source === 'MICROPHONE' ? 'AUDIO' : 'VIDEO' },
      createdAt: s(time),
    })
    const events = [
      // Camera on from 0:10 to 0:40, again from 0:50 (a new track, still on).
      track('track_published', host, 'TR_cam1', 'CAMERA', at(10 / 60)),
      track('track_unpublished', host, 'TR_cam1', 'CAMERA', at(40 / 60)),
      track('track_published', host, 'TR_cam2', 'CAMERA', at(50 / 60)),
      // A screen share from 0:20 to 0:30; the microphone is not on the timeline.
      track('track_published', host, 'TR_screen', 'SCREEN_SHARE', at(20 / 60)),
      track('track_unpublished', host, 'TR_screen', 'SCREEN_SHARE', at(30 / 60)),
      track('track_published', host, 'TR_mic', 'MICROPHONE', at(5 / 60)),
      // A viewer's camera is not the host's.
      track('track_published', viewer, 'TR_g', 'CAMERA', at(15 / 60)),
    ]
    for (const event of events.sort(() => Math.random() - 0.5)) {
      expect((await deliver(server.url, event)).status).toBe(200)
    }
    // A repeated delivery changes nothing.
    expect((await deliver(server.url, events[1])).status).toBe(200)
    await webhooksApplied(site.payload)
    const figures = (await call('GET', `/live-streams/${w.stream.id}/audience`, w.hostAuth)).json
    const iso = (ms: number) => new Date(ms).toISOString()
    expect(figures.timeline.screenShare).toEqual([{ from: iso(at(20 / 60)), to: iso(at(30 / 60)) }])
    // The open camera runs to now (the stream is live).
    expect(figures.timeline.camera).toHaveLength(2)
    expect(figures.timeline.camera[0]).toEqual({ from: iso(at(10 / 60)), to: iso(at(40 / 60)) })
    expect(figures.timeline.camera[1].from).toBe(iso(at(50 / 60)))
    expect(new Date(figures.timeline.camera[1].to).getTime()).toBeGreaterThan(at(1))
    const csv = await fetch(
      `${server.url}/api/live-streams/${w.stream.id}/audience?format=csv&figure=timeline`,
      { headers: { authorization: w.hostAuth } },
    )
    const lines = (await csv.text()).trim().split('\n')
    expect(lines[0]).toBe('what,label,from,to,purchases,revenue,currency')
    expect(lines).toContain(`screen_share,,${iso(at(20 / 60))},${iso(at(30 / 60))},,,`)
    expect(lines.filter((l) => l.startsWith('camera,'))).toHaveLength(2)
  })
})
