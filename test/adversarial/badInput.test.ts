import { handleEndpoints } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { liveStreamTokenRoute } from '../../src/http/tokenRoute.js'
import { livekitWebhookRoute, stripeWebhookRoute } from '../../src/http/webhookRoute.js'
import { RECONCILE_TASK } from '../../src/lifecycle/taskSlugs.js'
import { expectErrorShape } from '../helpers/errors.js'
import { createAppointmentWorld, liveStreamOf } from '../helpers/fixtures.js'
import { callApi, login, serveSite, type SiteServer } from '../helpers/httpServer.js'
import { startTestSite, type TestSite } from '../helpers/testSite.js'
import { deliver, livekitEvent, webhooksApplied } from '../helpers/webhooks.js'

// The attacker sends what no honest client would: ids past the column's range, bytes that break
// the database's JSON, bodies far bigger than any request of the plugin, stream keys that the
// site can no longer read, prototype names as option values. Every one is a 4xx JSON error that
// changes nothing (or, for a verified LiveKit event, is stored and applied), never a 500.

let site: TestSite
let server: SiteServer
/** A second instance on the same database whose LiveKit cannot be reached and whose encryption key differs. */
let rotated: TestSite
let rotatedServer: SiteServer
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString()
const OTHER_KEY = Buffer.alloc(32, 7).toString('base64')

beforeAll(async () => {
  site = await startTestSite({ plugin: { lifecycle: { autoRun: false, reconcileCron: false } } })
  server = await serveSite(site)
  rotated = await startTestSite(
    {
      plugin: {
        lifecycle: { autoRun: false, reconcileCron: false },
        egress: { encryptionKey: OTHER_KEY },
        livekit: { apiUrl: 'http://127.0.0.1:9/internal-livekit' },
      },
    },
    undefined,
    site,
  )
  rotatedServer = await serveSite(rotated)
}, 120_000)
afterAll(async () => {
  await rotatedServer?.close()
  await server?.close()
  await rotated?.close()
  await site?.close()
})

const call = (method: string, path: string, authorization?: string, body?: unknown) =>
  callApi(server, method, path, authorization, body)

async function liveWorld(overrides: Record<string, unknown> = {}) {
  const w = await createAppointmentWorld(site.payload, {
    startsAt: inMinutes(5),
    endsAt: inMinutes(60),
    status: 'in-progress',
    ...overrides,
  })
  const [stream] = await liveStreamOf(site.payload, w.appointment.id)
  return { ...w, stream, hostAuth: await login(server, String(w.host.email), 'pw-123456') }
}

describe('ids that cannot exist', () => {
  const tooBig = [
    '2147483648',
    '99999999999',
    '9223372036854775808',
    '99999999999999999999999',
    '-1',
    '1e3',
    '0x10',
    '１',
  ]

  it('a live stream id past the integer column is a 404 on the token route, through Payload and on status', async () => {
    const direct = await serveSite(site, 0, '127.0.0.1', { routes: false })
    try {
      for (const id of tooBig) {
        for (const answer of [
          await call('POST', `/live-streams/${encodeURIComponent(id)}/token`),
          await callApi(direct, 'POST', `/live-streams/${encodeURIComponent(id)}/token`),
          await call('GET', `/live-streams/${encodeURIComponent(id)}/status`),
        ]) {
          expect(answer.status, id).toBe(404)
          expectErrorShape(answer, 'not_found')
        }
      }
    } finally {
      await direct.close()
    }
  })

  it('a recording id past the integer column is a 404 on playback', async () => {
    for (const id of tooBig) {
      const answer = await call('GET', `/recordings/${encodeURIComponent(id)}/playback`)
      expect(answer.status, id).toBe(404)
      expectErrorShape(answer, 'not_found')
      expect(answer.json.error.message).toBe('No recording with that id.')
    }
  })

  it('the largest id the column holds is still looked up (a 404 because no row has it)', async () => {
    const answer = await call('GET', '/live-streams/2147483647/status')
    expect(answer).toMatchObject({ status: 404, json: { error: { code: 'not_found' } } })
  })
})

