import { afterAll, describe, expect, it } from 'vitest'

import { LIVEKIT_ROOM_OPERATIONS, type LivekitRooms } from '../../src/livekit/index.js'
import { serveSite, type SiteServer } from '../helpers/httpServer.js'
import { startTestSite, type TestSite } from '../helpers/testSite.js'
import { deliver, livekitEvent, signWebhook } from '../helpers/webhooks.js'

// A site's own LiveKit adapter (tracing, LiveKit Cloud features) is checked when Payload starts,
// and its failures are told apart from forged webhook deliveries.
const started: { site: TestSite; server?: SiteServer }[] = []

afterAll(async () => {
  for (const { site, server } of started) {
    await server?.close()
    await site.close()
  }
})

const quiet = { lifecycle: { autoRun: false, reconcileCron: false } } as const

describe("a site's own LiveKit adapter", () => {
  it('missing an operation stops Payload at start, naming what is missing', async () => {
    const incomplete = () =>
      ({
        clientUrl: 'ws://127.0.0.1:7880',
        ...Object.fromEntries(
          LIVEKIT_ROOM_OPERATIONS.filter((name) => name !== 'mintToken').map((name) => [
            name,
            () => Promise.resolve(undefined),
          ]),
        ),
      }) as unknown as LivekitRooms
    await expect(
      startTestSite({ plugin: { ...quiet, livekit: { adapter: incomplete } } }),
    ).rejects.toThrow(/mintToken/)
  })

  it('that breaks while verifying a webhook gets a 500 (LiveKit retries), not a 401 for a forgery', async () => {
    const site = await startTestSite({
      plugin: {
        ...quiet,
        livekit: {
          adapter: ({ defaultAdapter }) =>
            new Proxy(defaultAdapter, {
              get: (target, name) =>
                name === 'receiveWebhook'
                  ? () => Promise.reject(new Error('the tracing exporter is down'))
                  : (Reflect.get(target, name) as unknown),
            }),
        },
      },
    })
    const server = await serveSite(site)
    started.push({ site, server })
    const body = JSON.stringify(livekitEvent('room_started', { room: { name: 'adapter-room' } }))
    const answer = await deliver(server.url, body, await signWebhook(body))
    expect(answer.status).toBe(500)
    expect(answer.json).toMatchObject({ error: { code: 'internal_error' } })
    expect(JSON.stringify(answer.json)).not.toContain('tracing exporter')
    const stored = await site.payload.count({ collection: 'livekit-webhook-events' })
    expect(stored.totalDocs).toBe(0)
  })

  it('wrapping the default keeps forged deliveries a 401', async () => {
    const site = await startTestSite({
      plugin: { ...quiet, livekit: { adapter: ({ defaultAdapter }) => defaultAdapter } },
    })
    const server = await serveSite(site)
    started.push({ site, server })
    const body = JSON.stringify(livekitEvent('room_started', { room: { name: 'adapter-room' } }))
    const forged = await deliver(
      server.url,
      body,
      await signWebhook(body, { secret: 'y'.repeat(32) }),
    )
    expect(forged).toMatchObject({ status: 401, json: { error: { code: 'invalid_signature' } } })
    const signed = await deliver(server.url, body)
    expect(signed.status).toBe(200)
  })
})
