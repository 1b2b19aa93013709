import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { Appointments } from '../../dev/collections/Appointments.js'
import { Tenants } from '../../dev/collections/Tenants.js'
import { Users } from '../../dev/collections/Users.js'
import { createAppointmentWorld, liveStreamOf } from '../helpers/fixtures.js'
import { startTestSite, type TestSite } from '../helpers/testSite.js'

// A site hook of its own, appended in the test config, proves the plugin keeps the site's hooks.
const siteAfterChangeCalls: string[] = []
let site: TestSite

beforeAll(async () => {
  site = await startTestSite({
    collections: [
      Users,
      Tenants,
      {
        ...Appointments,
        hooks: {
          ...Appointments.hooks,
          afterChange: [({ doc }) => void siteAfterChangeCalls.push(String(doc.title))],
        },
      },
    ],
  })
})
afterAll(async () => site?.close())

describe('schema on a real PostgreSQL', () => {
  it('stores and reads a live stream, a recording and a ledger entry', async () => {
    const { payload } = site
    const { appointment, host, tenant } = await createAppointmentWorld(payload)
    const [stream] = await liveStreamOf(payload, appointment.id)
    expect(stream).toBeDefined()

    const recording = await payload.create({
      collection: 'recordings',
      data: {
        liveStream: stream.id,
        egressId: 'EG_schema_check',
        kind: 'recording',
        status: 'complete',
        outputs: [{ type: 'file', destination: 'recordings/room/1.mp4' }],
        durationSeconds: 61,
        sizeBytes: 123456,
      },
    })
    const readRecording = await payload.findByID({
      collection: 'recordings',
      id: recording.id,
      depth: 0,
    })
    expect(readRecording).toMatchObject({
      egressId: 'EG_schema_check',
      status: 'complete',
      sizeBytes: 123456,
    })
    expect(readRecording.outputs?.[0]).toMatchObject({
      type: 'file',
      destination: 'recordings/room/1.mp4',
    })

    const entry = await payload.create({
      collection: 'revenue-tracking',
      data: {
        kind: 'sale',
        source: 'manual',
        appointment: appointment.id,
        liveStream: stream.id,
        tenant: tenant.id,
        host: host.id,
        grossAmount: 1500,
        commissionAmount: 300,
        hostShareAmount: 1200,
        currency: 'usd',
        rateBps: 2000,
        occurredAt: new Date().toISOString(),
      },
    })
    const readEntry = await payload.findByID({
      collection: 'revenue-tracking',
      id: entry.id,
      depth: 0,
    })
    expect(readEntry).toMatchObject({
      grossAmount: 1500,
      commissionAmount: 300,
      hostShareAmount: 1200,
      currency: 'usd',
    })
  })
})

describe('the site appointments collection', () => {
  it('gets its live stream with a room name, and the site hooks still run', async () => {
    const { payload } = site
    const { appointment } = await createAppointmentWorld(payload, { title: 'Hooked class' })
    expect(siteAfterChangeCalls).toContain('Hooked class')
    const streams = await liveStreamOf(payload, appointment.id)
    expect(streams).toHaveLength(1)
    expect(streams[0]).toMatchObject({
      state: 'scheduled',
      title: 'Hooked class',
      scheduledStart: appointment.startsAt,
    })
    expect(String(streams[0].roomName)).toMatch(
      new RegExp(`^${site.roomPrefix}-${appointment.id}-[0-9a-f]{8}$`),
    )

    const read = await payload.findByID({
      collection: 'appointments',
      id: appointment.id,
      depth: 1,
    })
    const join = (read as unknown as { liveStream: { docs: Array<{ id: unknown }> } }).liveStream
    expect(join.docs.map((d) => d.id)).toEqual([streams[0].id])
    // The site has its own price field (kept); the plugin added currency with its default.
    expect(read).toMatchObject({ price: 1500, currency: 'usd' })
  })

  it('keeps the same live stream and room name when the appointment is rescheduled', async () => {
    const { payload } = site
    const { appointment } = await createAppointmentWorld(payload)
    const [before] = await liveStreamOf(payload, appointment.id)
    const startsAt = new Date(Date.now() + 3 * 3600_000).toISOString()
    const endsAt = new Date(Date.now() + 4 * 3600_000).toISOString()
    await payload.update({
      collection: 'appointments',
      id: appointment.id,
      data: { startsAt, endsAt },
    })
    const after = await liveStreamOf(payload, appointment.id)
    expect(after).toHaveLength(1)
    expect(after[0]).toMatchObject({
      id: before.id,
      roomName: before.roomName,
      scheduledStart: startsAt,
      scheduledEnd: endsAt,
    })
  })

  it("refuses what the site's own beforeChange hook refuses, and creates no live stream", async () => {
    const { payload } = site
    const before = await payload.count({ collection: 'live-streams' })
    const refused = await createAppointmentWorld(payload, {
      startsAt: new Date(Date.now() + 7200_000).toISOString(),
      endsAt: new Date(Date.now() + 3600_000).toISOString(),
    }).catch((error: { data?: { errors?: Array<{ message: string }> } }) => error)
    expect(
      (refused as { data?: { errors?: Array<{ message: string }> } }).data?.errors?.[0]?.message,
    ).toBe('The appointment must end after it starts.')
    expect((await payload.count({ collection: 'live-streams' })).totalDocs).toBe(before.totalDocs)
  })
})

