/** Codes a LiveKit call can fail with, in the words the plugin's API and admin UI use. */
export type LivekitFailureCode =
  | 'egress_misconfigured'
  | 'egress_unavailable'
  | 'ingress_misconfigured'
  | 'livekit_error'
  | 'livekit_not_found'
  | 'livekit_rejected'
  | 'livekit_unauthorized'
  | 'livekit_unavailable'
  | 'livekit_unreachable'

/**
 * A webhook delivery that does not verify: no or a bad signature, a body whose hash is not the
 * signed one, an expired token, or a body that is no LiveKit event. The plugin answers it 401 and
 * stores nothing. An adapter a site supplies throws this (and only this) for such deliveries:
 * any other error is the site's own failure, logged and answered 500 so that LiveKit retries.
 */
export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'WebhookVerificationError'
  }
}

/**
 * A failed call to the LiveKit server, with a message a site admin can act on. It never carries
 * the API secret; the key name is safe to show. What a request that ends in it is answered with
 * follows from its `code` (the plugin's HTTP layer picks the status).
 */
export class LivekitCallError extends Error {
  readonly code: LivekitFailureCode
  /** True when trying again later may succeed (network, 503, timeouts). */
  readonly retryable: boolean

  constructor(code: LivekitFailureCode, message: string, retryable: boolean)
  /**
   * @deprecated The form with an HTTP status, from before the status followed from the code: the
   * status is ignored. Use `new LivekitCallError(code, message, retryable)`.
   */
  constructor(code: LivekitFailureCode, message: string, httpStatus: number, retryable: boolean)
  constructor(
    code: LivekitFailureCode,
    message: string,
    ...rest: [httpStatus: number, retryable: boolean] | [retryable: boolean]
  ) {
    super(message)
    this.name = 'LivekitCallError'
    this.code = code
    this.retryable = rest.length === 2 ? rest[1] : rest[0]
  }
}

interface TwirpLike {
  status?: number
  code?: string
  message?: string
  name?: string
  cause?: { code?: string; message?: string }
}

/** Maps whatever the SDK threw to a {@link LivekitCallError}. */
export function describeLivekitFailure(
  error: unknown,
  context: { what: string; apiKey: string; apiUrl: string },
): LivekitCallError {
  if (error instanceof LivekitCallError) {
    return error
  }
  const e = (error ?? {}) as TwirpLike
  const detail = typeof e.message === 'string' ? e.message : String(error)
  if (
    e.status === 401 ||
    e.code === 'unauthenticated' ||
    e.code === 'permission_denied' ||
    e.status === 403
  ) {
    return new LivekitCallError(
      'livekit_unauthorized',
      `LiveKit refused the credentials while trying to ${context.what}: the server does not accept API key '${context.apiKey}' with the configured secret. Check that LIVEKIT_API_KEY and LIVEKIT_API_SECRET match a key pair of the server.`,
      false,
    )
  }
  if (e.status === 404 || e.code === 'not_found') {
    return new LivekitCallError(
      'livekit_not_found',
      `LiveKit could not ${context.what}: ${detail}`,
      false,
    )
  }
  if (e.status === 503 || e.code === 'unavailable') {
    return new LivekitCallError(
      'livekit_unavailable',
      `LiveKit could not ${context.what}: the service is unavailable (${detail}).`,
      true,
    )
  }
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return new LivekitCallError(
      'livekit_rejected',
      `LiveKit rejected the request to ${context.what}: ${detail}`,
      false,
    )
  }
  const networkCode = e.cause?.code
  if (
    e.name === 'TimeoutError' ||
    e.name === 'AbortError' ||
    networkCode ||
    /fetch failed|ECONNREFUSED|timeout/i.test(detail)
  ) {
    return new LivekitCallError(
      'livekit_unreachable',
      `LiveKit at ${context.apiUrl} could not be reached to ${context.what}${networkCode ? ` (${networkCode})` : ''}.`,
      true,
    )
  }
  return new LivekitCallError('livekit_error', `LiveKit failed to ${context.what}: ${detail}`, true)
}
