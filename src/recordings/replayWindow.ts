/**
 * Until when the audience may watch a stream's replays: `days` after the stream ended, or always
 * (`false`, or a stream that has not ended: its recordings are replays of a stream still running).
 * Null when there is no limit.
 */
export function replayClosesAt(
  stream: { actualEnd?: null | string; closedAt?: null | string },
  days: false | number,
): Date | null {
  const ended = stream.actualEnd ?? stream.closedAt ?? null
  if (days === false || !ended) {
    return null
  }
  const at = new Date(ended).getTime()
  return Number.isFinite(at) ? new Date(at + days * 86_400_000) : null
}

/** Whether the replay window of a stream is still open at `now` (see {@link replayClosesAt}). */
export const replayOpen = (closesAt: Date | null, now: Date): boolean =>
  closesAt === null || now.getTime() < closesAt.getTime()
