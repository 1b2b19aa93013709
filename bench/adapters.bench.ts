/**
 * Tokens and LiveKit webhooks on each database the plugin runs on, every figure next to that
 * database's own floor measured in the same run.
 *
 * The plugin reaches PostgreSQL with hand-written SQL, SQLite (a libSQL file) through Payload's
 * generic database API, and MongoDB (FerretDB in the test world) through the driver. One
 * `next build` of the dev site serves all three, since the site picks its adapter from
 * DATABASE_URI when it starts. For each database in turn: a fresh database seeded by
 * bench/site/seed.ts, `next start` with BENCH_FLOORS=1, and autocannon at 50 connections on
 *   - the plugin's token route `POST /api/live-streams/:id/token`, against floor (b): a bare Next
 *     route doing only a token's irreducible work, whose one indexed read of the stream's room
 *     goes through that database's own driver (`pg`, `@libsql/client`, `mongodb`;
 *     bench/floors/tokenWork.ts). Rounds interleave the two, so a burst of someone else's work
 *     hits floor and figure alike;
 *   - BENCH_EVENTS signed join/leave events posted to `/api/livekit/webhook`, timed until every
 *     one is applied (the inbox counted through the driver), the audience figures checked exact
 *     through the REST API; against floor (w): a bare Next route that verifies each delivery's
 *     signature and inserts the event once into a table of its own through the driver
 *     (bench/floors/webhookWork.ts), loaded with the same deliveries.
 * A first, smaller batch to the site's second stream warms the webhook path up untimed.
 * Printed: per database, each figure with its floor and the ratios; then each database's figures
 * over PostgreSQL's. On a shared two-core machine absolute figures move from run to run; the
 * ratios to a floor of the same run much less, and the floors show what each database costs
 * before the plugin does anything.
 *
 * `BENCH=adapters npm run bench` runs it inside the test network namespace (PostgreSQL, LiveKit,
 * FerretDB at TEST_MONGODB_URI). BENCH_SECONDS, BENCH_ROUNDS, BENCH_EVENTS change the load;
 * BENCH_SKIP_BUILD=1 reuses dev/.next; BENCH_ADAPTERS=postgres,sqlite measures only those.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import type { DatabaseKind } from '../dev/databaseKind.js'

import { createDatabase } from '../test/helpers/testSite.js'
import { floorDatabase } from './floors/floorDatabase.js'
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
import {
  type Env,
  nextBuild,
  nextStart,
  ROOT,
  type Service,
  startScript,
} from './site/processes.js'
import {
  type Batch,
  floorWebhooks,
  pluginWebhooks,
  signedBatch,
  type WebhookRun,
} from './site/webhookLoad.js'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2)
const EVENTS = Number(process.env.BENCH_EVENTS ?? 6000)
const WARM_UP_EVENTS = Math.min(500, EVENTS)
const ALL: DatabaseKind[] = ['postgres', 'sqlite', 'mongodb']
const ADAPTERS = (process.env.BENCH_ADAPTERS?.split(',') ?? ALL) as DatabaseKind[]
const PORT = 3210

const services: Service[] = []
const stopAll = () => Promise.all(services.splice(0).map((s) => s.stop()))
process.on('SIGINT', () => void stopAll().then(() => process.exit(130)))

interface Seeded {
  streamId: number | string
  roomName: string
  nodeStreamId: number | string
  nodeRoomName: string
  email: string
  adminEmail: string
  password: string
}

/** What one database measured. */
interface AdapterFigures {
  adapter: DatabaseKind
  tokenFloor: Figure
  tokenRoute: Figure
  webhookFloor: WebhookRun
  webhooks: WebhookRun
}

async function main() {
  const unknown = ADAPTERS.filter((a) => !ALL.includes(a))
  if (unknown.length) {
    throw new Error(`BENCH_ADAPTERS: no database ${unknown.join(', ')} (${ALL.join(', ')}).`)
  }
  let built = false
  const buildOnce = async (env: Env) => {
    if (built) {
      return
    }
    built = true
    if (process.env.BENCH_SKIP_BUILD === '1' && existsSync(path.join(ROOT, 'dev/.next/BUILD_ID'))) {
      console.log('reusing dev/.next (BENCH_SKIP_BUILD=1)')
      return
    }
    console.log(
      'next build of the dev site (several minutes on two cores; log in artifacts/bench/)',
    )
    const t0 = performance.now()
    await nextBuild(env)
    console.log(`  built in ${((performance.now() - t0) / 1000).toFixed(0)} s`)
  }
  console.log(
    `${ADAPTERS.join(', ')} in turn: ${ROUNDS} round(s) of ${SECONDS} s per token target at ${CONNECTIONS} connections, ${EVENTS} webhook events each`,
  )
  const results: AdapterFigures[] = []
  for (const adapter of ADAPTERS) {
    results.push(await measure(adapter, buildOnce))
  }
  report(results)
}

