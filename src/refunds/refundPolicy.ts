/**
 * Why a ticket's money goes back. `sold_out`: paid after the last place went. The others are the
 * refund policies: the appointment was cancelled (or deleted), the host never came, the attendee
 * cancelled in time. `stripe`: refunded outside the plugin (the Stripe dashboard, the API).
 */
export const REFUND_REASONS = [
  'sold_out',
  'appointment_cancelled',
  'host_no_show',
  'attendee_cancelled',
  'stripe',
] as const
export type RefundReason = (typeof REFUND_REASONS)[number]

/** The reasons a whole stream's tickets are refunded for. */
export type StreamRefundReason = 'appointment_cancelled' | 'host_no_show'

/**
 * The last moment an attendee may cancel their own ticket: `minutes` before the scheduled start.
 * Null when cancelling is off (`false`) or the stream has no start to count from.
 */
export function selfCancelDeadline(
  scheduledStart: null | string | undefined,
  minutes: false | number,
): Date | null {
  if (minutes === false || !scheduledStart) {
    return null
  }
  const start = new Date(scheduledStart).getTime()
  return Number.isFinite(start) ? new Date(start - minutes * 60_000) : null
}

/**
 * Whether a failed refund call may work when tried again: Stripe or the network was down or
 * busy, or the site's keys were refused (an admin can fix those without touching the ticket).
 * Anything else (the charge is disputed, the connected account cannot pay the transfer back) is
 * for a person to look at.
 */
export function isTransientStripeFailure(error: unknown): boolean {
  const { type, statusCode, code } = (error ?? {}) as {
    type?: unknown
    statusCode?: unknown
    code?: unknown
  }
  if (
    type === 'StripeConnectionError' ||
    type === 'StripeAPIError' ||
    type === 'StripeRateLimitError' ||
    type === 'StripeAuthenticationError' ||
    type === 'StripePermissionError'
  ) {
    return true
  }
  if (code === 'lock_timeout' || code === 'rate_limit') {
    return true
  }
  return typeof statusCode === 'number' && (statusCode >= 500 || statusCode === 429)
}

/** The longest wait between two tries of one refund. */
const MAX_RETRY_MS = 6 * 3600_000

/**
 * What to do after the `attempts`-th failed try of a refund: try again after a doubling wait
 * (one minute, two, four … at most six hours), or give up and show it to an admin: at once for a
 * failure that retrying cannot fix, after `maxAttempts` tries for any other.
 */
export function afterFailedRefund(
  attempts: number,
  transient: boolean,
  maxAttempts: number,
  now: Date,
): { giveUp: false; retryAt: Date } | { giveUp: true } {
  if (!transient || attempts >= maxAttempts) {
    return { giveUp: true }
  }
  const wait = Math.min(MAX_RETRY_MS, 60_000 * 2 ** Math.min(Math.max(attempts, 1) - 1, 20))
  return { giveUp: false, retryAt: new Date(now.getTime() + wait) }
}

/** The idempotency key of one refund: the same ticket refunded for the same reason is one refund. */
export const refundKey = (ticketId: number | string, reason: RefundReason) =>
  `ticket-refund:${String(ticketId)}:${reason}`
