import { jwtVerify } from 'jose'
import { AccessToken } from 'livekit-server-sdk'
/**
 * The least work a join token takes, with nothing of Next, Payload or the plugin around it: verify
 * the session JWT Payload signed, read the stream's room with one indexed query, sign the LiveKit
 * token. The bare Next route and the bare Node server of the benchmark both run exactly this, so
 * the token route's figures are read against what no implementation can avoid.
 */
import { createHash } from 'node:crypto'
import pg from 'pg'

export interface TokenWorkAnswer {
  status: number
  body: string
}

export function tokenWork(env: NodeJS.ProcessEnv = process.env) {
  // Payload signs session tokens with the first 32 hex characters of sha256(secret) as the HS256 key.
  const key = new TextEncoder().encode(
    createHash('sha256').update(env.PAYLOAD_SECRET!).digest('hex').slice(0, 32),
  )
  // The same pool size as the site's database adapter.
  const pool = new pg.Pool({ connectionString: env.DATABASE_URI, max: 10 })
  const apiKey = env.LIVEKIT_API_KEY!
  const apiSecret = env.LIVEKIT_API_SECRET!

  return async function issue(
    authorization: null | string,
    streamId: string,
  ): Promise<TokenWorkAnswer> {
    if (!authorization?.startsWith('JWT ')) {
      return { status: 401, body: '{"error":"no session"}' }
    }
    let userId: unknown
    try {
      userId = (await jwtVerify(authorization.slice(4), key, { algorithms: ['HS256'] })).payload.id
    } catch {
      return { status: 401, body: '{"error":"bad session"}' }
    }
    if (!/^\d+$/.test(streamId)) {
      return { status: 404, body: '{"error":"no stream"}' }
    }
    const { rows } = await pool.query({
      name: 'floor-stream-room',
      text: 'SELECT room_name FROM live_streams WHERE id = $1',
      values: [Number(streamId)],
    })
    if (!rows[0]) {
      return { status: 404, body: '{"error":"no stream"}' }
    }
    const at = new AccessToken(apiKey, apiSecret, { identity: `user-${String(userId)}`, ttl: 3600 })
    at.addGrant({
      room: rows[0].room_name as string,
      roomJoin: true,
      canSubscribe: true,
      canPublish: false,
    })
    return {
      status: 200,
      body: JSON.stringify({ token: await at.toJwt(), roomName: rows[0].room_name }),
    }
  }
}
