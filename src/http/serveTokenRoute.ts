import type { AddressInfo } from 'node:net'

import http from 'node:http'
import { getPayload, type SanitizedConfig } from 'payload'

import { pluginOptionsOf } from '../runtime.js'
import { BODY_LIMITS, errorResponse } from './respond.js'
import { liveStreamTokenRoute, type TokenRouteOptions } from './tokenRoute.js'
import { livekitWebhookRoute } from './webhookRoute.js'

/** Options of {@link serveTokenRoute}. */
export interface ServeTokenRouteOptions extends TokenRouteOptions {
  /** Port to listen on; 0 picks a free one (see `url` of the result). */
  port: number
  /** Interface to listen on. Default: `127.0.0.1`, for a proxy on the same machine in front of it. */
  host?: string
  /**
   * Also answer LiveKit's webhook (`POST /api/livekit/webhook`, the path of `webhooks.livekitPath`)
   * as {@link livekitWebhookRoute} does, for sites that receive more events per second than one
   * Next.js process answers. Default: false.
   */
  livekitWebhook?: boolean
}

/** A running token server. */
export interface TokenServer {
  /** Where it listens, e.g. `http://127.0.0.1:3001`. */
  url: string
  server: http.Server
  close: () => Promise<void>
}

/** The request body, or its first `limit + 1` bytes when it is longer (the rest is left unread). */
function bodyUpTo(req: http.IncomingMessage, limit: number): Promise<Buffer<ArrayBuffer>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      chunks.push(chunk)
      size += chunk.length
      if (size > limit) {
        req.off('data', onData)
        req.pause()
        resolve(Buffer.concat(chunks, limit + 1))
      }
    }
    req.on('data', onData)
    req.once('end', () => resolve(Buffer.concat(chunks)))
    req.once('error', reject)
  })
}

/**
 * Serves `POST …/live-streams/:id/token` ({@link liveStreamTokenRoute}) from a plain Node HTTP
 * server, for sites that need more joins per second than one Next.js process answers: Next's own
 * per-request work is most of a token's cost there, and this process does none of it. Run it
 * next to the site (same database, same config) and let the proxy in front of the site send that
 * one path here (POST only: CORS preflights stay with the site); same origin, so the session
 * cookie and CORS behave as on the site. Any other path or method is a 404.
 */
export async function serveTokenRoute(
  config: Promise<SanitizedConfig> | SanitizedConfig,
  options: ServeTokenRouteOptions,
): Promise<TokenServer> {
  const route = liveStreamTokenRoute(config, options)
  const webhookRoute = livekitWebhookRoute(config, options)
  // Payload starts before the first request, and tells where its webhook path is.
  const payload = await getPayload({ config, key: options.payloadInstanceCacheKey })
  const webhookPath = options.livekitWebhook
    ? `${payload.config.routes.api}${pluginOptionsOf(payload).webhooks.livekitPath}`
    : null
  // Exactly the site's own path: `${routes.api}/live-streams/:id/token`.
  const tokenPath = new RegExp(
    `^${payload.config.routes.api.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/live-streams/[^/]+/token/?$`,
  )
  const server = http.createServer(async (req, res) => {
    let response: Response
    try {
      let url: null | URL = null
      try {
        url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`)
      } catch {
        // A Host header no URL can hold: refused below.
      }
      const webhook =
        url !== null && webhookPath !== null && url.pathname.replace(/\/$/, '') === webhookPath
      if (url === null) {
        response = errorResponse(
          400,
          'invalid_request',
          'The request line or Host header is malformed.',
        )
      } else if (req.method !== 'POST' || (!webhook && !tokenPath.test(url.pathname))) {
        response = errorResponse(
          404,
          'not_found',
          "This server answers only POST /api/live-streams/:id/token (and LiveKit's webhook when enabled).",
        )
      } else {
        const limit = webhook ? BODY_LIMITS.livekitWebhook : BODY_LIMITS.json
        const body = await bodyUpTo(req, limit)
        // A plain record: the Request builds its own headers from it, with no copy in between.
        const headers: Record<string, string> = {}
        for (const name in req.headers) {
          const value = req.headers[name]
          if (value !== undefined) {
            headers[name] = Array.isArray(value) ? value.join(', ') : value
          }
        }
        response = await (webhook ? webhookRoute : route)(
          new Request(url, { method: 'POST', headers, body }),
        )
        // Past the limit the rest of the body stays unread: close the connection after the 413.
        if (body.length > limit) {
          res.setHeader('connection', 'close')
        }
      }
    } catch (error) {
      payload.logger.error({ err: error, msg: 'payload-plugin-livekit: the token server failed' })
      response = errorResponse(500, 'internal_error', 'The token server failed to answer.')
    }
    // Header by header: several Set-Cookie headers must stay several.
    for (const [name, value] of response.headers) {
      if (name !== 'set-cookie') {
        res.setHeader(name, value)
      }
    }
    const cookies = response.headers.getSetCookie()
    if (cookies.length) {
      res.setHeader('set-cookie', cookies)
    }
    res.writeHead(response.status)
    res.end(Buffer.from(await response.arrayBuffer()))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve())
  })
  const address = server.address() as AddressInfo
  return {
    url: `http://${address.address}:${address.port}`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