/** A fresh, empty database of the kind, and how to remove it once its site has stopped. */
async function freshDatabase(adapter: DatabaseKind): Promise<{ uri: string; remove: () => void }> {
  const name = `bench_adapters_${Date.now()}`
  switch (adapter) {
    case 'mongodb': {
      const server = process.env.TEST_MONGODB_URI
      if (!server) {
        throw new Error(
          'TEST_MONGODB_URI is not set: run `BENCH=adapters npm run bench`, which starts FerretDB, or leave mongodb out of BENCH_ADAPTERS.',
        )
      }
      const url = new URL(server)
      url.pathname = `/${name}`
      return { uri: url.toString(), remove: () => undefined }
    }
    case 'postgres':
      // On the run's throwaway cluster, as the other benchmarks' databases.
      return { uri: await createDatabase(name), remove: () => undefined }
    case 'sqlite': {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'plk-bench-'))
      return {
        uri: `file:${path.join(dir, 'site.db')}`,
        remove: () => rmSync(dir, { recursive: true, force: true }),
      }
    }
  }
}

async function measure(
  adapter: DatabaseKind,
  buildOnce: (env: Env) => Promise<void>,
): Promise<AdapterFigures> {
  const database = await freshDatabase(adapter)
  const env = {
    DATABASE_URI: database.uri,
    SITE_URL: `http://127.0.0.1:${PORT}`,
    PORT: String(PORT),
  }
  console.log(`\n${adapter}: seeding a fresh database (a live stream, a ticket holder, an admin)`)
  const seeded = (await startScript(`seed-${adapter}`, 'bench/site/seed.ts', env))
    .ready as unknown as Seeded
  await buildOnce(env)
  const site = await nextStart(
    PORT,
    { ...env, BENCH_FLOORS: '1' },
    '/bench/hello',
    `next-start-${adapter}`,
  )
  services.push(site)
  const floor = await floorDatabase(database.uri)
  const inbox = inboxCounts(database.uri)
  try {
    const login = (email: string) => loginHeader(site.url, email, seeded.password)
    const viewer = await login(seeded.email)
    const admin = await login(seeded.adminEmail)
    const post = {
      method: 'POST',
      headers: { authorization: viewer, 'content-type': 'application/json' },
      body: '{}',
    }
    const targets: Record<'tokenFloor' | 'tokenRoute', Target> = {
      tokenFloor: { url: `${site.url}/bench/live-streams/${seeded.streamId}/token`, ...post },
      tokenRoute: { url: `${site.url}/api/live-streams/${seeded.streamId}/token`, ...post },
    }
    const webhookFloorUrl = `${site.url}/bench/livekit/webhook`
    const webhookUrl = `${site.url}/api/livekit/webhook`

    // Every target answers what it should before anything is timed (a floor that 404s measures
    // nothing); the webhooks with an event of a room no stream has, which changes no figure.
    for (const [name, target] of Object.entries(targets)) {
      await expectOk(`${adapter} ${name}`, target, '"token"')
    }
    const [probe] = (await signedBatch(`bench-probe-${adapter}`, 1)).deliveries
    for (const [name, url] of [
      ['webhook floor', webhookFloorUrl],
      ['webhook route', webhookUrl],
    ]) {
      await expectOk(
        `${adapter} ${name}`,
        {
          url,
          method: 'POST',
          headers: {
            'content-type': 'application/webhook+json',
            authorization: probe.authorization,
          },
          body: probe.body,
        },
        '"received"',
      )
    }

    console.log(`${adapter}: next start ${site.url}; warming up`)
    for (const target of Object.values(targets)) {
      await load(target, 3)
    }
    const warmUp = await signedBatch(seeded.nodeRoomName, WARM_UP_EVENTS)
    await floorWebhooks(webhookFloorUrl, warmUp, floor)
    await pluginWebhooks({
      targetUrl: site.url,
      siteUrl: site.url,
      streamId: seeded.nodeStreamId,
      batch: warmUp,
      inbox,
      admin,
    })

    const figures: Record<keyof typeof targets, Figure[]> = { tokenFloor: [], tokenRoute: [] }
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of ['tokenFloor', 'tokenRoute'] as const) {
        const figure = await load(targets[name], SECONDS)
        figures[name].push(figure)
        console.log(
          `  round ${round + 1} ${name}: ${figure.rate.toFixed(0)} req/s, p50 ${figure.p50} ms, p99 ${figure.p99} ms${figure.failed ? `, ${figure.failed} failed` : ''}`,
        )
      }
    }

    const batch: Batch = await signedBatch(seeded.roomName, EVENTS)
    const webhookFloor = await floorWebhooks(webhookFloorUrl, batch, floor)
    console.log(
      `  webhook floor: ${webhookFloor.figure.rate.toFixed(0)} events/s stored (${webhookFloor.said})`,
    )
    const webhooks = await pluginWebhooks({
      targetUrl: site.url,
      siteUrl: site.url,
      streamId: seeded.streamId,
      batch,
      inbox,
      admin,
    })
    console.log(
      `  webhooks: ${webhooks.figure.rate.toFixed(0)} events/s applied, audience figures ${webhooks.said}`,
    )
    return {
      adapter,
      tokenFloor: mean(figures.tokenFloor),
      tokenRoute: mean(figures.tokenRoute),
      webhookFloor,
      webhooks,
    }
  } finally {
    await Promise.all([floor.close(), inbox.close()])
    services.splice(services.indexOf(site), 1)
    await site.stop()
    database.remove()
  }
}