describe('participant-controlled bytes in a signed LiveKit event', () => {
  it('a NUL in the name, metadata and attributes is stored, applied and acknowledged', async () => {
    const { stream } = await liveWorld()
    const event = livekitEvent('participant_joined', {
      room: { name: stream.roomName },
      participant: {
        identity: 'guest-nul-byte-attacker',
        name: 'Eve\u0000Admin',
        metadata: '{"x":"\u0000"}',
        attributes: { role: 'guest', 'ev\u0000il': 'a\u0000b' },
        joinedAt: String(Math.floor(Date.now() / 1000)),
        kind: 'STANDARD',
      },
    })
    const answer = await deliver(server.url, event)
    expect(answer).toMatchObject({ status: 200, json: { received: true } })
    await webhooksApplied(site.payload)
    const row = await site.payload.db.findOne<{
      id: number | string
      appliedAt?: null | string
      error?: null | string
    }>({ collection: 'livekit-webhook-events', where: { eventId: { equals: event.id as string } } })
    expect(row).toMatchObject({ error: null })
    expect(row?.appliedAt).toBeTruthy()
    const doc = await site.payload.findByID({ collection: 'live-streams', id: stream.id, depth: 0 })
    expect(doc).toMatchObject({ currentViewers: 1 })
  })
})

describe('signed events no LiveKit server sends', () => {
  // Whoever holds the API key can sign anything; the inbox must store it or refuse it with a 4xx.
  const stored = async (body: string) => {
    expect(await deliver(server.url, body)).toMatchObject({ status: 200, json: { received: true } })
    // Stored: the repeat is recognised.
    expect(await deliver(server.url, body)).toMatchObject({
      status: 200,
      json: { duplicate: true },
    })
  }

  it('a NUL in the event id, the type or the room name', async () => {
    await stored(
      JSON.stringify(
        livekitEvent('room_\u0000started', {
          id: `EV_\u0000${Date.now()}`,
          room: { name: 'room\u0000name' },
        }),
      ),
    )
  })

  it('an event id, type and room name of 3,000 characters (past what an index row holds)', async () => {
    // Random, so Postgres cannot compress it under the index row limit.
    const long = Array.from({ length: 3000 }, () => Math.random().toString(36)[2]).join('')
    await stored(
      JSON.stringify(
        livekitEvent(`room_started${long}`, {
          id: `EV_${long}${Date.now()}`,
          room: { name: `room-${long}` },
        }),
      ),
    )
  })

  it('a field nested 100,000 deep (past what Postgres parses as jsonb)', async () => {
    const event = JSON.stringify(livekitEvent('room_started', { room: { name: 'nobody-deep' } }))
    await stored(`${event.slice(0, -1)},"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`)
  })
})

describe('times no date can hold', () => {
  it('a signed event stamped past the year 275,760 (or before 1970) is stored with the time it arrived', async () => {
    for (const createdAt of ['99999999999999', '-5']) {
      const event: Record<string, unknown> = {
        ...livekitEvent('room_started', {
          room: { name: `nobody-${Math.random().toString(36).slice(2)}` },
        }),
        createdAt,
      }
      expect(await deliver(server.url, event), createdAt).toMatchObject({ status: 200 })
      const row = await site.payload.db.findOne<{ id: number | string; occurredAt: string }>({
        collection: 'livekit-webhook-events',
        where: { eventId: { equals: event.id as string } },
      })
      expect(Math.abs(new Date(row!.occurredAt).getTime() - Date.now())).toBeLessThan(60_000)
    }
  })
})

/** A body of `total` bytes that counts how much of it the server pulled. */
function meteredBody(total: number) {
  const chunk = new Uint8Array(64 * 1024).fill(0x20)
  let pulled = 0
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled >= total) {
          return controller.close()
        }
        pulled += chunk.byteLength
        controller.enqueue(chunk)
      },
    },
    { highWaterMark: 0 },
  )
  return { stream, pulled: () => pulled }
}

const MiB = 1024 * 1024

