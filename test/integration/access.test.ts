import type { CollectionConfig } from 'payload'

import {
  AudioFrame,
  AudioSource,
  dispose,
  LocalAudioTrack,
  type Room,
  RoomEvent,
  TrackPublishOptions,
  TrackSource,
} from '@livekit/rtc-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { readTokenFacts, tokenFactsSupported } from '../../src/access/tokenFacts.js'
import { hotPathsOf } from '../../src/db/hotPaths.js'
import { sessionClaims, userFromRow } from '../../src/http/sessionUser.js'
import { pluginOptionsOf } from '../../src/runtime.js'
import { createAppointmentWorld, liveStreamOf } from '../helpers/fixtures.js'
import { callApi, login, serveSite, type SiteServer } from '../helpers/httpServer.js'
import { connect, publishSyntheticCamera, receiveFrames, waitFor } from '../helpers/media.js'
import { startTestSite, type TestSite } from '../helpers/testSite.js'

let site: TestSite
let server: SiteServer
const rooms: Room[] = []
const auth: Record<string, string> = {}
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString()
let ticketed: { streamId: number | string; roomName: string; appointmentId: number | string }
let publicStream: { streamId: number | string }
let scheduledStreamId: number | string
let endedStreamId: number | string

async function user(email: string, role: string, tenant: unknown) {
  const doc = await site.payload.create({
    collection: 'users',
    data: { email, password: 'pw-123456', role, tenant, name: email.split('@')[0] } as never,
  })
  auth[email] = await login(server, email, 'pw-123456')
  return doc
}

const call = (method: string, path: string, who?: string, body?: unknown) =>
  callApi(server, method, path, who ? auth[who] : undefined, body)

const tokenFor = async (streamId: number | string, who?: string, body?: unknown) =>
  call('POST', `/live-streams/${streamId}/token`, who, body ?? {})
const claims = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()) as Record<string, any>
async function join(streamId: number | string, who?: string) {
  const { json } = await tokenFor(streamId, who)
  const room = await connect(json.serverUrl, json.token)
  rooms.push(room)
  return {
    room,
    identity: json.identity as string,
    token: json.token as string,
    serverUrl: json.serverUrl as string,
  }
}

beforeAll(async () => {
  site = await startTestSite({ plugin: { lifecycle: { autoRun: false, reconcileCron: false } } })
  server = await serveSite(site)
  const { payload } = site
  const world = await createAppointmentWorld(payload, {
    startsAt: inMinutes(5),
    endsAt: inMinutes(60),
  })
  const tenantA = world.tenant.id
  const otherTenant = await payload.create({
    collection: 'tenants',
    data: { name: 'Other', slug: `other-${Date.now()}` },
  })
  auth.host = await login(server, String(world.host.email), 'pw-123456')
  const cohost = await user('cohost@a.test', 'host', tenantA)
  const viewer = await user('viewer@a.test', 'attendee', tenantA)
  await user('noticket@a.test', 'attendee', tenantA)
  await user('stranger@b.test', 'attendee', otherTenant.id)
  await user('admin@x.test', 'admin', null)
  await payload.update({
    collection: 'appointments',
    id: world.appointment.id,
    data: { coHosts: [cohost.id], attendees: [viewer.id], status: 'in-progress' } as never,
  })
  const [s] = await liveStreamOf(payload, world.appointment.id)
  ticketed = { streamId: s.id, roomName: String(s.roomName), appointmentId: world.appointment.id }

  const pub = await createAppointmentWorld(payload, {
    startsAt: inMinutes(5),
    endsAt: inMinutes(60),
    visibility: 'public',
    status: 'in-progress',
  })
  publicStream = { streamId: (await liveStreamOf(payload, pub.appointment.id))[0].id }
  auth.publicHost = await login(server, String(pub.host.email), 'pw-123456')
  const later = await createAppointmentWorld(payload, {
    startsAt: inMinutes(600),
    endsAt: inMinutes(660),
    tenant: tenantA,
    host: world.host.id,
    attendees: [viewer.id],
  })
  scheduledStreamId = (await liveStreamOf(payload, later.appointment.id))[0].id
  const done = await createAppointmentWorld(payload, {
    startsAt: inMinutes(1),
    endsAt: inMinutes(30),
    tenant: tenantA,
    host: world.host.id,
    attendees: [viewer.id],
    status: 'in-progress',
  })
  await payload.update({
    collection: 'appointments',
    id: done.appointment.id,
    data: { status: 'completed' },
  })
  endedStreamId = (await liveStreamOf(payload, done.appointment.id))[0].id
}, 120_000)

