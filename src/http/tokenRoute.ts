import {
  getPayload,
  handleEndpoints,
  headersWithCors,
  type Payload,
  type PayloadRequest,
  type SanitizedConfig,
} from 'payload'

import { userFacts, userIdentity } from '../access/facts.js'
import { callerIdentity } from '../access/identifyCaller.js'
import { readTokenFacts, tokenFactsSupported } from '../access/tokenFacts.js'
import { DomainError } from '../core/domainError.js'
import { decideRole, refusalError } from '../core/roles.js'
import { pluginOptionsOf } from '../runtime.js'
import { mintCallerToken } from '../streams/operations/issueToken.js'
import { failureOf, jsonBody, parseId } from './respond.js'
import {
  type HeaderReader,
  sessionClaims,
  type SessionUserDoc,
  userFromRow,
} from './sessionUser.js'

/** Options of {@link liveStreamTokenRoute} and {@link livekitWebhookRoute}. */
export interface TokenRouteOptions {
  /**
   * The `getPayload` cache key, when the site runs more than one Payload instance in a process
   * (tests do). Default: Payload's default instance.
   */
  payloadInstanceCacheKey?: string
}

/** A path segment decoded, or null when its %-escapes are malformed. */
function decoded(segment: string): null | string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return null
  }
}

/** `/…/live-streams/:id/token` → `:id` (raw). */
const TOKEN_PATH = /\/live-streams\/([^/]+)\/token\/?$/

/** A join request as the token route reads it, whether it came as a Web request or a Node one. */
export interface TokenAsk {
  /** The path of the request URL. */
  pathname: string
  headers: HeaderReader
  /** The JSON body as the plugin's endpoints read it (a 400 or 413 thrown as they throw it). */
  body: () => Promise<Record<string, unknown>>
}

/** The route's answer: status, headers and the JSON text of the body. */
export interface TokenAnswer {
  status: number
  headers: Record<string, string>
  body: string
}

/**
 * The token route's decision without Web request or response objects, for a server that has
 * its own (the plain Node server of {@link serveTokenRoute}). Null means "Payload's pipeline
 * answers this one": hand the request to Payload unchanged.
 */
