/**
 * Token issue rate (issue: tokens, tickets, tenants and moderation).
 *
 * Through HTTP with 50 concurrent clients for a logged-in attendee: `POST /api/live-streams/:id/token`
 * served as the dev site serves it (the plugin's token route mounted), against Payload's own
 * authenticated `GET /api/users/me` and a bare `AccessToken.toJwt()`, all measured in this run.
 * The same endpoint through Payload's REST handler (a site without the route file) is printed too.
 * Targets: token route >= 0.5 x the /users/me rate, >= 1,000 tokens/s, p99 < 100 ms.
 */
import { AccessToken } from 'livekit-server-sdk'

import { startBenchSite } from './startSite.js'

const CONCURRENCY = 50
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8)

const ready = await startBenchSite()

const login = await fetch(`${ready.url}/api/users/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: ready.email, password: ready.password }),
})
const authorization = `JWT ${((await login.json()) as { token: string }).token}`

async function load(name: string, request: () => Promise<Response>) {
  // Warm up, then measure for a fixed time with CONCURRENCY clients in a closed loop.
  for (let i = 0; i < 50; i++) await (await request()).arrayBuffer()
  const latencies: number[] = []
  let errors = 0
  const end = performance.now() + SECONDS * 1000
  const started = performance.now()
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now()
        const response = await request()
        await response.arrayBuffer()
        if (response.status !== 200) errors++
        latencies.push(performance.now() - t0)
      }
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  const rate = latencies.length / elapsed
  const p50 = latencies[Math.floor(latencies.length * 0.5)]!
  const p99 = latencies[Math.floor(latencies.length * 0.99)]!
  console.log(`${name}: ${rate.toFixed(0)} req/s, p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, ${errors} non-200`)
  return { rate, p99, errors }
}

const me = await load('GET /api/users/me (Payload, authenticated)', () => fetch(`${ready.url}/api/users/me`, { headers: { authorization } }))
const tokenRequest = (base: string) => () =>
  fetch(`${base}/api/live-streams/${ready.streamId}/token`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: '{}' })
await load('POST /api/live-streams/:id/token through Payload\'s REST handler (no route file)', tokenRequest(ready.payloadUrl))
const tokens = await load('POST /api/live-streams/:id/token (token route, as the dev site mounts it)', tokenRequest(ready.url))

// Bare signing in one process, no HTTP, no database: the ceiling.
let signed = 0
const signEnd = performance.now() + 2000
while (performance.now() < signEnd) {
  const at = new AccessToken('devkey', 'devsecret-payload-plugin-livekit-0001', { identity: `user-${signed}`, ttl: 3600 })
  at.addGrant({ room: 'bench', roomJoin: true, canSubscribe: true })
  await at.toJwt()
  signed++
}
const bare = signed / 2

const ratio = tokens.rate / me.rate
console.log(`bare AccessToken.toJwt(): ${bare.toFixed(0)} tokens/s (single thread, ceiling)`)
console.log(
  `token endpoint / users/me = ${ratio.toFixed(2)} (target >= 0.5), ${tokens.rate.toFixed(0)} tokens/s (target >= 1000), p99 ${tokens.p99.toFixed(1)} ms (target < 100) -> ` +
    `${ratio >= 0.5 && tokens.rate >= 1000 && tokens.p99 < 100 && tokens.errors === 0 ? 'PASS' : 'MISS'}; 10,000 viewers join in ${(10_000 / tokens.rate).toFixed(1)} s`,
)
await ready.stop()
process.exit(0)
