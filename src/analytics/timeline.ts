import type { FigureWindow } from './audienceFigures.js'

/** A span of the stream's timeline, ISO 8601, inside the figures' window. */
export interface Period {
  from: string
  to: string
}

/** A stored start and end (either may be missing) as a time in milliseconds or null. */
const msOf = (value: unknown): null | number => {
  if (typeof value !== 'string' && !(value instanceof Date)) {
    return null
  }
  const ms = new Date(value).getTime()
  return Number.isFinite(ms) ? ms : null
}

/**
 * The part of a stored period inside the window: one not ended yet runs to the window's end, one
 * whose start was never reported starts with the window; null when nothing of it is inside (or
 * it has neither end). Pure.
 */
export function periodInside(start: unknown, end: unknown, window: FigureWindow): null | Period {
  const from = msOf(start)
  const to = msOf(end)
  if (from === null && to === null) {
    return null
  }
  const a = Math.max(window.from, from ?? window.from)
  const b = Math.min(window.to, to ?? window.to)
  return b > a ? { from: new Date(a).toISOString(), to: new Date(b).toISOString() } : null
}

/** Periods of the same kind that touch or overlap merged into one, in time order. Pure. */
export function mergePeriods<P extends Period>(periods: readonly P[]): Period[] {
  const sorted = [...periods].sort((x, y) => x.from.localeCompare(y.from))
  const merged: Period[] = []
  for (const p of sorted) {
    const last = merged.at(-1)
    if (last && p.from <= last.to) {
      if (p.to > last.to) {
        last.to = p.to
      }
    } else {
      merged.push({ from: p.from, to: p.to })
    }
  }
  return merged
}