export function tokenAnswerer(
  config: Promise<SanitizedConfig> | SanitizedConfig,
  options: TokenRouteOptions = {},
): (ask: TokenAsk) => Promise<null | TokenAnswer> {
  const key = options.payloadInstanceCacheKey

  return async function answer(ask: TokenAsk): Promise<null | TokenAnswer> {
    const payload = await getPayload({ config, key })
    const resolved = pluginOptionsOf(payload)
    const match = resolved.disabled ? null : TOKEN_PATH.exec(ask.pathname)
    if (!match) {
      return null
    }
    const respond = (status: number, value: unknown, extra: Record<string, string> = {}) => {
      const headers = new Headers({ 'content-type': 'application/json', ...extra })
      headersWithCors({
        headers,
        req: { payload, headers: ask.headers } as unknown as PayloadRequest,
      })
      return { status, headers: Object.fromEntries(headers), body: JSON.stringify(value) }
    }
    const rawId = decoded(match[1])
    if (rawId === null) {
      // Payload's pipeline fails such a path with a 500 before any endpoint runs; no stream has
      // that id, so this route says so, whichever way it would answer the rest.
      return respond(404, { error: { code: 'not_found', message: 'No live stream with that id.' } })
    }
    if (resolved.access.resolveRole || !tokenFactsSupported(payload)) {
      return null
    }
    try {
      const session = sessionClaims(payload, ask.headers)
      if (session.kind === 'unsupported') {
        return null
      }
      const id = parseId(payload, rawId)
      const body = await ask.body()
      const asGuest = async () => {
        // A credential this site did not issue is refused after "no such stream", as the endpoint does.
        let guest: ReturnType<typeof callerIdentity> = { identity: '' }
        let badIdentity: unknown = null
        try {
          guest = callerIdentity(payload.secret, null, body.guestCredential)
        } catch (error) {
          badIdentity = error
        }
        const { identity, guestCredential } = guest
        return {
          identity,
          guestCredential,
          badIdentity,
          found: await readTokenFacts(payload, resolved, id, { userId: null, identity }),
        }
      }
      let user: null | SessionUserDoc = null
      let caller: Awaited<ReturnType<typeof asGuest>>
      if (session.kind === 'claims') {
        // The session check and the facts in one statement; if Payload would not accept the
        // session after all (logged out, user gone), the caller is anonymous and asks again.
        const identity = userIdentity(session.userId)
        const found = await readTokenFacts(payload, resolved, id, {
          userId: session.userId,
          identity,
          session,
        })
        user = found ? userFromRow(session, found.userRow) : null
        caller =
          user || !found
            ? { identity, guestCredential: undefined, badIdentity: null, found }
            : await asGuest()
      } else {
        caller = await asGuest()
      }
      const { identity, guestCredential, badIdentity, found } = caller
      if (!found) {
        throw new DomainError('not_found', 'not_found', 'No live stream with that id.')
      }
      if (!found.appointmentFound) {
        throw new DomainError(
          'not_found',
          'not_found',
          'The appointment of this live stream no longer exists.',
        )
      }
      if (badIdentity) {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- what the credential check threw, rethrown as it came
        throw badIdentity
      }
      // The site's callbacks get what they would read from Payload's request: the user and payload.
      const req = {
        payload,
        user,
        headers: ask.headers,
        context: {},
      } as unknown as PayloadRequest
      const decision = decideRole({
        ...found.facts,
        user: await userFacts(resolved, req, user),
      })
      if ('refusal' in decision) {
        throw refusalError(decision.refusal)
      }
      const name = user ? resolved.access.displayName(user) : 'Guest'
      const issued = await mintCallerToken(payload, {
        resolved,
        roomName: found.stream.roomName,
        identity,
        guestCredential,
        name,
        role: decision.role,
      })
      return respond(200, issued, { 'cache-control': 'no-store' })
    } catch (error) {
      const { status, code, message } = failureOf(error, payload, 'POST token route')
      return respond(status, { error: { code, message } })
    }
  }
}

/**
 * A route handler for `POST /api/live-streams/:id/token` that answers without Payload's request
 * pipeline: the same decision, the same answers and refusals as the endpoint the plugin adds, at
 * a fraction of the cost, for the moment thousands of viewers join at once.
 *
 * Mount it where Next.js would otherwise send the request to Payload's catch-all REST route:
 *
 * ```ts
 * // app/(payload)/api/live-streams/[id]/token/route.ts
 * import config from '@payload-config'
 * import { liveStreamTokenRoute } from 'payload-plugin-livekit'
 * export const POST = liveStreamTokenRoute(config)
 * ```
 *
 * It verifies the JWT Payload signed itself, then reads whether its session still holds together
 * with the stream, appointment and ticket facts in one prepared statement. Whenever
 * that would not be the judgement Payload's pipeline makes — a custom auth strategy, an API key,
 * auto-login, a `resolveRole` override (which expects Payload's full request), user or
 * appointment fields stored outside their rows — it hands the request to Payload unchanged, so
 * mounting it never changes who gets what.
 */
export function liveStreamTokenRoute(
  config: Promise<SanitizedConfig> | SanitizedConfig,
  options: TokenRouteOptions = {},
) {
  const answer = tokenAnswerer(config, options)

  return async function POST(request: Request): Promise<Response> {
    const answered = await answer({
      pathname: new URL(request.url).pathname,
      headers: request.headers,
      body: () => jsonBody(request),
    })
    if (!answered) {
      return handleEndpoints({
        config,
        request,
        payloadInstanceCacheKey: options.payloadInstanceCacheKey,
      })
    }
    return new Response(answered.body, { status: answered.status, headers: answered.headers })
  }
}
