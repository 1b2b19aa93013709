/**
 * Webhook ingestion rate (issue: LiveKit webhooks).
 *
 * Signed participant join/leave events through `POST /api/livekit/webhook` as the dev site serves
 * it (the plugin's webhook route), 50 concurrent senders, timed until the last event is applied
 * (verify, store, apply), against `WebhookReceiver.receive` alone in the same run. Checks that
 * nothing was lost or counted twice. Target: >= 1,000 events/s; answer p99 printed.
 */
import { startBenchSite } from './startSite.js'
import { WebhookReceiver } from 'livekit-server-sdk'

import { makeEventStream } from '../test/helpers/eventStream.js'
import { signWebhook } from '../test/helpers/webhooks.js'

const CONCURRENCY = 50
const EVENTS = Number(process.env.BENCH_EVENTS ?? 3000)

const ready = await startBenchSite()

const stream = makeEventStream(ready.roomName, Math.ceil(EVENTS / 3), 5, EVENTS)
const bodies = await Promise.all(stream.events.map(async (e) => { const body = JSON.stringify(e); return { body, authorization: await signWebhook(body) } }))

// Baseline: verification alone, no HTTP, no database.
const receiver = new WebhookReceiver(process.env.LIVEKIT_API_KEY!, process.env.LIVEKIT_API_SECRET!)
let verified = 0
const verifyEnd = performance.now() + 2000
while (performance.now() < verifyEnd) {
  const b = bodies[verified % bodies.length]!
  await receiver.receive(b.body, b.authorization)
  verified++
}
const verifyRate = verified / 2

const admin = await fetch(`${ready.url}/api/users/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: ready.adminEmail, password: ready.password }),
}).then(async (r) => `JWT ${((await r.json()) as { token: string }).token}`)

/** Events of the room the inbox holds unapplied (and not failed), as the site's admin sees it. */
async function unapplied(): Promise<number> {
  const query = `where[roomName][equals]=${encodeURIComponent(ready.roomName)}&where[appliedAt][exists]=false&where[error][exists]=false&limit=1&depth=0`
  const answer = (await fetch(`${ready.url}/api/livekit-webhook-events?${query}`, { headers: { authorization: admin } }).then((r) => r.json())) as { totalDocs: number }
  return answer.totalDocs
}

/**
 * Sends every body once with 50 senders to `base`; returns the answer rate and latencies, and
 * the rate counted until the last event is applied (answers come once an event is stored).
 */
async function send(base: string) {
  const latencies: number[] = []
  let failures = 0
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const b = bodies[next++]!
        const t0 = performance.now()
        const response = await fetch(`${base}/api/livekit/webhook`, { method: 'POST', headers: { authorization: b.authorization, 'content-type': 'application/webhook+json' }, body: b.body })
        await response.arrayBuffer()
        if (response.status !== 200) failures++
        latencies.push(performance.now() - t0)
      }
    }),
  )
  const answered = (performance.now() - started) / 1000
  while ((await unapplied()) > 0) await new Promise((r) => setTimeout(r, 10))
  const applied = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  const p = (q: number) => latencies[Math.floor(latencies.length * q)]!.toFixed(1)
  return { rate: bodies.length / applied, answerRate: bodies.length / answered, applied, p50: p(0.5), p99: p(0.99), failures }
}
const first = await send(ready.url)
// The same events again: every one a duplicate (verify, one insert that finds the id, 200): what
// the route costs without applying anything, and the same through Payload's REST handler.
const repeat = await send(ready.url)
const repeatViaPayload = await send(ready.payloadUrl)

// Read back the figures the events should have produced (as the site's admin would see them).
const status = await fetch(`${ready.url}/api/live-streams/${ready.streamId}`, {}).then((r) => r.json()) as Record<string, number>
const exact = status.currentViewers === stream.expected.currentViewers && status.uniqueViewers === stream.expected.uniqueViewers
console.log(`WebhookReceiver.receive alone: ${verifyRate.toFixed(0)} events/s (single thread, ceiling)`)
console.log(`the same events again (duplicates, nothing applied): ${repeat.answerRate.toFixed(0)} events/s, p99 ${repeat.p99} ms, ${repeat.failures} failed; through Payload's REST handler: ${repeatViaPayload.answerRate.toFixed(0)} events/s, p99 ${repeatViaPayload.p99} ms`)
console.log(
  `POST /api/livekit/webhook (webhook route): ${bodies.length} events stored and applied in ${first.applied.toFixed(2)} s = ${first.rate.toFixed(0)} events/s (answered at ${first.answerRate.toFixed(0)}/s), ` +
    `answer p50 ${first.p50} ms, p99 ${first.p99} ms, ${first.failures} failed; ratio to verification alone ${(first.rate / verifyRate).toFixed(3)}; ` +
    `figures ${exact ? 'exact' : `WRONG (current ${status.currentViewers} vs ${stream.expected.currentViewers}, unique ${status.uniqueViewers} vs ${stream.expected.uniqueViewers})`}; ` +
    `target >= 1000 events/s -> ${first.rate >= 1000 && first.failures === 0 && exact ? 'PASS' : 'MISS'}`,
)
await ready.stop()
process.exit(0)
