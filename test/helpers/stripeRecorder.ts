import type { AddressInfo } from 'node:net'

import http from 'node:http'

/** A request Stripe's SDK sent, as stripe-mock received it. */
export interface RecordedStripeRequest {
  method: string
  path: string
  idempotencyKey: string | undefined
  params: URLSearchParams
}

/**
 * A pass-through in front of stripe-mock that keeps what the SDK sent (stripe-mock validates the
 * parameters against Stripe's OpenAPI spec and answers; it stores nothing we could read back).
 */
export async function recordStripe(
  target = process.env.STRIPE_API_BASE!,
): Promise<{ url: string; requests: RecordedStripeRequest[]; close: () => Promise<void> }> {
  const requests: RecordedStripeRequest[] = []
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) {
      chunks.push(chunk as Buffer)
    }
    const body = Buffer.concat(chunks)
    requests.push({
      method: req.method!,
      path: req.url!,
      idempotencyKey: req.headers['idempotency-key'] as string | undefined,
      params: new URLSearchParams(body.toString()),
    })
    const headers: Record<string, string> = {}
    // fetch sets its own framing headers.
    const skip = new Set(['host', 'content-length', 'connection', 'transfer-encoding'])
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v === 'string' && !skip.has(k)) {
        headers[k] = v
      }
    }
    try {
      const upstream = await fetch(`${target}${req.url}`, {
        method: req.method,
        headers,
        body: req.method === 'GET' ? undefined : body,
      })
      const answer = Buffer.from(await upstream.arrayBuffer())
      res.writeHead(
        upstream.status,
        Object.fromEntries(
          [...upstream.headers].filter(
            ([k]) =>
              !['connection', 'content-encoding', 'content-length', 'transfer-encoding'].includes(
                k,
              ),
          ),
        ),
      )
      res.end(answer)
    } catch (error) {
      res.writeHead(502, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: { message: `recorder: ${(error as Error).message}` } }))
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((r) => server.close(() => r())),
  }
}
