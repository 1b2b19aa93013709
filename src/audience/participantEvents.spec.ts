import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { foldChanges, type ParticipantChange } from './participantEvents.js'

const T0 = Date.UTC(2026, 10, 26, 10, 0, 0)

/** A participant event as LiveKit reports it: `joinedMs` on the participant, `at` on the event (s). */
const change = (
  identity: string,
  sid: string,
  joinedMs: number,
  atSeconds: number,
  joined: boolean,
  role = 'attendee',
): ParticipantChange => ({
  participant: {
    identity,
    sid,
    name: identity,
    joinedAtMs: BigInt(joinedMs),
    attributes: { role },
  } as never,
  occurredAt: atSeconds,
  joined,
})

const sorted = (folded: ReturnType<typeof foldChanges>) => ({
  connections: [...folded.connections].sort((a, b) => a.connection.localeCompare(b.connection)),
  people: [...folded.people].sort((a, b) => a.identity.localeCompare(b.identity)),
})

describe('folding participant events into connections and people', () => {
  it('pairs a join and a leave of one connection, and keeps a reconnect apart', () => {
    const folded = sorted(
      foldChanges([
        change('user-7', 'PA_1', T0, T0 / 1000, true),
        change('user-7', 'PA_1', T0, T0 / 1000 + 30, false),
        change('user-7', 'PA_2', T0 + 60_000, T0 / 1000 + 60, true),
      ]),
    )
    expect(folded.connections).toEqual([
      {
        connection: 'PA_1',
        identity: 'user-7',
        role: 'attendee',
        joinedAt: new Date(T0).toISOString(),
        leftAt: new Date(T0 + 30_000).toISOString(),
      },
      {
        connection: 'PA_2',
        identity: 'user-7',
        role: 'attendee',
        joinedAt: new Date(T0 + 60_000).toISOString(),
        leftAt: null,
      },
    ])
    expect(folded.people).toEqual([
      {
        identity: 'user-7',
        user: 7,
        name: 'user-7',
        role: 'attendee',
        firstJoinedAt: new Date(T0).toISOString(),
      },
    ])
  })

  it('gives the same rows whatever the order, and however often an event repeats', () => {
    const event = fc
      .record({
        who: fc.integer({ min: 1, max: 4 }),
        connection: fc.integer({ min: 1, max: 3 }),
        joinSecond: fc.integer({ min: 0, max: 600 }),
        stay: fc.integer({ min: 0, max: 600 }),
        joined: fc.boolean(),
      })
      .map(({ who, connection, joinSecond, stay, joined }) => {
        // One connection has one join time; its leave comes after it.
        const sid = `PA_${who}_${connection}`
        const joinedMs = T0 + joinSecond * 1000 + who * 7 + connection
        return change(
          `guest-${who}`,
          sid,
          joinedMs,
          Math.floor(joinedMs / 1000) + (joined ? 0 : stay),
          joined,
          'guest',
        )
      })
    fc.assert(
      fc.property(
        fc.array(event, { minLength: 1, maxLength: 30 }),
        fc.func(fc.integer()),
        fc.array(fc.nat(), { maxLength: 10 }),
        (events, key, repeats) => {
          // One leave per connection, as LiveKit sends it (a second, different leave is not a real case).
          const seen = new Set<string>()
          const real = events.filter(
            (e) => e.joined || (!seen.has(e.participant.sid) && seen.add(e.participant.sid)),
          )
          const shuffled = [...real]
            .map((e, i) => ({ e, k: key(i) }))
            .sort((a, b) => a.k - b.k)
            .map(({ e }) => e)
          const withRepeats = [...shuffled, ...repeats.map((i) => real[i % real.length])]
          expect(sorted(foldChanges(withRepeats))).toEqual(sorted(foldChanges(real)))
        },
      ),
    )
  })
})
