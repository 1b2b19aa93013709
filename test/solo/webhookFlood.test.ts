import type { Payload } from 'payload'

import { dispose } from '@livekit/rtc-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { settleAudience } from '../../src/audience/audienceCounts.js'
import { makeEventStream } from '../helpers/eventStream.js'
import { createAppointmentWorld, liveStreamOf } from '../helpers/fixtures.js'
import { serveSite, type SiteServer } from '../helpers/httpServer.js'
import { startTestSite, type TestSite } from '../helpers/testSite.js'
import { deliver, webhooksApplied } from '../helpers/webhooks.js'

/*
 * A flood of LiveKit webhooks through two instances. It runs alone (the `solo` project, after the
 * other suites): its time budget is about the plugin and the database, not about whatever other
 * test files would be asking the same two cores and the same database for meanwhile.
 */

// livekit.yaml delivers webhooks to 127.0.0.1:3000: this file's site listens there.
let site: TestSite
let second: TestSite
let server: SiteServer
let secondServer: SiteServer
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString()

beforeAll(async () => {
  const plugin = { lifecycle: { autoRun: false as const, reconcileCron: false as const } }
  site = await startTestSite({ plugin })
  server = await serveSite(site, 3000)
  second = await startTestSite({ plugin }, undefined, site)
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

async function liveStream() {
  const world = await createAppointmentWorld(site.payload, {
    startsAt: inMinutes(5),
    endsAt: inMinutes(60),
  })
  await site.payload.update({
    collection: 'appointments',
    id: world.appointment.id,
    data: { status: 'in-progress' },
  })
  const [s] = await liveStreamOf(site.payload, world.appointment.id)
  return { ...world, stream: s }
}

describe('a webhook flood', () => {
  it('5,000 events split between two instances give exactly the figures of the event stream', async () => {
    const { stream } = await liveStream()
    const generated = makeEventStream(String(stream.roomName), 1400, 11, 5000)
    const events = generated.events
    expect(events.length).toBe(5000)
    let next = 0
    await Promise.all(
      Array.from({ length: 16 }, async (_, worker) => {
        while (next < events.length) {
          const event = events[next++]
          const response = await deliver(worker % 2 ? server.url : secondServer.url, event)
          if (response.status !== 200) {
            throw new Error(`delivery failed: ${response.status}`)
          }
        }
      }),
    )
    await webhooksApplied(site.payload)
    await settleAudience(site.payload, stream.id)
    expect(
      await site.payload.count({
        collection: 'livekit-webhook-events',
        where: {
          and: [
            { roomName: { equals: stream.roomName } },
            { event: { in: ['participant_joined', 'participant_left'] } },
          ],
        },
      }),
    ).toMatchObject({ totalDocs: 5000 })
    expect(await streamDoc(site.payload, stream.id)).toMatchObject(generated.expected)
  }, 300_000)
})
