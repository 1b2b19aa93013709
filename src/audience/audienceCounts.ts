import type { Payload, PayloadRequest } from 'payload'

import type { DocId } from '../core/ids.js'

import { ATTENDANCE, LIVE_STREAMS, SESSIONS } from '../core/slugs.js'
import { inTransaction, perConfig, sqlTable, statement, type Statement } from '../db/sqlSchema.js'

export const VIEWER_ROLES = ['attendee', 'guest']

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

interface AudienceStatements {
  /**
   * Takes the stream row's lock: recounts of one stream take turns. NO KEY UPDATE, the lock an
   * UPDATE takes anyway: stronger would also block inserts that reference the stream (their
   * foreign-key check), which a closing stream's transaction may be waiting on.
   */
  lockStream: Statement
  /** Writes the audience figures counted from connections and attendance (one statement). */
  countAudience: Statement
}

/**
 * The audience as counted from what is stored, never as a delta: current viewers (open viewer
 * connections), unique viewers and participants (attendance rows that are not no-shows), host
 * presence (an open host connection; without it, no camera or screen share), and the peak, which
 * only rises here (settleAudience makes it exact).
 */
export const audienceStatements = perConfig((payload: Payload): AudienceStatements => {
  const streams = sqlTable(payload, LIVE_STREAMS)
  const sessions = sqlTable(payload, SESSIONS)
  const attendance = sqlTable(payload, ATTENDANCE)
  if (!streams || !sessions || !attendance) {
    throw new Error('payload-plugin-livekit: audience figures need the Postgres adapter.')
  }
  const l = (key: string) => streams.column(key)!
  const s = (key: string) => sessions.column(key)!
  const a = (key: string) => attendance.column(key)!
  const viewers = VIEWER_ROLES.map((role) => `'${role}'`).join(', ')
  const openViewers = `(SELECT count(*) FROM ${sessions.ref} WHERE ${s('liveStream')} = $1 AND ${s('role')} IN (${viewers}) AND ${s('leftAt')} IS NULL)`
  const hostHere = `EXISTS (SELECT 1 FROM ${sessions.ref} WHERE ${s('liveStream')} = $1 AND ${s('role')} = 'host' AND ${s('leftAt')} IS NULL)`
  return {
    lockStream: statement(`SELECT 1 FROM ${streams.ref} WHERE ${l('id')} = $1 FOR NO KEY UPDATE`),
    countAudience: statement(
      `UPDATE ${streams.ref} SET ${l('currentViewers')} = ${openViewers}, ` +
        `${l('uniqueViewers')} = (SELECT count(*) FROM ${attendance.ref} WHERE ${a('liveStream')} = $1 AND ${a('role')} IN (${viewers}) AND ${a('noShow')} IS NOT TRUE), ` +
        `${l('totalParticipants')} = (SELECT count(*) FROM ${attendance.ref} WHERE ${a('liveStream')} = $1 AND ${a('noShow')} IS NOT TRUE), ` +
        `${l('hostPresent')} = ${hostHere}, ` +
        `${l('hostOnCamera')} = CASE WHEN ${hostHere} THEN ${l('hostOnCamera')} ELSE false END, ` +
        `${l('hostScreenSharing')} = CASE WHEN ${hostHere} THEN ${l('hostScreenSharing')} ELSE false END, ` +
        `${l('peakViewers')} = GREATEST(COALESCE(${l('peakViewers')}, 0), ${openViewers}), ` +
        `${l('updatedAt')} = now() WHERE ${l('id')} = $1`,
    ),
  }
})

/**
 * Writes the stream's audience figures as counted from sessions and attendance: what is true,
 * never a delta, so duplicates and any delivery order give the same result. The stream row is
 * locked first, so two instances counting at once take turns and the later count — which sees
 * everything the earlier one saw — is the one that stays. With `req`, inside its transaction
 * (a closing stream's transaction holds that lock already).
 */
export async function refreshAudience(
  payload: Payload,
  streamId: DocId,
  req?: Partial<PayloadRequest>,
): Promise<void> {
  const sql = audienceStatements(payload)
  await inTransaction(
    payload,
    async (run) => {
      await run(sql.lockStream, [streamId])
      await run(sql.countAudience, [streamId])
    },
    req,
  )
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
