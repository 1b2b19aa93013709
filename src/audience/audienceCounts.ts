import type { Payload, PayloadRequest } from 'payload'

import type { DocId } from '../core/ids.js'

import { LIVE_STREAMS, SESSIONS } from '../core/slugs.js'
import { audienceStore, VIEWER_ROLES } from './audienceStore.js'

export { VIEWER_ROLES }

/**
 * Peak concurrent viewers over a set of connections: a sweep over join (+1) and leave (−1) times,
 * leaves first at equal times. Pure.
 */
export function peakConcurrency(
  sessions: Array<{ joinedAt: string; leftAt?: null | string }>,
): number {
  const points: Array<[number, number]> = []
  for (const s of sessions) {
    points.push([new Date(s.joinedAt).getTime(), 1])
    if (s.leftAt) {
      points.push([new Date(s.leftAt).getTime(), -1])
    }
  }
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1])
  let current = 0
  let peak = 0
  for (const [, delta] of points) {
    current += delta
    peak = Math.max(peak, current)
  }
  return peak
}

/**
 * Writes the stream's audience figures as counted from sessions and attendance: what is true,
 * never a delta, so duplicates and any delivery order give the same result: current viewers
 * (open viewer connections), unique viewers and participants (attendance rows that are not
 * no-shows), host presence (an open host connection; without it, no camera or screen share), and
 * the peak, which only rises here (settleAudience makes it exact). Two instances counting at once
 * cannot leave the earlier count standing (see audienceStore). With `req`, inside its transaction.
 */
export async function refreshAudience(
  payload: Payload,
  streamId: DocId,
  req?: Partial<PayloadRequest>,
): Promise<void> {
  await audienceStore(payload).refresh(streamId, req)
}

/**
 * Exact figures from every recorded connection: the peak by a sweep over join and leave times.
 * Run when the stream closes and by reconcile, so the final state does not depend on the order
 * events arrived in.
 */
export async function settleAudience(
  payload: Payload,
  streamId: DocId,
  req?: Partial<PayloadRequest>,
): Promise<{ peakViewers: number }> {
  const sessions = await payload.db.find<{ id: DocId; joinedAt: string; leftAt?: null | string }>({
    collection: SESSIONS,
    where: { and: [{ liveStream: { equals: streamId } }, { role: { in: VIEWER_ROLES } }] },
    limit: 0,
    pagination: false,
    req,
  })
  const peakViewers = peakConcurrency(sessions.docs)
  await refreshAudience(payload, streamId, req)
  await payload.db.updateOne({ collection: LIVE_STREAMS, id: streamId, data: { peakViewers }, req })
  return { peakViewers }
}
