import type { AddressInfo } from 'node:net'

import http from 'node:http'
import { getPayload, handleEndpoints, type SanitizedConfig } from 'payload'

import { pluginOptionsOf } from '../runtime.js'
import { BODY_LIMITS, errorResponse, jsonObjectOf, tooLarge } from './respond.js'
import { type TokenAnswer, tokenAnswerer, type TokenRouteOptions } from './tokenRoute.js'
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

/** One request header as a Web request's `Headers.get` reads it (repeated values joined). */
function headerOf(req: http.IncomingMessage, name: string): null | string {
  const value = req.headers[name.toLowerCase()]
  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value
}

/** The request headers as a plain record: a Web request builds its own headers from it, with no copy in between. */
function headersOf(req: http.IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const name in req.headers) {
    const value = headerOf(req, name)
    if (value !== null) {
      headers[name] = value
    }
  }
  return headers
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
  const answer = tokenAnswerer(config, options)
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
    let response: Response | TokenAnswer
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
        const webRequest = () => new Request(url, { method: 'POST', headers: headersOf(req), body })
        // A token is answered from Node's own request and written straight back: building Web
        // Request and Response objects for it cost as much as the decision itself.
        const answered = webhook
          ? null
          : await answer({
              pathname: url.pathname,
              headers: { get: (name) => headerOf(req, name) },
              body: () => {
                if (body.length > limit) {
                  return Promise.reject(tooLarge(limit))
                }
                // Decoded as a Web request decodes its text: UTF-8, malformed bytes replaced.
                return Promise.resolve(jsonObjectOf(new TextDecoder().decode(body)))
              },
            })
        response =
          answered ??
          (webhook
            ? await webhookRoute(webRequest())
            : await handleEndpoints({
                config,
                request: webRequest(),
                payloadInstanceCacheKey: options.payloadInstanceCacheKey,
              }))
        // Past the limit the rest of the body stays unread: close the connection after the 413.
        if (body.length > limit) {
          res.setHeader('connection', 'close')
        }
      }
    } catch (error) {
      payload.logger.error({ err: error, msg: 'payload-plugin-livekit: the token server failed' })
      response = errorResponse(500, 'internal_error', 'The token server failed to answer.')
    }
    if (!(response instanceof Response)) {
      res.writeHead(response.status, response.headers)
      res.end(response.body)
      return
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
  // Requests Node's own parser refuses (headers past its size limit, a broken request line) get
  // the plugin's error shape too, not Node's bare status line.
  server.on('clientError', (error: { code?: string } & Error, socket) => {
    if (!socket.writable) {
      return
    }
    const [status, code, message] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'headers_too_large', 'The request headers are too large.']
        : [400, 'invalid_request', 'The request could not be read.']
    const body = JSON.stringify({ error: { code, message } })
    socket.end(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    )
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
