import type { Payload } from 'payload'

import { dispose } from '@livekit/rtc-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { closeStream, openStream } from '../../src/lifecycle/operations/streamLifecycle.js'
import { reconcile } from '../../src/lifecycle/reconcile.js'
import { createAppointmentWorld, liveStreamOf } from '../helpers/fixtures.js'
import { runJobsUntil } from '../helpers/jobs.js'
import { joinRoom, PrivateLivekitServer, testLivekit } from '../helpers/livekit.js'
import { startTestSite, type TestSite } from '../helpers/testSite.js'

const LEAD = 10
const GRACE = 15
const lifecycle = {
  leadMinutes: LEAD,
  graceMinutes: GRACE,
  autoRun: false as const,
  reconcileCron: false as const,
  retryMaxDelaySeconds: 1,
}
const livekit = testLivekit()
let site: TestSite
let second: TestSite

beforeAll(async () => {
  site = await startTestSite({ plugin: { lifecycle } })
  second = await startTestSite({ plugin: { lifecycle } }, undefined, site)
})
afterAll(async () => {
  await second?.close()
  await site?.close()
  await dispose()
})

const inMinutes = (m: number, s = 0) => new Date(Date.now() + m * 60_000 + s * 1000).toISOString()
const stream = async (payload: Payload, appointmentId: number | string) =>
  (await liveStreamOf(payload, appointmentId))[0]
const roomOf = async (name: string) => (await livekit.listRooms([name]))[0]
const transitions = async (payload: Payload, liveStream: number | string) =>
  (
    await payload.find({
      collection: 'live-stream-transitions',
      where: { liveStream: { equals: liveStream } },
      sort: 'createdAt',
      depth: 0,
      limit: 100,
    })
  ).docs.map((t) => `${t.from}->${t.to}`)

describe('opening on time', () => {
  it('opens the room at the lead time with the metadata and timeouts, not before', async () => {
    const { payload } = site
    const start = inMinutes(LEAD, 3)
    const { appointment, host, tenant } = await createAppointmentWorld(payload, {
      startsAt: start,
      endsAt: inMinutes(LEAD + 30, 3),
    })
    const s = await stream(payload, appointment.id)

    await payload.jobs.run({ queue: 'livekit', silent: true })
    expect((await stream(payload, appointment.id)).state).toBe('scheduled')
    expect(await roomOf(String(s.roomName))).toBeUndefined()

    await runJobsUntil(
      payload,
      async () => (await stream(payload, appointment.id)).state === 'live',
      15_000,
    )
    const room = await roomOf(String(s.roomName))
    expect(room?.metadata).toEqual({
      appointmentId: appointment.id,
      liveStreamId: s.id,
      tenantId: tenant.id,
      hostId: host.id,
      // The demo site sells products: nothing is pinned yet.
      shop: { spotlight: null, shelf: [] },
    })
    // LiveKit keeps the room at least until end + grace, whether or not anyone has joined.
    const untilClose = (new Date(start).getTime() + (30 + GRACE) * 60_000 - Date.now()) / 1000
    expect(room.emptyTimeoutSeconds).toBeGreaterThanOrEqual(untilClose - 5)
    expect(room.departureTimeoutSeconds).toBeGreaterThanOrEqual(untilClose - 5)
    expect((await stream(payload, appointment.id)).openedAt).toBeTruthy()
  })

  it("caps the room at the appointment's capacity", async () => {
    const { payload } = site
    const { appointment } = await createAppointmentWorld(payload, {
      startsAt: inMinutes(1),
      endsAt: inMinutes(60),
    })
    await payload.update({
      collection: 'live-streams',
      id: (await stream(payload, appointment.id)).id,
      data: { settings: { maxParticipants: 12 } },
    })
    await payload.update({
      collection: 'appointments',
      id: appointment.id,
      data: { status: 'in-progress' },
    })
    expect(
      (await roomOf(String((await stream(payload, appointment.id)).roomName)))?.maxParticipants,
    ).toBe(12)
  })
})

