import { AudioSource, LocalAudioTrack, TrackPublishOptions, TrackSource } from '@livekit/rtc-node'
import { configToSchema } from '@payloadcms/graphql'
import { createRequire } from 'node:module'
import { createLocalReq } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createAppointmentWorld, liveStreamOf } from '../helpers/fixtures.js'
import { callApi, login, serveSite, type SiteServer } from '../helpers/httpServer.js'
import { joinRoom } from '../helpers/livekit.js'
import { startTestSite, type TestSite } from '../helpers/testSite.js'
import { deliver, livekitEvent, webhooksApplied } from '../helpers/webhooks.js'

// Payload's GraphQL package gets graphql's CommonJS build (Node ignores its "module" field), so the
// test must execute with that same copy, not the ESM one Vite would pick.
const { graphql } = createRequire(import.meta.url)('graphql') as typeof import('graphql')
const STORAGE_SECRET = 'storage-secret-never-shown-9f2c'
let site: TestSite
let server: SiteServer
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString()

beforeAll(async () => {
  site = await startTestSite({
    plugin: {
      lifecycle: { autoRun: false, reconcileCron: false },
      egress: {
        overlayUrl: 'http://10.77.0.1:3000/streams/{stream}/overlay',
        // Replays are signed with these (fake) credentials; no request goes to the bucket.
        storage: {
          s3: {
            bucket: 'replays',
            endpoint: 'http://10.77.0.1:9000',
            forcePathStyle: true,
            accessKey: 'test-access-key',
            secret: STORAGE_SECRET,
          },
        },
      },
    },
  })
  server = await serveSite(site)
}, 120_000)
afterAll(async () => {
  await server?.close()
  await site?.close()
})

const call = (method: string, path: string, authorization?: string, body?: unknown) =>
  callApi(server, method, path, authorization, body)

async function liveWorld(status = 'in-progress') {
  const w = await createAppointmentWorld(site.payload, {
    startsAt: inMinutes(5),
    endsAt: inMinutes(60),
    status,
  })
  const [stream] = await liveStreamOf(site.payload, w.appointment.id)
  return { ...w, stream, hostAuth: await login(server, String(w.host.email), 'pw-123456') }
}

describe('starting egress against the real livekit-server (no egress worker runs here)', () => {
  it('reaches LiveKit and reports that no egress worker answered, in words an admin can act on', async () => {
    const w = await liveWorld()
    const started = await call('POST', `/live-streams/${w.stream.id}/egress`, w.hostAuth, {
      kind: 'recording',
      layout: 'grid',
      quality: 'high',
    })
    expect(started.status).toBe(503)
    expect(started.json.error.code).toBe('egress_unavailable')
    expect(started.json.error.message).toMatch(/egress service/)
    expect(
      await site.payload.count({
        collection: 'recordings',
        where: { liveStream: { equals: w.stream.id } },
      }),
    ).toMatchObject({ totalDocs: 0 })
  }, 120_000)

  it('refuses what is wrong before calling LiveKit, naming the field and never echoing a stream key', async () => {
    const w = await liveWorld()
    expect(
      await call('POST', `/live-streams/${w.stream.id}/egress`, w.hostAuth, { kind: 'tape' }),
    ).toMatchObject({ status: 400, json: { error: { code: 'invalid_kind' } } })
    expect(
      await call('POST', `/live-streams/${w.stream.id}/egress`, w.hostAuth, {
        kind: 'recording',
        layout: 'mosaic',
      }),
    ).toMatchObject({ status: 400, json: { error: { code: 'invalid_layout' } } })
    const badUrl = await call('POST', `/live-streams/${w.stream.id}/egress`, w.hostAuth, {
      kind: 'rtmp',
      urls: ['https://a.example/live2/very-secret-key'],
    })
    expect(badUrl).toMatchObject({ status: 400, json: { error: { code: 'invalid_urls' } } })
    expect(badUrl.text).not.toContain('very-secret-key')
    expect(
      await call('DELETE', `/live-streams/${w.stream.id}/egress/EG_unknown1`, w.hostAuth),
    ).toMatchObject({ status: 404, json: { error: { code: 'egress_not_found' } } })
    expect(
      await call('DELETE', `/live-streams/${w.stream.id}/egress/not-an-id`, w.hostAuth),
    ).toMatchObject({ status: 400 })
  })

  it('is for moderators of a live stream only', async () => {
    const w = await liveWorld()
    const viewer = await site.payload.create({
      collection: 'users',
      data: {
        email: `eg-viewer-${Date.now()}@a.test`,
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
        `/live-streams/${w.stream.id}/egress`,
        await login(server, String(viewer.email), 'pw-123456'),
        { kind: 'recording' },
      ),
    ).toMatchObject({ status: 403 })
    expect(
      await call('POST', `/live-streams/${w.stream.id}/egress`, undefined, { kind: 'recording' }),
    ).toMatchObject({ status: 401 })
    const later = await liveWorld('confirmed')
    expect(
      await call('POST', `/live-streams/${later.stream.id}/egress`, later.hostAuth, {
        kind: 'hls',
      }),
    ).toMatchObject({ status: 409, json: { error: { code: 'stream_not_live' } } })
  })
})

describe('automatic recording', () => {
  it('is asked for when the room opens; without a worker the stream stays live and shows why', async () => {
    const w = await createAppointmentWorld(site.payload, {
      startsAt: inMinutes(5),
      endsAt: inMinutes(60),
    })
    const [stream] = await liveStreamOf(site.payload, w.appointment.id)
    await site.payload.update({
      collection: 'live-streams',
      id: stream.id,
      data: { settings: { autoRecord: true } },
    })
    await site.payload.update({
      collection: 'appointments',
      id: w.appointment.id,
      data: { status: 'in-progress' },
    })
    const deadline = Date.now() + 90_000
    let doc = await site.payload.findByID({ collection: 'live-streams', id: stream.id })
    while (!doc.lastError && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500))
      doc = await site.payload.findByID({ collection: 'live-streams', id: stream.id })
    }
    expect(doc.state).toBe('live')
    expect(String(doc.lastError)).toMatch(
      /^Automatic recording did not start: No LiveKit egress worker answered/,
    )
  }, 120_000)
})

