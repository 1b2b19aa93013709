import autocannon from 'autocannon'

import type { FloorDatabase } from '../floors/floorDatabase.js'
import type { InboxCounts } from './inboxCounts.js'

import { makeEventStream } from '../../test/helpers/eventStream.js'
import { signWebhook } from '../../test/helpers/webhooks.js'
import { CONNECTIONS, type Figure, figureOf } from './load.js'

/** One LiveKit delivery: the body and its signature. */
export interface Delivery {
  body: string
  authorization: string
}

/** A batch of deliveries for one room and the audience figures the events say. */
export interface Batch {
  room: string
  deliveries: Delivery[]
  expected: { currentViewers: number; uniqueViewers: number }
}

/**
 * `count` participant join/leave events for `room` (a third as many viewers, some of them
 * reconnecting), each signed as livekit-server signs it: a JWT of the API key carrying the
 * body's sha256. Valid for an hour, so one batch can go to a floor and to the plugin in turn
 * however long the plugin takes to apply it.
 */
export async function signedBatch(room: string, count: number): Promise<Batch> {
  const stream = makeEventStream(room, Math.ceil(count / 3), 7, count)
  const deliveries = await Promise.all(
    stream.events.map(async (e) => {
      const body = JSON.stringify(e)
      return { body, authorization: await signWebhook(body, { expiresInSeconds: 3600 }) }
    }),
  )
  return { room, deliveries, expected: stream.expected }
}

/** Posts every delivery once, 50 at a time, as LiveKit would; how long until all were answered. */
export async function postDeliveries(url: string, deliveries: Delivery[]) {
  let next = 0
  const started = performance.now()
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    amount: deliveries.length,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const d = deliveries[next++ % deliveries.length]
          return {
            ...request,
            body: d.body,
            headers: { 'content-type': 'application/webhook+json', authorization: d.authorization },
          }
        },
      },
    ],
  })
  return { result, answeredSeconds: (performance.now() - started) / 1000 }
}

export interface WebhookRun {
  /** Events stored (floor) or applied (plugin) per second, and the answers' latency. */
  figure: Figure
  answerRate: number
  /** Seconds from the first delivery until the last event was stored or applied. */
  doneSeconds: number
  failed: number
  /** Whether every event was stored (and, for the plugin, applied and counted) exactly. */
  exact: boolean
  /** What was stored, applied and counted, in words. */
  said: string
}

/**
 * The webhook floor: the batch posted to a bare route that verifies and inserts each event; its
 * answer follows the insert, so the events are stored once the last is answered (checked).
 */
export async function floorWebhooks(
  url: string,
  batch: Batch,
  floor: FloorDatabase,
): Promise<WebhookRun> {
  const { result, answeredSeconds } = await postDeliveries(url, batch.deliveries)
  const stored = await floor.storedEvents(batch.room)
  const figure = figureOf(result, answeredSeconds)
  return {
    figure: { ...figure, rate: stored / answeredSeconds },
    answerRate: batch.deliveries.length / answeredSeconds,
    doneSeconds: answeredSeconds,
    failed: figure.failed,
    exact: stored === batch.deliveries.length,
    said: `${stored} of ${batch.deliveries.length} stored`,
  }
}

export interface PluginWebhooksInput {
  /** The server taking the deliveries (`…/api/livekit/webhook` is posted to). */
  targetUrl: string
  /** The site whose REST API shows the stream's audience figures. */
  siteUrl: string
  streamId: number | string
  batch: Batch
  inbox: InboxCounts
  /** An admin's `Authorization` header, to read the stream. */
  admin: string
  /** How often the inbox is counted while the site applies. */
  pollMs?: number
  /** How long to wait for the last event before giving up (the figures then say WRONG). */
  timeoutMs?: number
}

/**
 * The batch posted to the plugin's webhook route and timed until the last event is applied (the
 * plugin answers once an event is stored; applying follows in batches per room); then the
 * stream's audience figures are checked against what the events say.
 */
export async function pluginWebhooks(input: PluginWebhooksInput): Promise<WebhookRun> {
  const { batch, inbox, pollMs = 20, timeoutMs = 600_000 } = input
  const started = performance.now()
  // The inbox is watched while the deliveries go out, so the time is taken when the last event
  // is applied, not when the load generator ends its run (autocannon ends on whole-second ticks).
  let doneAt: null | number = null
  let posting = true
  const watching = (async () => {
    while (performance.now() - started < timeoutMs) {
      const applied = await inbox.applied(batch.room)
      if (
        applied >= batch.deliveries.length ||
        (!posting && (await inbox.unapplied(batch.room)) === 0)
      ) {
        doneAt = performance.now()
        return
      }
      await new Promise((r) => setTimeout(r, pollMs))
    }
  })()
  const { result, answeredSeconds } = await postDeliveries(
    `${input.targetUrl}/api/livekit/webhook`,
    batch.deliveries,
  ).finally(() => (posting = false))
  await watching
  const doneSeconds = ((doneAt ?? performance.now()) - started) / 1000
  const applied = await inbox.applied(batch.room)
  const status = (await fetch(`${input.siteUrl}/api/live-streams/${input.streamId}`, {
    headers: { authorization: input.admin },
  }).then((r) => r.json())) as Record<string, number>
  const exact =
    status.currentViewers === batch.expected.currentViewers &&
    status.uniqueViewers === batch.expected.uniqueViewers &&
    applied === batch.deliveries.length
  const figure = figureOf(result, doneSeconds)
  return {
    figure: { ...figure, rate: applied / doneSeconds },
    answerRate: batch.deliveries.length / answeredSeconds,
    doneSeconds,
    failed: figure.failed,
    exact,
    said: exact
      ? `exact (${applied} applied, current ${status.currentViewers}, unique ${status.uniqueViewers})`
      : `WRONG (${applied} of ${batch.deliveries.length} applied; current ${status.currentViewers} vs ${batch.expected.currentViewers}, unique ${status.uniqueViewers} vs ${batch.expected.uniqueViewers})`,
  }
}
