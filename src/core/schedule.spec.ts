import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { closeAt, insideWindow, openAt, retryDelayMs, roomTimeouts } from './schedule.js'
import { DEFAULT_STATUS_MAP, statusIntent } from './statusIntent.js'

const timing = { leadMinutes: 10, graceMinutes: 15 }
const start = new Date('2026-12-01T10:00:00Z')
const end = new Date('2026-12-01T11:00:00Z')

describe('the appointment window', () => {
  it('opens lead minutes before the start and closes grace minutes after the end', () => {
    expect(openAt(start, timing).toISOString()).toBe('2026-12-01T09:50:00.000Z')
    expect(closeAt(end, timing).toISOString()).toBe('2026-12-01T11:15:00.000Z')
    expect(insideWindow(new Date('2026-12-01T09:49:59Z'), start, end, timing)).toBe(false)
    expect(insideWindow(new Date('2026-12-01T09:50:00Z'), start, end, timing)).toBe(true)
    expect(insideWindow(new Date('2026-12-01T11:14:59Z'), start, end, timing)).toBe(true)
    expect(insideWindow(new Date('2026-12-01T11:15:00Z'), start, end, timing)).toBe(false)
  })

  it('sizes the room timeouts so LiveKit keeps the room until the close time', () => {
    const now = openAt(start, timing)
    expect(roomTimeouts(now, end, timing)).toEqual({
      emptyTimeoutSeconds: 85 * 60,
      departureTimeoutSeconds: 85 * 60,
    })
    // Reopened a minute before the close time: floors keep it through a short drop.
    expect(roomTimeouts(new Date('2026-12-01T11:14:00Z'), end, timing)).toEqual({
      emptyTimeoutSeconds: 300,
      departureTimeoutSeconds: 120,
    })
  })

  it('never lets LiveKit close the room before the close time (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 24 * 3600 }), (secondsBeforeClose) => {
        const now = new Date(closeAt(end, timing).getTime() - secondsBeforeClose * 1000)
        const t = roomTimeouts(now, end, timing)
        return (
          t.emptyTimeoutSeconds >= secondsBeforeClose &&
          t.departureTimeoutSeconds >= secondsBeforeClose
        )
      }),
    )
  })
})

describe('retry backoff', () => {
  it('doubles from one second up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelayMs(n, 60))).toEqual([
      1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000,
    ])
    expect(retryDelayMs(1000, 60)).toBe(60000)
    expect(retryDelayMs(3, 2)).toBe(2000)
  })
})

describe('appointment status changes', () => {
  it.each([
    ['confirmed', 'in-progress', 'open'],
    ['in-progress', 'completed', 'close'],
    ['in-progress', 'no-show', 'close'],
    ['confirmed', 'cancelled', 'cancel'],
    ['cancelled', 'confirmed', 'reinstate'],
    ['pending', 'confirmed', null],
    ['in-progress', 'in-progress', null],
    [undefined, 'in-progress', 'open'],
  ])('%s -> %s asks for %s', (previous, current, intent) => {
    expect(statusIntent(previous, current, DEFAULT_STATUS_MAP)).toBe(intent)
  })
})

describe('room names', () => {
  it('are recognised by prefix, so one site never claims another site’s rooms', async () => {
    const { isPluginRoomName, newRoomName } = await import('./roomName.js')
    const name = newRoomName('acme', 42)
    expect(name).toMatch(/^acme-42-[0-9a-f]{8}$/)
    expect(isPluginRoomName(name, 'acme')).toBe(true)
    expect(isPluginRoomName(name, 'bright')).toBe(false)
    expect(isPluginRoomName('acme-42', 'acme')).toBe(false)
    expect(isPluginRoomName('acme-classes-42-0badc0de', 'acme')).toBe(false)
    expect(isPluginRoomName('acme-classes-42-0badc0de', 'acme-classes')).toBe(true)
  })
})

describe('peak concurrency', () => {
  it('sweeps joins and leaves, leaves first at equal times, in any input order (property)', async () => {
    const { peakConcurrency } = await import('../audience/audienceCounts.js')
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString()
    expect(
      peakConcurrency([
        { joinedAt: at(0), leftAt: at(10) },
        { joinedAt: at(5), leftAt: at(15) },
        { joinedAt: at(10) },
      ]),
    ).toBe(2)
    expect(peakConcurrency([])).toBe(0)
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 50 })), {
          maxLength: 30,
        }),
        (spans) => {
          const sessions = spans.map(([start, length]) => ({
            joinedAt: at(start),
            leftAt: at(start + length),
          }))
          const brute = Math.max(
            0,
            ...Array.from(
              { length: 200 },
              (_, t) => spans.filter(([s, l]) => s <= t && t < s + l).length,
            ),
          )
          return (
            peakConcurrency(sessions) === brute &&
            peakConcurrency([...sessions].reverse()) === brute
          )
        },
      ),
    )
  })
})
