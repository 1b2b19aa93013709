import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createAppointmentWorld, liveStreamOf } from '../helpers/fixtures.js'
import { login, serveSite, type SiteServer } from '../helpers/httpServer.js'
import { startTestSite, type TestSite } from '../helpers/testSite.js'

let site: TestSite
let server: SiteServer
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString()

beforeAll(async () => {
  site = await startTestSite({ plugin: { lifecycle: { autoRun: false, reconcileCron: false } } })
  server = await serveSite(site)
}, 120_000)
afterAll(async () => {
  await server?.close()
  await site?.close()
})

async function call(method: string, path: string, authorization?: string, body?: unknown) {
  const response = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { ...(authorization ? { authorization } : {}), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  return { status: response.status, json: JSON.parse(text) as Record<string, any>, text }
}

async function liveWorld(status = 'in-progress') {
  const w = await createAppointmentWorld(site.payload, { startsAt: inMinutes(5), endsAt: inMinutes(60), status })
  const [stream] = await liveStreamOf(site.payload, w.appointment.id)
  return { ...w, stream: stream!, hostAuth: await login(server, String(w.host.email), 'pw-123456') }
}

describe('starting egress against the real livekit-server (no egress worker runs here)', () => {
  it('reaches LiveKit and reports that no egress worker answered, in words an admin can act on', async () => {
    const w = await liveWorld()
    const started = await call('POST', `/live-streams/${w.stream.id}/egress`, w.hostAuth, { kind: 'recording', layout: 'grid', quality: 'high' })
    expect(started.status).toBe(503)
    expect(started.json.error.code).toBe('egress_unavailable')
    expect(started.json.error.message).toMatch(/egress service/)
    expect(await site.payload.count({ collection: 'recordings', where: { liveStream: { equals: w.stream.id } } })).toMatchObject({ totalDocs: 0 })
  }, 120_000)

  it('refuses what is wrong before calling LiveKit, naming the field and never echoing a stream key', async () => {
    const w = await liveWorld()
    expect(await call('POST', `/live-streams/${w.stream.id}/egress`, w.hostAuth, { kind: 'tape' })).toMatchObject({ status: 400, json: { error: { code: 'invalid_kind' } } })
    expect(await call('POST', `/live-streams/${w.stream.id}/egress`, w.hostAuth, { kind: 'recording', layout: 'mosaic' })).toMatchObject({ status: 400, json: { error: { code: 'invalid_layout' } } })
    const badUrl = await call('POST', `/live-streams/${w.stream.id}/egress`, w.hostAuth, { kind: 'rtmp', urls: ['https://a.example/live2/very-secret-key'] })
    expect(badUrl).toMatchObject({ status: 400, json: { error: { code: 'invalid_urls' } } })
    expect(badUrl.text).not.toContain('very-secret-key')
    expect(await call('DELETE', `/live-streams/${w.stream.id}/egress/EG_unknown1`, w.hostAuth)).toMatchObject({ status: 404, json: { error: { code: 'egress_not_found' } } })
    expect(await call('DELETE', `/live-streams/${w.stream.id}/egress/not-an-id`, w.hostAuth)).toMatchObject({ status: 400 })
  })

  it('is for moderators of a live stream only', async () => {
    const w = await liveWorld()
    const viewer = await site.payload.create({ collection: 'users', data: { email: `eg-viewer-${Date.now()}@a.test`, password: 'pw-123456', role: 'attendee', tenant: w.tenant.id } as never })
    await site.payload.update({ collection: 'appointments', id: w.appointment.id, data: { attendees: [viewer.id] } as never })
    expect(await call('POST', `/live-streams/${w.stream.id}/egress`, await login(server, String(viewer.email), 'pw-123456'), { kind: 'recording' })).toMatchObject({ status: 403 })
    expect(await call('POST', `/live-streams/${w.stream.id}/egress`, undefined, { kind: 'recording' })).toMatchObject({ status: 401 })
    const later = await liveWorld('confirmed')
    expect(await call('POST', `/live-streams/${later.stream.id}/egress`, later.hostAuth, { kind: 'hls' })).toMatchObject({ status: 409, json: { error: { code: 'stream_not_live' } } })
  })
})

describe('automatic recording', () => {
  it('is asked for when the room opens; without a worker the stream stays live and shows why', async () => {
    const w = await createAppointmentWorld(site.payload, { startsAt: inMinutes(5), endsAt: inMinutes(60) })
    const [stream] = await liveStreamOf(site.payload, w.appointment.id)
    await site.payload.update({ collection: 'live-streams', id: stream!.id, data: { settings: { autoRecord: true } } })
    await site.payload.update({ collection: 'appointments', id: w.appointment.id, data: { status: 'in-progress' } })
    const deadline = Date.now() + 90_000
    let doc = await site.payload.findByID({ collection: 'live-streams', id: stream!.id })
    while (!doc.lastError && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500))
      doc = await site.payload.findByID({ collection: 'live-streams', id: stream!.id })
    }
    expect(doc.state).toBe('live')
    expect(String(doc.lastError)).toMatch(/^Automatic recording did not start: No LiveKit egress worker answered/)
  }, 120_000)
})
