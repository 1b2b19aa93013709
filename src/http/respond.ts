import { APIError, type Payload, type PayloadHandler, type PayloadRequest } from 'payload'

import type { DocId } from '../core/ids.js'

import { readsUpstreamErrors } from '../access/upstreamReaders.js'
import { DomainError, type DomainErrorKind } from '../core/domainError.js'
import { LIVE_STREAMS, RECORDINGS, TICKETS } from '../core/slugs.js'
import { idOfShape, idShapeOf } from '../db/idFormat.js'
import { isDatabaseUnreachable } from '../db/unreachable.js'
import { LivekitCallError, type LivekitFailureCode } from '../livekit/errors.js'

/**
 * A refusal of the HTTP layer itself, before any operation runs (a body too large, malformed
 * JSON, a route id no row can have), with its status and stable code. Operations throw
 * {@link DomainError} instead.
 */
export class EndpointError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'EndpointError'
  }
}

/** The one error shape every plugin endpoint answers with. */
export function errorResponse(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status })
}

/** The status code each kind of refusal of the plugin's operations is answered with. */
export const STATUS_OF_KIND: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  unavailable: 503,
}

/**
 * A refusal of one of the plugin's operations as Payload's own `APIError`, with the status of its
 * kind and its sentence, for a site that calls an operation from its own endpoint or hook: thrown
 * there, Payload answers that 4xx instead of a 500.
 */
export function toAPIError(error: DomainError): APIError {
  return new APIError(error.message, STATUS_OF_KIND[error.kind], { code: error.code }, true)
}

/**
 * Wraps an endpoint so that every failure becomes `{ error: { code, message } }` with a fitting
 * status: the operations' refusals by their kind ({@link STATUS_OF_KIND}), LiveKit and Stripe
 * failures as 4xx/5xx (their own texts for moderators and admins only), anything else as a 500
 * without a stack trace (the trace goes to the server log only).
 */
export function endpoint(handler: (req: PayloadRequest) => Promise<Response>): PayloadHandler {
  return async (req) => {
    try {
      return await handler(req)
    } catch (error) {
      return failureResponse(
        error,
        req.payload,
        `${req.method} ${req.pathname}`,
        readsUpstreamErrors(req),
      )
    }
  }
}

/**
 * The status a request that LiveKit failed is answered with, by the failure's code: 502 where
 * LiveKit (or the plugin's access to it) is at fault, 503 where it may work again in a moment.
 */
export const STATUS_OF_LIVEKIT_FAILURE: Record<LivekitFailureCode, number> = {
  egress_misconfigured: 503,
  egress_unavailable: 503,
  ingress_misconfigured: 503,
  livekit_error: 502,
  livekit_not_found: 404,
  livekit_rejected: 400,
  livekit_unauthorized: 502,
  livekit_unavailable: 503,
  livekit_unreachable: 503,
}

/** What a caller is told when LiveKit refused or failed, by code, without LiveKit's own words. */
const LIVEKIT_PLAIN: Record<string, string> = {
  livekit_unreachable: 'The live video service cannot be reached right now; try again in a moment.',
  livekit_unavailable: 'The live video service is unavailable right now; try again in a moment.',
  egress_unavailable: 'Recording and streaming are unavailable right now; try again in a moment.',
}

/**
 * The answer for a LiveKit or Stripe failure, or null for any other error. `detailed` callers
 * (moderators, admins) read the service's own text, which says what to fix.
 */
export function upstreamFailure(
  error: unknown,
  detailed: boolean,
): { status: number; code: string; message: string } | null {
  if (error instanceof LivekitCallError) {
    const plain = LIVEKIT_PLAIN[error.code] ?? 'The live video service could not do this right now.'
    // A code of a site's own adapter that is none of the plugin's is LiveKit's failure too.
    const status = STATUS_OF_LIVEKIT_FAILURE[error.code] ?? 502
    return { status, code: error.code, message: detailed ? error.message : plain }
  }
  const type = (error as { type?: unknown } | null)?.type
  if (typeof type === 'string' && type.startsWith('Stripe')) {
    // Stripe's own message says what is wrong with the request; it never holds the secret key.
    const message = detailed
      ? `Stripe refused the request: ${(error as Error).message}`
      : 'The payment service refused the request; try again later.'
    return { status: 502, code: 'stripe_error', message }
  }
  return null
}

/** The answer to a failed plugin request (see {@link endpoint}); unexpected failures are logged. */
export function failureResponse(
  error: unknown,
  payload: Payload,
  what: string,
  detailed = false,
): Response {
  const { status, code, message } = failureOf(error, payload, what, detailed)
  return errorResponse(status, code, message)
}

/** What {@link failureResponse} answers, as status, code and sentence. */
export function failureOf(
  error: unknown,
  payload: Payload,
  what: string,
  detailed = false,
): { status: number; code: string; message: string } {
  if (error instanceof DomainError) {
    return { status: STATUS_OF_KIND[error.kind], code: error.code, message: error.message }
  }
  if (error instanceof EndpointError) {
    return { status: error.status, code: error.code, message: error.message }
  }
  const refused = payloadRefusal(error)
  if (refused) {
    return refused
  }
  const upstream = upstreamFailure(error, detailed)
  if (upstream) {
    // What the caller was not told is in the log, for the site's admins.
    if (!detailed) {
      payload.logger.warn({ msg: `payload-plugin-livekit: ${what}: ${(error as Error).message}` })
    }
    return upstream
  }
  if (isDatabaseUnreachable(error)) {
    payload.logger.warn({
      msg: `payload-plugin-livekit: ${what}: the database cannot be reached (${(error as Error).message})`,
    })
    return {
      status: 503,
      code: 'database_unavailable',
      message: 'The site cannot reach its database right now; try again in a moment.',
    }
  }
  payload.logger.error({ err: error, msg: `payload-plugin-livekit: ${what} failed` })
  return {
    status: 500,
    code: 'internal_error',
    message: 'Something went wrong on the server; it has been logged.',
  }
}

