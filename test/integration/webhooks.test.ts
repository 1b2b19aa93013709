import type { Payload } from 'payload'

import { dispose, RoomEvent } from '@livekit/rtc-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { settleAudience } from '../../src/audience/audienceCounts.js'
import { reconcile } from '../../src/lifecycle/reconcile.js'
import { drainRoom } from '../../src/webhooks/drainRoom.js'
import { BATCH_LIMIT, storeEvent } from '../../src/webhooks/inbox.js'
import { makeEventStream } from '../helpers/eventStream.js'
import { createAppointmentWorld, liveStreamOf } from '../helpers/fixtures.js'
import { login, serveSite, type SiteServer } from '../helpers/httpServer.js'
import { testLivekit } from '../helpers/livekit.js'
import { connect, publishSyntheticCamera, waitFor } from '../helpers/media.js'
import { startTestSite, type TestSite } from '../helpers/testSite.js'
import { deliver, livekitEvent, signWebhook, webhooksApplied } from '../helpers/webhooks.js'

// livekit.yaml delivers webhooks to 127.0.0.1:3000: this file's site listens there.
let site: TestSite
let second: TestSite
let server: SiteServer
let secondServer: SiteServer
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString()

beforeAll(async () => {
  site = await startTestSite({ plugin: { lifecycle: { autoRun: false, reconcileCron: false } } })
  server = await serveSite(site, 3000)
  second = await startTestSite(
    { plugin: { lifecycle: { autoRun: false, reconcileCron: false } } },
    undefined,
    site,
  )
  secondServer = await serveSite(second)
}, 120_000)
afterAll(async () => {
  await secondServer?.close()
  await server?.close()
  await second?.close()
  await site?.close()
  await dispose()
})

const streamDoc = async (payload: Payload, id: number | string) =>
  payload.findByID({ collection: 'live-streams', id, depth: 0 })

async function liveStream(overrides: Record<string, unknown> = {}) {
  const world = await createAppointmentWorld(site.payload, {
    startsAt: inMinutes(5),
    endsAt: inMinutes(60),
    ...overrides,
  })
  await site.payload.update({
    collection: 'appointments',
    id: world.appointment.id,
    data: { status: 'in-progress' },
  })
  const [s] = await liveStreamOf(site.payload, world.appointment.id)
  return { ...world, stream: s }
}

async function tokenFor(streamId: number | string, email: string) {
  const authorization = await login(server, email, 'pw-123456')
  const response = await fetch(`${server.url}/api/live-streams/${streamId}/token`, {
    method: 'POST',
    headers: { authorization },
  })
  return (await response.json()) as { token: string; serverUrl: string; identity: string }
}

async function attendee(tenant: unknown, email: string) {
  return site.payload.create({
    collection: 'users',
    data: {
      email,
      password: 'pw-123456',
      role: 'attendee',
      tenant,
      name: email.split('@')[0],
    } as never,
  })
}

const joinedEvent = (room: string, identity: string, role = 'attendee') =>
  livekitEvent('participant_joined', {
    room: { name: room },
    participant: {
      identity,
      name: identity,
      joinedAt: String(Math.floor(Date.now() / 1000)),
      attributes: { role },
      kind: 'STANDARD',
    },
  })

