import type { Payload, PayloadHandler, PayloadRequest } from 'payload'

import { LIVE_STREAMS, RECORDINGS } from '../collections/slugs.js'
import { idOfShape, idShapeOf } from '../db/idFormat.js'
import { LivekitCallError } from '../livekit/errors.js'

/** A refusal with an HTTP status and a stable code; the message is for people. */
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

/**
 * Wraps an endpoint so that every failure becomes `{ error: { code, message } }` with a fitting
 * status: refusals as they are, LiveKit failures as 4xx/5xx with their admin-readable message,
 * anything else as a 500 without a stack trace (the trace goes to the server log only).
 */
export function endpoint(handler: (req: PayloadRequest) => Promise<Response>): PayloadHandler {
  return async (req) => {
    try {
      return await handler(req)
    } catch (error) {
      return failureResponse(error, req.payload, `${req.method} ${req.pathname}`)
    }
  }
}

/** The answer to a failed plugin request (see {@link endpoint}); unexpected failures are logged. */
export function failureResponse(error: unknown, payload: Payload, what: string): Response {
  if (error instanceof EndpointError) return errorResponse(error.status, error.code, error.message)
  if (error instanceof LivekitCallError) return errorResponse(error.httpStatus, error.code, error.message)
  if ((error as { code?: string }).code === 'stripe_not_configured') return errorResponse(503, 'stripe_not_configured', (error as Error).message)
  if (typeof (error as { type?: unknown }).type === 'string' && String((error as { type: string }).type).startsWith('Stripe')) {
    // Stripe's own message says what is wrong with the request; it never holds the secret key.
    return errorResponse(502, 'stripe_error', `Stripe refused the request: ${(error as Error).message}`)
  }
  payload.logger.error({ err: error, msg: `payload-plugin-livekit: ${what} failed` })
  return errorResponse(500, 'internal_error', 'Something went wrong on the server; it has been logged.')
}

/** What a route's `:id` names, as the 404 says it, and the collection it is looked up in. */
const SUBJECTS = { 'live stream': LIVE_STREAMS, recording: RECORDINGS } as const
export type IdSubject = keyof typeof SUBJECTS

/** The route's `:id`, checked against the database's id type so a bad id is a 404, not a query error. */
export function routeId(req: PayloadRequest, what: IdSubject = 'live stream'): string | number {
  return parseId(req.payload, String(req.routeParams?.id ?? ''), what)
}

/**
 * `raw` as an id of the collection's type in this database, or the 404 an id gets that no row can
 * have (malformed, or past the id column's range).
 */
export function parseId(payload: Payload, raw: string, what: IdSubject = 'live stream'): string | number {
  const id = idOfShape(idShapeOf(payload, SUBJECTS[what]), raw)
  if (id === null) throw new EndpointError(404, 'not_found', `No ${what} with that id.`)
  return id
}

/** The JSON body (of a Payload or plain Web request), or `{}` when there is none; malformed JSON is a 400. */
export async function jsonBody(req: { text?: () => Promise<string> }): Promise<Record<string, unknown>> {
  const text = req.text ? await req.text() : ''
  if (!text.trim()) return {}
  try {
    const parsed: unknown = JSON.parse(text)
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>
  } catch {
    // fall through
  }
  throw new EndpointError(400, 'invalid_json', 'The request body must be a JSON object.')
}