describe('the ledger is append-only', () => {
  async function anEntry() {
    return site.payload.create({
      collection: 'revenue-tracking',
      data: {
        kind: 'adjustment',
        source: 'manual',
        grossAmount: 100,
        commissionAmount: 20,
        hostShareAmount: 80,
        currency: 'usd',
        rateBps: 2000,
        occurredAt: new Date().toISOString(),
      },
    })
  }

  it('refuses updates and deletes, even through the Local API with access overridden', async () => {
    const entry = await anEntry()
    await expect(
      site.payload.update({
        collection: 'revenue-tracking',
        id: entry.id,
        data: { grossAmount: 200, commissionAmount: 40, hostShareAmount: 160 },
      }),
    ).rejects.toThrow(/cannot be changed/)
    await expect(
      site.payload.delete({ collection: 'revenue-tracking', id: entry.id }),
    ).rejects.toThrow(/cannot be deleted/)
    const read = await site.payload.findByID({ collection: 'revenue-tracking', id: entry.id })
    expect(read.grossAmount).toBe(100)
  })

  it('refuses an entry whose parts do not add up to the gross', async () => {
    await expect(
      site.payload.create({
        collection: 'revenue-tracking',
        data: {
          kind: 'sale',
          source: 'manual',
          grossAmount: 100,
          commissionAmount: 20,
          hostShareAmount: 79,
          currency: 'usd',
          rateBps: 2000,
          occurredAt: new Date().toISOString(),
        },
      }),
    ).rejects.toThrow(/grossAmount must equal/)
  })

  it('is readable by admins, and by a host for its own entries only', async () => {
    await anEntry()
    const { payload } = site
    const { host } = await createAppointmentWorld(payload)
    const other = await createAppointmentWorld(payload)
    const own = await payload.create({
      collection: 'revenue-tracking',
      data: {
        kind: 'adjustment',
        source: 'manual',
        host: host.id,
        grossAmount: 50,
        commissionAmount: 10,
        hostShareAmount: 40,
        currency: 'usd',
        rateBps: 2000,
        occurredAt: new Date().toISOString(),
      } as never,
    })
    const admin = await payload.create({
      collection: 'users',
      data: { email: `admin-${Date.now()}@example.test`, password: 'pw-123456', role: 'admin' },
    })
    const asHost = await payload.find({
      collection: 'revenue-tracking',
      overrideAccess: false,
      user: host,
    })
    expect(asHost.docs.map((d) => d.id)).toEqual([own.id])
    expect(
      (
        await payload.find({
          collection: 'revenue-tracking',
          overrideAccess: false,
          user: other.host,
        })
      ).totalDocs,
    ).toBe(0)
    await expect(
      payload.find({ collection: 'revenue-tracking', overrideAccess: false }),
    ).rejects.toThrow()
    const asAdmin = await payload.find({
      collection: 'revenue-tracking',
      overrideAccess: false,
      user: admin,
    })
    expect(asAdmin.totalDocs).toBeGreaterThan(1)
  })
})
