/**
 * Lifecycle benchmarks (issue: rooms open and close with appointments).
 *
 * 1. Latency from an appointment's status change to its room being visible on the LiveKit server,
 *    against a direct createRoom + listRooms in the same run. Target: median plugin path
 *    <= 1.5 x direct + 20 ms.
 * 2. 500 appointments starting in the same minute: how late each room opens after its open time,
 *    with the queue run as the plugin's autoRun does. Target: all within 10 s.
 *
 * Runs inside the test network namespace with real services: `npm run bench`.
 */
import { dispose } from '@livekit/rtc-node'

import { createAppointmentWorld, liveStreamOf } from '../test/helpers/fixtures.js'
import { testLivekit } from '../test/helpers/livekit.js'
import { startTestSite } from '../test/helpers/testSite.js'

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]

async function statusToRoomLatency() {
  // The site's own afterChange hook runs before the plugin's (the plugin appends its hooks); it
  // marks the moment the status change is saved and handed to hooks: where the plugin's path starts.
  let statusSavedAt = 0
  const site = await startTestSite(
    { plugin: { lifecycle: { autoRun: false, reconcileCron: false } } },
    (config) => ({
      ...config,
      collections: config.collections!.map((c) =>
        c.slug === 'appointments'
          ? {
              ...c,
              hooks: {
                ...c.hooks,
                afterChange: [
                  ...(c.hooks?.afterChange ?? []),
                  () => void (statusSavedAt = performance.now()),
                ],
              },
            }
          : c,
      ),
    }),
  )
  const { payload } = site
  const livekit = testLivekit()
  const trials = 40
  const direct: number[] = []
  const plugin: number[] = []
  const wholeSave: number[] = []
  const start = new Date(Date.now() + 3600_000).toISOString()
  const end = new Date(Date.now() + 7200_000).toISOString()
  const { appointment: warm } = await createAppointmentWorld(payload, {
    startsAt: start,
    endsAt: end,
  })
  await payload.update({ collection: 'appointments', id: warm.id, data: { status: 'in-progress' } })

  for (let i = 0; i < trials; i++) {
    // Baseline: the least the plugin has to do, straight against LiveKit.
    const name = `bench-direct-${i}-${Date.now()}`
    let t0 = performance.now()
    await livekit.openRoom({
      name,
      emptyTimeoutSeconds: 600,
      departureTimeoutSeconds: 120,
      maxParticipants: 0,
      metadata: { i },
    })
    if ((await livekit.listRooms([name])).length !== 1) {
      throw new Error('direct room not visible')
    }
    direct.push(performance.now() - t0)
    await livekit.closeRoom(name)

    const { appointment } = await createAppointmentWorld(payload, { startsAt: start, endsAt: end })
    const [stream] = await liveStreamOf(payload, appointment.id)
    const roomName = String(stream.roomName)
    // Watch LiveKit while the save runs, to see the moment the room appears.
    let visibleAt = 0
    const giveUpAt = performance.now() + 10_000
    const watcher = (async () => {
      while (!visibleAt && performance.now() < giveUpAt) {
        if ((await livekit.listRooms([roomName])).length) {
          visibleAt = performance.now()
        }
      }
      if (!visibleAt) {
        throw new Error(`room ${roomName} never appeared`)
      }
    })()
    t0 = performance.now()
    await payload.update({
      collection: 'appointments',
      id: appointment.id,
      data: { status: 'in-progress' },
    })
    wholeSave.push(performance.now() - t0)
    await watcher
    plugin.push(visibleAt - statusSavedAt)
    await livekit.closeRoom(roomName)
  }
  await site.close()
  const d = median(direct)
  const p = median(plugin)
  console.log(
    `status change -> room visible: median ${p.toFixed(1)} ms (plugin, from the saved status change) vs ${d.toFixed(1)} ms (direct createRoom + listRooms); ` +
      `ratio ${(p / d).toFixed(2)}x; budget 1.5x + 20 ms = ${(1.5 * d + 20).toFixed(1)} ms -> ${p <= 1.5 * d + 20 ? 'PASS' : 'MISS'}`,
  )
  console.log(
    `  (the whole appointment save that carried the change, site write included: median ${median(wholeSave).toFixed(1)} ms)`,
  )
}

async function fiveHundredInOneMinute() {
  const count = Number(process.env.BENCH_APPOINTMENTS ?? 500)
  const lead = 10
  const site = await startTestSite({
    plugin: { lifecycle: { leadMinutes: lead, autoRun: false, reconcileCron: false } },
  })
  // One tick runs up to 200 jobs, like autoRun: { limit: 200 }.
  const { payload } = site
  // Leave time to create them all; every one opens in the same minute.
  const openTime = Date.now() + 90_000
  const t0 = performance.now()
  const { tenant, host } = await createAppointmentWorld(payload, {
    startsAt: new Date(openTime + lead * 60_000 + 3600_000).toISOString(),
    endsAt: new Date(openTime + lead * 60_000 + 7200_000).toISOString(),
  })
  const ids: Array<number | string> = []
  for (let i = 0; i < count; i++) {
    const startsAt = new Date(openTime + lead * 60_000 + (i % 60) * 1000)
    const doc = await payload.create({
      collection: 'appointments',
      data: {
        title: `Bulk ${i}`,
        host: host.id,
        tenant: tenant.id,
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 3600_000).toISOString(),
        status: 'confirmed',
        visibility: 'ticketed',
      } as never,
    })
    ids.push(doc.id)
  }
  const createSeconds = (performance.now() - t0) / 1000
  if (Date.now() > openTime) {
    console.warn(`creating took ${createSeconds.toFixed(1)} s, past the first open time`)
  }

  // As the plugin's default autoRun does: run the queue every 5 seconds, up to 200 jobs a tick.
  const lastOpen = openTime + 59_000
  while (Date.now() < lastOpen + 15_000) {
    await payload.jobs.run({ queue: 'livekit', limit: 200, silent: true })
    const open = await payload.count({
      collection: 'live-streams',
      where: { state: { equals: 'live' } },
    })
    if (open.totalDocs >= count && Date.now() > lastOpen) {
      break
    }
    await new Promise((r) => setTimeout(r, 5000 - (Date.now() % 5000)))
  }
  const streams = await payload.find({
    collection: 'live-streams',
    where: { appointment: { in: ids } },
    limit: 0,
    pagination: false,
    depth: 0,
  })
  const lateness: number[] = []
  let notOpen = 0
  for (const s of streams.docs) {
    if (!s.openedAt) {
      notOpen++
      continue
    }
    const due = new Date(s.scheduledStart as string).getTime() - lead * 60_000
    lateness.push((new Date(s.openedAt as string).getTime() - due) / 1000)
  }
  const rooms = (await testLivekit().listRooms()).filter((r) =>
    r.name.startsWith(`${site.roomPrefix}-`),
  )
  for (const r of rooms) {
    await testLivekit().closeRoom(r.name)
  }
  await site.close()
  const worst = Math.max(...lateness)
  console.log(
    `${count} appointments opening in one minute (created in ${createSeconds.toFixed(1)} s): ${lateness.length} opened, ${notOpen} not opened, ${rooms.length} rooms on LiveKit; ` +
      `lateness after open time p50 ${percentile(lateness, 50).toFixed(2)} s, p99 ${percentile(lateness, 99).toFixed(2)} s, max ${worst.toFixed(2)} s; target all <= 10 s -> ${notOpen === 0 && worst <= 10 ? 'PASS' : 'MISS'}`,
  )
}

await statusToRoomLatency()
await fiveHundredInOneMinute()
await dispose()
process.exit(0)