describe('saved RTMP destinations', () => {
  it('keep the stream key encrypted at rest and never return it; egress can still use it', async () => {
    const w = await liveWorld()
    const created = await call('POST', '/stream-destinations', w.hostAuth, {
      name: 'My YouTube',
      platform: 'youtube',
      serverUrl: 'rtmp://a.rtmp.youtube.com/live2',
      streamKey: 'yt-very-secret-key-42',
    })
    expect(created.status).toBe(201)
    expect(created.text).not.toContain('yt-very-secret-key-42')
    expect(created.json.doc.streamKey).toBeUndefined()
    expect(created.json.doc.hasStreamKey).toBe(true)
    const id = created.json.doc.id
    for (const path of [
      `/stream-destinations/${id}`,
      '/stream-destinations',
      `/stream-destinations?depth=2`,
    ]) {
      const read = await call('GET', path, w.hostAuth)
      expect(read.status).toBe(200)
      expect(read.text).not.toContain('yt-very-secret-key-42')
    }
    const admin = await site.payload.create({
      collection: 'users',
      data: {
        email: `dest-admin-${Date.now()}@x.test`,
        password: 'pw-123456',
        role: 'admin',
      } as never,
    })
    const asAdmin = await call(
      'GET',
      `/stream-destinations/${id}`,
      await login(server, String(admin.email), 'pw-123456'),
    )
    expect(asAdmin.text).not.toContain('yt-very-secret-key-42')
    expect(asAdmin.json.streamKey).toBeUndefined()

    // At rest: ciphertext only.
    const raw = await site.payload.db.findOne<{ id: number | string; streamKey: string }>({
      collection: 'stream-destinations',
      where: { id: { equals: id } },
    })
    expect(raw!.streamKey).toMatch(/^enc:v1:/)
    expect(raw!.streamKey).not.toContain('yt-very-secret-key-42')

    // Renaming keeps the key; another host cannot see or use it.
    expect(
      (await call('PATCH', `/stream-destinations/${id}`, w.hostAuth, { name: 'Main channel' }))
        .status,
    ).toBe(200)
    const after = await site.payload.db.findOne<{ id: number | string; streamKey: string }>({
      collection: 'stream-destinations',
      where: { id: { equals: id } },
    })
    expect(after!.streamKey).toBe(raw!.streamKey)
    const other = await liveWorld()
    expect((await call('GET', `/stream-destinations/${id}`, other.hostAuth)).status).toBe(404)
    expect(
      await call('POST', `/live-streams/${other.stream.id}/egress`, other.hostAuth, {
        kind: 'rtmp',
        destinations: [id],
      }),
    ).toMatchObject({ status: 400, json: { error: { code: 'invalid_destinations' } } })

    // Its owner goes live with it: the request reaches LiveKit (no worker here), and no answer repeats the key.
    const live = await call('POST', `/live-streams/${w.stream.id}/egress`, w.hostAuth, {
      kind: 'rtmp',
      destinations: [id],
    })
    expect(live).toMatchObject({ status: 503, json: { error: { code: 'egress_unavailable' } } })
    expect(live.text).not.toContain('yt-very-secret-key-42')
  }, 120_000)
})