describe('deleting an appointment', () => {
  it('cancels its stream and closes the room; the stream, its tickets and removals stay as history', async () => {
    const { payload } = site
    const { appointment } = await createAppointmentWorld(payload, {
      startsAt: inMinutes(60),
      endsAt: inMinutes(120),
    })
    await payload.update({
      collection: 'appointments',
      id: appointment.id,
      data: { status: 'in-progress' },
    })
    const opened = await stream(payload, appointment.id)
    expect(await roomOf(String(opened.roomName))).toBeDefined()

    await payload.delete({ collection: 'appointments', id: appointment.id })

    expect(
      await payload.db.findOne({
        collection: 'appointments',
        where: { id: { equals: appointment.id } },
      }),
    ).toBeNull()
    const after = await payload.findByID({ collection: 'live-streams', id: opened.id, depth: 0 })
    expect(after.state).toBe('cancelled')
    expect(after.appointment ?? null).toBeNull()
    expect(await roomOf(String(opened.roomName))).toBeUndefined()
    expect(await transitions(payload, opened.id)).toContain('live->cancelled')
  })
})

describe('deleting a live stream', () => {
  it('an admin deletes a finished stream with its transitions, connections, attendance and recordings; tickets stay', async () => {
    const { payload } = site
    const { appointment } = await createAppointmentWorld(payload, {
      startsAt: inMinutes(60),
      endsAt: inMinutes(120),
    })
    await payload.update({
      collection: 'appointments',
      id: appointment.id,
      data: { status: 'in-progress' },
    })
    const opened = await stream(payload, appointment.id)
    await payload.create({
      collection: 'recordings',
      data: {
        liveStream: opened.id,
        egressId: 'EG_deleteme1',
        kind: 'recording',
        status: 'complete',
      } as never,
    })
    await payload.update({
      collection: 'appointments',
      id: appointment.id,
      data: { status: 'completed' },
    })
    expect(await transitions(payload, opened.id)).not.toHaveLength(0)

    await payload.create({
      collection: 'stream-removals',
      data: {
        liveStream: opened.id,
        identity: 'user-54321',
        removedAt: new Date().toISOString(),
      } as never,
      overrideAccess: true,
    })
    await payload.delete({ collection: 'live-streams', id: opened.id })

    expect(
      await payload.db.findOne({
        collection: 'live-streams',
        where: { id: { equals: opened.id } },
      }),
    ).toBeNull()
    for (const collection of [
      'live-stream-transitions',
      'recordings',
      'stream-sessions',
      'stream-attendance',
      'stream-removals',
    ] as const) {
      expect(
        (await payload.db.count({ collection, where: { liveStream: { equals: opened.id } } }))
          .totalDocs,
        collection,
      ).toBe(0)
    }
  })

  it('a stream whose room is open cannot be deleted: 409, close it first', async () => {
    const { payload } = site
    const { appointment } = await createAppointmentWorld(payload, {
      startsAt: inMinutes(60),
      endsAt: inMinutes(120),
    })
    await payload.update({
      collection: 'appointments',
      id: appointment.id,
      data: { status: 'in-progress' },
    })
    const opened = await stream(payload, appointment.id)
    await expect(
      payload.delete({ collection: 'live-streams', id: opened.id }),
    ).rejects.toMatchObject({ status: 409 })
    expect((await stream(payload, appointment.id)).state).toBe('live')
  })
})