describe('bodies far bigger than any request of the plugin', () => {
  const routes = () => {
    const key = { payloadInstanceCacheKey: site.key }
    const viaPayload = (request: Request) =>
      handleEndpoints({ config: site.payload.config, request, payloadInstanceCacheKey: site.key })
    return [
      {
        name: 'LiveKit webhook route',
        path: '/api/livekit/webhook',
        handle: livekitWebhookRoute(site.payload.config, key),
        limit: MiB,
      },
      {
        name: 'LiveKit webhook endpoint',
        path: '/api/livekit/webhook',
        handle: viaPayload,
        limit: MiB,
      },
      {
        name: 'Stripe webhook route',
        path: '/api/stripe/webhook',
        handle: stripeWebhookRoute(site.payload.config, key),
        limit: MiB,
      },
      {
        name: 'Stripe webhook endpoint',
        path: '/api/stripe/webhook',
        handle: viaPayload,
        limit: MiB,
      },
      {
        name: 'token route',
        path: '/api/live-streams/1/token',
        handle: liveStreamTokenRoute(site.payload.config, key),
        limit: 64 * 1024,
      },
      {
        name: 'token endpoint',
        path: '/api/live-streams/1/token',
        handle: viaPayload,
        limit: 64 * 1024,
      },
    ]
  }

  it('64 MiB without a Content-Length is refused with 413 after reading little more than the limit', async () => {
    const { stream } = await liveWorld({ visibility: 'public' })
    for (const route of routes()) {
      const body = meteredBody(64 * MiB)
      const request = new Request(
        `http://localhost${route.path.replace('/1/', `/${stream.id}/`)}`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'stripe-signature': 't=1,v1=00',
            authorization: 'x',
          },
          body: body.stream,
          duplex: 'half',
        } as RequestInit,
      )
      const response = await route.handle(request)
      expect(response.status, route.name).toBe(413)
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        'body_too_large',
      )
      expect(body.pulled(), route.name).toBeLessThanOrEqual(route.limit + 64 * 1024)
    }
  })

  it('a declared Content-Length over the limit is refused before a byte is read', async () => {
    const { stream } = await liveWorld({ visibility: 'public' })
    for (const route of routes()) {
      const body = meteredBody(64 * MiB)
      const request = new Request(
        `http://localhost${route.path.replace('/1/', `/${stream.id}/`)}`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': String(64 * MiB),
            'stripe-signature': 't=1,v1=00',
            authorization: 'x',
          },
          body: body.stream,
          duplex: 'half',
        } as RequestInit,
      )
      const response = await route.handle(request)
      expect(response.status, route.name).toBe(413)
      expect(body.pulled(), route.name).toBe(0)
    }
  })

  it('a body just under the limit is read and judged as usual', async () => {
    const { stream } = await liveWorld({ visibility: 'public' })
    const padded = JSON.stringify({ guestId: 'abcdefgh12', pad: 'x'.repeat(60 * 1024) })
    const answer = await call('POST', `/live-streams/${stream.id}/token`, undefined, padded)
    expect(answer.status).toBe(200)
    const signedEvent = JSON.stringify({
      ...livekitEvent('room_started', { room: { name: 'nothing-of-this-site' } }),
      pad: 'x'.repeat(900 * 1024),
    })
    expect(await deliver(server.url, signedEvent)).toMatchObject({ status: 200 })
  })
})

