import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { serveTokenRoute, type TokenServer } from '../../src/http/serveTokenRoute.js'
import { createAppointmentWorld, liveStreamOf } from '../helpers/fixtures.js'
import { login, serveSite, type SiteServer } from '../helpers/httpServer.js'
import { startTestSite, type TestSite } from '../helpers/testSite.js'
import { deliver, livekitEvent, signWebhook, webhooksApplied } from '../helpers/webhooks.js'

// A site that needs more joins per second than one Next.js process answers runs the token route
// (and LiveKit's webhook) on a plain Node server next to it: same database, same answers.
let site: TestSite
let server: SiteServer
let tokens: TokenServer
let streamId: number | string
let roomName: string
let viewerAuth: string

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString()

beforeAll(async () => {
  site = await startTestSite({ plugin: { lifecycle: { autoRun: false, reconcileCron: false } } })
  server = await serveSite(site)
  const { payload } = site
  const world = await createAppointmentWorld(payload, {
    startsAt: inMinutes(5),
    endsAt: inMinutes(60),
  })
  const viewer = await payload.create({
    collection: 'users',
    data: {
      email: 'plain-node-viewer@a.test',
      password: 'pw-123456',
      role: 'attendee',
      tenant: world.tenant.id,
    } as never,
  })
  await payload.update({
    collection: 'appointments',
    id: world.appointment.id,
    data: { attendees: [viewer.id], status: 'in-progress' } as never,
  })
  const [stream] = await liveStreamOf(payload, world.appointment.id)
  streamId = stream.id
  roomName = String(stream.roomName)
  viewerAuth = await login(server, 'plain-node-viewer@a.test', 'pw-123456')
  tokens = await serveTokenRoute(payload.config, {
    port: 0,
    payloadInstanceCacheKey: site.key,
    livekitWebhook: true,
  })
})

afterAll(async () => {
  await tokens?.close()
  await server?.close()
  await site?.close()
})

const postToken = (authorization?: string, body = '{}') =>
  fetch(`${tokens.url}/api/live-streams/${streamId}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(authorization ? { authorization } : {}),
    },
    body,
  })

describe('the token route on a plain Node server', () => {
  it('gives a ticket holder the same token as the site does: this room, watching only', async () => {
    const response = await postToken(viewerAuth)
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const json = (await response.json()) as Record<string, any>
    expect(json.role).toBe('attendee')
    const claims = decodeJwt(json.token as string) as Record<string, any>
    expect(claims.video).toMatchObject({ room: roomName, roomJoin: true, canPublish: false })
    expect(claims.video.roomAdmin).toBeFalsy()
    expect(claims.video.recorder).toBeFalsy()

    const onSite = await fetch(`${server.url}/api/live-streams/${streamId}/token`, {
      method: 'POST',
      headers: { authorization: viewerAuth, 'content-type': 'application/json' },
      body: '{}',
    })
    const siteJson = (await onSite.json()) as Record<string, any>
    expect(siteJson.identity).toBe(json.identity)
    expect(siteJson.role).toBe(json.role)
  })

  it('refuses an anonymous caller of a ticketed stream as the site does (401 login_required)', async () => {
    const response = await postToken()
    expect(response.status).toBe(401)
    expect(await response.json()).toMatchObject({ error: { code: 'login_required' } })
  })

  it('answers 413 to an oversized body and 404 to any other path or method, in the error shape', async () => {
    const big = await postToken(viewerAuth, JSON.stringify({ pad: 'x'.repeat(200_000) }))
    expect(big.status).toBe(413)
    expect(await big.json()).toMatchObject({ error: { code: expect.any(String) } })

    const other = await fetch(`${tokens.url}/api/users/me`, {
      headers: { authorization: viewerAuth },
    })
    expect(other.status).toBe(404)
    expect(await other.json()).toMatchObject({ error: { code: expect.any(String) } })
    const get = await fetch(`${tokens.url}/api/live-streams/${streamId}/token`)
    expect(get.status).toBe(404)
    // Only the site's own path: the same route under another prefix is not served.
    const elsewhere = await fetch(`${tokens.url}/other/api/live-streams/${streamId}/token`, {
      method: 'POST',
      headers: { authorization: viewerAuth, 'content-type': 'application/json' },
      body: '{}',
    })
    expect(elsewhere.status).toBe(404)
  })

  it('answers a Host header no URL can hold with 400, not a failure', async () => {
    const { request } = await import('node:http')
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${tokens.url}/api/live-streams/${streamId}/token`, {
        method: 'POST',
        headers: { host: 'bad host:99999', 'content-type': 'application/json' },
      })
      req.on('response', (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
      req.end('{}')
    })
    expect(status).toBe(400)
  })

  it("answers headers past Node's size limit with 431 in the error shape, and the next caller still gets a token", async () => {
    const huge = await fetch(`${tokens.url}/api/live-streams/${streamId}/token`, {
      method: 'POST',
      headers: { authorization: `JWT ${'a'.repeat(20_000)}`, 'content-type': 'application/json' },
      body: '{}',
    })
    expect(huge.status).toBe(431)
    expect(await huge.json()).toMatchObject({ error: { code: 'headers_too_large' } })
    expect((await postToken(viewerAuth, '{}')).status).toBe(200)
  })

  it('reads a body that starts with a byte-order mark as the site does', async () => {
    const marked = await postToken(viewerAuth, '\uFEFF{}')
    expect(marked.status).toBe(200)
  })
})

describe("LiveKit's webhook on the same plain Node server", () => {
  it('refuses a forged delivery and applies a signed one once', async () => {
    const event = livekitEvent('participant_joined', {
      room: { name: roomName, sid: 'RM_plain_node' },
      participant: {
        sid: 'PA_plain_node',
        identity: 'plain-node-guest',
        name: 'Guest',
        joinedAt: String(Math.floor(Date.now() / 1000)),
        attributes: { role: 'attendee' },
      },
    })
    const body = JSON.stringify(event)
    const forged = await deliver(
      tokens.url,
      body,
      await signWebhook(body, { secret: 'x'.repeat(32) }),
    )
    expect(forged).toMatchObject({ status: 401, json: { error: { code: 'invalid_signature' } } })

    expect((await deliver(tokens.url, body)).status).toBe(200)
    expect((await deliver(tokens.url, body)).status).toBe(200)
    await webhooksApplied(site.payload)
    const sessions = await site.payload.find({
      collection: 'stream-sessions',
      where: { identity: { equals: 'plain-node-guest' } },
      overrideAccess: true,
    })
    expect(sessions.totalDocs).toBe(1)
  })
})
