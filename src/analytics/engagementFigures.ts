import type { FigureWindow } from './audienceFigures.js'

import { stepFor } from './audienceFigures.js'

/** What the engagement curve counts per step. */
export interface EngagementPoint {
  /** The step's start, ISO 8601. */
  at: string
  chat: number
  reactions: number
  hands: number
}

/** How many of one kind happened in one step (the step's index from the window's start). */
export interface EngagementCount {
  step: number
  kind: string
  n: number
}

const FIELD: Readonly<Record<string, 'chat' | 'hands' | 'reactions'>> = {
  chat: 'chat',
  reaction: 'reactions',
  hand: 'hands',
}

/** The index of the step `at` falls in, or null outside the window (its end belongs to the last step). */
export function stepIndexOf(
  at: number,
  window: FigureWindow,
  step = stepFor(window),
): null | number {
  if (!(at >= window.from && at <= window.to) || !(window.to > window.from)) {
    return null
  }
  const last = Math.ceil((window.to - window.from) / step) - 1
  return Math.min(last, Math.floor((at - window.from) / step))
}

/** Counts per step and kind of events given by kind and time (the read where SQL cannot group). */
export function countPerStep(
  events: Iterable<{ kind: string; at: number }>,
  window: FigureWindow,
  step = stepFor(window),
): EngagementCount[] {
  const counts = new Map<string, EngagementCount>()
  for (const e of events) {
    const index = stepIndexOf(e.at, window, step)
    if (index === null) {
      continue
    }
    const key = `${index}:${e.kind}`
    const count = counts.get(key) ?? { step: index, kind: e.kind, n: 0 }
    count.n++
    counts.set(key, count)
  }
  return [...counts.values()]
}

/**
 * The engagement curve: chat messages, reactions and raised hands per step of the window, on the
 * same steps as the audience curve (so the two draw on one time axis). Kinds it does not know
 * and steps outside the window are left out.
 */
export function engagementCurve(
  counts: readonly EngagementCount[],
  window: FigureWindow,
  step = stepFor(window),
): EngagementPoint[] {
  if (!(window.to > window.from)) {
    return []
  }
  const steps = Math.ceil((window.to - window.from) / step)
  const points: EngagementPoint[] = Array.from({ length: steps }, (_, i) => ({
    at: new Date(window.from + i * step).toISOString(),
    chat: 0,
    reactions: 0,
    hands: 0,
  }))
  for (const c of counts) {
    const field = FIELD[c.kind]
    if (field && Number.isInteger(c.step) && c.step >= 0 && c.step < steps) {
      points[c.step][field] += c.n
    }
  }
  return points
}
