import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { type ProductMomentTimes, replayChapters } from './replayChapters.js'

const at = (seconds: number) => new Date(Date.UTC(2026, 2, 1, 19, 0, seconds)).toISOString()
const moment = (pinId: string, up: number, down: null | number): ProductMomentTimes => ({
  pinId,
  productId: `p${pinId}`,
  title: `Product ${pinId}`,
  place: 'spotlight',
  pinnedAt: at(up),
  unpinnedAt: down === null ? null : at(down),
})

describe('replay chapters', () => {
  it('places each product moment at its offset from the recording start', () => {
    const chapters = replayChapters([moment('b', 95, null), moment('a', 30, 90)], {
      startedAt: at(20),
      endedAt: at(200),
    })
    expect(chapters.map((c) => [c.pinId, c.atSeconds])).toEqual([
      ['a', 10],
      ['b', 75],
    ])
  })

  it('opens with a product already up when recording began, and leaves out moments outside it', () => {
    const chapters = replayChapters(
      [moment('before', 0, 10), moment('spans', 5, 60), moment('after', 300, null)],
      { startedAt: at(20), durationSeconds: 180 },
    )
    expect(chapters.map((c) => [c.pinId, c.atSeconds])).toEqual([['spans', 0]])
  })

  it('has no chapters without a start time', () => {
    expect(replayChapters([moment('a', 30, null)], { startedAt: null })).toEqual([])
  })

  it('every chapter lies inside the recording, in order', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.integer({ min: 0, max: 500 }), fc.option(fc.integer({ min: 1, max: 200 }))),
        ),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 1, max: 300 }),
        (raw, start, duration) => {
          const moments = raw.map(([up, span], i) =>
            moment(String(i).padStart(3, '0'), up, span === null ? null : up + span),
          )
          const chapters = replayChapters(moments, {
            startedAt: at(start),
            durationSeconds: duration,
          })
          for (const c of chapters) {
            expect(c.atSeconds).toBeGreaterThanOrEqual(0)
            expect(c.atSeconds).toBeLessThan(duration)
          }
          expect(chapters.map((c) => c.atSeconds)).toEqual(
            [...chapters.map((c) => c.atSeconds)].sort((a, b) => a - b),
          )
        },
      ),
    )
  })
})
