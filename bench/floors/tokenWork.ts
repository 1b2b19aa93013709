import { jwtVerify } from 'jose'
import { AccessToken } from 'livekit-server-sdk'
/**
 * The least work a join token takes, with nothing of Next, Payload or the plugin around it: verify
 * the session JWT Payload signed, read the stream's room with one indexed query (through the
 * driver of the database the site runs on, see floorDatabase.ts), sign the LiveKit token. The
 * bare Next route and the bare Node server of the benchmark both run exactly this, so the token
 * route's figures are read against what no implementation can avoid.
 *
 * `crypto: 'libraries'` (the default) verifies with jose and signs with the LiveKit SDK, as most
 * code would; `crypto: 'hmac'` does both JWTs with one in-place HMAC under keys imported once,
 * the cheapest way there is (the plugin's own route does it that way).
 */
import { createHash, createHmac, createSecretKey, timingSafeEqual } from 'node:crypto'

import { floorDatabase } from './floorDatabase.js'

export interface TokenWorkAnswer {
  status: number
  body: string
}

export function tokenWork(
  env: NodeJS.ProcessEnv = process.env,
  { crypto = 'libraries' }: { crypto?: 'hmac' | 'libraries' } = {},
) {
  // Payload signs session tokens with the first 32 hex characters of sha256(secret) as the HS256 key.
  const secret = createHash('sha256').update(env.PAYLOAD_SECRET!).digest('hex').slice(0, 32)
  const key = new TextEncoder().encode(secret)
  const database = floorDatabase(env.DATABASE_URI!)
  const apiKey = env.LIVEKIT_API_KEY!
  const apiSecret = env.LIVEKIT_API_SECRET!
  const hmacKeys = {
    session: createSecretKey(Buffer.from(secret)),
    livekit: createSecretKey(Buffer.from(apiSecret)),
  }
  const hmac = (which: keyof typeof hmacKeys, input: string) =>
    createHmac('sha256', hmacKeys[which]).update(input).digest()
  const HEADER = Buffer.from('{"alg":"HS256"}').toString('base64url')

  /** The session's user id; throws when its signature or expiry does not hold. */
  async function sessionUser(jwt: string): Promise<unknown> {
    if (crypto === 'libraries') {
      return (await jwtVerify(jwt, key, { algorithms: ['HS256'] })).payload.id
    }
    const [header, claims, signature] = jwt.split('.')
    const expected = hmac('session', `${header}.${claims}`)
    const given = Buffer.from(signature ?? '', 'base64url')
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new Error('bad signature')
    }
    const { id, exp } = JSON.parse(Buffer.from(claims, 'base64url').toString()) as {
      id: unknown
      exp: number
    }
    if (!(exp > Date.now() / 1000)) {
      throw new Error('expired')
    }
    return id
  }

  function joinToken(room: string, identity: string): Promise<string> {
    if (crypto === 'libraries') {
      const at = new AccessToken(apiKey, apiSecret, { identity, ttl: 3600 })
      at.addGrant({ room, roomJoin: true, canSubscribe: true, canPublish: false })
      return at.toJwt()
    }
    const now = Math.floor(Date.now() / 1000)
    const claims = Buffer.from(
      JSON.stringify({
        video: { room, roomJoin: true, canSubscribe: true, canPublish: false },
        iss: apiKey,
        exp: now + 3600,
        nbf: now,
        sub: identity,
      }),
    ).toString('base64url')
    const input = `${HEADER}.${claims}`
    return Promise.resolve(`${input}.${hmac('livekit', input).toString('base64url')}`)
  }

  return async function issue(
    authorization: null | string,
    streamId: string,
  ): Promise<TokenWorkAnswer> {
    if (!authorization?.startsWith('JWT ')) {
      return { status: 401, body: '{"error":"no session"}' }
    }
    let userId: unknown
    try {
      userId = await sessionUser(authorization.slice(4))
    } catch {
      return { status: 401, body: '{"error":"bad session"}' }
    }
    const room = await (await database).roomOf(streamId)
    if (room === null) {
      return { status: 404, body: '{"error":"no stream"}' }
    }
    return {
      status: 200,
      body: JSON.stringify({
        token: await joinToken(room, `user-${String(userId)}`),
        roomName: room,
      }),
    }
  }
}
