/**
 * What kind of refusal an operation ends with, in the product's terms. The HTTP layer turns each
 * kind into one status code; a site calling an operation from its own hook or Local API code
 * reads the kind and the code instead.
 */
export const DOMAIN_ERROR_KINDS = [
  /** The input is malformed or names something it may not (a bad field, a foreign destination). */
  'invalid',
  /** The caller must log in first. */
  'unauthenticated',
  /** The caller is known and may not do this. */
  'forbidden',
  /** There is no such stream, recording, participant or egress (for this caller). */
  'not_found',
  /** The request is fine but the state is not: not live yet, sold out, changed meanwhile. */
  'conflict',
  /** What the request is for is over for good (the stream ended or was cancelled). */
  'gone',
  /** A part the operation needs is missing or overloaded right now (Stripe unset, a full inbox). */
  'unavailable',
] as const
export type DomainErrorKind = (typeof DOMAIN_ERROR_KINDS)[number]

/**
 * A refusal of one of the plugin's operations: its kind, a stable `code` clients branch on (the
 * same code the endpoints answer with, e.g. `stream_not_live`), and a sentence for people.
 */
export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'DomainError'
  }
}
