import { jwtVerify } from 'jose'
/**
 * The least work a LiveKit delivery takes, with nothing of Next, Payload or the plugin around it:
 * verify the signature (a JWT of the API key, HS256 under the API secret, whose `sha256` claim is
 * the base64 sha256 of the body), then store the event once by its id with one insert, through the
 * driver of the database the site runs on (see floorDatabase.ts). Answered once stored, as the
 * plugin answers once the event is durable; what the plugin does after that (applying it to the
 * audience) is its own work and has no floor.
 */
import { createHash } from 'node:crypto'

import { floorDatabase } from './floorDatabase.js'

export interface WebhookWorkAnswer {
  status: number
  body: string
}

export function webhookWork(env: NodeJS.ProcessEnv = process.env) {
  const key = new TextEncoder().encode(env.LIVEKIT_API_SECRET)
  const issuer = env.LIVEKIT_API_KEY!
  const database = floorDatabase(env.DATABASE_URI!)

  /** Whether `authorization` is LiveKit's signature of exactly `raw`. */
  async function signed(authorization: null | string, raw: string): Promise<boolean> {
    if (!authorization) {
      return false
    }
    try {
      const { payload } = await jwtVerify(authorization, key, { issuer, algorithms: ['HS256'] })
      return payload.sha256 === createHash('sha256').update(raw).digest('base64')
    } catch {
      return false
    }
  }

  return async function receive(
    authorization: null | string,
    raw: string,
  ): Promise<WebhookWorkAnswer> {
    if (!(await signed(authorization, raw))) {
      return { status: 401, body: '{"error":"invalid_signature"}' }
    }
    let event: { id?: unknown; room?: { name?: unknown } }
    try {
      event = JSON.parse(raw) as typeof event
    } catch {
      return { status: 400, body: '{"error":"invalid_event"}' }
    }
    if (typeof event.id !== 'string' || !event.id) {
      return { status: 400, body: '{"error":"invalid_event"}' }
    }
    const room = typeof event.room?.name === 'string' ? event.room.name : null
    await (await database).storeEvent({ id: event.id, room, raw, json: event })
    return { status: 200, body: '{"received":true}' }
  }
}