describe('verification', () => {
  it('refuses a forged signature, an altered body and an expired token with 401, storing nothing', async () => {
    const event = livekitEvent('room_started', { room: { name: 'whatever' } })
    const body = JSON.stringify(event)
    expect(
      await deliver(
        server.url,
        body,
        await signWebhook(body, { secret: 'not-the-secret-not-the-secret-00' }),
      ),
    ).toMatchObject({ status: 401, json: { error: { code: 'invalid_signature' } } })
    expect(
      await deliver(server.url, body.replace('whatever', 'altered!'), await signWebhook(body)),
    ).toMatchObject({ status: 401 })
    expect(
      await deliver(server.url, body, await signWebhook(body, { expiresInSeconds: -60 })),
    ).toMatchObject({ status: 401 })
    expect(
      (await fetch(`${server.url}/api/livekit/webhook`, { method: 'POST', body })).status,
    ).toBe(401)
    // (Real events from other rooms keep arriving on this port, so count this event's id only.)
    expect(
      await site.payload.count({
        collection: 'livekit-webhook-events',
        where: { eventId: { equals: event.id as string } },
      }),
    ).toMatchObject({ totalDocs: 0 })
  })

  it('stores an event once: a repeated delivery is acknowledged and changes nothing', async () => {
    const { stream } = await liveStream()
    const event = joinedEvent(String(stream.roomName), 'guest-duplicate-1', 'guest')
    expect(await deliver(server.url, event)).toMatchObject({
      status: 200,
      json: { received: true },
    })
    expect(await deliver(server.url, event)).toMatchObject({
      status: 200,
      json: { duplicate: true },
    })
    expect(await deliver(secondServer.url, event)).toMatchObject({
      status: 200,
      json: { duplicate: true },
    })
    await webhooksApplied(site.payload)
    expect(await streamDoc(site.payload, stream.id)).toMatchObject({
      currentViewers: 1,
      uniqueViewers: 1,
    })
  })
})

describe('events delivered by the real livekit-server', () => {
  it('turn joins, leaves and reconnects into viewers, attendance and watch time; host camera into state', async () => {
    const { stream, tenant, host, appointment } = await liveStream()
    const viewerUser = await attendee(tenant.id, `viewer-${Date.now()}@a.test`)
    await site.payload.update({
      collection: 'appointments',
      id: appointment.id,
      data: { attendees: [viewerUser.id] } as never,
    })
    const hostToken = await tokenFor(stream.id, String(host.email))
    const viewerToken = await tokenFor(stream.id, String(viewerUser.email))

    const hostRoom = await connect(hostToken.serverUrl, hostToken.token)
    const camera = await publishSyntheticCamera(hostRoom)
    let viewerRoom = await connect(viewerToken.serverUrl, viewerToken.token)
    await waitFor(
      async () => {
        const s = await streamDoc(site.payload, stream.id)
        return s.currentViewers === 1 && s.hostPresent === true && s.hostOnCamera === true
      },
      30_000,
      'join and camera events',
    )
    expect(await streamDoc(site.payload, stream.id)).toMatchObject({
      uniqueViewers: 1,
      peakViewers: 1,
      totalParticipants: 2,
    })
    expect((await streamDoc(site.payload, stream.id)).actualStart).toBeTruthy()

    // LiveKit stamps a leave to the second: sessions of 3 s and 2 s count at least 2 s and 1 s.
    await new Promise((r) => setTimeout(r, 3000))
    await viewerRoom.disconnect()
    await waitFor(
      async () => (await streamDoc(site.payload, stream.id)).currentViewers === 0,
      15_000,
      'the leave event',
    )
    viewerRoom = await connect(viewerToken.serverUrl, viewerToken.token)
    await new Promise((r) => setTimeout(r, 2000))
    await viewerRoom.disconnect()
    await waitFor(
      async () => {
        const rows = await site.payload.find({
          collection: 'stream-attendance',
          where: {
            and: [
              { liveStream: { equals: stream.id } },
              { identity: { equals: viewerToken.identity } },
            ],
          },
        })
        const closed = await site.payload.count({
          collection: 'stream-sessions',
          where: {
            and: [
              { liveStream: { equals: stream.id } },
              { identity: { equals: viewerToken.identity } },
              { leftAt: { exists: true } },
            ],
          },
        })
        return (
          closed.totalDocs === 2 &&
          rows.docs[0]?.sessions === 2 &&
          (rows.docs[0]?.watchSeconds as number) >= 3
        )
      },
      30_000,
      'attendance across two sessions',
    )
    // The stream's figures are written right after the attendance row: wait for them as well.
    await waitFor(
      async () => (await streamDoc(site.payload, stream.id)).currentViewers === 0,
      15_000,
      'the second leave',
    )
    const s = await streamDoc(site.payload, stream.id)
    expect(s).toMatchObject({ currentViewers: 0, uniqueViewers: 1, peakViewers: 1 })

    camera.stop()
    await hostRoom.disconnect()
    await waitFor(
      async () => (await streamDoc(site.payload, stream.id)).hostPresent === false,
      15_000,
      'host leave',
    )
  })

  it('sends a removed participant away again when it rejoins with its old token', async () => {
    const { stream, tenant, host, appointment } = await liveStream()
    const viewerUser = await attendee(tenant.id, `kicked-${Date.now()}@a.test`)
    await site.payload.update({
      collection: 'appointments',
      id: appointment.id,
      data: { attendees: [viewerUser.id] } as never,
    })
    const viewerToken = await tokenFor(stream.id, String(viewerUser.email))
    const first = await connect(viewerToken.serverUrl, viewerToken.token)
    const hostAuth = await login(server, String(host.email), 'pw-123456')
    const removal = await fetch(
      `${server.url}/api/live-streams/${stream.id}/participants/${viewerToken.identity}/remove`,
      { method: 'POST', headers: { authorization: hostAuth } },
    )
    expect(removal.status).toBe(200)
    await first.disconnect().catch(() => undefined)

    const again = await connect(viewerToken.serverUrl, viewerToken.token).catch(() => null)
    if (again) {
      // This server version accepted the old token; the participant_joined webhook removes it.
      let gone = false
      again.on(RoomEvent.Disconnected, () => void (gone = true))
      await waitFor(() => gone, 15_000, 'the rejoined participant to be removed')
    }
    await waitFor(
      async () =>
        !(await testLivekit().listParticipants(String(stream.roomName))).some(
          (p) => p.identity === viewerToken.identity,
        ),
      10_000,
      'the participant to be gone',
    )
  })

  it('reopens a room LiveKit closed while the appointment still runs', async () => {
    const { stream } = await liveStream()
    await testLivekit().closeRoom(String(stream.roomName))
    await waitFor(
      async () => (await testLivekit().listRooms([String(stream.roomName)])).length === 1,
      15_000,
      'the room to be reopened',
    )
    expect((await streamDoc(site.payload, stream.id)).state).toBe('live')
  })
})

