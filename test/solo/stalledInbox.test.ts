import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { INBOX_REFUSALS, MAX_WAITING, STORE_TIMEOUT_MS } from '../../src/webhooks/inbox.js'
import { expectErrorShape } from '../helpers/errors.js'
import { serveSite, type SiteServer } from '../helpers/httpServer.js'
import { rawDatabase } from '../helpers/rawDatabase.js'
import { startTestSite, type TestSite } from '../helpers/testSite.js'
import { deliver, livekitEvent, signWebhook } from '../helpers/webhooks.js'

/*
 * A flood of LiveKit deliveries while the database stalls: the inbox answers 503 within bounds
 * and refuses what its queue cannot hold. 1,600 connections at once keep two cores busy for
 * seconds of their own, so this runs alone (the `solo` project), where its time bounds measure
 * the plugin rather than the test files that would run next to it.
 */

let site: TestSite
let server: SiteServer

beforeAll(async () => {
  site = await startTestSite({ plugin: { lifecycle: { autoRun: false, reconcileCron: false } } })
  server = await serveSite(site)
}, 120_000)
afterAll(async () => {
  await server?.close()
  await site?.close()
})

describe('a stalled database', () => {
  it('a stalled database answers LiveKit 503 in seconds (so it retries), and too many waiting deliveries are refused at once', async () => {
    const raw = await rawDatabase(site.databaseUri)
    // Another connection holds the inbox: every write to it waits.
    let release = await raw.stallInbox()
    try {
      const stalled = livekitEvent('room_started', { room: { name: 'stalled-room' } })
      const started = Date.now()
      const first = await deliver(server.url, stalled)
      expect(first.status).toBe(503)
      expectErrorShape(first, 'inbox_unavailable')
      expect(Date.now() - started).toBeLessThan(STORE_TIMEOUT_MS + 3_000)

      // A flood while the database stalls: what the queue cannot hold is refused without waiting.
      const signed = await Promise.all(
        Array.from({ length: MAX_WAITING + 600 }, async () => {
          const body = JSON.stringify(
            livekitEvent('room_started', { room: { name: 'flood-room' } }),
          )
          return { body, authorization: await signWebhook(body) }
        }),
      )
      const flood = await Promise.all(
        signed.map(async ({ body, authorization }) => {
          const t = Date.now()
          const answer = await fetch(`${server.url}/api/livekit/webhook`, {
            method: 'POST',
            headers: { authorization },
            body,
          })
          const json = (await answer.json().catch(() => ({}))) as { error?: { message?: string } }
          return { status: answer.status, ms: Date.now() - t, message: json.error?.message }
        }),
      )
      expect(flood.every((a) => a.status === 503)).toBe(true)
      // Some refused without waiting out the store timeout: the queue was full, or (SQLite) the
      // database said at once that it is busy. The server says which; on a busy machine, the
      // time a refusal takes to come back says little.
      expect(
        flood.some((a) => a.message === INBOX_REFUSALS.full || a.message === INBOX_REFUSALS.busy),
      ).toBe(true)
      // Every one came back (1,600 connections at once keep two cores busy for seconds of their
      // own), and a delivery after the flood, the database still stalled, waits no longer than
      // the first one did.
      expect(Math.max(...flood.map((a) => a.ms))).toBeLessThan(STORE_TIMEOUT_MS + 15_000)
      const after = Date.now()
      const probe = await deliver(
        server.url,
        livekitEvent('room_started', { room: { name: 'after-flood-room' } }),
      )
      expect(probe.status).toBe(503)
      expect(Date.now() - after).toBeLessThan(STORE_TIMEOUT_MS + 3_000)
      await release()
      release = () => Promise.resolve()
      // LiveKit's retry of the first delivery is stored (or found stored) once the database is back.
      expect((await deliver(server.url, stalled)).status).toBe(200)
      expect(
        await site.payload.count({
          collection: 'livekit-webhook-events',
          where: { eventId: { equals: stalled.id as string } },
        }),
      ).toMatchObject({ totalDocs: 1 })
    } finally {
      await release()
      await raw.close()
    }
  }, 120_000)
})
