import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { STREAM_STATES, type StreamState } from './streamStates.js'
import { STREAM_EVENTS, type StreamEvent, transition } from './transitions.js'

// The whole machine, written out again by hand: '-' refuse, '=' stay, else the next state.
const COLUMNS: StreamEvent[] = [
  'open',
  'opened',
  'give_up',
  'close',
  'closed',
  'cancel',
  'reinstate',
]
const EXPECTED: Record<StreamState, string[]> = {
  scheduled: ['opening', '-', '-', 'ending', '-', 'cancelled', '='],
  opening: ['=', 'live', 'failed', 'ending', '-', 'cancelled', '-'],
  live: ['=', '=', '-', 'ending', '-', 'cancelled', '-'],
  ending: ['-', '-', '-', '=', 'ended', '-', '-'],
  ended: ['-', '-', '-', '=', '=', '-', '-'],
  cancelled: ['-', '-', '-', '=', '=', '=', 'scheduled'],
  failed: ['opening', 'live', '=', 'ending', '-', 'cancelled', '-'],
}

describe('every (state, event) pair', () => {
  const pairs = STREAM_STATES.flatMap((state) =>
    COLUMNS.map((event, i) => [state, event, EXPECTED[state][i]] as const),
  )

  // A state or event added to the machine without a row or column here fails this test.
  it('the table has a row for every state and a column for every event', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...STREAM_STATES].sort())
    expect([...COLUMNS].sort()).toEqual([...STREAM_EVENTS].sort())
    for (const state of STREAM_STATES) {
      expect(EXPECTED[state], state).toHaveLength(COLUMNS.length)
    }
  })

  it.each(pairs)('%s + %s -> %s', (state, event, expected) => {
    const result = transition(state, event)
    if (expected === '-') {
      expect(result.kind).toBe('refuse')
      expect(result.kind === 'refuse' && result.reason.length).toBeGreaterThan(5)
    } else if (expected === '=') {
      expect(result).toEqual({ kind: 'stay', state })
    } else {
      expect(result).toEqual({ kind: 'move', from: state, to: expected })
    }
  })
})

describe('properties over event sequences', () => {
  const events = fc.array(fc.constantFrom(...STREAM_EVENTS), { maxLength: 40 })
  const run = (start: StreamState, seq: StreamEvent[]) =>
    seq.reduce<StreamState>((state, event) => {
      const r = transition(state, event)
      return r.kind === 'move' ? r.to : state
    }, start)

  it('an ended stream stays ended whatever happens', () => {
    fc.assert(fc.property(events, (seq) => run('ended', seq) === 'ended'))
  })

  it('a stream can only reach ended by passing through ending', () => {
    fc.assert(
      fc.property(events, (seq) => {
        let state: StreamState = 'scheduled'
        for (const event of seq) {
          const r = transition(state, event)
          if (r.kind === 'move' && r.to === 'ended' && r.from !== 'ending') {
            return false
          }
          if (r.kind === 'move') {
            state = r.to
          }
        }
        return true
      }),
    )
  })

  it('repeating any event right after it moved the stream changes nothing more', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...STREAM_STATES),
        fc.constantFrom(...STREAM_EVENTS),
        (state, event) => {
          const first = transition(state, event)
          if (first.kind !== 'move') {
            return true
          }
          const again = transition(first.to, event)
          return again.kind !== 'move'
        },
      ),
    )
  })
})