describe('egress reports', () => {
  it('land in any order, also after the room has finished, and never move a recording backwards', async () => {
    const { stream, appointment } = await liveStream()
    await site.payload.update({
      collection: 'appointments',
      id: appointment.id,
      data: { status: 'completed' },
    })
    expect((await streamDoc(site.payload, stream.id)).state).toBe('ended')
    const egressId = `EG_test_${Date.now()}`
    const ns = (ms: number) => String(BigInt(ms) * 1_000_000n)
    const started = Date.now() - 65_000
    const info = (status: string, extra: Record<string, unknown> = {}) => ({
      egressId,
      roomName: stream.roomName,
      status,
      startedAt: ns(started),
      roomComposite: { roomName: stream.roomName, layout: 'speaker' },
      ...extra,
    })
    const ended = livekitEvent('egress_ended', {
      egressInfo: info('EGRESS_COMPLETE', {
        endedAt: ns(started + 61_000),
        fileResults: [
          {
            filename: 'r.mp4',
            location: `s3://bucket/recordings/${stream.roomName}/r.mp4`,
            size: '7340032',
            duration: ns(61_000),
          },
        ],
      }),
    })
    const lateUpdate = livekitEvent('egress_updated', { egressInfo: info('EGRESS_ACTIVE') })
    expect((await deliver(server.url, ended)).status).toBe(200)
    expect((await deliver(secondServer.url, lateUpdate)).status).toBe(200)
    await webhooksApplied(site.payload)
    const recording = (
      await site.payload.find({
        collection: 'recordings',
        where: { egressId: { equals: egressId } },
      })
    ).docs[0]
    expect(recording).toMatchObject({
      status: 'complete',
      kind: 'recording',
      durationSeconds: 61,
      sizeBytes: 7340032,
      fileLocation: `s3://bucket/recordings/${stream.roomName}/r.mp4`,
    })
  })
})

