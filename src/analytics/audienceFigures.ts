/**
 * The audience of one stream as figures people read: the concurrent-viewer curve with joins and
 * leaves, how long people watched, and how ticket holders went from buying to staying to the end.
 * Pure: the operation reads the stored connections and hands them in, so the same connections
 * always give the same figures, whatever order their webhooks arrived in.
 */

/** One stored connection (a LiveKit participant session), times in milliseconds. */
export interface Connection {
  identity: string
  role: string
  joinedAt: number
  /** Null while the connection is open. */
  leftAt: null | number
}

/** The span the figures cover: the stream's start to its end (or now while it is live). */
export interface FigureWindow {
  from: number
  to: number
}

/** One step of the audience curve: the step `[at, at + step)`. */
export interface AudiencePoint {
  /** The step's start, ISO 8601. */
  at: string
  /** Viewer connections open at the step's start. */
  viewers: number
  /** The most viewer connections open at any moment within the step. */
  peak: number
  /** Viewer connections that began within the step. */
  joins: number
  /** Viewer connections that ended within the step. */
  leaves: number
}

/** How many viewers watched what share of the stream, in tenths. */
export interface WatchBin {
  /** The bin's lower bound as a share of the stream, 0 to 0.9. */
  fromShare: number
  /** The bin's upper bound; the last bin includes 1 (watched it all). */
  toShare: number
  viewers: number
}

/** Ticket holders from purchase to the end of the stream. */
export interface AttendanceFunnel {
  /** Tickets held (active, not refunded). */
  ticketsSold: number
  /** Holders who connected at least once. */
  joined: number
  /** Holders who watched at least half of the stream. */
  stayedHalf: number
  /** Holders still connected in the stream's last minute. */
  stayedToEnd: number
}

/** The steps of the curve: one minute, longer only so a very long stream stays readable. */
export function stepFor(window: FigureWindow): number {
  const minute = 60_000
  const span = Math.max(0, window.to - window.from)
  // At most 720 points (twelve hours by the minute); beyond that, whole minutes per point.
  return Math.max(1, Math.ceil(span / (720 * minute))) * minute
}

/**
 * The concurrent-viewer curve: per step, the connections open at its start, the most open at any
 * moment inside it, and the joins and leaves in it. Counted by connection, like the stream's
 * `peakViewers`, so the curve's highest point is that figure. A leave and a join at the same
 * instant count as a hand-over (the leave first), not as two people at once.
 */
export function audienceCurve(
  connections: readonly Connection[],
  window: FigureWindow,
  step = stepFor(window),
): AudiencePoint[] {
  const points: AudiencePoint[] = []
  if (!(window.to > window.from)) {
    return points
  }
  const changes: Array<[number, number]> = []
  for (const c of connections) {
    changes.push([c.joinedAt, 1])
    if (c.leftAt !== null) {
      changes.push([c.leftAt, -1])
    }
  }
  changes.sort((a, b) => a[0] - b[0] || a[1] - b[1])
  let open = 0
  let next = 0
  // Everything before the window only sets who is already there at its start.
  while (next < changes.length && changes[next][0] < window.from) {
    open += changes[next][1]
    next++
  }
  const apply = (point: AudiencePoint) => {
    const delta = changes[next][1]
    open += delta
    if (delta > 0) {
      point.joins++
    } else {
      point.leaves++
    }
    next++
  }
  for (let at = window.from; at < window.to; at += step) {
    const end = Math.min(at + step, window.to)
    const point = { at: new Date(at).toISOString(), viewers: 0, peak: 0, joins: 0, leaves: 0 }
    // Changes exactly at the step's start belong to it: "open at the start" is after them.
    while (next < changes.length && changes[next][0] === at) {
      apply(point)
    }
    point.viewers = open
    point.peak = open
    while (next < changes.length && changes[next][0] < end) {
      const time = changes[next][0]
      // Every change of one instant is applied before the peak is read.
      while (next < changes.length && changes[next][0] === time) {
        apply(point)
      }
      point.peak = Math.max(point.peak, open)
    }
    points.push(point)
  }
  return points
}

/**
 * How long each identity watched within the window, in milliseconds: its connections joined
 * into one set of intervals, so two tabs at once count once.
 */
export function watchTimes(
  connections: readonly Connection[],
  window: FigureWindow,
): Map<string, number> {
  const spans = new Map<string, Array<[number, number]>>()
  for (const c of connections) {
    const from = Math.max(c.joinedAt, window.from)
    const to = Math.min(c.leftAt ?? window.to, window.to)
    if (to > from) {
      const list = spans.get(c.identity) ?? []
      list.push([from, to])
      spans.set(c.identity, list)
    }
  }
  const watched = new Map<string, number>()
  for (const c of connections) {
    watched.set(c.identity, 0)
  }
  for (const [identity, list] of spans) {
    list.sort((a, b) => a[0] - b[0])
    let total = 0
    let [start, end] = list[0]
    for (const [from, to] of list.slice(1)) {
      if (from > end) {
        total += end - start
        ;[start, end] = [from, to]
      } else {
        end = Math.max(end, to)
      }
    }
    watched.set(identity, total + (end - start))
  }
  return watched
}

/** Viewers by the share of the stream they watched, in ten bins. */
export function watchDistribution(watched: Map<string, number>, window: FigureWindow): WatchBin[] {
  const span = window.to - window.from
  const bins = Array.from({ length: 10 }, (_, i) => ({
    fromShare: i / 10,
    toShare: (i + 1) / 10,
    viewers: 0,
  }))
  if (!(span > 0)) {
    return bins
  }
  for (const ms of watched.values()) {
    // Integer tenths, so 0.3 of the stream lands in the 0.3 bin and not below it by rounding.
    bins[Math.min(9, Math.floor((ms * 10) / span))].viewers++
  }
  return bins
}

/**
 * Ticket holders (their participant identities) from buying to staying: who joined, who watched
 * at least half, who was still there in the last minute.
 */
export function attendanceFunnel(
  holders: readonly string[],
  connections: readonly Connection[],
  window: FigureWindow,
): AttendanceFunnel {
  const watched = watchTimes(connections, window)
  const span = window.to - window.from
  const lastMinute = window.to - Math.min(60_000, span)
  const atEnd = new Set(
    connections
      .filter((c) => (c.leftAt ?? window.to) >= lastMinute && c.joinedAt < window.to)
      .map((c) => c.identity),
  )
  const unique = [...new Set(holders)]
  const joined = unique.filter((h) => watched.has(h))
  return {
    ticketsSold: holders.length,
    joined: joined.length,
    stayedHalf: joined.filter((h) => span > 0 && 2 * (watched.get(h) ?? 0) >= span).length,
    stayedToEnd: joined.filter((h) => atEnd.has(h)).length,
  }
}
