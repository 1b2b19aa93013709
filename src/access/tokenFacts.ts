import type { Payload } from 'payload'

import type { DocId } from '../core/ids.js'
import type { AccessFacts } from '../core/roles.js'
import type { StreamState } from '../core/streamStates.js'
import type { SessionClaims, UserReader } from '../http/sessionUser.js'
import type { ResolvedOptions } from '../resolveOptions.js'

import { openAt } from '../core/schedule.js'
import { LIVE_STREAMS, STREAM_REMOVALS, TICKETS } from '../core/slugs.js'
import { hotPathsOf } from '../db/hotPaths.js'
import {
  oncePer,
  perConfig,
  runPrepared,
  sqlTable,
  type SqlTable,
  statement,
} from '../db/sqlSchema.js'
import { pluginOptionsOf } from '../runtime.js'

/** What the token route needs about a stream, its appointment and one caller: one row. */
export interface TokenFacts {
  stream: { id: DocId; roomName: string }
  /** False when the stream's appointment is gone (the stream is then not joinable). */
  appointmentFound: boolean
  /** The facts {@link decideRole} decides on, minus the caller's user part. */
  facts: Omit<AccessFacts, 'user'>
}

type Field = {
  name?: string
  type: string
  hasMany?: boolean
  localized?: boolean
  relationTo?: unknown
}

const camel = (slug: string) => slug.replace(/[-_\s]+(.)/g, (_m, c: string) => c.toUpperCase())

/**
 * SQL for "does this relationship field of appointment `a` point at the user `$2`" and "its ids",
 * whether it is stored in the row (one) or in the `_rels` table (many); null if neither.
 */
function relationSql(
  payload: Payload,
  slug: string,
  table: SqlTable,
  fieldName: string | undefined,
) {
  if (!fieldName) {
    return { ids: 'NULL', contains: 'false' }
  }
  const field = (payload.collections[slug].config.flattenedFields as unknown as Field[]).find(
    (f) => f.name === fieldName,
  )
  if (
    !field ||
    field.type !== 'relationship' ||
    typeof field.relationTo !== 'string' ||
    field.localized
  ) {
    return null
  }
  const id = table.column('id')!
  if (!field.hasMany) {
    const column = table.column(fieldName)
    return column ? { ids: `ARRAY[a.${column}]`, contains: `(a.${column} = $2)` } : null
  }
  const rels = sqlTable(payload, slug, '_rels')
  const parent = rels?.column('parent')
  const target = rels?.column(`${camel(field.relationTo)}ID`)
  if (!rels || !parent || !target) {
    return null
  }
  const where = `r.${parent} = a.${id} AND r.${rels.column('path')} = '${fieldName.replace(/'/g, "''")}'`
  return {
    ids: `ARRAY(SELECT r.${target} FROM ${rels.ref} r WHERE ${where} ORDER BY r.${rels.column('order')})`,
    contains: `EXISTS (SELECT 1 FROM ${rels.ref} r WHERE ${where} AND r.${target} = $2)`,
  }
}

/**
 * The SELECT behind {@link readTokenFacts} as text with room for more columns (the caller's user
 * row), or why the site's schema needs Payload's API.
 */
type FactsText = (extraColumns: string) => string
const factsText = perConfig((payload: Payload) =>
  buildFactsQuery(payload, pluginOptionsOf(payload)),
)

/** The statement of facts alone (a guest), and one per user collection with the user's row joined. */
const factsOnly = oncePer((text: FactsText) => statement(text('')))
const factsWithUser = oncePer((reader: UserReader, text: FactsText) =>
  // The user's row as JSON in one column: one round trip for the session check and the facts.
  statement(text(`, (SELECT to_jsonb(r) FROM (${reader.sql(2, 4)}) r) AS "user"`)),
)