describe('several instances on one database', () => {
  it('count exactly when events and their duplicates arrive at both at once', async () => {
    const { stream } = await liveStream()
    const events = Array.from({ length: 40 }, (_, i) =>
      joinedEvent(String(stream.roomName), `guest-crowd-${i}`, 'guest'),
    )
    await Promise.all(
      events.flatMap((event, i) => [
        deliver(i % 2 ? server.url : secondServer.url, event),
        deliver(i % 2 ? secondServer.url : server.url, event),
      ]),
    )
    await webhooksApplied(site.payload)
    expect(await streamDoc(site.payload, stream.id)).toMatchObject({
      currentViewers: 40,
      uniqueViewers: 40,
      peakViewers: 40,
      totalParticipants: 40,
    })
    const rows = await site.payload.count({
      collection: 'stream-attendance',
      where: { liveStream: { equals: stream.id } },
    })
    expect(rows.totalDocs).toBe(40)
  })

  it('apply a backlog longer than a batch to its end when both drain the room at once', async () => {
    const { stream } = await liveStream()
    const room = String(stream.roomName)
    // Stored without being applied (what a burst leaves behind), half through each instance.
    const guests = 2 * BATCH_LIMIT + 200
    const stored = Array.from({ length: guests }, (_, i) => {
      const event = joinedEvent(room, `guest-backlog-${i}`, 'guest')
      return {
        eventId: String(event.id),
        event: String(event.event),
        roomName: room,
        occurredAt: new Date().toISOString(),
        body: JSON.stringify(event),
      }
    })
    for (let at = 0; at < stored.length; at += BATCH_LIMIT) {
      await Promise.all(
        stored
          .slice(at, at + BATCH_LIMIT)
          .map((event, i) => storeEvent(i % 2 ? site.payload : second.payload, event)),
      )
    }
    // Both claim at once: each may win only part of the batch it looked at, and neither may take
    // that for the end of the backlog.
    await Promise.all([drainRoom(site.payload, room), drainRoom(second.payload, room)])
    expect(
      (
        await site.payload.count({
          collection: 'livekit-webhook-events',
          where: { and: [{ roomName: { equals: room } }, { appliedAt: { exists: false } }] },
        })
      ).totalDocs,
    ).toBe(0)
    await settleAudience(site.payload, stream.id)
    expect(await streamDoc(site.payload, stream.id)).toMatchObject({
      currentViewers: guests,
      uniqueViewers: guests,
    })
  }, 120_000)
})

describe('delivery order', () => {
  it('a shuffled, duplicated event stream ends in the same state as in-order delivery', async () => {
    const a = await liveStream()
    const b = await liveStream()
    const inOrder = makeEventStream(String(a.stream.roomName), 25, 7)
    const shuffled = makeEventStream(String(b.stream.roomName), 25, 7)
    for (const event of inOrder.events) {
      expect((await deliver(server.url, event)).status).toBe(200)
    }
    const mixed = shuffled.shuffle()
    const withDuplicates = [...mixed, ...mixed.filter((_, i) => i % 3 === 0)]
    for (let i = 0; i < withDuplicates.length; i += 8) {
      await Promise.all(
        withDuplicates
          .slice(i, i + 8)
          .map((event, j) => deliver(j % 2 ? server.url : secondServer.url, event)),
      )
    }
    await webhooksApplied(site.payload)
    await settleAudience(site.payload, a.stream.id)
    await settleAudience(site.payload, b.stream.id)
    const figures = async (id: number | string) => {
      const s = await streamDoc(site.payload, id)
      return {
        currentViewers: s.currentViewers,
        uniqueViewers: s.uniqueViewers,
        peakViewers: s.peakViewers,
        totalParticipants: s.totalParticipants,
        actualStart: s.actualStart,
      }
    }
    const attendance = async (id: number | string) =>
      (
        await site.payload.find({
          collection: 'stream-attendance',
          where: { liveStream: { equals: id } },
          limit: 100,
          sort: 'identity',
        })
      ).docs.map((r) => ({
        identity: r.identity,
        sessions: r.sessions,
        watchSeconds: r.watchSeconds,
        firstJoinedAt: r.firstJoinedAt,
        lastLeftAt: r.lastLeftAt,
      }))
    expect(await figures(b.stream.id)).toEqual(await figures(a.stream.id))
    expect(await attendance(b.stream.id)).toEqual(await attendance(a.stream.id))
    expect(await figures(a.stream.id)).toMatchObject(inOrder.expected)
  }, 120_000)
})

