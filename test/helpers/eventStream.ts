import { peakConcurrency } from '../../src/audience/audienceCounts.js'
import { livekitEvent } from './webhooks.js'

/** A made-up but consistent stream of join/leave events: some viewers reconnect, some stay. */
export function makeEventStream(roomName: string, viewers: number, seed = 1, maxEvents = Infinity) {
  let state = seed
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  const base = Math.floor(Date.now() / 1000) - 3600
  const sessions: Array<{ identity: string; joinedAt: number; leftAt: null | number }> = []
  for (let v = 0; v < viewers; v++) {
    let t = base + Math.floor(random() * 600)
    const count = 1 + Math.floor(random() * 3)
    for (let c = 0; c < count; c++) {
      const stays = c === count - 1 && random() < 0.3
      const length = 5 + Math.floor(random() * 900)
      sessions.push({
        identity: `guest-viewer-${seed}-${v}`,
        joinedAt: t,
        leftAt: stays ? null : t + length,
      })
      t += length + 1 + Math.floor(random() * 60)
    }
  }
  const participant = (s: (typeof sessions)[number]) => ({
    identity: s.identity,
    name: s.identity,
    joinedAt: String(s.joinedAt),
    joinedAtMs: String(s.joinedAt * 1000),
    attributes: { role: 'guest' },
    kind: 'STANDARD',
  })
  const all: Array<{ at: number; session: (typeof sessions)[number]; join: boolean }> = []
  for (const s of sessions) {
    all.push({ at: s.joinedAt, session: s, join: true })
    if (s.leftAt !== null) {
      all.push({ at: s.leftAt, session: s, join: false })
    }
  }
  all.sort((a, b) => a.at - b.at || Number(a.join) - Number(b.join))
  // A cut stream: what was delivered is what happened (sessions whose leave was cut stay open).
  const kept = all.slice(0, maxEvents)
  const keptSessions = new Map<(typeof sessions)[number], null | number>()
  for (const e of kept) {
    if (e.join) {
      keptSessions.set(e.session, null)
    } else if (keptSessions.has(e.session)) {
      keptSessions.set(e.session, e.at)
    }
  }
  const events = kept.map((e) => ({
    at: e.at,
    event: {
      ...livekitEvent(e.join ? 'participant_joined' : 'participant_left', {
        room: { name: roomName },
        participant: participant(e.session),
      }),
      createdAt: String(e.at),
    },
  }))
  const iso = (s: number) => new Date(s * 1000).toISOString()
  const open = [...keptSessions.entries()]
  const expected = {
    currentViewers: open.filter(([, leftAt]) => leftAt === null).length,
    uniqueViewers: new Set(open.map(([s]) => s.identity)).size,
    peakViewers: peakConcurrency(
      open.map(([s, leftAt]) => ({
        joinedAt: iso(s.joinedAt),
        leftAt: leftAt !== null ? iso(leftAt) : null,
      })),
    ),
  }
  return {
    events: events.map((e) => e.event),
    expected,
    shuffle: () => [...events.map((e) => e.event)].sort(() => random() - 0.5),
  }
}
