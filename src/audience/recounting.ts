/*
 * What the audience stores without a lock share: the roles that count as viewers, the per-person
 * totals counted from connections, and the "write, then count again" loop that lets several
 * instances recount one stream at once and still leave the right figures.
 */

/** Roles that count as viewers (current, peak and unique viewers). */
export const VIEWER_ROLES = ['attendee', 'guest']

/** Most rounds of "count, write, count again" before the next event's recount is left to finish it. */
const RECOUNT_ROUNDS = 5

/** Figures as counted at one moment, compared by value between rounds. */
export type Totals = Record<string, unknown>

const same = (a: Totals, b: Totals) => JSON.stringify(a) === JSON.stringify(b)

/**
 * Writes what `count` says until a count taken after the write says the same: without locks,
 * this is how a recount that read before another instance's insert cannot have the last word
 * (whoever writes last counts again after its write, and every insert is followed by a recount).
 */
export async function writeUntilSettled<T extends Totals>(
  count: () => Promise<T>,
  write: (totals: T) => Promise<void>,
): Promise<void> {
  let totals = await count()
  for (let round = 0; round < RECOUNT_ROUNDS; round++) {
    await write(totals)
    const again = await count()
    if (same(again, totals)) {
      return
    }
    totals = again
  }
}

/** One stored connection as the recount reads it (times as ISO text or dates). */
export interface StoredConnection {
  identity: string
  joinedAt: Date | string
  leftAt?: Date | null | string
}

/** A person's attendance totals, counted from all of their connections to the stream. */
export interface AttendanceTotals {
  sessions: number
  watchSeconds: number
  firstJoinedAt: string
  lastLeftAt: null | string
}

const ms = (value: Date | string) => (value instanceof Date ? value.getTime() : Date.parse(value))

/**
 * The totals of each of `identities` that has connections among `rows`: how many, the seconds
 * between each join and its leave (open connections count nothing yet), first join, last leave.
 */
export function attendanceTotals(
  rows: StoredConnection[],
  identities: string[],
): Record<string, AttendanceTotals> {
  const totals: Record<string, AttendanceTotals> = {}
  for (const identity of identities) {
    const mine = rows.filter((r) => r.identity === identity)
    if (!mine.length) {
      continue
    }
    const watched = mine.reduce(
      (sum, r) => sum + (r.leftAt ? Math.max(0, ms(r.leftAt) - ms(r.joinedAt)) : 0),
      0,
    )
    const left = mine.map((r) => r.leftAt).filter((v): v is Date | string => Boolean(v))
    totals[identity] = {
      sessions: mine.length,
      watchSeconds: Math.round(watched / 1000),
      firstJoinedAt: new Date(Math.min(...mine.map((r) => ms(r.joinedAt)))).toISOString(),
      lastLeftAt: left.length ? new Date(Math.max(...left.map(ms))).toISOString() : null,
    }
  }
  return totals
}