afterAll(async () => {
  for (const room of rooms) {
    await room.disconnect().catch(() => undefined)
  }
  await server?.close()
  await site?.close()
  await dispose()
})

describe('the token endpoint refuses clearly', () => {
  it.each([
    ['an anonymous caller on a ticketed stream', undefined, 401, 'login_required'],
    ['a user without a ticket', 'noticket@a.test', 403, 'ticket_required'],
    ["another tenant's user", 'stranger@b.test', 403, 'other_tenant'],
  ])('%s', async (_name, who, status, code) => {
    const { status: got, json } = await tokenFor(ticketed.streamId, who)
    expect(got).toBe(status)
    expect(json.error.code).toBe(code)
    expect(json.token).toBeUndefined()
  })

  it('a stream not open yet: 409 with the opening time; an ended one: 410', async () => {
    const early = await tokenFor(scheduledStreamId, 'viewer@a.test')
    expect(early.status).toBe(409)
    expect(early.json.error.message).toMatch(/opens at \d{4}-\d\d-\d\dT/)
    const late = await tokenFor(endedStreamId, 'viewer@a.test')
    expect(late).toMatchObject({ status: 410, json: { error: { code: 'stream_ended' } } })
  })

  it('bad input is a 4xx JSON error, never a stack trace', async () => {
    expect(await tokenFor('not-an-id', 'viewer@a.test')).toMatchObject({
      status: 404,
      json: { error: { code: 'not_found' } },
    })
    expect(await tokenFor(987654, 'viewer@a.test')).toMatchObject({
      status: 404,
      json: { error: { code: 'not_found' } },
    })
    const malformed = await tokenFor(ticketed.streamId, 'viewer@a.test', '{"guestId":')
    expect(malformed).toMatchObject({ status: 400, json: { error: { code: 'invalid_json' } } })
    expect(
      await tokenFor(publicStream.streamId, undefined, { guestCredential: '../../etc' }),
    ).toMatchObject({ status: 400, json: { error: { code: 'invalid_guest_credential' } } })
    expect(malformed.text).not.toMatch(/at .*\.(ts|js):\d+/)
  })
})

describe('tokens carry the grants of the role and nothing more', () => {
  it('host, attendee and admin tokens', async () => {
    const host = await tokenFor(ticketed.streamId, 'host')
    expect(host.status).toBe(200)
    expect(host.json).toMatchObject({ role: 'host', serverUrl: process.env.LIVEKIT_URL })
    const hostGrant = claims(host.json.token).video
    expect(hostGrant).toMatchObject({
      room: ticketed.roomName,
      roomJoin: true,
      canPublish: true,
      canSubscribe: true,
      // Chat and reactions go through the plugin: no participant sends data of its own.
      canPublishData: false,
    })
    // The role is an attribute of the token: nobody may rewrite their own attributes.
    expect(hostGrant.canUpdateOwnMetadata).toBeFalsy()
    expect(hostGrant.canPublishSources.sort()).toEqual([
      'camera',
      'microphone',
      'screen_share',
      'screen_share_audio',
    ])

    const viewer = await tokenFor(ticketed.streamId, 'viewer@a.test')
    expect(viewer.json.role).toBe('attendee')
    expect(claims(viewer.json.token).video).toMatchObject({
      canPublish: false,
      canSubscribe: true,
      canPublishData: false,
    })
    expect(claims(viewer.json.token).attributes).toEqual({ role: 'attendee' })
    expect(new Date(viewer.json.expiresAt).getTime()).toBeGreaterThan(Date.now() + 3 * 3600_000)

    const admin = await tokenFor(ticketed.streamId, 'admin@x.test')
    expect(admin.json.role).toBe('admin')
    expect(claims(admin.json.token).video).toMatchObject({ hidden: true, canPublish: false })

    for (const jwt of [host.json.token, viewer.json.token, admin.json.token]) {
      const grant = claims(jwt).video
      for (const power of [
        'recorder',
        'roomAdmin',
        'roomCreate',
        'roomList',
        'roomRecord',
        'ingressAdmin',
      ]) {
        expect(grant[power]).toBeFalsy()
      }
    }
  })

  it('keeps one identity per user across requests, and a name but never the email', async () => {
    const a = await tokenFor(ticketed.streamId, 'viewer@a.test')
    const b = await tokenFor(ticketed.streamId, 'viewer@a.test')
    expect(a.json.identity).toBe(b.json.identity)
    expect(a.json.name).toBe('viewer')
    expect(JSON.stringify(claims(a.json.token))).not.toContain('viewer@a.test')
  })
})

