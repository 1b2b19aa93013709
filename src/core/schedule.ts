/** Lifecycle timing settings after defaults. */
export interface Timing {
  leadMinutes: number
  graceMinutes: number
}

const MINUTE = 60_000

/** When the room should open: `leadMinutes` before the start (the host's green room). */
export function openAt(start: Date, timing: Timing): Date {
  return new Date(start.getTime() - timing.leadMinutes * MINUTE)
}

/** When the room closes at the latest: `graceMinutes` after the end. */
export function closeAt(end: Date, timing: Timing): Date {
  return new Date(end.getTime() + timing.graceMinutes * MINUTE)
}

/** True while the room should exist. */
export function insideWindow(now: Date, start: Date, end: Date, timing: Timing): boolean {
  return now >= openAt(start, timing) && now < closeAt(end, timing)
}

// LiveKit must never close the room on its own while the appointment's window lasts: the plugin
// closes it. The floors keep a room opened late (or reopened by reconcile) alive through a drop.
const MIN_EMPTY_SECONDS = 300
const MIN_DEPARTURE_SECONDS = 120

/**
 * Room timeouts sized to the window: `emptyTimeout` (nobody joined yet) lasts until the close
 * time, so a host arriving late still finds the room; `departureTimeout` (everyone left) also
 * lasts until the close time, so a host whose connection drops can come back.
 */
export function roomTimeouts(
  now: Date,
  end: Date,
  timing: Timing,
): { emptyTimeoutSeconds: number; departureTimeoutSeconds: number } {
  const untilClose = Math.ceil((closeAt(end, timing).getTime() - now.getTime()) / 1000)
  return {
    emptyTimeoutSeconds: Math.max(MIN_EMPTY_SECONDS, untilClose),
    departureTimeoutSeconds: Math.max(MIN_DEPARTURE_SECONDS, untilClose),
  }
}

/**
 * Wait before retry number `attempt` (1-based): doubling from one second, capped. The cap keeps
 * a stream opening soon after LiveKit comes back, without hammering it while it is down.
 */
export function retryDelayMs(attempt: number, maxDelaySeconds: number): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30)
  return Math.min(maxDelaySeconds * 1000, 1000 * 2 ** exponent)
}
