import type { Payload } from 'payload'

import { ATTENDANCE, LIVE_STREAMS, SESSIONS, STREAM_REMOVALS } from '../core/slugs.js'
import { type SqlTable, sqlTable } from '../db/sqlSchema.js'
import { pluginOptionsOf } from '../runtime.js'
import { VIEWER_ROLES } from './recounting.js'

/** The tables the audience's SQL statements touch, with their columns by field key. */
export interface AudienceTables {
  streams: SqlTable
  sessions: SqlTable
  attendance: SqlTable
  removals: SqlTable
  users: SqlTable
  /** Column of a live stream, a session, an attendance row, a removal. */
  l: (key: string) => string
  s: (key: string) => string
  a: (key: string) => string
  x: (key: string) => string
  /** The viewer roles as a SQL list, for `role IN (…)`. */
  viewers: string
}

/** The audience's tables on this SQL database; `database` names it in the error when one is missing. */
export function audienceTables(payload: Payload, database: string): AudienceTables {
  const streams = sqlTable(payload, LIVE_STREAMS)
  const sessions = sqlTable(payload, SESSIONS)
  const attendance = sqlTable(payload, ATTENDANCE)
  const removals = sqlTable(payload, STREAM_REMOVALS)
  const users = sqlTable(payload, pluginOptionsOf(payload).usersSlug)
  if (!streams || !sessions || !attendance || !removals || !users) {
    throw new Error(
      `payload-plugin-livekit: the audience has no tables on this ${database} database.`,
    )
  }
  return {
    streams,
    sessions,
    attendance,
    removals,
    users,
    l: (key) => streams.column(key)!,
    s: (key) => sessions.column(key)!,
    a: (key) => attendance.column(key)!,
    x: (key) => removals.column(key)!,
    viewers: VIEWER_ROLES.map((role) => `'${role}'`).join(', '),
  }
}
