import type { Payload, PayloadRequest, Where } from 'payload'

import { ATTENDANCE, LIVE_STREAMS, SESSIONS } from '../collections/slugs.js'

type Id = string | number

export const VIEWER_ROLES = ['attendee', 'guest']

/**
 * Peak concurrent viewers over a set of connections: a sweep over join (+1) and leave (−1) times,
 * leaves first at equal times. Pure.
 */
export function peakConcurrency(sessions: Array<{ joinedAt: string; leftAt?: string | null }>): number {
  const points: Array<[number, number]> = []
  for (const s of sessions) {
    points.push([new Date(s.joinedAt).getTime(), 1])
    if (s.leftAt) points.push([new Date(s.leftAt).getTime(), -1])
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

async function counts(payload: Payload, streamId: Id, req?: Partial<PayloadRequest>) {
  const viewers: Where = { role: { in: VIEWER_ROLES } }
  const [open, unique, total, host] = await Promise.all([
    payload.db.count({ collection: SESSIONS, where: { and: [{ liveStream: { equals: streamId } }, viewers, { leftAt: { exists: false } }] }, req }),
    payload.db.count({ collection: ATTENDANCE, where: { and: [{ liveStream: { equals: streamId } }, viewers, { noShow: { not_equals: true } }] }, req }),
    payload.db.count({ collection: ATTENDANCE, where: { and: [{ liveStream: { equals: streamId } }, { noShow: { not_equals: true } }] }, req }),
    payload.db.count({ collection: SESSIONS, where: { and: [{ liveStream: { equals: streamId } }, { role: { equals: 'host' } }, { leftAt: { exists: false } }] }, req }),
  ])
  return { currentViewers: open.totalDocs, uniqueViewers: unique.totalDocs, totalParticipants: total.totalDocs, hostPresent: host.totalDocs > 0 }
}

/**
 * Writes the stream's audience figures as counted from sessions and attendance: what is true,
 * never a delta, so duplicates and any delivery order give the same result. Two instances writing
 * at once may briefly write a stale count; each counts again after writing until the count holds.
 */
export async function refreshAudience(payload: Payload, streamId: Id, req?: Partial<PayloadRequest>): Promise<void> {
  let figures = await counts(payload, streamId, req)
  for (let i = 0; i < 3; i++) {
    await payload.db.updateOne({ collection: LIVE_STREAMS, id: streamId, data: { ...figures, ...(figures.hostPresent ? {} : { hostOnCamera: false, hostScreenSharing: false }) }, req })
    const again = await counts(payload, streamId, req)
    if (JSON.stringify(again) === JSON.stringify(figures)) break
    figures = again
  }
  // Peak only rises while live; settleAudience makes it exact.
  await payload.db.updateOne({
    collection: LIVE_STREAMS,
    where: { and: [{ id: { equals: streamId } }, { or: [{ peakViewers: { less_than: figures.currentViewers } }, { peakViewers: { exists: false } }] }] },
    data: { peakViewers: figures.currentViewers },
    options: { atomic: true },
    req,
  })
}

/**
 * Exact figures from every recorded connection: the peak by a sweep over join and leave times.
 * Run when the stream closes and by reconcile, so the final state does not depend on the order
 * events arrived in.
 */
export async function settleAudience(payload: Payload, streamId: Id, req?: Partial<PayloadRequest>): Promise<{ peakViewers: number }> {
  const sessions = await payload.db.find<{ id: Id; joinedAt: string; leftAt?: string | null }>({
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
