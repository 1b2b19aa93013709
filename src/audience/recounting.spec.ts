import { describe, expect, it } from 'vitest'

import { attendanceTotals, writeUntilSettled } from './recounting.js'

describe('attendanceTotals: a person counted from their connections', () => {
  it('counts sessions, watched seconds of closed connections, first join and last leave', () => {
    const rows = [
      { identity: 'ana', joinedAt: '2026-01-01T10:00:00.000Z', leftAt: '2026-01-01T10:10:00.400Z' },
      { identity: 'ana', joinedAt: new Date('2026-01-01T10:20:00Z'), leftAt: null },
      { identity: 'ana', joinedAt: '2026-01-01T09:59:00.000Z', leftAt: '2026-01-01T10:00:00.000Z' },
      { identity: 'ben', joinedAt: '2026-01-01T11:00:00.000Z', leftAt: '2026-01-01T10:59:00.000Z' },
    ]
    expect(attendanceTotals(rows, ['ana', 'ben', 'cy'])).toEqual({
      ana: {
        sessions: 3,
        watchSeconds: 660,
        firstJoinedAt: '2026-01-01T09:59:00.000Z',
        lastLeftAt: '2026-01-01T10:10:00.400Z',
      },
      // A leave stamped before its join counts no time (clocks of two servers).
      ben: {
        sessions: 1,
        watchSeconds: 0,
        firstJoinedAt: '2026-01-01T11:00:00.000Z',
        lastLeftAt: '2026-01-01T10:59:00.000Z',
      },
    })
  })
})

describe('writeUntilSettled: the last writer counts again after its write', () => {
  it('writes again when a count after the write differs, and stops once two counts agree', async () => {
    const counts = [{ n: 1 }, { n: 2 }, { n: 2 }]
    const written: unknown[] = []
    await writeUntilSettled(
      () => Promise.resolve(counts.shift()!),
      (totals) => {
        written.push(totals)
        return Promise.resolve()
      },
    )
    expect(written).toEqual([{ n: 1 }, { n: 2 }])
  })
})
