/**
 * The start of a big class under `next start`: 10,000 ticket holders, each with its own session,
 * ask for their join token at once (200 in flight), through the plugin's token route. Next to it,
 * in the same run, the same 10,000 sessions on the bare token floor of the same build
 * (`/bench/live-streams/:id/token`: verify the session, one read, sign; see next.bench.ts).
 * Printed: the time until every holder has a token, p50/p99, and their ratios to the floor; then
 * the stream read each viewer page makes with it (`GET /api/live-streams/:id?depth=1`, Payload's
 * REST API) and the status endpoint under the same crowd. Every answer must be a 200 (with a
 * token, for the token route).
 * `BENCH=crowd npm run bench` (PostgreSQL); BENCH_SKIP_BUILD=1 reuses dev/.next; CROWD_HOLDERS
 * and CROWD_IN_FLIGHT change the load.
 */
import autocannon from 'autocannon'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'

import { createDatabase } from '../test/helpers/testSite.js'
import { ratio } from './site/load.js'
import { nextBuild, nextStart, ROOT, type Service, startScript } from './site/processes.js'

const IN_FLIGHT = Number(process.env.CROWD_IN_FLIGHT ?? 200)
const PORT = 3240
const services: Service[] = []
const stopAll = () => Promise.all(services.splice(0).map((s) => s.stop()))
process.on('SIGINT', () => void stopAll().then(() => process.exit(130)))

/** Every holder asks once; how long until the last was answered, and how. */
async function crowd(url: string, tokens: string[], method: 'GET' | 'POST') {
  let next = 0
  let withToken = 0
  const started = performance.now()
  let lastAnswer = started
  const result = await autocannon({
    url,
    connections: IN_FLIGHT,
    amount: tokens.length,
    timeout: 60,
    requests: [
      {
        method,
        setupRequest: (request) => ({
          ...request,
          headers: {
            authorization: `JWT ${tokens[next++ % tokens.length]}`,
            'content-type': 'application/json',
          },
          body: method === 'POST' ? '{}' : undefined,
        }),
        onResponse: (status, body) => {
          lastAnswer = performance.now()
          if (status === 200 && (method === 'GET' || body.includes('"token"'))) {
            withToken++
          }
        },
      },
    ],
  })
  return {
    seconds: (lastAnswer - started) / 1000,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: withToken,
    failed: result.non2xx + result.errors + result.timeouts,
  }
}

async function main() {
  const databaseUri = await createDatabase(`bench_crowd_${Date.now()}`)
  const env = { DATABASE_URI: databaseUri, SITE_URL: `http://127.0.0.1:${PORT}` }
  const seeded = (await startScript('seed-crowd', 'bench/site/seedCrowd.ts', env)).ready as {
    streamId: number
    tokensFile: string
    holders: number
  }
  const tokens = JSON.parse(readFileSync(seeded.tokensFile, 'utf8')) as string[]
  console.log(`seeded: ${seeded.holders} ticket holders of one class in progress`)
  if (process.env.BENCH_SKIP_BUILD === '1' && existsSync(path.join(ROOT, 'dev/.next/BUILD_ID'))) {
    console.log('reusing dev/.next (BENCH_SKIP_BUILD=1)')
  } else {
    console.log('next build of the dev site (several minutes on two cores)')
    await nextBuild(env)
  }
  const site = await nextStart(
    PORT,
    { ...env, NODE_ENV: 'production', BENCH_FLOORS: '1' },
    '/bench/hello',
    'next-start-crowd',
  )
  services.push(site)
  const route = `${site.url}/api/live-streams/${seeded.streamId}/token`
  const floor = `${site.url}/bench/live-streams/${seeded.streamId}/token`
  // Warm both (compiled routes, prepared statements) with a few hundred holders.
  await crowd(route, tokens.slice(0, 400), 'POST')
  await crowd(floor, tokens.slice(0, 400), 'POST')
  const floorRun = await crowd(floor, tokens, 'POST')
  const routeRun = await crowd(route, tokens, 'POST')
  const read = await crowd(`${site.url}/api/live-streams/${seeded.streamId}?depth=1`, tokens, 'GET')
  const status = await crowd(
    `${site.url}/api/live-streams/${seeded.streamId}/status`,
    tokens,
    'GET',
  )
  const all = routeRun.ok === seeded.holders && routeRun.failed === 0
  console.log(
    `  floor: ${floorRun.ok} tokens in ${floorRun.seconds.toFixed(1)} s, p50 ${floorRun.p50} ms, p99 ${floorRun.p99} ms`,
  )
  console.log(
    `  stream read (the kit's GET …?depth=1): ${read.ok} answers in ${read.seconds.toFixed(1)} s, p50 ${read.p50} ms, p99 ${read.p99} ms, failed ${read.failed}`,
  )
  console.log(
    `  status endpoint: ${status.ok} answers in ${status.seconds.toFixed(1)} s, p50 ${status.p50} ms, p99 ${status.p99} ms, failed ${status.failed}`,
  )
  console.log(
    `crowd: ${routeRun.ok} of ${seeded.holders} holders had a token after ${routeRun.seconds.toFixed(1)} s ` +
      `(${(seeded.holders / routeRun.seconds).toFixed(0)}/s), p50 ${routeRun.p50} ms, p99 ${routeRun.p99} ms, failed ${routeRun.failed}; ` +
      `vs floor ${floorRun.seconds.toFixed(1)} s, p99 ${floorRun.p99} ms: time ratio ${ratio(routeRun.seconds, floorRun.seconds)}, ` +
      `p99 ratio ${ratio(routeRun.p99, floorRun.p99)}; every holder served: ${all ? 'yes' : 'NO'}`,
  )
}

try {
  await main()
} finally {
  await stopAll()
}