describe('tenant-wide destinations', () => {
  it('an admin saves one for a tenant: its hosts see it without the key and stream to it; other tenants cannot', async () => {
    const w = await liveWorld()
    const admin = await site.payload.create({
      collection: 'users',
      data: {
        email: `tenant-dest-${Date.now()}@x.test`,
        password: 'pw-123456',
        role: 'admin',
      } as never,
    })
    const adminAuth = await login(server, String(admin.email), 'pw-123456')
    const saved = await call('POST', '/stream-destinations', adminAuth, {
      name: 'Tenant channel',
      platform: 'custom',
      serverUrl: 'rtmp://live.example/app',
      streamKey: 'tenant-secret-key-88',
      tenant: w.tenant.id,
    })
    expect(saved.status).toBe(201)
    const id = saved.json.doc.id
    const seen = await call('GET', '/stream-destinations', w.hostAuth)
    expect(seen.json.docs.map((d: { id: unknown }) => d.id)).toContain(id)
    expect(seen.text).not.toContain('tenant-secret-key-88')
    // The host may not turn its own destination into a tenant one.
    const own = await call('POST', '/stream-destinations', w.hostAuth, {
      name: 'Mine',
      serverUrl: 'rtmp://a.example/x',
      streamKey: 'k-1',
      tenant: w.tenant.id,
    })
    expect(own.json.doc.tenant ?? null).toBeNull()

    const other = await liveWorld()
    expect((await call('GET', `/stream-destinations/${id}`, other.hostAuth)).status).toBe(404)
    expect(
      await call('POST', `/live-streams/${other.stream.id}/egress`, other.hostAuth, {
        kind: 'rtmp',
        destinations: [id],
      }),
    ).toMatchObject({ status: 400, json: { error: { code: 'invalid_destinations' } } })
    const live = await call('POST', `/live-streams/${w.stream.id}/egress`, w.hostAuth, {
      kind: 'rtmp',
      destinations: [id],
    })
    expect(live).toMatchObject({ status: 503, json: { error: { code: 'egress_unavailable' } } })
    expect(live.text).not.toContain('tenant-secret-key-88')
  }, 120_000)
})

describe('web and track composite egress', () => {
  it("the overlay page and one participant's tracks reach LiveKit (no worker: 503); nobody publishing is a 409", async () => {
    const w = await liveWorld()
    expect(
      await call('POST', `/live-streams/${w.stream.id}/egress`, w.hostAuth, {
        kind: 'track-composite',
      }),
    ).toMatchObject({ status: 409, json: { error: { code: 'no_tracks' } } })

    // The host publishes a microphone track from a headless participant with its own identity.
    const host = await joinRoom(
      String(w.stream.roomName),
      `user-${w.host.id}`,
      process.env.LIVEKIT_URL,
      { canPublish: true },
    )
    try {
      const source = new AudioSource(48000, 1)
      const options = new TrackPublishOptions()
      options.source = TrackSource.SOURCE_MICROPHONE
      await host.localParticipant!.publishTrack(
        LocalAudioTrack.createAudioTrack('mic', source),
        options,
      )
      const [web, composite] = await Promise.all([
        call('POST', `/live-streams/${w.stream.id}/egress`, w.hostAuth, {
          kind: 'web',
          quality: 'low',
        }),
        call('POST', `/live-streams/${w.stream.id}/egress`, w.hostAuth, {
          kind: 'track-composite',
        }),
      ])
      expect(web).toMatchObject({ status: 503, json: { error: { code: 'egress_unavailable' } } })
      expect(composite).toMatchObject({
        status: 503,
        json: { error: { code: 'egress_unavailable' } },
      })
      expect(web.text).not.toMatch(/token=/)
    } finally {
      await host.disconnect()
    }
  }, 120_000)
})

