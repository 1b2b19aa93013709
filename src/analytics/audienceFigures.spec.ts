import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { peakConcurrency } from '../audience/audienceCounts.js'
import {
  attendanceFunnel,
  audienceCurve,
  type Connection,
  stepFor,
  watchDistribution,
  watchTimes,
} from './audienceFigures.js'

const minute = 60_000
const t0 = Date.UTC(2026, 11, 1, 18, 0)

/** Connections within two hours of t0, on whole seconds so equal instants happen often. */
const connections = fc.array(
  fc
    .record({
      identity: fc.constantFrom('user:1', 'user:2', 'user:3', 'guest:a', 'guest:b'),
      joined: fc.integer({ min: -600, max: 7200 }),
      length: fc.option(fc.integer({ min: 0, max: 3600 }), { nil: null }),
    })
    .map(({ identity, joined, length }): Connection => ({
      identity,
      role: 'attendee',
      joinedAt: t0 + joined * 1000,
      leftAt: length === null ? null : t0 + (joined + length) * 1000,
    })),
  { maxLength: 40 },
)

const openAt = (list: readonly Connection[], time: number) =>
  list.filter((c) => c.joinedAt <= time && (c.leftAt === null || c.leftAt > time)).length

describe('the audience curve', () => {
  it('matches a count at every change: viewers at each step, its peak, joins and leaves', () => {
    fc.assert(
      fc.property(connections, (list) => {
        const window = { from: t0, to: t0 + 2 * 60 * minute }
        const curve = audienceCurve(list, window)
        expect(curve).toHaveLength(120)
        for (const point of curve) {
          const at = Date.parse(point.at)
          const end = at + minute
          expect(point.viewers).toBe(openAt(list, at))
          const instants = list
            .flatMap((c) => [c.joinedAt, c.leftAt ?? at])
            .filter((time) => time >= at && time < end)
          expect(point.peak).toBe(
            Math.max(openAt(list, at), ...instants.map((i) => openAt(list, i))),
          )
          expect(point.joins).toBe(list.filter((c) => c.joinedAt >= at && c.joinedAt < end).length)
          const left = list.filter((c) => c.leftAt !== null && c.leftAt >= at && c.leftAt < end)
          expect(point.leaves).toBe(left.length)
        }
      }),
    )
  })

  it("reaches the stream's peak when the window holds every connection", () => {
    fc.assert(
      fc.property(connections, (list) => {
        const window = { from: t0 - 60 * minute, to: t0 + 4 * 60 * minute }
        const highest = Math.max(0, ...audienceCurve(list, window).map((p) => p.peak))
        const iso = list.map((c) => ({
          joinedAt: new Date(c.joinedAt).toISOString(),
          leftAt: c.leftAt === null ? null : new Date(c.leftAt).toISOString(),
        }))
        expect(highest).toBe(peakConcurrency(iso))
      }),
    )
  })

  it('counts a leave and a join at one instant as a hand-over, not two viewers', () => {
    const list: Connection[] = [
      { identity: 'user:1', role: 'attendee', joinedAt: t0, leftAt: t0 + 30_000 },
      { identity: 'user:2', role: 'attendee', joinedAt: t0 + 30_000, leftAt: null },
    ]
    const [point] = audienceCurve(list, { from: t0, to: t0 + minute })
    expect(point).toMatchObject({ viewers: 1, peak: 1, joins: 2, leaves: 1 })
  })

  it('keeps a long stream readable: at most 720 steps, of whole minutes', () => {
    expect(stepFor({ from: t0, to: t0 + 90 * minute })).toBe(minute)
    expect(stepFor({ from: t0, to: t0 + 30 * 60 * minute })).toBe(3 * minute)
    expect(audienceCurve([], { from: t0, to: t0 + 30 * 60 * minute })).toHaveLength(600)
    expect(audienceCurve([], { from: t0, to: t0 })).toEqual([])
  })
})

describe('watch time', () => {
  it('counts two tabs at once once, and only inside the stream', () => {
    const list: Connection[] = [
      { identity: 'user:1', role: 'attendee', joinedAt: t0 - minute, leftAt: t0 + 10 * minute },
      { identity: 'user:1', role: 'attendee', joinedAt: t0 + 5 * minute, leftAt: t0 + 20 * minute },
      { identity: 'user:1', role: 'attendee', joinedAt: t0 + 40 * minute, leftAt: null },
      { identity: 'user:2', role: 'attendee', joinedAt: t0 + 61 * minute, leftAt: null },
    ]
    const watched = watchTimes(list, { from: t0, to: t0 + 60 * minute })
    expect(watched.get('user:1')).toBe(40 * minute)
    expect(watched.get('user:2')).toBe(0)
  })

  it('is never more than the stream and bins every identity once', () => {
    fc.assert(
      fc.property(connections, (list) => {
        const window = { from: t0, to: t0 + 60 * minute }
        const watched = watchTimes(list, window)
        for (const ms of watched.values()) {
          expect(ms).toBeGreaterThanOrEqual(0)
          expect(ms).toBeLessThanOrEqual(60 * minute)
        }
        const bins = watchDistribution(watched, window)
        expect(bins.reduce((n, b) => n + b.viewers, 0)).toBe(
          new Set(list.map((c) => c.identity)).size,
        )
      }),
    )
  })

  it('puts a viewer who saw it all in the last bin and three tenths in the 0.3 bin', () => {
    const window = { from: t0, to: t0 + 10 * minute }
    const bins = watchDistribution(
      new Map([
        ['a', 10 * minute],
        ['b', 3 * minute],
        ['c', 0],
      ]),
      window,
    )
    expect(bins.map((b) => b.viewers)).toEqual([1, 0, 0, 1, 0, 0, 0, 0, 0, 1])
  })
})

describe('the attendance funnel', () => {
  it('follows holders from their ticket to the last minute', () => {
    const window = { from: t0, to: t0 + 60 * minute }
    const list: Connection[] = [
      // Whole stream.
      { identity: 'user:1', role: 'attendee', joinedAt: t0, leftAt: null },
      // Half, then gone before the end.
      { identity: 'user:2', role: 'attendee', joinedAt: t0, leftAt: t0 + 30 * minute },
      // Came for the last minute only.
      { identity: 'user:3', role: 'attendee', joinedAt: t0 + 59.5 * minute, leftAt: null },
      // Not a holder: a guest does not enter the funnel.
      { identity: 'guest:x', role: 'guest', joinedAt: t0, leftAt: null },
    ]
    expect(attendanceFunnel(['user:1', 'user:2', 'user:3', 'user:4'], list, window)).toEqual({
      ticketsSold: 4,
      joined: 3,
      stayedHalf: 2,
      stayedToEnd: 2,
    })
  })

  it('never widens: joined ≥ stayed half, joined ≥ stayed to the end, sold ≥ joined', () => {
    fc.assert(
      fc.property(
        connections,
        fc.subarray(['user:1', 'user:2', 'user:3', 'user:9']),
        (list, holders) => {
          const f = attendanceFunnel(holders, list, { from: t0, to: t0 + 60 * minute })
          expect(f.ticketsSold).toBe(holders.length)
          expect(f.joined).toBeLessThanOrEqual(f.ticketsSold)
          expect(f.stayedHalf).toBeLessThanOrEqual(f.joined)
          expect(f.stayedToEnd).toBeLessThanOrEqual(f.joined)
        },
      ),
    )
  })
})
