/**
 * Two Payload instances against one, under `next start` on one PostgreSQL database: the same
 * crowd of ticket holders asking for join tokens, and the same number of signed LiveKit webhooks,
 * first all to one instance, then split evenly over two (as a load balancer would), in the same
 * run. Printed: tokens/s and webhook events applied/s for each, and the two-instance ratio. On a
 * machine with as many cores as the sites, the database and the load generator need, the goal is
 * >= 1.7x; on two cores everything shares them, and the figure says how much that leaves.
 * `BENCH=instances npm run bench`; BENCH_SKIP_BUILD=1 reuses dev/.next; CROWD_HOLDERS and
 * INSTANCE_EVENTS change the load.
 */
import autocannon from 'autocannon'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'

import { createDatabase } from '../test/helpers/testSite.js'
import { inboxCounts } from './site/inboxCounts.js'
import { ratio } from './site/load.js'
import { nextBuild, nextStart, ROOT, type Service, startScript } from './site/processes.js'
import { type Delivery, signedBatch } from './site/webhookLoad.js'

const EVENTS = Number(process.env.INSTANCE_EVENTS ?? 6000)
const IN_FLIGHT = 100
const PORTS = [3250, 3251]
const services: Service[] = []
const stopAll = () => Promise.all(services.splice(0).map((s) => s.stop()))
process.on('SIGINT', () => void stopAll().then(() => process.exit(130)))

/** Posts `bodies` split evenly over `urls`, all at once; seconds until the last answer. */
async function spread(
  urls: string[],
  count: number,
  request: (i: number) => { method: string; headers: Record<string, string>; body: string },
) {
  const started = performance.now()
  let next = 0
  let ok = 0
  const runs = urls.map((url, u) =>
    autocannon({
      url,
      connections: Math.ceil(IN_FLIGHT / urls.length),
      amount: Math.floor(count / urls.length) + (u < count % urls.length ? 1 : 0),
      timeout: 60,
      requests: [
        {
          setupRequest: (r) => ({ ...r, ...request(next++) }),
          onResponse: (status) => void (status === 200 && ok++),
        },
      ],
    }),
  )
  await Promise.all(runs)
  return { seconds: (performance.now() - started) / 1000, ok }
}

async function main() {
  const databaseUri = await createDatabase(`bench_instances_${Date.now()}`)
  const env = { DATABASE_URI: databaseUri, SITE_URL: `http://127.0.0.1:${PORTS[0]}` }
  const seeded = (
    await startScript('seed-crowd', 'bench/site/seedCrowd.ts', {
      ...env,
      CROWD_HOLDERS: process.env.CROWD_HOLDERS ?? '5000',
      CROWD_EXTRA_ROOMS: '2',
    })
  ).ready as { streamId: number; tokensFile: string; holders: number; rooms: string[] }
  const tokens = JSON.parse(readFileSync(seeded.tokensFile, 'utf8')) as string[]
  if (process.env.BENCH_SKIP_BUILD === '1' && existsSync(path.join(ROOT, 'dev/.next/BUILD_ID'))) {
    console.log('reusing dev/.next (BENCH_SKIP_BUILD=1)')
  } else {
    console.log('next build of the dev site (several minutes on two cores)')
    await nextBuild(env)
  }
  const sites = await Promise.all(
    PORTS.map(async (port, i) => {
      const site = await nextStart(
        port,
        { ...env, NODE_ENV: 'production' },
        '/api/users/me',
        `next-start-instance-${i}`,
      )
      services.push(site)
      return site
    }),
  )
  const tokenPath = `/api/live-streams/${seeded.streamId}/token`
  const tokenAsk = (i: number) => ({
    method: 'POST',
    headers: {
      authorization: `JWT ${tokens[i % tokens.length]}`,
      'content-type': 'application/json',
    },
    body: '{}',
  })
  const inbox = inboxCounts(databaseUri)
  /** A batch of webhooks for a fresh room, spread over `urls`, timed until every event is applied. */
  async function webhooks(urls: string[], room: string) {
    const batch = await signedBatch(room, EVENTS)
    const started = performance.now()
    const deliveries: Delivery[] = batch.deliveries
    await spread(
      urls.map((u) => `${u}/api/livekit/webhook`),
      deliveries.length,
      (i) => ({
        method: 'POST',
        headers: {
          'content-type': 'application/webhook+json',
          authorization: deliveries[i].authorization,
        },
        body: deliveries[i].body,
      }),
    )
    while ((await inbox.unapplied(room)) > 0) {
      await new Promise((r) => setTimeout(r, 20))
    }
    return { seconds: (performance.now() - started) / 1000 }
  }
  // Warm both instances.
  for (const site of sites) {
    await spread([`${site.url}${tokenPath}`], 400, tokenAsk)
  }
  const one = await spread([`${sites[0].url}${tokenPath}`], tokens.length, tokenAsk)
  const two = await spread(
    sites.map((s) => `${s.url}${tokenPath}`),
    tokens.length,
    tokenAsk,
  )
  const hooksOne = await webhooks([sites[0].url], seeded.rooms[0])
  const hooksTwo = await webhooks(
    sites.map((s) => s.url),
    seeded.rooms[1],
  )
  await inbox.close()
  const rate = (n: number, s: number) => n / s
  console.log(
    `two instances vs one: tokens ${rate(two.ok, two.seconds).toFixed(0)}/s vs ${rate(one.ok, one.seconds).toFixed(0)}/s ` +
      `(ratio ${ratio(rate(two.ok, two.seconds), rate(one.ok, one.seconds))}, ${one.ok}+${two.ok} of ${2 * tokens.length} answered 200); ` +
      `webhooks ${rate(EVENTS, hooksTwo.seconds).toFixed(0)} events/s vs ${rate(EVENTS, hooksOne.seconds).toFixed(0)}/s ` +
      `(ratio ${ratio(hooksOne.seconds, hooksTwo.seconds)}); goal >= 1.7x on a machine with cores to spare`,
  )
}

try {
  await main()
} finally {
  await stopAll()
}