const REFUSAL_CODES: Record<number, string> = {
  400: 'invalid_request',
  401: 'login_required',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'body_too_large',
}

/**
 * A refusal Payload raised inside an operation (a field's validation, a site hook's `APIError`
 * with a 4xx status): the caller's own request was wrong, so it is that 4xx, with Payload's
 * sentence unless it was raised as private (Payload makes 4xx errors public by default).
 * Anything 5xx stays a server failure.
 */
export function payloadRefusal(
  error: unknown,
): { status: number; code: string; message: string } | null {
  const { status, isPublic, message, name } = (error ?? {}) as {
    status?: unknown
    isPublic?: unknown
    message?: unknown
    name?: unknown
  }
  if (
    !(error instanceof Error) ||
    typeof status !== 'number' ||
    !Number.isInteger(status) ||
    status < 400 ||
    status > 499
  ) {
    return null
  }
  const shown =
    isPublic === true || name === 'ValidationError' ? String(message) : 'The request was refused.'
  return { status, code: REFUSAL_CODES[status] ?? 'refused', message: shown }
}

/** What a route's `:id` names, as the 404 says it, and the collection it is looked up in. */
const SUBJECTS = { 'live stream': LIVE_STREAMS, recording: RECORDINGS, ticket: TICKETS } as const
export type IdSubject = keyof typeof SUBJECTS

/** The route's `:id`, checked against the database's id type so a bad id is a 404, not a query error. */
export function routeId(req: PayloadRequest, what: IdSubject = 'live stream'): DocId {
  return parseId(req.payload, String(req.routeParams?.id ?? ''), what)
}

/**
 * `raw` as an id of the collection's type in this database, or the 404 an id gets that no row can
 * have (malformed, or past the id column's range).
 */
export function parseId(payload: Payload, raw: string, what: IdSubject = 'live stream'): DocId {
  const id = idOfShape(idShapeOf(payload, SUBJECTS[what]), raw)
  if (id === null) {
    throw new EndpointError(404, 'not_found', `No ${what} with that id.`)
  }
  return id
}

/**
 * Most bytes a body may have, per kind of request: far above what any honest caller sends, and
 * small enough that a flood of large bodies cannot fill the server's memory.
 */
export const BODY_LIMITS = {
  /** LiveKit events are a few KiB; an egress report with many results stays well under this. */
  livekitWebhook: 1024 * 1024,
  /** Stripe's largest events (a checkout session with its line items) are a few hundred KiB. */
  stripeWebhook: 1024 * 1024,
  /** The JSON bodies of the plugin's endpoints (a guest id, an egress request, return URLs). */
  json: 64 * 1024,
} as const

/** The 413 of a body past `limit` bytes. */
export const tooLarge = (limit: number) =>
  new EndpointError(
    413,
    'body_too_large',
    `The request body may have at most ${Math.round(limit / 1024)} KiB.`,
  )

/** What {@link readBody} reads: a Web request, which a Payload request also is. */
export interface BodySource {
  headers: Headers
  body?: null | ReadableStream<Uint8Array>
  text?: () => Promise<string>
}

/**
 * The body as text, refused with 413 once it exceeds `limit` bytes: at once when Content-Length
 * says so, and otherwise as soon as the stream has delivered that much (the rest is never read).
 */
export async function readBody(req: BodySource, limit: number): Promise<string> {
  const declared = req.headers.get('content-length')
  if (declared && /^\s*\d+\s*$/.test(declared) && Number(declared) > limit) {
    throw tooLarge(limit)
  }
  // No stream: an empty body (null), or a request object that is not a Web request (Payload's
  // local requests), whose text, if any, is already in memory.
  if (!req.body) {
    return req.text && req.body === undefined ? await req.text() : ''
  }
  const reader = req.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) {
      break
    }
    size += value.byteLength
    if (size > limit) {
      await reader.cancel().catch(() => undefined)
      throw tooLarge(limit)
    }
    chunks.push(value)
  }
  // Decoded as Request.text() decodes: UTF-8, malformed bytes replaced.
  return new TextDecoder().decode(Buffer.concat(chunks))
}

/** The JSON body (of a Payload or plain Web request), or `{}` when there is none; malformed JSON is a 400, over 64 KiB a 413. */
export async function jsonBody(req: BodySource): Promise<Record<string, unknown>> {
  return jsonObjectOf(await readBody(req, BODY_LIMITS.json))
}

/**
 * The JSON body (as {@link jsonBody} reads it) as the body type an operation declares. Only that
 * it is a JSON object is checked here: the operation checks each field where its refusals come in
 * their order (most after who the caller is) and refuses a wrong one with its own code.
 */
export async function operationBody<T extends object>(req: BodySource): Promise<T> {
  return (await jsonBody(req)) as unknown as T
}

/** A body's text as a JSON object (`{}` when blank), or the 400 of anything else. */
export function jsonObjectOf(text: string): Record<string, unknown> {
  if (!text.trim()) {
    return {}
  }
  try {
    const parsed: unknown = JSON.parse(text)
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>
    }
  } catch {
    // fall through
  }
  throw new EndpointError(400, 'invalid_json', 'The request body must be a JSON object.')
}
