import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { stepFor } from './audienceFigures.js'
import { countPerStep, engagementCurve, stepIndexOf } from './engagementFigures.js'
import { mergePeriods, periodInside } from './timeline.js'

const minute = 60_000
const T0 = Date.UTC(2026, 11, 1, 18)

const windows = fc
  .integer({ min: 1, max: 24 * 60 * minute })
  .map((span) => ({ from: T0, to: T0 + span }))
const kinds = fc.constantFrom('chat', 'reaction', 'hand', 'other')

describe('the engagement curve', () => {
  it('counts each event once, in the step its time falls in, and nothing outside the window', () => {
    fc.assert(
      fc.property(
        windows,
        fc.array(
          fc.record({ kind: kinds, offset: fc.integer({ min: -minute, max: 25 * 60 * minute }) }),
        ),
        (window, raw) => {
          const events = raw.map((e) => ({ kind: e.kind, at: window.from + e.offset }))
          const step = stepFor(window)
          const curve = engagementCurve(countPerStep(events, window), window)
          expect(curve).toHaveLength(Math.ceil((window.to - window.from) / step))
          const field = { chat: 'chat', reaction: 'reactions', hand: 'hands' } as const
          for (const [i, point] of curve.entries()) {
            const start = window.from + i * step
            expect(point.at).toBe(new Date(start).toISOString())
            const last = i === curve.length - 1
            for (const kind of ['chat', 'reaction', 'hand'] as const) {
              // A plain count: inside the step, the window's end belonging to the last one.
              const plain = events.filter(
                (e) =>
                  e.kind === kind &&
                  e.at >= start &&
                  (e.at < start + step || (last && e.at <= window.to)) &&
                  e.at <= window.to,
              ).length
              expect(point[field[kind]]).toBe(plain)
            }
          }
        },
      ),
    )
  })

  it('puts a time on no step outside the window', () => {
    fc.assert(
      fc.property(windows, fc.integer(), (window, offset) => {
        const at = window.from + offset
        const index = stepIndexOf(at, window)
        expect(index === null).toBe(at < window.from || at > window.to)
      }),
    )
  })
})

describe('timeline periods', () => {
  it('clips a period to the window; an open one runs to its end', () => {
    const window = { from: T0, to: T0 + 60 * minute }
    const iso = (ms: number) => new Date(ms).toISOString()
    expect(periodInside(iso(T0 - minute), iso(T0 + minute), window)).toEqual({
      from: iso(T0),
      to: iso(T0 + minute),
    })
    expect(periodInside(iso(T0 + 5 * minute), null, window)).toEqual({
      from: iso(T0 + 5 * minute),
      to: iso(T0 + 60 * minute),
    })
    expect(periodInside(iso(T0 + 61 * minute), null, window)).toBeNull()
    expect(periodInside(null, null, window)).toBeNull()
    expect(periodInside('not a date', undefined, window)).toBeNull()
  })

  it('merges periods into disjoint ones that cover exactly the same instants', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 1, max: 120 }))),
        (raw) => {
          const periods = raw.map(([a, len]) => ({
            from: new Date(T0 + a * 1000).toISOString(),
            to: new Date(T0 + (a + len) * 1000).toISOString(),
          }))
          const merged = mergePeriods(periods)
          for (let i = 1; i < merged.length; i++) {
            expect(merged[i].from > merged[i - 1].to).toBe(true)
          }
          const covered = (list: typeof periods, s: number) =>
            list.some((p) => new Date(p.from).getTime() <= s && s < new Date(p.to).getTime())
          for (let s = 0; s <= 720; s += 7) {
            const at = T0 + s * 1000
            expect(covered(merged, at)).toBe(covered(periods, at))
          }
        },
      ),
    )
  })
})
