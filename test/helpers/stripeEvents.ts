import type { AddressInfo } from 'node:net'
import type { Payload } from 'payload'

import http from 'node:http'
import Stripe from 'stripe'

import { type CheckoutFacts, sealedMetadata } from '../../src/payments/checkoutSeal.js'
import { pluginOptionsOf } from '../../src/runtime.js'

const stripe = new Stripe('sk_test_123')
const rand = () => Math.random().toString(36).slice(2, 12)
type Id = number | string

/** A world to sell a ticket in: its stream, appointment and buyer. */
export interface SaleWorld {
  stream: { id: Id }
  appointment: { id: Id }
  buyer: { id: Id }
}

/** Checkout metadata as the site's own checkout seals it (override any fact to forge one). */
export function checkoutMetadata(
  payload: Payload,
  w: SaleWorld,
  facts: Partial<CheckoutFacts> = {},
  secret = payload.secret,
) {
  return sealedMetadata(
    {
      site: pluginOptionsOf(payload).stripe.siteId,
      liveStreamId: String(w.stream.id),
      appointmentId: String(w.appointment.id),
      userId: String(w.buyer.id),
      rateBps: '2000',
      amount: '1500',
      currency: 'usd',
      ...facts,
    },
    secret,
  )
}

/** A paid `checkout.session.completed` event for `metadata`; `session` overrides session fields. */
export function sessionCompleted(
  metadata: Record<string, string>,
  session: Record<string, unknown> = {},
) {
  return {
    id: `evt_${rand()}`,
    object: 'event',
    type: 'checkout.session.completed',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: {
      object: {
        id: `cs_test_${rand()}`,
        object: 'checkout.session',
        payment_status: 'paid',
        amount_total: 1500,
        currency: 'usd',
        payment_intent: `pi_${rand()}`,
        metadata,
        ...session,
      },
    },
  }
}

/** The session inside an event made by {@link sessionCompleted}. */
export const sessionOf = (event: ReturnType<typeof sessionCompleted>) =>
  event.data.object as { id: string; payment_intent: string }

/** `charge.refunded` with Stripe's cumulative `amount_refunded` for a payment intent. */
export function chargeRefunded(paymentIntent: string, amountRefunded: number, amount = 1500) {
  return {
    id: `evt_${rand()}`,
    object: 'event',
    type: 'charge.refunded',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: {
      object: {
        id: `ch_${paymentIntent.slice(3)}`,
        object: 'charge',
        payment_intent: paymentIntent,
        amount,
        amount_refunded: amountRefunded,
        refunded: amountRefunded >= amount,
        currency: 'usd',
      },
    },
  }
}

/** Delivers a signed Stripe event to a site's webhook, as Stripe would. */
export async function deliverStripe(
  baseUrl: string,
  event: unknown,
  secret = process.env.STRIPE_WEBHOOK_SECRET!,
) {
  const payload = JSON.stringify(event)
  const header = stripe.webhooks.generateTestHeaderString({ payload, secret })
  const response = await fetch(`${baseUrl}/api/stripe/webhook`, {
    method: 'POST',
    headers: { 'stripe-signature': header, 'content-type': 'application/json' },
    body: payload,
  })
  const text = await response.text()
  let json: Record<string, any> = {}
  try {
    json = JSON.parse(text) as Record<string, any>
  } catch {
    // not JSON: the status says enough
  }
  return { status: response.status, json }
}

/**
 * A pass-through to stripe-mock that can be told to fail one API path with a 500, as Stripe does
 * during an outage, or to refuse it with an error of Stripe's (`refusing`); `calls` counts the
 * requests per path, `sent` keeps their parameters and `keys` their idempotency keys.
 */
export async function flakyStripe(target = process.env.STRIPE_API_BASE!) {
  const failing = new Set<string>()
  const refusing = new Map<string, { status: number; error: Record<string, string> }>()
  const calls = new Map<string, number>()
  const sent = new Map<string, URLSearchParams[]>()
  const keys = new Map<string, string[]>()
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) {
      chunks.push(chunk as Buffer)
    }
    const path = (req.url ?? '').split('?')[0]
    calls.set(path, (calls.get(path) ?? 0) + 1)
    sent.set(path, [
      ...(sent.get(path) ?? []),
      new URLSearchParams(Buffer.concat(chunks).toString()),
    ])
    const key = req.headers['idempotency-key']
    if (typeof key === 'string') {
      keys.set(path, [...(keys.get(path) ?? []), key])
    }
    if (failing.has(path)) {
      res.writeHead(500, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: { type: 'api_error', message: 'outage' } }))
      return
    }
    const refusal = refusing.get(path)
    if (refusal) {
      res.writeHead(refusal.status, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: refusal.error }))
      return
    }
    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(req.headers)) {
      if (
        typeof v === 'string' &&
        !['connection', 'content-length', 'host', 'transfer-encoding'].includes(k)
      ) {
        headers[k] = v
      }
    }
    const upstream = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers,
      body: req.method === 'GET' ? undefined : Buffer.concat(chunks),
    })
    res.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'application/json',
    })
    res.end(Buffer.from(await upstream.arrayBuffer()))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    failing,
    refusing,
    calls,
    /** The idempotency keys the SDK sent, per path (a retry of the SDK's own sends the same key). */
    keys,
    /** The form parameters the SDK sent, per path. */
    sent,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}