describe('the LiveKit server enforces the roles', () => {
  it('an attendee receives the host camera and cannot publish; promoted it can, demoted its tracks stop', async () => {
    const host = await join(ticketed.streamId, 'host')
    const camera = await publishSyntheticCamera(host.room)
    const viewer = await join(ticketed.streamId, 'viewer@a.test')
    expect(await receiveFrames(viewer.room, host.identity, 5)).toBeGreaterThanOrEqual(5)

    // The server never acknowledges a publish without permission; the client gives up.
    await expect(publishSyntheticCamera(viewer.room, 'sneaky')).rejects.toThrow(
      /publication timed out/,
    )

    const promoted = await call(
      'POST',
      `/live-streams/${ticketed.streamId}/participants/${viewer.identity}/promote`,
      'host',
    )
    expect(promoted).toMatchObject({ status: 200, json: { onStage: true } })
    // The new permission reaches the client over the signalling connection; give it a moment.
    await waitFor(
      async () =>
        (
          await call('GET', `/live-streams/${ticketed.streamId}/participants`, 'host')
        ).json.participants.find((p: any) => p.identity === viewer.identity)?.onStage,
      5000,
      'stage',
    )
    await new Promise((r) => setTimeout(r, 500))
    const onStage = await publishSyntheticCamera(viewer.room, 'stage')
    expect(await receiveFrames(host.room, viewer.identity, 5)).toBeGreaterThanOrEqual(5)

    const demoted = await call(
      'POST',
      `/live-streams/${ticketed.streamId}/participants/${viewer.identity}/demote`,
      'host',
    )
    expect(demoted.status).toBe(200)
    await waitFor(
      () =>
        [...(host.room.remoteParticipants.get(viewer.identity)?.trackPublications.values() ?? [])]
          .length === 0,
      10_000,
      "the demoted attendee's tracks to stop",
    )
    onStage.stop()
    camera.stop()
    await viewer.room.disconnect()
    await host.room.disconnect()
  })

  it('a removed attendee is disconnected and gets no new token', async () => {
    const host = await join(ticketed.streamId, 'host')
    const viewer = await join(ticketed.streamId, 'viewer@a.test')
    let disconnected = false
    viewer.room.on(RoomEvent.Disconnected, () => void (disconnected = true))
    const removed = await call(
      'POST',
      `/live-streams/${ticketed.streamId}/participants/${viewer.identity}/remove`,
      'cohost@a.test',
    )
    expect(removed).toMatchObject({ status: 200, json: { removed: viewer.identity } })
    await waitFor(() => disconnected, 10_000, 'the removed participant to be disconnected')
    expect(await tokenFor(ticketed.streamId, 'viewer@a.test')).toMatchObject({
      status: 403,
      json: { error: { code: 'removed' } },
    })
    await host.room.disconnect()
  })

  it('a guest watches a public stream', async () => {
    const host = await join(publicStream.streamId, 'publicHost')
    const camera = await publishSyntheticCamera(host.room)
    const first = await tokenFor(publicStream.streamId)
    expect(first.json).toMatchObject({
      role: 'guest',
      identity: expect.stringMatching(/^guest-/),
      guestCredential: expect.any(String),
    })
    // Its credential keeps the identity (a reload).
    const again = await tokenFor(publicStream.streamId, undefined, {
      guestCredential: first.json.guestCredential,
    })
    expect(again.json).toMatchObject({ role: 'guest', identity: first.json.identity })
    const guest = await connect(again.json.serverUrl, again.json.token)
    rooms.push(guest)
    expect(await receiveFrames(guest, host.identity, 5)).toBeGreaterThanOrEqual(5)
    camera.stop()
    await guest.disconnect()
    await host.room.disconnect()
  })
})