describe('no-shows', () => {
  it('flag the host and the ticket holders who never joined when the appointment ends', async () => {
    const { stream, tenant, appointment, host } = await liveStream()
    const came = await attendee(tenant.id, `came-${Date.now()}@a.test`)
    const absent = await attendee(tenant.id, `absent-${Date.now()}@a.test`)
    await site.payload.update({
      collection: 'appointments',
      id: appointment.id,
      data: { attendees: [came.id, absent.id] } as never,
    })
    const token = await tokenFor(stream.id, String(came.email))
    const room = await connect(token.serverUrl, token.token)
    await waitFor(
      async () => (await streamDoc(site.payload, stream.id)).currentViewers === 1,
      15_000,
      'the join',
    )
    await site.payload.update({
      collection: 'appointments',
      id: appointment.id,
      data: { status: 'completed' },
    })
    await room.disconnect().catch(() => undefined)

    const rows = await site.payload.find({
      collection: 'stream-attendance',
      where: { liveStream: { equals: stream.id } },
      limit: 10,
    })
    const byIdentity = Object.fromEntries(rows.docs.map((r) => [r.identity, r.noShow]))
    expect(byIdentity).toMatchObject({
      [`user-${came.id}`]: false,
      [`user-${absent.id}`]: true,
      [`user-${host.id}`]: true,
    })
    const read = await site.payload.findByID({
      collection: 'appointments',
      id: appointment.id,
      depth: 0,
    })
    expect((read as any).liveStats).toMatchObject({ hostNoShow: true, noShows: 1 })
  })
})

describe('events an instance stored but never applied', () => {
  it('are applied by the reconcile sweep once their claim lapses, and not while another instance holds them', async () => {
    const { stream } = await liveStream()
    const room = String(stream.roomName)
    // LiveKit's own room_started for this room first, so no delivery drains the room meanwhile.
    await waitFor(
      async () =>
        (
          await site.payload.count({
            collection: 'livekit-webhook-events',
            where: {
              and: [
                { roomName: { equals: room } },
                { event: { equals: 'room_started' } },
                { appliedAt: { exists: true } },
              ],
            },
          })
        ).totalDocs === 1,
      15_000,
      'room_started',
    )
    // What an instance that stopped mid-batch leaves behind: stored, claimed, never applied.
    const store = (event: Record<string, unknown>, claimedUntil: string) =>
      site.payload.create({
        collection: 'livekit-webhook-events',
        data: {
          eventId: event.id,
          event: event.event,
          roomName: room,
          occurredAt: new Date().toISOString(),
          body: event,
          claimedUntil,
        } as never,
      })
    const lapsed = await store(
      joinedEvent(room, 'guest-swept-1', 'guest'),
      new Date(Date.now() - 1000).toISOString(),
    )
    const held = await store(
      joinedEvent(room, 'guest-swept-2', 'guest'),
      new Date(Date.now() + 60_000).toISOString(),
    )

    const first = await reconcile({ payload: site.payload })
    expect(first.drainedRooms).toContain(room)
    expect(
      await site.payload.findByID({ collection: 'livekit-webhook-events', id: lapsed.id }),
    ).toMatchObject({ appliedAt: expect.any(String) })
    expect(
      (await site.payload.findByID({ collection: 'livekit-webhook-events', id: held.id }))
        .appliedAt ?? null,
    ).toBeNull()
    // (Reconcile then takes the current viewers from LiveKit, where these made-up guests never were.)
    const attendance = async () =>
      (
        await site.payload.find({
          collection: 'stream-attendance',
          where: { liveStream: { equals: stream.id } },
          sort: 'identity',
        })
      ).docs.map((r) => r.identity)
    expect(await attendance()).toEqual(['guest-swept-1'])
    expect(await streamDoc(site.payload, stream.id)).toMatchObject({ uniqueViewers: 1 })

    // The holder is gone too: once its claim lapses, the next sweep applies the event.
    await site.payload.update({
      collection: 'livekit-webhook-events',
      id: held.id,
      data: { claimedUntil: new Date(Date.now() - 1000).toISOString() } as never,
    })
    expect((await reconcile({ payload: site.payload })).drainedRooms).toContain(room)
    expect(await attendance()).toEqual(['guest-swept-1', 'guest-swept-2'])
    expect(await streamDoc(site.payload, stream.id)).toMatchObject({ uniqueViewers: 2 })
  })
})
