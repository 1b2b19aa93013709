import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createAppointmentWorld, liveStreamOf } from '../helpers/fixtures.js'
import { callApi, login, serveSite, type SiteServer } from '../helpers/httpServer.js'
import { PrivateLivekitServer, RedisServer, testLivekit } from '../helpers/livekit.js'
import { startTestSite, type TestSite } from '../helpers/testSite.js'

// A livekit-server of our own with Redis, as LiveKit's egress and ingress dispatch needs; the
// shared server of the other files runs without one.
const redis = new RedisServer(6391)
const livekit = new PrivateLivekitServer(7990, [
  'redis: { address: "127.0.0.1:6391" }',
  'ingress: { rtmp_base_url: "rtmp://10.77.0.1:1935/live", whip_base_url: "http://10.77.0.1:8080/w" }',
])
let site: TestSite
let server: SiteServer
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString()

beforeAll(async () => {
  await redis.start()
  await livekit.start()
  site = await startTestSite({
    plugin: { lifecycle: { autoRun: false, reconcileCron: false }, livekit: { url: livekit.url } },
  })
  server = await serveSite(site)
}, 120_000)
afterAll(async () => {
  await server?.close()
  await site?.close()
  await livekit.stop()
  await redis.stop()
})

const call = (method: string, path: string, authorization?: string, body?: unknown) =>
  callApi(server, method, path, authorization, body)

async function liveWorld() {
  const w = await createAppointmentWorld(site.payload, {
    startsAt: inMinutes(5),
    endsAt: inMinutes(60),
    status: 'in-progress',
  })
  const [stream] = await liveStreamOf(site.payload, w.appointment.id)
  expect(stream.state).toBe('live')
  return { ...w, stream, hostAuth: await login(server, String(w.host.email), 'pw-123456') }
}

describe('OBS feeds (LiveKit ingress, dispatched through Redis)', () => {
  it('gives the host an RTMP URL and a stream key once; the key is stored nowhere and a new feed replaces the old', async () => {
    const w = await liveWorld()
    const rtmp = await call('POST', `/live-streams/${w.stream.id}/ingress`, w.hostAuth, {
      type: 'rtmp',
    })
    expect(rtmp.status).toBe(200)
    expect(rtmp.json).toMatchObject({
      type: 'rtmp',
      url: 'rtmp://10.77.0.1:1935/live',
      ingressId: expect.stringMatching(/^IN_/),
    })
    const streamKey = String(rtmp.json.streamKey)
    expect(streamKey.length).toBeGreaterThan(8)

    // LiveKit has it, publishing into this stream's room.
    const room = String(w.stream.roomName)
    expect(await testLivekit(livekit.url).listIngress(room)).toEqual([
      expect.objectContaining({ ingressId: rtmp.json.ingressId, type: 'rtmp' }),
    ])

    // Never again: not in the stream document (REST, as the host), not in the raw row.
    const doc = await call('GET', `/live-streams/${w.stream.id}?depth=0`, w.hostAuth)
    expect(doc.status).toBe(200)
    expect(doc.json.ingressId).toBe(rtmp.json.ingressId)
    expect(doc.text).not.toContain(streamKey)
    const raw = await site.payload.db.findOne({
      collection: 'live-streams',
      where: { id: { equals: w.stream.id } },
    })
    expect(JSON.stringify(raw)).not.toContain(streamKey)

    // A WHIP feed replaces it: LiveKit keeps only the new one.
    const whip = await call('POST', `/live-streams/${w.stream.id}/ingress`, w.hostAuth, {
      type: 'whip',
    })
    expect(whip.json).toMatchObject({ type: 'whip', url: 'http://10.77.0.1:8080/w' })
    expect(await testLivekit(livekit.url).listIngress(room)).toEqual([
      expect.objectContaining({ ingressId: whip.json.ingressId, type: 'whip' }),
    ])

    expect(await call('DELETE', `/live-streams/${w.stream.id}/ingress`, w.hostAuth)).toMatchObject({
      status: 200,
      json: { deleted: true },
    })
    expect(await testLivekit(livekit.url).listIngress(room)).toEqual([])
  })

  it('is deleted when the room closes', async () => {
    const w = await liveWorld()
    const created = await call('POST', `/live-streams/${w.stream.id}/ingress`, w.hostAuth, {})
    expect(created.json.type).toBe('rtmp')
    await site.payload.update({
      collection: 'appointments',
      id: w.appointment.id,
      data: { status: 'completed' } as never,
    })
    const [after] = await liveStreamOf(site.payload, w.appointment.id)
    expect(after).toMatchObject({ state: 'ended', ingressId: null })
    expect(await testLivekit(livekit.url).listIngress(String(w.stream.roomName))).toEqual([])
  })

  it('is for the host, co-hosts and admins of a stream that is not over; bad input names the field', async () => {
    const w = await liveWorld()
    const viewer = await site.payload.create({
      collection: 'users',
      data: {
        email: `in-viewer-${Date.now()}@a.test`,
        password: 'pw-123456',
        role: 'attendee',
        tenant: w.tenant.id,
      } as never,
    })
    await site.payload.update({
      collection: 'appointments',
      id: w.appointment.id,
      data: { attendees: [viewer.id] } as never,
    })
    expect(
      await call(
        'POST',
        `/live-streams/${w.stream.id}/ingress`,
        await login(server, String(viewer.email), 'pw-123456'),
        {},
      ),
    ).toMatchObject({ status: 403, json: { error: { code: 'not_a_host' } } })
    expect(await call('POST', `/live-streams/${w.stream.id}/ingress`, undefined, {})).toMatchObject(
      { status: 401 },
    )
    expect(
      await call('POST', `/live-streams/${w.stream.id}/ingress`, w.hostAuth, { type: 'srt' }),
    ).toMatchObject({ status: 400, json: { error: { code: 'invalid_type' } } })
    expect(await testLivekit(livekit.url).listIngress(String(w.stream.roomName))).toEqual([])
  })
})

describe('egress dispatched through Redis with no egress worker', () => {
  it('answers 503 egress_unavailable and records nothing', async () => {
    const w = await liveWorld()
    const started = await call('POST', `/live-streams/${w.stream.id}/egress`, w.hostAuth, {
      kind: 'hls',
    })
    expect(started).toMatchObject({ status: 503, json: { error: { code: 'egress_unavailable' } } })
    expect(
      await site.payload.count({
        collection: 'recordings',
        where: { liveStream: { equals: w.stream.id } },
      }),
    ).toMatchObject({ totalDocs: 0 })
  }, 90_000)
})

describe('a LiveKit server without Redis', () => {
  it('refuses an OBS feed with what to configure', async () => {
    const plain = await startTestSite({
      plugin: { lifecycle: { autoRun: false, reconcileCron: false } },
    })
    const plainServer = await serveSite(plain)
    try {
      const w = await createAppointmentWorld(plain.payload, {
        startsAt: inMinutes(5),
        endsAt: inMinutes(60),
        status: 'in-progress',
      })
      const [stream] = await liveStreamOf(plain.payload, w.appointment.id)
      const auth = await login(plainServer, String(w.host.email), 'pw-123456')
      const response = await fetch(`${plainServer.url}/api/live-streams/${stream.id}/ingress`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: '{}',
      })
      expect(response.status).toBe(503)
      expect(await response.json()).toMatchObject({
        error: { code: 'ingress_misconfigured', message: expect.stringMatching(/Redis/) },
      })
    } finally {
      await plainServer.close()
      await plain.close()
    }
  })
})