/** An egress the (absent) worker would have started, reported by signed webhooks. */
async function reportedEgress(
  stream: Record<string, unknown>,
  status: 'EGRESS_ACTIVE' | 'EGRESS_COMPLETE',
  request: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  const egressId = `EG_${Math.random().toString(36).slice(2, 12)}`
  const event = livekitEvent(status === 'EGRESS_COMPLETE' ? 'egress_ended' : 'egress_started', {
    egressInfo: {
      egressId,
      roomName: stream.roomName,
      status,
      startedAt: String(BigInt(Date.now() - 60_000) * 1_000_000n),
      ...request,
      ...extra,
    },
  })
  expect((await deliver(server.url, event)).status).toBe(200)
  await webhooksApplied(site.payload)
  return egressId
}

describe('changing a running egress', () => {
  it('checks the change before asking LiveKit and keeps stream keys out of every answer', async () => {
    const w = await liveWorld()
    const file = await reportedEgress(w.stream, 'EGRESS_ACTIVE', {
      roomComposite: {
        roomName: w.stream.roomName,
        layout: 'speaker',
        fileOutputs: [{ filepath: 'x.mp4' }],
      },
    })
    const path = `/live-streams/${w.stream.id}/egress/${file}`
    expect(await call('PATCH', path, w.hostAuth, { layout: 'mosaic' })).toMatchObject({
      status: 400,
      json: { error: { code: 'invalid_layout' } },
    })
    expect(
      await call('PATCH', path, w.hostAuth, { addUrls: ['rtmp://a.example/live/secret-key-1'] }),
    ).toMatchObject({ status: 400, json: { error: { code: 'invalid_addUrls' } } })
    expect(await call('PATCH', path, w.hostAuth, {})).toMatchObject({
      status: 400,
      json: { error: { code: 'nothing_to_change' } },
    })
    const bad = await call('PATCH', path, w.hostAuth, {
      addUrls: ['http://a.example/live/secret-key-2'],
    })
    expect(bad).toMatchObject({ status: 400, json: { error: { code: 'invalid_addUrls' } } })
    expect(bad.text).not.toContain('secret-key-2')

    // A layout change reaches LiveKit, which knows no such egress (no worker ran it): a clear error, nothing changed.
    const layout = await call('PATCH', path, w.hostAuth, { layout: 'grid' })
    expect(layout.status).toBeGreaterThanOrEqual(400)
    expect(layout.status).toBeLessThan(600)
    expect(layout.json.error.code).toMatch(/^livekit_|^egress_/)
    const doc = await site.payload.db.findOne<{ id: number | string; layout: null | string }>({
      collection: 'recordings',
      where: { egressId: { equals: file } },
    })
    expect(doc!.layout).not.toBe('grid')

    const done = await reportedEgress(w.stream, 'EGRESS_COMPLETE', {
      roomComposite: { roomName: w.stream.roomName },
    })
    expect(
      await call('PATCH', `/live-streams/${w.stream.id}/egress/${done}`, w.hostAuth, {
        layout: 'grid',
      }),
    ).toMatchObject({ status: 409, json: { error: { code: 'egress_not_running' } } })
  })
})