describe('secrets in the LiveKit inbox', () => {
  const KEY = 'sk-live-never-stored-4e1b'
  const OVERLAY_TOKEN = 'eyJoverlay.token-never-stored.8c2d'
  const INGRESS_KEY = 'ingress-key-never-stored-77aa'

  it('stored egress and ingress events keep no stream key, RTMP key or overlay token, and still apply', async () => {
    const { stream } = await liveWorld()
    const room = String(stream.roomName)
    const ns = String(BigInt(Date.now() - 5_000) * 1_000_000n)
    const rtmp = livekitEvent('egress_started', {
      egressInfo: {
        egressId: `EG_rtmp${Date.now()}`,
        roomName: room,
        status: 'EGRESS_ACTIVE',
        startedAt: ns,
        roomComposite: {
          roomName: room,
          layout: 'speaker',
          streamOutputs: [{ protocol: 'RTMP', urls: [`rtmp://a.rtmp.youtube.com/live2/${KEY}`] }],
        },
        stream: { info: [{ url: `rtmp://a.rtmp.youtube.com/live2/${KEY}`, status: 'ACTIVE' }] },
        streamResults: [{ url: `rtmps://live.example:443/app/${KEY}`, status: 'ACTIVE' }],
        error: `could not connect to rtmp://a.rtmp.youtube.com/live2/${KEY}`,
      },
    })
    const web = livekitEvent('egress_started', {
      egressInfo: {
        egressId: `EG_web${Date.now()}`,
        roomName: room,
        status: 'EGRESS_STARTING',
        web: {
          url: `https://site.example/streams/1/overlay?token=${OVERLAY_TOKEN}&serverUrl=wss%3A%2F%2Flk.example`,
        },
      },
    })
    const ingress = livekitEvent('ingress_started', {
      ingressInfo: {
        ingressId: 'IN_test',
        streamKey: INGRESS_KEY,
        url: `rtmp://ingress.example/x/${INGRESS_KEY}`,
        roomName: room,
        inputType: 'RTMP_INPUT',
      },
    })
    for (const event of [rtmp, web, ingress]) {
      expect(await deliver(server.url, event)).toMatchObject({ status: 200 })
    }
    await webhooksApplied(site.payload)
    const rows = await site.payload.db.find<{
      id: number | string
      body: unknown
      appliedAt?: null | string
      error?: null | string
    }>({
      collection: 'livekit-webhook-events',
      where: { eventId: { in: [rtmp.id, web.id, ingress.id] as string[] } },
      limit: 0,
      pagination: false,
    })
    expect(rows.docs).toHaveLength(3)
    const stored = JSON.stringify(rows.docs.map((row) => row.body))
    for (const secret of [KEY, OVERLAY_TOKEN, INGRESS_KEY]) {
      expect(stored).not.toContain(secret)
    }
    expect(stored).toContain('rtmp://a.rtmp.youtube.com/live2/')
    for (const row of rows.docs) {
      expect(row).toMatchObject({ error: null })
    }
    for (const row of rows.docs) {
      expect(row.appliedAt).toBeTruthy()
    }
    const recordings = await site.payload.find({
      collection: 'recordings',
      where: { liveStream: { equals: stream.id } },
      depth: 0,
    })
    expect(recordings.docs.map((r) => r.kind).sort()).toEqual(['rtmp', 'web'])
    expect(JSON.stringify(recordings.docs)).not.toContain(KEY)
    expect(
      await site.payload.findByID({ collection: 'live-streams', id: stream.id, depth: 0 }),
    ).toMatchObject({ source: 'ingress', ingressState: 'publishing' })
  })
})

describe('LiveKit and Stripe error texts', () => {
  it('are not shown to a viewer, while the host of the stream reads them', async () => {
    const w = await liveWorld({ visibility: 'public' })
    const status = await callApi(rotatedServer, 'GET', `/live-streams/${w.stream.id}/status`)
    expect(status.status).toBe(503)
    expectErrorShape(status, 'livekit_unreachable')
    expect(status.text).not.toMatch(/127\.0\.0\.1|internal-livekit|:9\b/)
    const hostAuth = await login(rotatedServer, String(w.host.email), 'pw-123456')
    const participants = await callApi(
      rotatedServer,
      'GET',
      `/live-streams/${w.stream.id}/participants`,
      hostAuth,
    )
    expect(participants.status).toBe(503)
    expect(participants.text).toContain('127.0.0.1:9')
  })
})

