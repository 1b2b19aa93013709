import { describe, expect, it } from 'vitest'

import { replayClosesAt, replayOpen } from './replayWindow.js'

const ended = '2026-03-01T20:00:00.000Z'

describe('replay window', () => {
  it('closes the given number of days after the stream ended', () => {
    const closes = replayClosesAt({ actualEnd: ended }, 30)
    expect(closes?.toISOString()).toBe('2026-03-31T20:00:00.000Z')
    expect(replayOpen(closes, new Date('2026-03-31T19:59:59.999Z'))).toBe(true)
    expect(replayOpen(closes, new Date('2026-03-31T20:00:00.000Z'))).toBe(false)
  })

  it('takes the close time when the stream has no recorded end (no one ever joined)', () => {
    expect(replayClosesAt({ actualEnd: null, closedAt: ended }, 1)?.toISOString()).toBe(
      '2026-03-02T20:00:00.000Z',
    )
  })

  it('has no limit for a stream still running, or when the site set none', () => {
    expect(replayClosesAt({}, 30)).toBeNull()
    expect(replayClosesAt({ actualEnd: ended }, false)).toBeNull()
    expect(replayOpen(null, new Date('2100-01-01'))).toBe(true)
  })

  it('0 days: the replay is for the people who run the stream only, once it ended', () => {
    const closes = replayClosesAt({ actualEnd: ended }, 0)
    expect(replayOpen(closes, new Date(ended))).toBe(false)
  })
})
