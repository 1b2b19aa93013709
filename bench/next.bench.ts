/**
 * Tokens, webhooks and Payload's own request under `next start`, the way sites run the plugin.
 *
 * Builds the dev site (`next build`), serves it with `next start` (one process) and loads it with
 * autocannon at 50 connections. Every figure is printed next to a floor measured in the same run,
 * because on a shared two-core machine absolute figures move from run to run and ratios do not:
 *   (a) a bare Next route handler with nothing in it ("hello"),
 *   (b) a bare Next route handler doing only the irreducible work of a token (verify the session
 *       JWT, one indexed read, sign the LiveKit token; bench/floors/tokenWork.ts),
 *   (c) a bare Node `http` server doing the same work as (b),
 *   (c*) the same server doing both JWTs with in-place HMACs instead of jose and the LiveKit SDK,
 *       as the plugin's route does (printed for reading the plain-Node figure; the target is on (c)).
 * Measured: the plugin's token route, Payload's authenticated `GET /api/users/me`, signed LiveKit
 * webhooks (until every event is applied), and the token route on a plain Node server next to
 * the site (`serveTokenRoute`), which takes the webhooks too (`livekitWebhook: true`).
 * Targets: token route >= 80 % of (b); webhooks >= 1,000 events/s applied; token route on plain
 * Node >= 50 % of (c).
 *
 * Runs inside the test network namespace with real services: `npm run bench` (or
 * `BENCH=next npm run bench` for this file alone). BENCH_SKIP_BUILD=1 reuses dev/.next.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'

import { createDatabase } from '../test/helpers/testSite.js'
import { inboxCounts } from './site/inboxCounts.js'
import {
  CONNECTIONS,
  expectOk,
  type Figure,
  load,
  loginHeader,
  mean,
  ratio,
  type Target,
} from './site/load.js'
import { nextBuild, nextStart, ROOT, type Service, startScript } from './site/processes.js'
import { pluginWebhooks, signedBatch } from './site/webhookLoad.js'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2)
const EVENTS = Number(process.env.BENCH_EVENTS ?? 6000)
const PORT = 3200

const services: Service[] = []
const stopAll = () => Promise.all(services.splice(0).map((s) => s.stop()))
process.on('SIGINT', () => void stopAll().then(() => process.exit(130)))

async function main() {
  const databaseUri = await createDatabase(`bench_site_${Date.now()}`)
  const env = {
    DATABASE_URI: databaseUri,
    SITE_URL: `http://127.0.0.1:${PORT}`,
    PORT: String(PORT),
  }

  console.log(
    'seeding the site (schema pushed as in development; a live stream, a ticket holder, an admin)',
  )
  const seeded = (await startScript('seed', 'bench/site/seed.ts', env)).ready as {
    streamId: number
    roomName: string
    nodeStreamId: number
    nodeRoomName: string
    email: string
    adminEmail: string
    password: string
  }
  if (process.env.BENCH_SKIP_BUILD === '1' && existsSync(path.join(ROOT, 'dev/.next/BUILD_ID'))) {
    console.log('reusing dev/.next (BENCH_SKIP_BUILD=1)')
  } else {
    console.log(
      'next build of the dev site (several minutes on two cores; log in artifacts/bench/)',
    )
    const t0 = performance.now()
    await nextBuild(env)
    console.log(`  built in ${((performance.now() - t0) / 1000).toFixed(0)} s`)
  }
  const site = await nextStart(PORT, { ...env, BENCH_FLOORS: '1' }, '/bench/hello')
  services.push(site)
  const nodeFloor = await startScript('node-floor', 'bench/floors/nodeServer.ts', {
    ...env,
    PORT: '0',
  })
  services.push(nodeFloor)
  // What a site runs in production: no schema push, no dev tooling.
  const tokenServer = await startScript('token-server', 'bench/site/tokenServer.ts', {
    ...env,
    NODE_ENV: 'production',
    PORT: '0',
  })
  services.push(tokenServer)
  console.log(
    `next start ${site.url}, bare node ${String(nodeFloor.ready.url)}, plugin token route on node ${String(tokenServer.ready.url)}`,
  )

  const login = (email: string) => loginHeader(site.url, email, seeded.password)
  const viewer = await login(seeded.email)
  const tokenPath = `/api/live-streams/${seeded.streamId}/token`
  const post = {
    method: 'POST',
    headers: { authorization: viewer, 'content-type': 'application/json' },
    body: '{}',
  }
  const targets: Record<
    'hello' | 'me' | 'nextFloor' | 'nodeFloor' | 'nodeFloorHmac' | 'nodeToken' | 'tokenRoute',
    Target
  > = {
    hello: { url: `${site.url}/bench/hello` },
    nextFloor: { url: `${site.url}/bench/live-streams/${seeded.streamId}/token`, ...post },
    tokenRoute: { url: `${site.url}${tokenPath}`, ...post },
    me: { url: `${site.url}/api/users/me`, headers: { authorization: viewer } },
    nodeFloor: {
      url: `${String(nodeFloor.ready.url)}/live-streams/${seeded.streamId}/token`,
      ...post,
    },
    nodeFloorHmac: {
      url: `${String(nodeFloor.ready.url)}/hmac/live-streams/${seeded.streamId}/token`,
      ...post,
    },
    nodeToken: { url: `${String(tokenServer.ready.url)}${tokenPath}`, ...post },
  }

  // Every target answers what it should before anything is timed (a floor that 404s measures nothing).
  for (const [name, target] of Object.entries(targets)) {
    await expectOk(name, target, name !== 'hello' && name !== 'me' ? '"token"' : undefined)
  }

  // BENCH_ONLY=tokenRoute,nextFloor: load only those (while profiling one server); the table then shows what ran.
  const only = process.env.BENCH_ONLY?.split(',')
  if (only) {
    for (const name of Object.keys(targets)) {
      if (!only.includes(name)) {
        delete (targets as Record<string, unknown>)[name]
      }
    }
  }
  const figures: Record<keyof typeof targets, Figure[]> = {
    hello: [],
    nextFloor: [],
    tokenRoute: [],
    me: [],
    nodeFloor: [],
    nodeFloorHmac: [],
    nodeToken: [],
  }
  console.log(
    `warming up, then ${ROUNDS} round(s) of ${SECONDS} s per target at ${CONNECTIONS} connections`,
  )
  for (const target of Object.values(targets)) {
    await load(target, 3)
  }
  // Rounds interleave the targets, so a burst of someone else's compile hits floors and figures alike.
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, target] of Object.entries(targets) as Array<
      [keyof typeof targets, (typeof targets)[keyof typeof targets]]
    >) {
      const figure = await load(target, SECONDS)
      figures[name].push(figure)
      console.log(
        `  round ${round + 1} ${name}: ${figure.rate.toFixed(0)} req/s, p50 ${figure.p50} ms, p99 ${figure.p99} ms${figure.failed ? `, ${figure.failed} failed` : ''}`,
      )
    }
  }
  if (only) {
    return
  }
  const f = Object.fromEntries(
    Object.entries(figures).map(([name, list]) => [name, mean(list)]),
  ) as Record<keyof typeof targets, Figure>

  const admin = await login(seeded.adminEmail)
  const inbox = inboxCounts(databaseUri)
  const hooks = await pluginWebhooks({
    targetUrl: site.url,
    siteUrl: site.url,
    streamId: seeded.streamId,
    batch: await signedBatch(seeded.roomName, EVENTS),
    inbox,
    admin,
  })
  const nodeHooks = await pluginWebhooks({
    targetUrl: String(tokenServer.ready.url),
    siteUrl: site.url,
    streamId: seeded.nodeStreamId,
    batch: await signedBatch(seeded.nodeRoomName, EVENTS),
    inbox,
    admin,
  })
  await inbox.close()

  // The table: each figure, its floor, and the ratios (req/s: figure / floor; latency: floor / figure).
  const rows: Array<[string, Figure, string, Figure | null]> = [
    ['(a) bare Next route, nothing in it', f.hello, '', null],
    ['(b) bare Next route, token work', f.nextFloor, '(a)', f.hello],
    ['(1) token route under next start', f.tokenRoute, '(b)', f.nextFloor],
    ['(3) Payload GET /api/users/me', f.me, '(b)', f.nextFloor],
    ['(2) webhooks applied, next start', hooks.figure, '(a)', f.hello],
    ['(c) bare Node http, token work', f.nodeFloor, '(b)', f.nextFloor],
    ['(c*) bare Node http, token work, HMAC', f.nodeFloorHmac, '(c)', f.nodeFloor],
    ['(4) token route on plain Node', f.nodeToken, '(c)', f.nodeFloor],
    ['(4) same, against (c*)', f.nodeToken, '(c*)', f.nodeFloorHmac],
    ['(5) webhooks applied, plain Node', nodeHooks.figure, '(c)', f.nodeFloor],
  ]
  console.log('')
  console.log(
    `${'figure'.padEnd(38)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)}  floor  ${'req/s ×'.padStart(7)} ${'p50 ×'.padStart(6)} ${'p99 ×'.padStart(6)}`,
  )
  for (const [label, figure, floorName, floor] of rows) {
    console.log(
      `${label.padEnd(38)} ${figure.rate.toFixed(0).padStart(7)} ${figure.p50.toFixed(1).padStart(7)} ${figure.p99.toFixed(1).padStart(7)}  ${floorName.padEnd(5)}  ` +
        (floor
          ? `${ratio(figure.rate, floor.rate).padStart(7)} ${ratio(floor.p50, figure.p50).padStart(6)} ${ratio(floor.p99, figure.p99).padStart(6)}`
          : ''),
    )
  }
  console.log(
    "(req/s ×: the figure over its floor; p50 × and p99 ×: the floor's latency over the figure's, so 1.00 is as fast as the floor)",
  )
  for (const [where, h] of [
    ['next start', hooks],
    ['plain Node', nodeHooks],
  ] as const) {
    console.log(
      `webhooks (${where}): ${EVENTS} signed join/leave events, ${h.failed} failed, answered at ${h.answerRate.toFixed(0)}/s, all applied after ${h.doneSeconds.toFixed(2)} s; audience figures ${h.said}`,
    )
  }
  console.log('')
  const checks: Array<[string, number, number]> = [
    [
      'token route under next start >= 80 % of the bare Next token-work route',
      f.tokenRoute.rate / f.nextFloor.rate,
      0.8,
    ],
    ['webhooks >= 1,000 events/s applied (under next start)', hooks.figure.rate / 1000, 1],
    [
      'webhooks >= 1,000 events/s applied (plain Node next to the site)',
      nodeHooks.figure.rate / 1000,
      1,
    ],
    [
      'token route on plain Node >= 50 % of the bare Node floor',
      f.nodeToken.rate / f.nodeFloor.rate,
      0.5,
    ],
  ]
  for (const [what, value, min] of checks) {
    console.log(
      `${value >= min ? 'PASS' : 'MISS'}  ${what}: ${what.startsWith('webhooks') ? `${(value * 1000).toFixed(0)} events/s` : `${(value * 100).toFixed(0)} %`}`,
    )
  }
  const failures =
    Object.values(f).reduce((n, x) => n + x.failed, 0) + hooks.failed + nodeHooks.failed
  if (failures || !hooks.exact || !nodeHooks.exact) {
    console.log(
      `MISS  every answer a 200 and the audience figures exact: ${failures} failed, figures ${hooks.said} / ${nodeHooks.said}`,
    )
  }
}

// Last, after every declaration above is initialised.
try {
  await main()
} finally {
  await stopAll()
}
process.exit(0)