describe('status changes', () => {
  it('in-progress opens at once; completed closes, deletes the room and freezes the figures', async () => {
    const { payload } = site
    const { appointment } = await createAppointmentWorld(payload, {
      startsAt: inMinutes(60),
      endsAt: inMinutes(120),
    })
    await payload.update({
      collection: 'appointments',
      id: appointment.id,
      data: { status: 'in-progress' },
    })
    const opened = await stream(payload, appointment.id)
    expect(opened.state).toBe('live')
    expect(await roomOf(String(opened.roomName))).toBeDefined()

    const viewer = await joinRoom(String(opened.roomName), 'viewer-1')
    await new Promise((r) => setTimeout(r, 1200))
    await payload.update({
      collection: 'appointments',
      id: appointment.id,
      data: { status: 'completed' },
    })
    await viewer.disconnect()

    const closed = await stream(payload, appointment.id)
    expect(closed.state).toBe('ended')
    expect(await roomOf(String(opened.roomName))).toBeUndefined()
    expect(closed.totalParticipants).toBe(1)
    expect(closed.actualStart).toBeTruthy()
    expect(closed.durationSeconds).toBeGreaterThanOrEqual(1)
    const read = await payload.findByID({
      collection: 'appointments',
      id: appointment.id,
      depth: 0,
    })
    expect((read as unknown as { liveStats: Record<string, unknown> }).liveStats).toMatchObject({
      totalParticipants: 1,
      durationSeconds: closed.durationSeconds,
      actualStart: closed.actualStart,
    })

    // Closing again changes nothing.
    const before = await transitions(payload, closed.id)
    expect(await closeStream({ payload, liveStreamId: closed.id, reason: 'test' })).toMatchObject({
      outcome: 'unchanged',
    })
    expect(await transitions(payload, closed.id)).toEqual(before)
    expect(before).toEqual(['scheduled->opening', 'opening->live', 'live->ending', 'ending->ended'])
  })

  it('cancelling while open closes the room and marks the stream cancelled', async () => {
    const { payload } = site
    const { appointment } = await createAppointmentWorld(payload, {
      startsAt: inMinutes(5),
      endsAt: inMinutes(50),
    })
    await payload.update({
      collection: 'appointments',
      id: appointment.id,
      data: { status: 'in-progress' },
    })
    const s = await stream(payload, appointment.id)
    expect(await roomOf(String(s.roomName))).toBeDefined()
    await payload.update({
      collection: 'appointments',
      id: appointment.id,
      data: { status: 'cancelled' },
    })
    expect((await stream(payload, appointment.id)).state).toBe('cancelled')
    expect(await roomOf(String(s.roomName))).toBeUndefined()
    // Its clock jobs find nothing to do any more.
    await payload.jobs.run({ queue: 'livekit', silent: true })
    expect(await roomOf(String(s.roomName))).toBeUndefined()
  })
})

describe('rescheduling', () => {
  it('moves the queued jobs and keeps the live stream and room name', async () => {
    const { payload } = site
    const { appointment } = await createAppointmentWorld(payload, {
      startsAt: inMinutes(120),
      endsAt: inMinutes(180),
    })
    const before = await stream(payload, appointment.id)
    const newStart = inMinutes(300)
    const newEnd = inMinutes(360)
    await payload.update({
      collection: 'appointments',
      id: appointment.id,
      data: { startsAt: newStart, endsAt: newEnd },
    })
    const after = await stream(payload, appointment.id)
    expect(after).toMatchObject({
      id: before.id,
      roomName: before.roomName,
      openJobId: before.openJobId,
      closeJobId: before.closeJobId,
    })
    const openJob = await payload.findByID({
      collection: 'payload-jobs',
      id: String(after.openJobId),
    })
    const closeJob = await payload.findByID({
      collection: 'payload-jobs',
      id: String(after.closeJobId),
    })
    expect(new Date(openJob.waitUntil as string).getTime()).toBe(
      new Date(newStart).getTime() - LEAD * 60_000,
    )
    expect(new Date(closeJob.waitUntil as string).getTime()).toBe(
      new Date(newEnd).getTime() + GRACE * 60_000,
    )
  })

  it('a job left over from the old time does not open the room early', async () => {
    const { payload } = site
    const { appointment } = await createAppointmentWorld(payload, {
      startsAt: inMinutes(300),
      endsAt: inMinutes(330),
    })
    const s = await stream(payload, appointment.id)
    await payload.jobs.queue({
      task: 'livekitOpenStream',
      input: { liveStreamId: String(s.id), reason: 'clock' },
      queue: 'livekit',
    })
    await payload.jobs.run({ queue: 'livekit', silent: true })
    expect((await stream(payload, appointment.id)).state).toBe('scheduled')
    expect(await roomOf(String(s.roomName))).toBeUndefined()
  })
})

describe('reconcile', () => {
  it('recreates a room deleted behind the plugin, and deletes an orphan room with its naming', async () => {
    const { payload } = site
    const { appointment } = await createAppointmentWorld(payload, {
      startsAt: inMinutes(2),
      endsAt: inMinutes(40),
    })
    await payload.update({
      collection: 'appointments',
      id: appointment.id,
      data: { status: 'in-progress' },
    })
    const s = await stream(payload, appointment.id)
    await livekit.closeRoom(String(s.roomName))
    const orphan = `${site.roomPrefix}-999999-deadbeef`
    const otherSite = `appointments-999999-deadbeef`
    await livekit.openRoom({
      name: orphan,
      emptyTimeoutSeconds: 600,
      departureTimeoutSeconds: 60,
      maxParticipants: 0,
      metadata: {},
    })
    const unrelated = `someone-elses-room-${Date.now()}`
    for (const name of [unrelated, otherSite]) {
      await livekit.openRoom({
        name,
        emptyTimeoutSeconds: 600,
        departureTimeoutSeconds: 60,
        maxParticipants: 0,
        metadata: { liveStreamId: 1 },
      })
    }

    const report = await reconcile({ payload })
    expect(report.opened).toContain(s.roomName)
    expect(report.deletedRooms).toContain(orphan)
    expect(report.deletedRooms).not.toContain(unrelated)
    expect(report.deletedRooms).not.toContain(otherSite)
    expect(await roomOf(String(s.roomName))).toBeDefined()
    expect(await roomOf(orphan)).toBeUndefined()
    expect(await roomOf(unrelated)).toBeDefined()
    expect(await roomOf(otherSite)).toBeDefined()
    await livekit.closeRoom(unrelated)
    await livekit.closeRoom(otherSite)
  })
})

