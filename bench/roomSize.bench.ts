/**
 * The cost of applying LiveKit's webhooks against the size of the room, under `next start`: three
 * classes in progress with 100, 1,000 and 10,000 participants already connected, each sent the
 * same number of signed join and leave events of newcomers (some reconnecting) through the real
 * webhook route, timed until every event is applied and checked against the audience figures the
 * events say (the seated participants plus the newcomers). Printed: events/s per room size and
 * its ratio to the smallest room's rate, measured in the same run. Goal: the rate at 10,000
 * within 20 % of the rate at 100. `BENCH=roomSize npm run bench`; BENCH_SKIP_BUILD=1 reuses
 * dev/.next; ROOM_SIZES and ROOM_EVENTS change the load.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'

import { createDatabase } from '../test/helpers/testSite.js'
import { inboxCounts } from './site/inboxCounts.js'
import { loginHeader } from './site/load.js'
import { nextBuild, nextStart, ROOT, type Service, startScript } from './site/processes.js'
import { pluginWebhooks, signedBatch } from './site/webhookLoad.js'

const EVENTS = Number(process.env.ROOM_EVENTS ?? 6000)
const PORT = 3230
const services: Service[] = []
const stopAll = () => Promise.all(services.splice(0).map((s) => s.stop()))
process.on('SIGINT', () => void stopAll().then(() => process.exit(130)))

async function main() {
  const databaseUri = await createDatabase(`bench_rooms_${Date.now()}`)
  const env = { DATABASE_URI: databaseUri, SITE_URL: `http://127.0.0.1:${PORT}` }
  const seeded = (await startScript('seed-room-sizes', 'bench/site/seedRoomSizes.ts', env))
    .ready as {
    adminEmail: string
    password: string
    rooms: Array<{ size: number; streamId: number | string; roomName: string }>
  }
  console.log(
    `seeded: rooms of ${seeded.rooms.map((r) => r.size).join(', ')} connected participants`,
  )
  if (process.env.BENCH_SKIP_BUILD === '1' && existsSync(path.join(ROOT, 'dev/.next/BUILD_ID'))) {
    console.log('reusing dev/.next (BENCH_SKIP_BUILD=1)')
  } else {
    console.log('next build of the dev site (several minutes on two cores)')
    await nextBuild(env)
  }
  const site = await nextStart(
    PORT,
    { ...env, NODE_ENV: 'production' },
    '/api/users/me',
    'next-start-rooms',
  )
  services.push(site)
  const admin = await loginHeader(site.url, seeded.adminEmail, seeded.password)
  const inbox = inboxCounts(databaseUri)
  // The first room warms up (compiled routes, prepared statements) and is not measured.
  const [warm, ...measured] = seeded.rooms
  await pluginWebhooks({
    targetUrl: site.url,
    siteUrl: site.url,
    streamId: warm.streamId,
    batch: await signedBatch(warm.roomName, Math.min(EVENTS, 1000)),
    inbox,
    admin,
  })
  const results: Array<{ size: number; rate: number; exact: boolean; said: string }> = []
  for (const room of measured) {
    const batch = await signedBatch(room.roomName, EVENTS)
    // Everyone seated stays: the figures are theirs plus what the events say.
    batch.expected = {
      currentViewers: batch.expected.currentViewers + room.size,
      uniqueViewers: batch.expected.uniqueViewers + room.size,
    }
    const run = await pluginWebhooks({
      targetUrl: site.url,
      siteUrl: site.url,
      streamId: room.streamId,
      batch,
      inbox,
      admin,
    })
    results.push({ size: room.size, rate: run.figure.rate, exact: run.exact, said: run.said })
    console.log(
      `  room of ${room.size}: ${EVENTS} events applied in ${run.doneSeconds.toFixed(1)} s, ` +
        `${run.figure.rate.toFixed(0)} events/s; ${run.exact ? 'exact' : 'WRONG'} (${run.said})`,
    )
  }
  await inbox.close()
  const base = results[0]
  const largest = results.at(-1)!
  for (const r of results) {
    console.log(
      `webhook apply at ${r.size} connected: ${r.rate.toFixed(0)} events/s, ` +
        `${(r.rate / base.rate).toFixed(2)}x the rate at ${base.size}`,
    )
  }
  const ok = results.every((r) => r.exact) && largest.rate >= 0.8 * base.rate
  console.log(
    `room size: ${largest.rate.toFixed(0)} events/s at ${largest.size} vs ${base.rate.toFixed(0)} at ${base.size} ` +
      `(ratio ${(largest.rate / base.rate).toFixed(2)}); exact ${results.every((r) => r.exact) ? 'yes' : 'NO'}; ` +
      `goal >= 0.80 -> ${ok ? 'PASS' : 'MISS'}`,
  )
}

try {
  await main()
} finally {
  await stopAll()
}