function buildFactsQuery(payload: Payload, resolved: ResolvedOptions): FactsText | string {
  const slug = resolved.appointments.slug
  const f = resolved.appointments.fields
  const streams = sqlTable(payload, LIVE_STREAMS)
  const removals = sqlTable(payload, STREAM_REMOVALS)
  const tickets = sqlTable(payload, TICKETS)
  const appointments = sqlTable(payload, slug)
  if (!streams || !removals || !tickets || !appointments) {
    return 'not the Postgres adapter'
  }
  const host = relationSql(payload, slug, appointments, f.host)
  const coHosts = relationSql(payload, slug, appointments, f.coHosts)
  const attendees = relationSql(payload, slug, appointments, f.attendees)
  const tenant = relationSql(payload, slug, appointments, f.tenant)
  if (!host || !coHosts || !attendees || !tenant) {
    return 'appointment relationships the plugin cannot read with SQL'
  }
  const visibility = f.visibility ? appointments.column(f.visibility) : 'NULL'
  if (!visibility) {
    return `no column for ${slug}.${f.visibility}`
  }
  const s = (key: string) => `s.${streams.column(key)}`
  return (extraColumns) =>
    [
      `SELECT ${s('id')} AS "id", ${s('state')} AS "state", ${s('roomName')} AS "roomName", ${s('scheduledStart')} AS "scheduledStart",`,
      `a.${appointments.column('id')} AS "appointmentId", ${host.ids} AS "hostIds", ${coHosts.ids} AS "coHostIds",`,
      `${tenant.ids} AS "tenantIds", ${f.visibility ? `a.${visibility}` : 'NULL'} AS "visibility", ${attendees.contains} AS "listed",`,
      `EXISTS (SELECT 1 FROM ${tickets.ref} t WHERE t.${tickets.column('liveStream')} = ${s('id')} AND t.${tickets.column('user')} = $2 AND t.${tickets.column('status')} = 'active') AS "paid",`,
      `EXISTS (SELECT 1 FROM ${removals.ref} x WHERE x.${removals.column('liveStream')} = ${s('id')} AND x.${removals.column('identity')} = $3) AS "removed"${extraColumns}`,
      `FROM ${streams.ref} s LEFT JOIN ${appointments.ref} a ON a.${appointments.column('id')} = ${s('appointment')}`,
      `WHERE ${s('id')} = $1`,
    ].join(' ')
}

/** Whether {@link readTokenFacts} can read this site's schema (else use Payload's API). */
export const tokenFactsSupported = (payload: Payload) =>
  hotPathsOf(payload) === 'postgres' && typeof factsText(payload) !== 'string'

const firstId = (value: unknown): DocId | null =>
  Array.isArray(value) ? ((value.find((v) => v !== null) as DocId | undefined) ?? null) : null

/**
 * Reads, in one prepared statement, everything the token decision needs about stream
 * `streamId` and the caller (`userId`, `identity`); null when there is no such stream. With
 * `session`, the same statement also reads the caller's user row and session (`userRow`; null
 * when there is no such user). Check {@link tokenFactsSupported} first.
 */
export async function readTokenFacts(
  payload: Payload,
  resolved: ResolvedOptions,
  streamId: DocId,
  caller: { userId: DocId | null; identity: string; session?: SessionClaims },
): Promise<({ userRow: null | Record<string, unknown> } & TokenFacts) | null> {
  const text = factsText(payload)
  if (typeof text === 'string') {
    throw new Error(`payload-plugin-livekit: token facts cannot be read with SQL here (${text}).`)
  }
  const { userId, identity, session } = caller
  const [row] = session
    ? await runPrepared(payload, factsWithUser(session.reader, text), [
        streamId,
        userId,
        identity,
        ...(session.reader.useSessions ? [session.sid] : []),
      ])
    : await runPrepared(payload, factsOnly(text), [streamId, userId, identity])
  if (!row) {
    return null
  }
  const coHostIds = Array.isArray(row.coHostIds)
    ? (row.coHostIds as Array<DocId | null>).filter((v): v is DocId => v !== null)
    : []
  return {
    stream: { id: row.id as DocId, roomName: String(row.roomName) },
    appointmentFound: row.appointmentId !== null,
    userRow: (row.user as null | Record<string, unknown> | undefined) ?? null,
    facts: {
      appointment: {
        hostId: firstId(row.hostIds),
        coHostIds,
        tenantId: firstId(row.tenantIds),
        visibility: row.visibility === 'public' ? 'public' : 'ticketed',
      },
      hasTicket: userId !== null && (row.listed === true || row.paid === true),
      removed: row.removed === true,
      stream: {
        state: row.state as StreamState,
        opensAt: row.scheduledStart
          ? openAt(new Date(row.scheduledStart as Date | string), resolved.lifecycle)
          : null,
      },
    },
  }
}
