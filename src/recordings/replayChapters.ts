/** A product moment as stored: when a product went up and came down during the stream. */
export interface ProductMomentTimes {
  pinId: string
  productId: string
  title: string
  place: string
  pinnedAt: string
  unpinnedAt: null | string
}

/** A chapter of a replay: where in the recording a product went up. */
export interface ReplayChapter {
  pinId: string
  productId: string
  title: string
  place: string
  /** Seconds from the start of the recording. */
  atSeconds: number
}

/**
 * The chapters of a recording from the stream's product moments. A product pinned before the
 * recording began and still up when it did opens the recording (0 s); moments wholly before the
 * start or after the end are not in this recording. Without a start time nothing can be placed.
 * Ordered by time, then by pin, so every reader lists the same chapters.
 */
export function replayChapters(
  moments: readonly ProductMomentTimes[],
  recording: {
    startedAt?: null | string
    endedAt?: null | string
    durationSeconds?: null | number
  },
): ReplayChapter[] {
  const start = recording.startedAt ? Date.parse(recording.startedAt) : NaN
  if (!Number.isFinite(start)) {
    return []
  }
  const end = recording.endedAt
    ? Date.parse(recording.endedAt)
    : typeof recording.durationSeconds === 'number'
      ? start + recording.durationSeconds * 1000
      : Infinity
  return moments
    .filter((m) => {
      const up = Date.parse(m.pinnedAt)
      const down = m.unpinnedAt ? Date.parse(m.unpinnedAt) : Infinity
      return up < end && down > start
    })
    .map((m) => ({
      pinId: m.pinId,
      productId: m.productId,
      title: m.title,
      place: m.place,
      // Whole tenths of a second: enough to seek to, and the same on every reader.
      atSeconds: Math.round(Math.max(0, Date.parse(m.pinnedAt) - start) / 100) / 10,
    }))
    .sort((a, b) => a.atSeconds - b.atSeconds || a.pinId.localeCompare(b.pinId))
}
