import type { Payload } from 'payload'

import type { DocId } from '../core/ids.js'

import { SESSIONS, TICKETS } from '../core/slugs.js'
import { hotPathsOf } from '../db/hotPaths.js'
import { perConfig, runPrepared, sqlTable, statement } from '../db/sqlSchema.js'

/** One stored connection as the figures read it. */
export interface StoredConnection {
  identity: string
  role: string
  joinedAt: Date | string
  leftAt?: Date | null | string
}

/** An active ticket as the funnel reads it: its id and its buyer's id, if the buyer still exists. */
export interface HeldTicket {
  id: DocId
  user: unknown
}

const statements = perConfig((payload: Payload) => {
  const sessions = sqlTable(payload, SESSIONS)
  const tickets = sqlTable(payload, TICKETS)
  const s = (key: string) => sessions?.column(key) ?? null
  const t = (key: string) => tickets?.column(key) ?? null
  if (
    !sessions ||
    !tickets ||
    [s('identity'), s('joinedAt'), s('leftAt'), s('liveStream'), s('role')].includes(null) ||
    [t('id'), t('liveStream'), t('status'), t('user')].includes(null)
  ) {
    return null
  }
  return {
    connections: statement(
      `SELECT ${s('identity')} AS identity, ${s('role')} AS role, ${s('joinedAt')} AS "joinedAt", ` +
        `${s('leftAt')} AS "leftAt" FROM ${sessions.ref} WHERE ${s('liveStream')} = $1`,
    ),
    held: statement(
      `SELECT ${t('id')} AS id, ${t('user')} AS "user" FROM ${tickets.ref} ` +
        `WHERE ${t('liveStream')} = $1 AND ${t('status')} = 'active'`,
    ),
  }
})

/**
 * Every stored connection of a stream: one prepared read on PostgreSQL (a stream of 10,000
 * connections is read in milliseconds, where building 10,000 documents through the query builder
 * takes a good part of a second), Payload's database API elsewhere.
 */
export async function connectionsOf(
  payload: Payload,
  liveStream: DocId,
): Promise<StoredConnection[]> {
  const fast = hotPathsOf(payload) === 'postgres' ? statements(payload) : null
  if (fast) {
    return (await runPrepared(payload, fast.connections, [
      liveStream,
    ])) as unknown as StoredConnection[]
  }
  const { docs } = await payload.db.find<StoredConnection>({
    collection: SESSIONS,
    where: { liveStream: { equals: liveStream } },
    select: { identity: true, role: true, joinedAt: true, leftAt: true },
    limit: 0,
    pagination: false,
  })
  return docs
}

/** The stream's active tickets with their buyers, read as {@link connectionsOf} reads. */
export async function heldTicketsOf(payload: Payload, liveStream: DocId): Promise<HeldTicket[]> {
  const fast = hotPathsOf(payload) === 'postgres' ? statements(payload) : null
  if (fast) {
    return (await runPrepared(payload, fast.held, [liveStream])) as unknown as HeldTicket[]
  }
  const { docs } = await payload.db.find<HeldTicket>({
    collection: TICKETS,
    where: { and: [{ liveStream: { equals: liveStream } }, { status: { equals: 'active' } }] },
    select: { user: true },
    limit: 0,
    pagination: false,
  })
  return docs
}