describe('two Payload instances on one database', () => {
  it('run the same due job at once: one room, one transition each way', async () => {
    const { appointment } = await createAppointmentWorld(site.payload, {
      startsAt: inMinutes(LEAD, -2),
      endsAt: inMinutes(LEAD + 30),
    })
    const s = await stream(site.payload, appointment.id)
    // Payload's runner itself may trip when both claim one job (the first deletes it on completion
    // and the second fails to update it); that is the runner's race, not the plugin's handlers.
    await Promise.allSettled([
      site.payload.jobs.run({ queue: 'livekit', silent: true }),
      second.payload.jobs.run({ queue: 'livekit', silent: true }),
    ])
    // And the same operation straight from both, as two workers holding one job would.
    await Promise.all([
      openStream({ payload: site.payload, liveStreamId: s.id, reason: 'race A' }),
      openStream({ payload: second.payload, liveStreamId: s.id, reason: 'race B' }),
    ])
    expect((await livekit.listRooms()).filter((r) => r.name === s.roomName)).toHaveLength(1)
    expect(await transitions(site.payload, s.id)).toEqual(['scheduled->opening', 'opening->live'])
  })

  it('close the same stream at once: ended once', async () => {
    const { appointment } = await createAppointmentWorld(site.payload, {
      startsAt: inMinutes(1),
      endsAt: inMinutes(30),
    })
    await site.payload.update({
      collection: 'appointments',
      id: appointment.id,
      data: { status: 'in-progress' },
    })
    const s = await stream(site.payload, appointment.id)
    await Promise.all([
      closeStream({ payload: site.payload, liveStreamId: s.id, reason: 'race A' }),
      closeStream({ payload: second.payload, liveStreamId: s.id, reason: 'race B' }),
    ])
    expect(await transitions(site.payload, s.id)).toEqual([
      'scheduled->opening',
      'opening->live',
      'live->ending',
      'ending->ended',
    ])
    expect(await roomOf(String(s.roomName))).toBeUndefined()
  })
})

describe('when LiveKit cannot be reached', () => {
  it('shows the error and attempts on the stream, then opens the room by itself once LiveKit is back', async () => {
    const server = new PrivateLivekitServer(7980)
    await server.start()
    const own = await startTestSite({ plugin: { lifecycle, livekit: { url: server.url } } })
    try {
      const { payload } = own
      const { appointment } = await createAppointmentWorld(payload, {
        startsAt: inMinutes(5),
        endsAt: inMinutes(45),
      })
      await server.stop()
      await payload.update({
        collection: 'appointments',
        id: appointment.id,
        data: { status: 'in-progress' },
      })
      let s = await stream(payload, appointment.id)
      expect(s.state).toBe('opening')
      expect(String(s.lastError)).toContain(`LiveKit at http://127.0.0.1:7980 could not be reached`)
      expect(s.attempts).toBeGreaterThanOrEqual(1)

      // Still down: the retries count up and keep the reason.
      await runJobsUntil(
        payload,
        async () => ((await stream(payload, appointment.id)).attempts as number) >= 2,
        10_000,
      )

      await server.start()
      await runJobsUntil(
        payload,
        async () => (await stream(payload, appointment.id)).state === 'live',
        15_000,
      )
      s = await stream(payload, appointment.id)
      expect(s).toMatchObject({ lastError: null, attempts: 0 })
      expect(await testLivekit(server.url).listRooms([String(s.roomName)])).toHaveLength(1)
    } finally {
      await own.close()
      await server.stop()
    }
  })
})