describe('moderation', () => {
  it('an admin observer is invisible to the others; hosts see raised hands; attendees may not moderate', async () => {
    const host = await join(ticketed.streamId, 'host')
    const cohost = await join(ticketed.streamId, 'cohost@a.test')
    const admin = await join(ticketed.streamId, 'admin@x.test')
    await waitFor(
      () => host.room.remoteParticipants.has(cohost.identity),
      10_000,
      'the co-host to show',
    )
    // The admin joined after the co-host; had it been visible it would have shown by now.
    await new Promise((r) => setTimeout(r, 1000))
    expect([...host.room.remoteParticipants.keys()]).not.toContain(admin.identity)

    const stranger = await call(
      'POST',
      `/live-streams/${ticketed.streamId}/participants/${cohost.identity}/mute`,
      'noticket@a.test',
    )
    expect(stranger).toMatchObject({ status: 403 })

    // An attendee raises its hand through the plugin (no participant writes its own attributes).
    const raiser = await user(
      'hand@a.test',
      'attendee',
      (
        await site.payload.find({
          collection: 'users',
          where: { email: { equals: 'viewer@a.test' } },
        })
      ).docs[0].tenant,
    )
    const listed = (
      await site.payload.findByID({
        collection: 'appointments',
        id: ticketed.appointmentId,
        depth: 0,
      })
    ).attendees as Array<number | string>
    await site.payload.update({
      collection: 'appointments',
      id: ticketed.appointmentId,
      data: { attendees: [...listed, raiser.id] } as never,
    })
    const hand = await join(ticketed.streamId, 'hand@a.test')
    expect(
      await call('POST', `/live-streams/${ticketed.streamId}/hand`, 'hand@a.test', {
        raised: true,
      }),
    ).toMatchObject({ status: 200, json: { handRaised: true } })
    await waitFor(
      async () => {
        const list = await call('GET', `/live-streams/${ticketed.streamId}/participants`, 'host')
        return list.json.participants?.some(
          (p: any) => p.identity === hand.identity && p.handRaised,
        )
      },
      10_000,
      'the raised hand to show',
    )
    const forHost = await call('GET', `/live-streams/${ticketed.streamId}/participants`, 'host')
    expect(forHost.json.participants.map((p: any) => p.identity)).not.toContain(admin.identity)
    const forAdmin = await call(
      'GET',
      `/live-streams/${ticketed.streamId}/participants`,
      'admin@x.test',
    )
    expect(forAdmin.json.participants.map((p: any) => p.identity)).toContain(admin.identity)

    // Mute: the co-host's microphone is muted by the host.
    const source = new AudioSource(48000, 1)
    const mic = LocalAudioTrack.createAudioTrack('mic', source)
    const options = new TrackPublishOptions()
    options.source = TrackSource.SOURCE_MICROPHONE
    await cohost.room.localParticipant!.publishTrack(mic, options)
    const feed = setInterval(
      () => void source.captureFrame(new AudioFrame(new Int16Array(480).fill(1000), 48000, 1, 480)),
      10,
    )
    await waitFor(
      async () =>
        (
          await call('GET', `/live-streams/${ticketed.streamId}/participants`, 'host')
        ).json.participants.find((p: any) => p.identity === cohost.identity)?.tracks.length > 0,
      10_000,
      'the microphone to be published',
    )
    const muted = await call(
      'POST',
      `/live-streams/${ticketed.streamId}/participants/${cohost.identity}/mute`,
      'host',
      { kinds: ['audio'] },
    )
    expect(muted).toMatchObject({ status: 200, json: { muted: 1 } })
    const after = await call('GET', `/live-streams/${ticketed.streamId}/participants`, 'host')
    expect(
      after.json.participants.find((p: any) => p.identity === cohost.identity).tracks[0].muted,
    ).toBe(true)
    clearInterval(feed)

    expect(
      await call(
        'POST',
        `/live-streams/${ticketed.streamId}/participants/${cohost.identity}/explode`,
        'host',
      ),
    ).toMatchObject({ status: 404, json: { error: { code: 'unknown_action' } } })
    expect(
      await call(
        'POST',
        `/live-streams/${ticketed.streamId}/participants/nobody-here/mute`,
        'host',
      ),
    ).toMatchObject({ status: 404, json: { error: { code: 'participant_not_found' } } })
    expect(
      await call(
        'POST',
        `/live-streams/${ticketed.streamId}/participants/${host.identity}/remove`,
        'cohost@a.test',
      ),
    ).toMatchObject({ status: 403, json: { error: { code: 'protected_participant' } } })

    // Status: attendees see counts, moderators also the list.
    const status = await call('GET', `/live-streams/${ticketed.streamId}/status`, 'host')
    expect(status.json).toMatchObject({
      state: 'live',
      hostPresent: true,
      recording: false,
      streaming: false,
    })
    expect(status.json.publishers).toContain(cohost.identity)
    expect(status.json.participants.map((p: any) => p.identity)).not.toContain(admin.identity)
    const anonymous = await call('GET', `/live-streams/${ticketed.streamId}/status`)
    expect(anonymous.status).toBe(401)

    for (const r of [host.room, cohost.room, admin.room, hand.room]) {
      await r.disconnect()
    }
  })
})

