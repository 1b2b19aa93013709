import { describe, expect, it } from 'vitest'

import {
  afterFailedRefund,
  isTransientStripeFailure,
  refundKey,
  selfCancelDeadline,
} from './refundPolicy.js'

const now = new Date('2026-05-01T10:00:00.000Z')

describe('self-cancel deadline', () => {
  it('is the given minutes before the scheduled start', () => {
    expect(selfCancelDeadline('2026-05-02T10:00:00.000Z', 1440)?.toISOString()).toBe(
      '2026-05-01T10:00:00.000Z',
    )
    expect(selfCancelDeadline('2026-05-02T10:00:00.000Z', 0)?.toISOString()).toBe(
      '2026-05-02T10:00:00.000Z',
    )
  })
  it('does not exist when cancelling is off or there is no start', () => {
    expect(selfCancelDeadline('2026-05-02T10:00:00.000Z', false)).toBeNull()
    expect(selfCancelDeadline(null, 60)).toBeNull()
    expect(selfCancelDeadline('not a date', 60)).toBeNull()
  })
})

describe('failed refunds', () => {
  it('tells an outage from a refusal', () => {
    expect(isTransientStripeFailure({ type: 'StripeConnectionError' })).toBe(true)
    expect(isTransientStripeFailure({ type: 'StripeAPIError', statusCode: 500 })).toBe(true)
    expect(isTransientStripeFailure({ type: 'StripeRateLimitError', statusCode: 429 })).toBe(true)
    expect(
      isTransientStripeFailure({ type: 'StripeInvalidRequestError', code: 'lock_timeout' }),
    ).toBe(true)
    expect(
      isTransientStripeFailure({
        type: 'StripeInvalidRequestError',
        statusCode: 400,
        code: 'charge_disputed',
      }),
    ).toBe(false)
    expect(isTransientStripeFailure(new Error('boom'))).toBe(false)
    expect(isTransientStripeFailure(null)).toBe(false)
  })

  it('waits twice as long after each failure, at most six hours, and gives up after the last try', () => {
    const waits = [1, 2, 3, 4, 12].map((attempts) => {
      const next = afterFailedRefund(attempts, true, 20, now)
      return next.giveUp ? null : (next.retryAt.getTime() - now.getTime()) / 60_000
    })
    expect(waits).toEqual([1, 2, 4, 8, 360])
    expect(afterFailedRefund(10, true, 10, now)).toEqual({ giveUp: true })
    expect(afterFailedRefund(1, false, 10, now)).toEqual({ giveUp: true })
  })

  it('keys a refund by ticket and reason', () => {
    expect(refundKey(42, 'host_no_show')).toBe('ticket-refund:42:host_no_show')
    expect(refundKey('a1', 'host_no_show')).not.toBe(refundKey('a1', 'appointment_cancelled'))
  })
})