describe('replays', () => {
  it('a finished recording plays from a signed URL for ticket holders and the host, not for others', async () => {
    const w = await liveWorld()
    const egressId = await reportedEgress(
      w.stream,
      'EGRESS_COMPLETE',
      { roomComposite: { roomName: w.stream.roomName } },
      {
        endedAt: String(BigInt(Date.now()) * 1_000_000n),
        fileResults: [
          {
            filename: `recordings/${String(w.stream.roomName)}/final.mp4`,
            location: `https://replays.invalid/${String(w.stream.roomName)}/final.mp4`,
            size: '7340032',
            duration: String(61n * 1_000_000_000n),
          },
        ],
      },
    )
    const recording = await site.payload.db.findOne<{ id: number | string }>({
      collection: 'recordings',
      where: { egressId: { equals: egressId } },
    })
    const path = `/recordings/${recording!.id}/playback`

    const viewer = await site.payload.create({
      collection: 'users',
      data: {
        email: `replay-${Date.now()}@a.test`,
        password: 'pw-123456',
        role: 'attendee',
        tenant: w.tenant.id,
      } as never,
    })
    const viewerAuth = await login(server, String(viewer.email), 'pw-123456')
    expect(await call('GET', path, viewerAuth)).toMatchObject({ status: 403 })
    expect(await call('GET', path)).toMatchObject({ status: 401 })

    await site.payload.update({
      collection: 'appointments',
      id: w.appointment.id,
      data: { attendees: [viewer.id] } as never,
    })
    for (const auth of [viewerAuth, w.hostAuth]) {
      const replay = await call('GET', path, auth)
      expect(replay.status).toBe(200)
      expect(replay.json).toMatchObject({
        format: 'mp4',
        durationSeconds: 61,
        expiresAt: expect.any(String),
      })
      const url = new URL(replay.json.url)
      expect(url.origin + url.pathname).toBe(
        `http://10.77.0.1:9000/replays/recordings/${String(w.stream.roomName)}/final.mp4`,
      )
      expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/)
      expect(replay.text).not.toContain(STORAGE_SECRET)
    }

    expect(await call('GET', '/recordings/not-a-number/playback', viewerAuth)).toMatchObject({
      status: 404,
      json: { error: { code: 'not_found', message: 'No recording with that id.' } },
    })
    expect(await call('GET', '/recordings/987654321/playback', viewerAuth)).toMatchObject({
      status: 404,
      json: { error: { code: 'not_found' } },
    })

    const running = await reportedEgress(w.stream, 'EGRESS_ACTIVE', {
      roomComposite: { roomName: w.stream.roomName },
    })
    const runningDoc = await site.payload.db.findOne<{ id: number | string }>({
      collection: 'recordings',
      where: { egressId: { equals: running } },
    })
    expect(await call('GET', `/recordings/${runningDoc!.id}/playback`, viewerAuth)).toMatchObject({
      status: 409,
      json: { error: { code: 'recording_not_ready' } },
    })

    // The replay window (30 days by default) is counted from the end of the stream.
    const endedDaysAgo = (days: number) =>
      site.payload.db.updateOne({
        collection: 'live-streams',
        id: w.stream.id,
        data: { actualEnd: new Date(Date.now() - days * 86_400_000).toISOString() },
      })
    await endedDaysAgo(29)
    expect(await call('GET', path, viewerAuth)).toMatchObject({ status: 200 })
    await endedDaysAgo(31)
    const expired = await call('GET', path, viewerAuth)
    expect(expired).toMatchObject({ status: 410, json: { error: { code: 'replay_expired' } } })
    expect(expired.json.error.message).toMatch(/could be watched until \d{4}-/)
    // The people who run the stream keep it.
    expect(await call('GET', path, w.hostAuth)).toMatchObject({ status: 200 })
  })
})

describe('GraphQL', () => {
  it('never returns a saved stream key or storage secret', async () => {
    const w = await liveWorld()
    const saved = await call('POST', '/stream-destinations', w.hostAuth, {
      name: 'Twitch',
      platform: 'twitch',
      serverUrl: 'rtmp://live.twitch.tv/app',
      streamKey: 'live_gql_secret_77',
    })
    expect(saved.status).toBe(201)
    const { schema } = configToSchema(site.payload.config)
    const admin = await site.payload.create({
      collection: 'users',
      data: {
        email: `gql-admin-${Date.now()}@x.test`,
        password: 'pw-123456',
        role: 'admin',
      } as never,
    })
    for (const user of [
      { ...w.host, collection: 'users' },
      { ...admin, collection: 'users' },
    ]) {
      const req = await createLocalReq({ user: user as never }, site.payload)
      const result = await graphql({
        schema,
        source:
          '{ StreamDestinations { docs { id name serverUrl streamKey hasStreamKey } } Recordings { docs { id egressId outputs { destination } } } }',
        contextValue: { req, headers: {} },
      })
      const text = JSON.stringify(result)
      expect(text).toContain('Twitch')
      expect(text).not.toContain('live_gql_secret_77')
      expect(text).not.toContain(STORAGE_SECRET)
    }
  })
})