describe('the token route (mounted as the dev site mounts it) decides exactly as the endpoint through Payload', () => {
  /** A guest's credential, sent back in one of the bodies: its identity is the one both must mint. */
  let kept: { identity: string; guestCredential: string }
  /** The parts of an answer that must agree; the token itself differs only in its signing time. */
  const essence = ({ status, json }: { status: number; json: Record<string, any> }) => ({
    status,
    error: json.error,
    role: json.role,
    name: json.name,
    identity:
      typeof json.identity === 'string' &&
      json.identity.startsWith('guest-') &&
      json.identity !== kept.identity
        ? 'guest-(random)'
        : json.identity,
    guestCredential:
      json.guestCredential === undefined
        ? undefined
        : json.guestCredential === kept.guestCredential
          ? 'kept'
          : 'fresh',
    serverUrl: json.serverUrl,
    grants: json.token ? { ...claims(json.token).video } : undefined,
    attributes: json.token ? claims(json.token).attributes : undefined,
    room: json.token ? claims(json.token).video.room : undefined,
  })

  it('for every caller, stream and malformed request, the same answer', async () => {
    const viaPayload = await serveSite(site, 0, '127.0.0.1', { routes: false })
    try {
      // A ticket bought through Stripe (not listed as an attendee) counts too.
      const tenant = (
        await site.payload.find({
          collection: 'users',
          where: { email: { equals: 'viewer@a.test' } },
        })
      ).docs[0].tenant
      const buyer = await user('buyer@a.test', 'attendee', tenant)
      const gone = await user('gone@a.test', 'attendee', tenant)
      for (const [seat, holder] of [buyer, gone].entries()) {
        await site.payload.create({
          collection: 'tickets',
          data: {
            liveStream: ticketed.streamId,
            appointment: ticketed.appointmentId,
            user: holder.id,
            status: 'active',
            seat: seat + 1,
            amount: 1500,
            currency: 'eur',
            stripeCheckoutSessionId: `cs_test_route_${seat}_${Date.now()}`,
          } as never,
        })
      }
      // A moderator removed one ticket holder from the stream.
      await site.payload.create({
        collection: 'stream-removals',
        data: {
          liveStream: ticketed.streamId,
          identity: `user-${gone.id}`,
          removedAt: new Date().toISOString(),
        } as never,
        overrideAccess: true,
      })
      const guestAnswer = await tokenFor(publicStream.streamId)
      kept = {
        identity: guestAnswer.json.identity,
        guestCredential: guestAnswer.json.guestCredential,
      }
      // A session ended by logging out no longer authenticates, in either path.
      const loggedOut = await login(server, 'noticket@a.test', 'pw-123456')
      expect(
        (
          await fetch(`${server.url}/api/users/logout`, {
            method: 'POST',
            headers: { authorization: loggedOut },
          })
        ).status,
      ).toBe(200)
      const forged = auth['viewer@a.test'].replace(/\.[^.]+$/, '.c2lnbmVkIGJ5IHNvbWVvbmUgZWxzZQ')
      const raw = (who: string) => (who === 'forged' ? forged : auth[who]).replace(/^JWT /, '')

      const headersOf: Record<string, Record<string, string>> = {
        anonymous: {},
        host: { authorization: auth.host },
        cohost: { authorization: auth['cohost@a.test'] },
        listed: { authorization: auth['viewer@a.test'] },
        buyer: { authorization: auth['buyer@a.test'] },
        removed: { authorization: auth['gone@a.test'] },
        noticket: { authorization: auth['noticket@a.test'] },
        stranger: { authorization: auth['stranger@b.test'] },
        admin: { authorization: auth['admin@x.test'] },
        bearer: { authorization: auth['buyer@a.test'].replace(/^JWT /, 'Bearer ') },
        cookie: { cookie: `payload-token=${auth['buyer@a.test'].replace(/^JWT /, '')}` },
        loggedOut: { authorization: loggedOut },
        forged: { authorization: forged },
        apiKeyScheme: { authorization: 'users API-Key 0123456789abcdef' },
        // Cookie headers as Payload's own parser reads them: the last of two wins, one that does
        // not decode is skipped, a bare name is an empty token, a value is not trimmed.
        twoCookies: {
          cookie: `payload-token=${raw('buyer@a.test')}; payload-token=${raw('host')}`,
        },
        forgedCookieFirst: {
          cookie: `payload-token=${raw('forged')}; payload-token=${raw('buyer@a.test')}`,
        },
        undecodableLast: { cookie: `payload-token=${raw('host')}; payload-token=%E0%A4` },
        bareNameLast: { cookie: `payload-token=${raw('host')}; payload-token` },
        spacedValue: { cookie: `payload-token= ${raw('buyer@a.test')}` },
        otherCookies: { cookie: `theme=dark; payload-token=${raw('cohost@a.test')}=; lang=en` },
      }
      const streams = {
        ticketed: ticketed.streamId,
        public: publicStream.streamId,
        scheduled: scheduledStreamId,
        ended: endedStreamId,
        unknown: 987654,
        malformed: 'not-an-id',
      }
      const bodies: Record<string, string> = {
        empty: '',
        none: '{}',
        // A bare guest id (as seen in the room) proves nothing: both mint a fresh identity.
        guestId: `{"guestId":"${kept.identity.slice('guest-'.length)}"}`,
        guest: JSON.stringify({ guestCredential: kept.guestCredential }),
        badGuest: '{"guestCredential":"../x"}',
        forgedGuest: JSON.stringify({
          guestCredential: kept.guestCredential.replace(/\.[^.]{4}/, '.AAAA'),
        }),
        badJson: '{"guestId":',
      }
      const ask = (
        base: string,
        stream: number | string,
        headers: Record<string, string>,
        body: string,
      ) =>
        fetch(`${base}/api/live-streams/${stream}/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body,
        }).then(async (r) => ({ status: r.status, json: (await r.json()) as Record<string, any> }))

      const seen = new Set<string>()
      for (const [who, headers] of Object.entries(headersOf)) {
        for (const [streamName, stream] of Object.entries(streams)) {
          for (const [bodyName, body] of Object.entries(bodies)) {
            if (bodyName !== 'none' && !(who === 'anonymous' || who === 'listed')) {
              continue
            }
            const [route, payloadAnswer] = await Promise.all([
              ask(server.url, stream, headers, body),
              ask(viaPayload.url, stream, headers, body),
            ])
            expect(essence(route), `${who} on ${streamName} with ${bodyName}`).toEqual(
              essence(payloadAnswer),
            )
            seen.add(route.json.role ?? route.json.error?.code)
          }
        }
      }
      // A broken escape in the path: the route says no such stream (Payload's own REST handler
      // answers this one with a 500 before any endpoint runs, so it is not compared).
      expect(await ask(server.url, '%E0%A4', headersOf.listed, '')).toMatchObject({
        status: 404,
        json: { error: { code: 'not_found' } },
      })
      // The route really answered itself where the fast path exists (PostgreSQL); on any other
      // database it hands every request to Payload, and the answers above are Payload's own.
      const fast = hotPathsOf(site.payload) === 'postgres'
      expect(tokenFactsSupported(site.payload)).toBe(fast)
      if (fast) {
        // Who the route takes the caller for: the token's claims, then the user row its statement read.
        const routeCaller = async (headers: Record<string, string>) => {
          const claims = sessionClaims(site.payload, new Headers(headers))
          if (claims.kind !== 'claims') {
            return claims
          }
          const identity = `user-${claims.userId}`
          const found = await readTokenFacts(
            site.payload,
            pluginOptionsOf(site.payload),
            ticketed.streamId,
            { userId: claims.userId, identity, session: claims },
          )
          const user = userFromRow(claims, found?.userRow)
          return user ? { kind: 'user', user } : { kind: 'anonymous' }
        }
        expect(await routeCaller(headersOf.cookie)).toMatchObject({
          kind: 'user',
          user: { email: 'buyer@a.test', collection: 'users' },
        })
        expect(await routeCaller(headersOf.loggedOut)).toEqual({ kind: 'anonymous' })
        expect(await routeCaller(headersOf.apiKeyScheme)).toMatchObject({ kind: 'unsupported' })
        expect(JSON.stringify(await routeCaller(headersOf.host))).not.toMatch(
          /"(hash|salt|resetPasswordToken)"/,
        )
      }
      // The matrix covered every role and every refusal the decision knows.
      expect([...seen].sort()).toEqual(
        [
          'admin',
          'attendee',
          'co-host',
          'guest',
          'host',
          'invalid_guest_credential',
          'invalid_json',
          'login_required',
          'not_found',
          'other_tenant',
          'removed',
          'stream_ended',
          'stream_not_open',
          'ticket_required',
        ].sort(),
      )
    } finally {
      await viaPayload.close()
    }
  })
})

describe('the token route hands over, or judges as Payload, users collections that behave differently', () => {
  /** What must agree between the route and Payload: status, refusal, role, name, identity. */
  const answerOf = async (
    base: string,
    stream: number | string,
    headers: Record<string, string>,
  ) => {
    const r = await fetch(`${base}/api/live-streams/${stream}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: '{}',
    })
    const json = (await r.json()) as Record<string, any>
    const identity =
      typeof json.identity === 'string' && json.identity.startsWith('guest-')
        ? 'guest-(random)'
        : json.identity
    return {
      status: r.status,
      code: json.error?.code,
      role: json.role,
      name: json.name,
      identity,
      grants: json.token ? claims(json.token).video : undefined,
    }
  }

  /** A site whose users collection is changed by `users`, with a host, a listed attendee and an admin. */
  async function siteWith(users: (collection: CollectionConfig) => CollectionConfig) {
    const other = await startTestSite(
      { plugin: { lifecycle: { autoRun: false, reconcileCron: false } } },
      (config) => ({
        ...config,
        collections: config.collections!.map((c) => (c.slug === 'users' ? users(c) : c)),
      }),
    )
    const routed = await serveSite(other)
    const plain = await serveSite(other, 0, '127.0.0.1', { routes: false })
    const world = await createAppointmentWorld(other.payload, {
      startsAt: inMinutes(5),
      endsAt: inMinutes(60),
      status: 'in-progress',
    })
    const make = (email: string, role: string) =>
      other.payload.create({
        collection: 'users',
        data: {
          email,
          password: 'pw-123456',
          role,
          tenant: role === 'admin' ? null : world.tenant.id,
          name: email.split('@')[0],
        } as never,
      })
    const viewer = await make('viewer@staff.test', 'attendee')
    await make('admin@x.test', 'admin')
    await other.payload.update({
      collection: 'appointments',
      id: world.appointment.id,
      data: { attendees: [viewer.id] } as never,
    })
    const streamId = (await liveStreamOf(other.payload, world.appointment.id))[0].id
    const headers: Record<string, Record<string, string>> = { anonymous: {} }
    for (const [who, email] of [
      ['host', String(world.host.email)],
      ['viewer', 'viewer@staff.test'],
      ['admin', 'admin@x.test'],
    ]) {
      const jwt = await login(routed, email, 'pw-123456')
      headers[who] = { authorization: jwt }
      headers[`${who}Cookie`] = { cookie: `payload-token=${jwt.replace(/^JWT /, '')}` }
    }
    const compare = async (label: string) => {
      for (const [who, h] of Object.entries(headers)) {
        const [route, payload] = await Promise.all([
          answerOf(routed.url, streamId, h),
          answerOf(plain.url, streamId, h),
        ])
        expect(route, `${label}: ${who}`).toEqual(payload)
      }
    }
    return {
      site: other,
      routedUrl: routed.url,
      viewer,
      streamId,
      headers,
      compare,
      close: async () => {
        await routed.close()
        await plain.close()
        await other.close()
      },
    }
  }

  it('a user moved to the trash gets no token as itself, in the route as in Payload', async () => {
    const trash = await siteWith((users) => ({ ...users, trash: true }))
    try {
      await trash.compare('before')
      // The route still judges this collection itself (it is not handed to Payload) where the
      // fast path exists.
      expect(sessionClaims(trash.site.payload, new Headers(trash.headers.viewer)).kind).toBe(
        hotPathsOf(trash.site.payload) === 'postgres' ? 'claims' : 'unsupported',
      )
      await trash.site.payload.update({
        collection: 'users',
        id: trash.viewer.id,
        data: { deletedAt: new Date().toISOString() } as never,
      })
      await trash.compare('after the viewer went to the trash')
      expect(await answerOf(trash.routedUrl, trash.streamId, trash.headers.viewer)).toMatchObject({
        status: 401,
        code: 'login_required',
      })
    } finally {
      await trash.close()
    }
  })

  it('a users collection whose read hooks change the user is handed to Payload', async () => {
    // A site that makes its staff admins when the user is read (a field hook), and one that
    // renames everyone as it is read (a collection hook): only Payload runs those.
    const staffAdmins = await siteWith((users) => ({
      ...users,
      fields: users.fields.map((f): CollectionConfig['fields'][number] =>
        'name' in f && f.name === 'role'
          ? ({
              ...f,
              hooks: {
                afterRead: [
                  ({
                    value,
                    siblingData,
                  }: {
                    value?: unknown
                    siblingData: Record<string, unknown>
                  }) => (String(siblingData.email).endsWith('@staff.test') ? 'admin' : value),
                ],
              },
            } as typeof f)
          : f,
      ),
    }))
    const renamed = await siteWith((users) => ({
      ...users,
      hooks: {
        ...users.hooks,
        afterRead: [
          ({ doc }: { doc: Record<string, unknown> }) => ({
            ...doc,
            name: `Member ${String(doc.name)}`,
          }),
        ],
      },
    }))
    try {
      for (const other of [staffAdmins, renamed]) {
        await other.compare('read hooks')
        expect(sessionClaims(other.site.payload, new Headers(other.headers.viewer)).kind).toBe(
          'unsupported',
        )
      }
      // What Payload makes of the hooks is what the caller gets through the route.
      expect(
        await answerOf(staffAdmins.routedUrl, staffAdmins.streamId, staffAdmins.headers.viewer),
      ).toMatchObject({ status: 200, role: 'admin' })
      expect(
        await answerOf(renamed.routedUrl, renamed.streamId, renamed.headers.viewer),
      ).toMatchObject({ status: 200, role: 'attendee', name: 'Member viewer' })
    } finally {
      await staffAdmins.close()
      await renamed.close()
    }
  })
})
