import type { Payload } from 'payload'

import { SignJWT } from 'jose'
import { createHash } from 'node:crypto'
import pg from 'pg'

import { ferretdbInboxTable } from './rawDatabase.js'
import { testDatabase } from './testSite.js'

/** Signs a body the way livekit-server does: a JWT from the API key carrying the body's sha256. */
export async function signWebhook(
  body: string,
  opts: { secret?: string; key?: string; expiresInSeconds?: number } = {},
): Promise<string> {
  const sha256 = createHash('sha256').update(body).digest('base64')
  const now = Math.floor(Date.now() / 1000)
  return new SignJWT({ sha256 })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(opts.key ?? process.env.LIVEKIT_API_KEY!)
    .setNotBefore(now - 600)
    .setExpirationTime(now + (opts.expiresInSeconds ?? 300))
    .sign(new TextEncoder().encode(opts.secret ?? process.env.LIVEKIT_API_SECRET!))
}

let counter = 0
/** A LiveKit webhook event as JSON (proto3 JSON: int64 as strings, enums by name). */
export function livekitEvent(
  event: string,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  counter++
  return {
    id: `EV_test_${Date.now()}_${counter}_${Math.random().toString(36).slice(2, 8)}`,
    event,
    createdAt: String(Math.floor(Date.now() / 1000)),
    ...fields,
  }
}

/** Posts an event to a site's webhook endpoint with a valid (or given) signature. */
export async function deliver(
  url: string,
  event: Record<string, unknown> | string,
  authorization?: string,
) {
  const body = typeof event === 'string' ? event : JSON.stringify(event)
  const response = await fetch(`${url}/api/livekit/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/webhook+json',
      authorization: authorization ?? (await signWebhook(body)),
    },
    body,
  })
  return { status: response.status, json: (await response.json()) as Record<string, any> }
}

/**
 * Waits until every event in the site's LiveKit inbox is applied (or failed and handed to its
 * retry job). A delivery is answered once stored; applying follows right after, in batches.
 */
export async function webhooksApplied(
  payload: Payload,
  // FerretDB, the MongoDB stand-in of the test world, spends milliseconds of its own on every
  // command: the same batches take it several times longer than PostgreSQL or SQLite. Payload's
  // own database API (TEST_HOT_PATHS=generic) applies 5,000 events in about a minute here, more
  // on a loaded CI machine.
  timeoutMs = testDatabase() === 'mongodb'
    ? 240_000
    : process.env.TEST_HOT_PATHS === 'generic'
      ? 180_000
      : 60_000,
): Promise<void> {
  const until = Date.now() + timeoutMs
  const unapplied = await unappliedCounter(payload)
  try {
    for (;;) {
      const left = await unapplied.count()
      if (left === 0) {
        return
      }
      if (Date.now() > until) {
        throw new Error(`${left} LiveKit events still unapplied after ${timeoutMs} ms`)
      }
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  } finally {
    await unapplied.close()
  }
}

/**
 * Counts the inbox's events neither applied nor failed. Through Payload, except on the FerretDB
 * stand-in on PostgreSQL: FerretDB answers a count on "field absent" by reading and decoding
 * every document of the collection (bodies included), so polling it would take a good part of
 * the server's time away from the deliveries being waited for; the table behind the collection
 * answers the same question in milliseconds.
 */
async function unappliedCounter(
  payload: Payload,
): Promise<{ count: () => Promise<number>; close: () => Promise<void> }> {
  const backend = process.env.FERRETDB_POSTGRESQL_URL
  const database = (payload.db as { connection?: { name?: string } }).connection?.name
  if (testDatabase() !== 'mongodb' || !backend || !database) {
    return {
      count: async () =>
        (
          await payload.count({
            collection: 'livekit-webhook-events',
            where: { and: [{ appliedAt: { exists: false } }, { error: { exists: false } }] },
          })
        ).totalDocs,
      close: () => Promise.resolve(),
    }
  }
  const client = new pg.Client({ connectionString: backend })
  await client.connect()
  const table = await ferretdbInboxTable(client, database)
  const unset = (field: string) => `coalesce(jsonb_typeof(_jsonb->'${field}'), 'null') = 'null'`
  return {
    count: async () =>
      Number(
        (
          await client.query<{ n: string }>(
            `SELECT count(*) AS n FROM ${table} WHERE ${unset('appliedAt')} AND ${unset('error')}`,
          )
        ).rows[0].n,
      ),
    close: () => client.end(),
  }
}

/** LiveKit reports that a stream's host joined its room (signed, through the site's endpoint). */
export function hostJoined(roomName: string, hostId: number | string) {
  return livekitEvent('participant_joined', {
    room: { name: roomName },
    participant: {
      identity: `user-${hostId}`,
      name: 'Host',
      joinedAt: String(Math.floor(Date.now() / 1000)),
      attributes: { role: 'host' },
      kind: 'STANDARD',
    },
  })
}

/** A connection as a test has LiveKit report it, times in milliseconds. */
export interface SentConnection {
  identity: string
  role: string
  joinedAt: number
  /** Null: still connected (no leave is sent). */
  leftAt: null | number
}

/**
 * The participant_joined and participant_left events LiveKit sends for these connections, each
 * dated when it happened (a connection's own sid ties its two events together).
 */
export function connectionEvents(roomName: string, sent: SentConnection[]) {
  return sent.flatMap((s, i) => {
    const participant = {
      sid: `PA_sent_${i}_${Math.random().toString(36).slice(2, 8)}`,
      identity: s.identity,
      name: s.identity,
      joinedAt: String(Math.floor(s.joinedAt / 1000)),
      joinedAtMs: String(s.joinedAt),
      attributes: { role: s.role },
      kind: 'STANDARD',
    }
    const joined = {
      ...livekitEvent('participant_joined', { room: { name: roomName }, participant }),
      createdAt: String(Math.floor(s.joinedAt / 1000)),
    }
    if (s.leftAt === null) {
      return [joined]
    }
    const left = {
      ...livekitEvent('participant_left', { room: { name: roomName }, participant }),
      createdAt: String(Math.floor(s.leftAt / 1000)),
    }
    return [joined, left]
  })
}