describe('saved stream keys and option names', () => {
  it('a stream key saved under another encryption key is a 409 that says to re-enter it', async () => {
    const w = await liveWorld()
    const saved = await call('POST', '/stream-destinations', w.hostAuth, {
      name: 'Channel',
      platform: 'youtube',
      serverUrl: 'rtmp://a.rtmp.youtube.com/live2',
      streamKey: 'saved-before-rotation-31',
    })
    expect(saved.status).toBe(201)
    const hostAuth = await login(rotatedServer, String(w.host.email), 'pw-123456')
    const answer = await callApi(
      rotatedServer,
      'POST',
      `/live-streams/${w.stream.id}/egress`,
      hostAuth,
      { kind: 'rtmp', destinations: [saved.json.doc.id] },
    )
    expect(answer.status).toBe(409)
    expectErrorShape(answer, 'stream_key_unreadable')
    expect(answer.json.error.message).toMatch(/re-enter the stream key/i)
    expect(answer.text).not.toContain('saved-before-rotation-31')
    expect(
      await site.payload.count({
        collection: 'recordings',
        where: { liveStream: { equals: w.stream.id } },
      }),
    ).toMatchObject({ totalDocs: 0 })
  })

  it('saved destination ids no row can have are a 400 naming the field, not a query error', async () => {
    const w = await liveWorld()
    for (const id of ['abc', 2147483648, 1.5, -1, '1; DROP TABLE x', '']) {
      const answer = await call('POST', `/live-streams/${w.stream.id}/egress`, w.hostAuth, {
        kind: 'rtmp',
        destinations: [id],
      })
      expect(answer.status, String(id)).toBe(400)
      expectErrorShape(answer, 'invalid_destinations')
    }
  })

  it('__proto__, constructor and toString as a quality or layout are 400', async () => {
    const w = await liveWorld()
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      const quality = await call('POST', `/live-streams/${w.stream.id}/egress`, w.hostAuth, {
        kind: 'recording',
        quality: name,
      })
      expect(quality.status, name).toBe(400)
      expectErrorShape(quality, 'invalid_quality')
      const layout = await call('POST', `/live-streams/${w.stream.id}/egress`, w.hostAuth, {
        kind: 'recording',
        layout: name,
      })
      expect(layout.status, name).toBe(400)
      expectErrorShape(layout, 'invalid_layout')
    }
    expect(
      await site.payload.count({
        collection: 'recordings',
        where: { liveStream: { equals: w.stream.id } },
      }),
    ).toMatchObject({ totalDocs: 0 })
  })
})

describe('nothing grows without bound', () => {
  it('applied events older than the retention period are pruned by the reconcile job; recent and unapplied ones stay', async () => {
    const events = Array.from({ length: 4 }, () =>
      livekitEvent('room_started', {
        room: { name: `nobody-${Math.random().toString(36).slice(2)}` },
      }),
    )
    for (const event of events) {
      expect(await deliver(server.url, event)).toMatchObject({ status: 200 })
    }
    await webhooksApplied(site.payload)
    const rowOf = async (event: Record<string, unknown>) =>
      (await site.payload.db.findOne<{ id: number | string }>({
        collection: 'livekit-webhook-events',
        where: { eventId: { equals: event.id as string } },
      }))!
    const longAgo = new Date(Date.now() - 31 * 24 * 3600_000).toISOString()
    const [oldApplied, oldUnapplied, recent, oldFailed] = await Promise.all(events.map(rowOf))
    await site.payload.db.updateOne({
      collection: 'livekit-webhook-events',
      id: oldApplied.id,
      data: { appliedAt: longAgo, createdAt: longAgo },
    })
    await site.payload.db.updateOne({
      collection: 'livekit-webhook-events',
      id: oldUnapplied.id,
      data: {
        appliedAt: null,
        claimedUntil: new Date(Date.now() + 3600_000).toISOString(),
        createdAt: longAgo,
      },
    })
    await site.payload.db.updateOne({
      collection: 'livekit-webhook-events',
      id: oldFailed.id,
      data: { appliedAt: null, error: 'still failing', createdAt: longAgo },
    })
    await site.payload.jobs.queue({
      task: RECONCILE_TASK as never,
      input: {} as never,
      queue: 'livekit',
    })
    await site.payload.jobs.run({ queue: 'livekit', limit: 10, silent: true })
    const left = async (row: { id: number | string }) =>
      (await site.payload.db.findOne({
        collection: 'livekit-webhook-events',
        where: { id: { equals: row.id } },
      })) !== null
    expect(await left(oldApplied)).toBe(false)
    expect(await left(oldUnapplied)).toBe(true)
    expect(await left(oldFailed)).toBe(true)
    expect(await left(recent)).toBe(true)
    // The held row would otherwise count as unapplied for every later wait in this file.
    await site.payload.db.deleteOne({
      collection: 'livekit-webhook-events',
      where: { id: { equals: oldUnapplied.id } },
    })
  })
})
