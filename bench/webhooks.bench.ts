/**
 * Webhook ingestion rate (issue: LiveKit webhooks).
 *
 * Signed participant join/leave events through `POST /api/livekit/webhook` (verify, store, apply)
 * with 50 concurrent senders, against `WebhookReceiver.receive` alone in the same run. Checks that
 * nothing was lost or counted twice. Target: >= 1,000 events/s; p99 printed.
 */
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'

import { WebhookReceiver } from 'livekit-server-sdk'

import { makeEventStream } from '../test/helpers/eventStream.js'
import { signWebhook } from '../test/helpers/webhooks.js'

const CONCURRENCY = 50
const EVENTS = Number(process.env.BENCH_EVENTS ?? 3000)

const child = spawn('npx', ['tsx', 'bench/siteProcess.ts'], { stdio: ['ignore', 'pipe', 'inherit'] })
const ready = await new Promise<{ url: string; streamId: string | number; roomName: string; email: string; password: string }>((resolve, reject) => {
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith('{"url"')) resolve(JSON.parse(line))
  })
  child.once('exit', (code) => reject(new Error(`site process exited with ${code}`)))
})

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

/** Sends every body once with 50 senders; returns the rate, sorted latencies and failures. */
async function send() {
  const latencies: number[] = []
  let failures = 0
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const b = bodies[next++]!
        const t0 = performance.now()
        const response = await fetch(`${ready.url}/api/livekit/webhook`, { method: 'POST', headers: { authorization: b.authorization, 'content-type': 'application/webhook+json' }, body: b.body })
        await response.arrayBuffer()
        if (response.status !== 200) failures++
        latencies.push(performance.now() - t0)
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  return { rate: bodies.length / seconds, seconds, latencies, failures }
}
const { rate, seconds, latencies, failures } = await send()
// The same events again: every one a duplicate (verify, one inbox lookup, 200). This is what the
// endpoint costs without applying anything: Payload's request pipeline plus verification.
const repeat = await send()

// Read back the figures the events should have produced (as the site's admin would see them).
const status = await fetch(`${ready.url}/api/live-streams/${ready.streamId}`, {}).then((r) => r.json()) as Record<string, number>
const exact = status.currentViewers === stream.expected.currentViewers && status.uniqueViewers === stream.expected.uniqueViewers
console.log(`WebhookReceiver.receive alone: ${verifyRate.toFixed(0)} events/s (single thread, ceiling)`)
console.log(`the same events again (duplicates: verify + inbox lookup, nothing applied): ${repeat.rate.toFixed(0)} events/s, p99 ${repeat.latencies[Math.floor(repeat.latencies.length * 0.99)]!.toFixed(1)} ms, ${repeat.failures} failed`)
console.log(
  `POST /api/livekit/webhook: ${bodies.length} events in ${seconds.toFixed(1)} s = ${rate.toFixed(0)} events/s, p50 ${latencies[Math.floor(latencies.length / 2)]!.toFixed(1)} ms, p99 ${latencies[Math.floor(latencies.length * 0.99)]!.toFixed(1)} ms, ` +
    `${failures} failed; ratio to verification alone ${(rate / verifyRate).toFixed(3)}; figures ${exact ? 'exact' : `WRONG (current ${status.currentViewers} vs ${stream.expected.currentViewers}, unique ${status.uniqueViewers} vs ${stream.expected.uniqueViewers})`}; ` +
    `target >= 1000 events/s -> ${rate >= 1000 && failures === 0 && exact ? 'PASS' : 'MISS'}`,
)
child.kill('SIGTERM')
await new Promise((r) => child.once('exit', r))
process.exit(0)