/** The run's table: per database each figure and its floor; then every database over PostgreSQL. */
function report(results: AdapterFigures[]) {
  const cell = (text: string, width: number) => text.padStart(width)
  console.log('')
  console.log(
    `${'database'.padEnd(9)} ${'figure'.padEnd(34)} ${cell('req/s', 7)} ${cell('p50 ms', 7)} ${cell('p99 ms', 7)}  floor ${cell('req/s ×', 7)} ${cell('p50 ×', 6)} ${cell('p99 ×', 6)}`,
  )
  for (const r of results) {
    const rows: Array<[string, Figure, string, Figure | null]> = [
      ['(b) bare Next route, token work', r.tokenFloor, '', null],
      ['token route under next start', r.tokenRoute, '(b)', r.tokenFloor],
      ['(w) bare Next route, webhook work', r.webhookFloor.figure, '', null],
      ['webhooks applied (events/s)', r.webhooks.figure, '(w)', r.webhookFloor.figure],
    ]
    for (const [label, figure, floorName, floor] of rows) {
      console.log(
        `${r.adapter.padEnd(9)} ${label.padEnd(34)} ${cell(figure.rate.toFixed(0), 7)} ${cell(figure.p50.toFixed(1), 7)} ${cell(figure.p99.toFixed(1), 7)}  ${floorName.padEnd(5)} ` +
          (floor
            ? `${cell(ratio(figure.rate, floor.rate), 7)} ${cell(ratio(floor.p50, figure.p50), 6)} ${cell(ratio(floor.p99, figure.p99), 6)}`
            : ''),
      )
    }
  }
  console.log(
    "(req/s ×: the figure over its floor; p50 × and p99 ×: the floor's latency over the figure's, so 1.00 is as fast as the floor; (w) and webhooks in events/s)",
  )

  const base = results.find((r) => r.adapter === 'postgres') ?? results[0]
  console.log('')
  console.log(
    `over ${base.adapter}: ${cell('token route', 11)} ${cell('(b)', 6)} ${cell('webhooks', 9)} ${cell('(w)', 6)}`,
  )
  for (const r of results) {
    console.log(
      `${r.adapter.padEnd(13)} ${cell(ratio(r.tokenRoute.rate, base.tokenRoute.rate), 11)} ${cell(ratio(r.tokenFloor.rate, base.tokenFloor.rate), 6)} ${cell(ratio(r.webhooks.figure.rate, base.webhooks.figure.rate), 9)} ${cell(ratio(r.webhookFloor.figure.rate, base.webhookFloor.figure.rate), 6)}`,
    )
  }
  console.log(`(req/s and events/s over the same figure on ${base.adapter})`)

  console.log('')
  for (const r of results) {
    console.log(
      `${r.adapter}: ${EVENTS} signed join/leave events; floor ${r.webhookFloor.said} after ${r.webhookFloor.doneSeconds.toFixed(2)} s, ${r.webhookFloor.failed} failed; plugin answered at ${r.webhooks.answerRate.toFixed(0)}/s, ${r.webhooks.failed} failed, applied after ${r.webhooks.doneSeconds.toFixed(2)} s, audience figures ${r.webhooks.said}`,
    )
  }
  const failures = results.reduce(
    (n, r) =>
      n + r.tokenFloor.failed + r.tokenRoute.failed + r.webhookFloor.failed + r.webhooks.failed,
    0,
  )
  const inexact = results.filter((r) => !r.webhooks.exact || !r.webhookFloor.exact)
  if (failures || inexact.length) {
    console.log(
      `MISS  every answer a 200 and every event stored and applied exactly: ${failures} failed${inexact.length ? `, not exact on ${inexact.map((r) => r.adapter).join(', ')}` : ''}`,
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
