import type { AddressInfo } from 'node:net'

import http from 'node:http'
import { handleEndpoints } from 'payload'

import type { TestSite } from './testSite.js'

import { liveStreamTokenRoute } from '../../src/http/tokenRoute.js'
import { livekitWebhookRoute, stripeWebhookRoute } from '../../src/http/webhookRoute.js'

/** The site's REST API (`/api/...`) on a real HTTP port, as Next's route handlers would serve it. */
export interface SiteServer {
  url: string
  close: () => Promise<void>
}

/**
 * Serves the site's REST API the way the dev site's Next app does: `POST …/live-streams/:id/token`,
 * `POST /api/livekit/webhook` and `POST /api/stripe/webhook` go to the plugin's route handlers (route files of their own
 * there), everything else to Payload's REST handler. `routes: false` serves everything through
 * Payload, as a site without those route files.
 */
export async function serveSite(
  site: TestSite,
  port = 0,
  host = '127.0.0.1',
  options: { routes?: boolean } = {},
): Promise<SiteServer> {
  const routed = options.routes !== false
  const cacheKey = { payloadInstanceCacheKey: site.key }
  const tokenRoute = liveStreamTokenRoute(site.payload.config, cacheKey)
  const webhookRoute = livekitWebhookRoute(site.payload.config, cacheKey)
  const stripeRoute = stripeWebhookRoute(site.payload.config, cacheKey)
  const TOKEN = /^\/api\/live-streams\/[^/]+\/token\/?(?:\?|$)/
  const WEBHOOK = /^\/api\/livekit\/webhook\/?(?:\?|$)/
  const STRIPE = /^\/api\/stripe\/webhook\/?(?:\?|$)/
  const server = http.createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = []
      for await (const chunk of req) {
        chunks.push(chunk as Buffer)
      }
      const headers = new Headers()
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) {
          headers.set(key, Array.isArray(value) ? value.join(', ') : value)
        }
      }
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
      const request = new Request(`http://${req.headers.host}${req.url}`, {
        method: req.method,
        headers,
        body: hasBody ? Buffer.concat(chunks) : undefined,
      })
      const url = req.url ?? ''
      const response =
        routed && req.method === 'POST' && TOKEN.test(url)
          ? await tokenRoute(request)
          : routed && req.method === 'POST' && WEBHOOK.test(url)
            ? await webhookRoute(request)
            : routed && req.method === 'POST' && STRIPE.test(url)
              ? await stripeRoute(request)
              : await handleEndpoints({
                  config: site.payload.config,
                  request,
                  payloadInstanceCacheKey: site.key,
                })
      res.writeHead(response.status, Object.fromEntries(response.headers))
      res.end(Buffer.from(await response.arrayBuffer()))
    } catch (error) {
      res.writeHead(599, { 'content-type': 'text/plain' })
      res.end(`test server failure: ${(error as Error).message}`)
    }
  })
  await new Promise<void>((resolve) => server.listen(port, host, resolve))
  const address = server.address() as AddressInfo
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        // Idle keep-alive connections would hold close() open until the clients let go.
        server.closeIdleConnections()
      }),
  }
}

/** Logs a user in through the REST API and returns the Authorization header value. */
export async function login(server: SiteServer, email: string, password: string): Promise<string> {
  const response = await fetch(`${server.url}/api/users/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  const json = (await response.json()) as { token?: string }
  if (!json.token) {
    throw new Error(`login failed for ${email}: ${response.status}`)
  }
  return `JWT ${json.token}`
}

/** What `callApi` got back: status, parsed JSON (or `{}`) and the raw text for secret scans. */
export interface ApiAnswer {
  status: number
  json: Record<string, any>
  text: string
}

/** One REST call to the site: `path` is below `/api`; a string body is sent as is. */
export async function callApi(
  server: SiteServer,
  method: string,
  path: string,
  authorization?: string,
  body?: unknown,
): Promise<ApiAnswer> {
  const response = await fetch(`${server.url}/api${path}`, {
    method,
    headers: {
      ...(authorization ? { authorization } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await response.text()
  return {
    status: response.status,
    json: text ? (JSON.parse(text) as Record<string, any>) : {},
    text,
  }
}
