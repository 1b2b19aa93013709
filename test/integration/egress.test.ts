import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createAppointmentWorld, liveStreamOf } from '../helpers/fixtures.js'
import { callApi, login, serveSite, type SiteServer } from '../helpers/httpServer.js'
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

const call = (method: string, path: string, authorization?: string, body?: unknown) => callApi(server, method, path, authorization, body)

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

describe('saved RTMP destinations', () => {
  it('keep the stream key encrypted at rest and never return it; egress can still use it', async () => {
    const w = await liveWorld()
    const created = await call('POST', '/stream-destinations', w.hostAuth, { name: 'My YouTube', platform: 'youtube', serverUrl: 'rtmp://a.rtmp.youtube.com/live2', streamKey: 'yt-very-secret-key-42' })
    expect(created.status).toBe(201)
    expect(created.text).not.toContain('yt-very-secret-key-42')
    expect(created.json.doc.streamKey).toBeUndefined()
    expect(created.json.doc.hasStreamKey).toBe(true)
    const id = created.json.doc.id
    for (const path of [`/stream-destinations/${id}`, '/stream-destinations', `/stream-destinations?depth=2`]) {
      const read = await call('GET', path, w.hostAuth)
      expect(read.status).toBe(200)
      expect(read.text).not.toContain('yt-very-secret-key-42')
    }
    const admin = await site.payload.create({ collection: 'users', data: { email: `dest-admin-${Date.now()}@x.test`, password: 'pw-123456', role: 'admin' } as never })
    const asAdmin = await call('GET', `/stream-destinations/${id}`, await login(server, String(admin.email), 'pw-123456'))
    expect(asAdmin.text).not.toContain('yt-very-secret-key-42')
    expect(asAdmin.json.streamKey).toBeUndefined()

    // At rest: ciphertext only.
    const raw = await site.payload.db.findOne<{ id: string | number; streamKey: string }>({ collection: 'stream-destinations', where: { id: { equals: id } } })
    expect(raw!.streamKey).toMatch(/^enc:v1:/)
    expect(raw!.streamKey).not.toContain('yt-very-secret-key-42')

    // Renaming keeps the key; another host cannot see or use it.
    expect((await call('PATCH', `/stream-destinations/${id}`, w.hostAuth, { name: 'Main channel' })).status).toBe(200)
    const after = await site.payload.db.findOne<{ id: string | number; streamKey: string }>({ collection: 'stream-destinations', where: { id: { equals: id } } })
    expect(after!.streamKey).toBe(raw!.streamKey)
    const other = await liveWorld()
    expect((await call('GET', `/stream-destinations/${id}`, other.hostAuth)).status).toBe(404)
    expect(await call('POST', `/live-streams/${other.stream.id}/egress`, other.hostAuth, { kind: 'rtmp', destinations: [id] })).toMatchObject({ status: 400, json: { error: { code: 'invalid_destinations' } } })

    // Its owner goes live with it: the request reaches LiveKit (no worker here), and no answer repeats the key.
    const live = await call('POST', `/live-streams/${w.stream.id}/egress`, w.hostAuth, { kind: 'rtmp', destinations: [id] })
    expect(live).toMatchObject({ status: 503, json: { error: { code: 'egress_unavailable' } } })
    expect(live.text).not.toContain('yt-very-secret-key-42')
  }, 120_000)
})
