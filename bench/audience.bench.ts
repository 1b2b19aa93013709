/**
 * A stream's audience figures under `next start`, the way sites run the plugin: a finished
 * two-hour stream with 10,000 stored connections (4,000 people, 2,000 tickets) and 100,000 chat
 * messages, reactions and raised hands, its `GET /api/live-streams/:id/audience` (curve, watch
 * times, funnel, engagement, timeline) loaded by autocannon, next to
 * a plain count of the same stream's connections through Payload's REST API
 * (`GET /api/stream-sessions?where[liveStream][equals]=…&limit=1`) in the same run. Goal: the
 * figures in under 1 s. `BENCH=audience npm run bench`; BENCH_SKIP_BUILD=1 reuses dev/.next;
 * AUDIENCE_CONNECTIONS sets the size.
 */
import autocannon from 'autocannon'
import { existsSync } from 'node:fs'
import path from 'node:path'

import { createDatabase } from '../test/helpers/testSite.js'
import { expectOk, figureOf, loginHeader, ratio } from './site/load.js'
import { nextBuild, nextStart, ROOT, type Service, startScript } from './site/processes.js'

/** Few connections: each request is a whole computation, and the figure wanted is its latency. */
const CONNECTIONS = 4
const SECONDS = 10
const services: Service[] = []
const stopAll = () => Promise.all(services.splice(0).map((s) => s.stop()))
process.on('SIGINT', () => void stopAll().then(() => process.exit(130)))

async function main() {
  const databaseUri = await createDatabase(`bench_audience_${Date.now()}`)
  const env = { DATABASE_URI: databaseUri, SITE_URL: 'http://127.0.0.1:3220' }
  const seeded = (await startScript('seed-audience', 'bench/site/seedAudience.ts', env)).ready as {
    streamId: number | string
    adminEmail: string
    connections: number
    engagement: number
  }
  console.log(
    `seeded: a stream with ${seeded.connections} stored connections and ${seeded.engagement} chat events`,
  )
  if (process.env.BENCH_SKIP_BUILD === '1' && existsSync(path.join(ROOT, 'dev/.next/BUILD_ID'))) {
    console.log('reusing dev/.next (BENCH_SKIP_BUILD=1)')
  } else {
    console.log('next build of the dev site (several minutes on two cores)')
    await nextBuild(env)
  }
  const site = await nextStart(
    3220,
    { ...env, NODE_ENV: 'production' },
    '/api/users/me',
    'next-start-audience',
  )
  services.push(site)
  const authorization = await loginHeader(site.url, seeded.adminEmail, 'pw-123456')
  const headers = { authorization }
  const figures = { url: `${site.url}/api/live-streams/${seeded.streamId}/audience`, headers }
  const count = {
    url: `${site.url}/api/stream-sessions?where[liveStream][equals]=${seeded.streamId}&limit=1&depth=0`,
    headers,
  }
  await expectOk('audience', figures, '"funnel"')
  await expectOk('count', count, `"totalDocs":${seeded.connections}`)
  // One answer checked for size before timing: every connection is in the curve's joins.
  const answer = (await (await fetch(figures.url, { headers })).json()) as {
    curve: Array<{ joins: number }>
    engagementTotals: { chat: number; reactions: number; hands: number }
  }
  const joins = answer.curve.reduce((n, p) => n + p.joins, 0)
  const t = answer.engagementTotals
  const counted = t.chat + t.reactions + t.hands
  if (counted !== seeded.engagement) {
    throw new Error(`the figures counted ${counted} of ${seeded.engagement} chat events`)
  }
  const run = async (target: typeof figures) =>
    figureOf(
      await autocannon({ ...target, connections: CONNECTIONS, duration: SECONDS, timeout: 30 }),
    )
  // Warm both (compiled routes, prepared statements), then measure them in turn.
  await run({ ...figures })
  const countFigure = await run(count)
  const audienceFigure = await run(figures)
  console.log(
    `audience figures of ${seeded.connections} connections (${joins} joins in the window) and ${counted} chat events: ` +
      `p50 ${audienceFigure.p50} ms, p99 ${audienceFigure.p99} ms, ${audienceFigure.rate.toFixed(1)}/s ` +
      `vs plain count p50 ${countFigure.p50} ms, p99 ${countFigure.p99} ms, ${countFigure.rate.toFixed(1)}/s; ` +
      `p99 ratio ${ratio(audienceFigure.p99, countFigure.p99)}; failed ${audienceFigure.failed + countFigure.failed}; ` +
      `goal p99 < 1000 ms -> ${audienceFigure.p99 < 1000 && audienceFigure.failed === 0 ? 'PASS' : 'MISS'}`,
  )
}

try {
  await main()
} finally {
  await stopAll()
}
