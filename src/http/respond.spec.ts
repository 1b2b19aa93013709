import { APIError, type Payload, ValidationError } from 'payload'
import { describe, expect, it } from 'vitest'

import { DomainError } from '../core/domainError.js'
import { refusalError } from '../core/roles.js'
import { LivekitCallError } from '../livekit/errors.js'
import { StripeNotConfiguredError } from '../payments/stripeClient.js'
import {
  failureResponse,
  payloadRefusal,
  readBody,
  toAPIError,
  upstreamFailure,
} from './respond.js'

describe("LiveKit's and Stripe's own error texts", () => {
  const livekit = new LivekitCallError(
    'livekit_unreachable',
    'LiveKit at http://10.0.0.7:7880 could not be reached to list participants (ECONNREFUSED).',
    true,
  )
  const stripe = Object.assign(new Error("No such destination: 'acct_1Secret'"), {
    type: 'StripeInvalidRequestError',
  })

  it('are not told to a viewer: the code and status stay, the words are plain', () => {
    expect(upstreamFailure(livekit, false)).toEqual({
      status: 503,
      code: 'livekit_unreachable',
      message: expect.not.stringContaining('10.0.0.7'),
    })
    expect(upstreamFailure(stripe, false)).toEqual({
      status: 502,
      code: 'stripe_error',
      message: expect.not.stringContaining('acct_1Secret'),
    })
    const other = new LivekitCallError(
      'livekit_rejected',
      "LiveKit rejected the request to start egress: key 'APIabc' …",
      false,
    )
    expect(upstreamFailure(other, false)?.message).not.toContain('APIabc')
  })

  it('are told to moderators and admins, who can act on them', () => {
    expect(upstreamFailure(livekit, true)?.message).toContain('10.0.0.7:7880')
    expect(upstreamFailure(stripe, true)?.message).toContain('acct_1Secret')
  })

  it('leave other errors to the 500 path', () => {
    expect(upstreamFailure(new Error('boom'), true)).toBeNull()
    expect(upstreamFailure(null, false)).toBeNull()
  })
})

describe('the status of a LiveKit failure', () => {
  it('follows from its code', () => {
    const gone = new LivekitCallError('livekit_not_found', 'LiveKit could not find it.', false)
    expect(upstreamFailure(gone, true)?.status).toBe(404)
    const refused = new LivekitCallError('livekit_unauthorized', 'Wrong key pair.', false)
    expect(upstreamFailure(refused, true)?.status).toBe(502)
  })

  it("ignores the status of an adapter's error made the older way, with one", () => {
    const older = new LivekitCallError('livekit_unavailable', 'Busy.', 500, true)
    expect(older.retryable).toBe(true)
    expect(upstreamFailure(older, true)?.status).toBe(503)
  })
})

describe('reading a body under a limit', () => {
  const streamed = (parts: Uint8Array[]) =>
    new Request('http://site.test/', {
      method: 'POST',
      body: new ReadableStream<Uint8Array>({
        start: (c) => (parts.forEach((p) => c.enqueue(p)), c.close()),
      }),
      duplex: 'half',
    } as RequestInit)

  it('returns the text, also when a character is split across chunks', async () => {
    const bytes = new TextEncoder().encode('{"name":"Zoë 🎥"}')
    expect(await readBody(streamed([bytes.slice(0, 12), bytes.slice(12)]), 1024)).toBe(
      '{"name":"Zoë 🎥"}',
    )
    expect(await readBody(new Request('http://site.test/', { method: 'POST' }), 1024)).toBe('')
  })

  it('refuses one byte over the limit with 413, streamed or declared', async () => {
    await expect(
      readBody(streamed([new Uint8Array(600), new Uint8Array(425)]), 1024),
    ).rejects.toMatchObject({ status: 413, code: 'body_too_large' })
    await expect(readBody(streamed([new Uint8Array(1024)]), 1024)).resolves.toHaveLength(1024)
    const declared = new Request('http://site.test/', {
      method: 'POST',
      headers: { 'content-length': '1025' },
      body: 'x',
    })
    await expect(readBody(declared, 1024)).rejects.toMatchObject({ status: 413 })
  })
})

describe('refusals Payload raises inside an operation', () => {
  it("are the caller's 4xx with Payload's public sentence", () => {
    const invalid = new ValidationError({
      collection: 'appointments',
      errors: [{ message: 'This field is required.', path: 'host' }],
    })
    expect(payloadRefusal(invalid)).toEqual({
      status: 400,
      code: 'invalid_request',
      message: expect.stringContaining('host'),
    })
    expect(
      payloadRefusal(new APIError('Only the owner may do that.', 403, undefined, true)),
    ).toEqual({ status: 403, code: 'forbidden', message: 'Only the owner may do that.' })
  })

  it('keep a private sentence to themselves, and leave 5xx and plain errors to the 500 path', () => {
    expect(
      payloadRefusal(new APIError('internal detail at 10.0.0.5', 409, undefined, false)),
    ).toEqual({ status: 409, code: 'conflict', message: 'The request was refused.' })
    expect(payloadRefusal(new APIError('database down', 500, undefined, true))).toBeNull()
    expect(payloadRefusal(new Error('boom'))).toBeNull()
    expect(payloadRefusal(Object.assign(new Error('odd'), { status: '400' }))).toBeNull()
  })
})

describe("refusals of the plugin's operations", () => {
  const payload = {
    logger: { warn: () => undefined, error: () => undefined },
  } as unknown as Payload
  const answer = async (error: unknown) => {
    const response = failureResponse(error, payload, 'test')
    return { status: response.status, body: (await response.json()) as unknown }
  }

  it('answer with the status of their kind, their code and their sentence', async () => {
    expect(
      await answer(new DomainError('conflict', 'sold_out', 'This live stream is sold out.')),
    ).toEqual({
      status: 409,
      body: { error: { code: 'sold_out', message: 'This live stream is sold out.' } },
    })
    expect((await answer(new DomainError('gone', 'stream_over', 'Over.'))).status).toBe(410)
    expect((await answer(new DomainError('not_found', 'unknown_action', 'No.'))).status).toBe(404)
  })

  it("keep the token decision's statuses: 401, 403, 409 and 410", async () => {
    for (const [kind, status] of [
      ['unauthenticated', 401],
      ['forbidden', 403],
      ['conflict', 409],
      ['gone', 410],
    ] as const) {
      expect(await answer(refusalError({ kind, code: 'c', message: 'm' }))).toEqual({
        status,
        body: { error: { code: 'c', message: 'm' } },
      })
    }
  })

  it('a site without Stripe is a 503 stripe_not_configured', async () => {
    expect(await answer(new StripeNotConfiguredError())).toMatchObject({
      status: 503,
      body: { error: { code: 'stripe_not_configured' } },
    })
  })
})

describe("a site's own endpoint or hook rethrowing an operation's refusal", () => {
  it('is a Payload APIError with the status of its kind, its sentence and its code', () => {
    const error = toAPIError(new DomainError('conflict', 'stream_not_live', 'Not live yet.'))
    expect(error).toBeInstanceOf(APIError)
    expect(error.status).toBe(409)
    expect(error.message).toBe('Not live yet.')
    expect(error.data).toEqual({ code: 'stream_not_live' })
    expect(toAPIError(new DomainError('forbidden', 'other_tenant', 'No.')).status).toBe(403)
  })
})
