import type { Payload } from 'payload'

import type { DocId } from '../core/ids.js'
import type { FigureWindow } from './audienceFigures.js'
import type { EngagementKind } from './createEngagementCollection.js'

import { STREAM_ENGAGEMENT } from '../core/slugs.js'
import { hotPathsOf } from '../db/hotPaths.js'
import { onSqlite, runSqlite } from '../db/sqlite.js'
import { perConfig, runPrepared, sqlTable, statement } from '../db/sqlSchema.js'
import { stepFor } from './audienceFigures.js'
import { countPerStep, type EngagementCount } from './engagementFigures.js'

/** One chat message, reaction or raised hand as the stream's figures keep it. */
export interface EngagementEvent {
  liveStream: DocId
  kind: EngagementKind
  identity: string
  occurredAt: string
  emoji?: string
  /** Only when the site keeps chat text. */
  text?: string
}

/** Appends one event; its id, so a message LiveKit could not deliver is taken back. */
export async function recordEngagement(payload: Payload, event: EngagementEvent): Promise<DocId> {
  const row = await payload.db.create({ collection: STREAM_ENGAGEMENT, data: { ...event } })
  return row.id as DocId
}

/** Takes back an event that did not reach the room (its message was never seen). */
export async function forgetEngagement(payload: Payload, id: DocId): Promise<void> {
  await payload.db.deleteOne({ collection: STREAM_ENGAGEMENT, where: { id: { equals: id } } })
}

// $1 stream, $2 window start (ms), $3 step (ms), $4 last step index, $5/$6 the window as dates.
const postgresCounts = perConfig((payload: Payload) => {
  const table = sqlTable(payload, STREAM_ENGAGEMENT)
  const c = (key: string) => table?.column(key) ?? null
  if (!table || !c('liveStream') || !c('kind') || !c('occurredAt')) {
    return null
  }
  return statement(
    `SELECT least(floor((extract(epoch FROM ${c('occurredAt')}) * 1000 - $2::double precision) / $3::double precision), $4)::integer AS step, ` +
      `${c('kind')} AS kind, count(*)::integer AS n FROM ${table.ref} ` +
      `WHERE ${c('liveStream')} = $1 AND ${c('occurredAt')} >= $5 AND ${c('occurredAt')} <= $6 GROUP BY 1, 2`,
  )
})

const sqliteCounts = perConfig((payload: Payload) => {
  const table = sqlTable(payload, STREAM_ENGAGEMENT)
  const c = (key: string) => table?.column(key) ?? null
  if (!table || !c('liveStream') || !c('kind') || !c('occurredAt')) {
    return null
  }
  // Dates are ISO text in UTC (text order is time order); julianday reads them to the millisecond.
  return (
    `SELECT min(CAST(((julianday(${c('occurredAt')}) - julianday(?2)) * 86400000.0) / ?3 AS INTEGER), ?4) AS step, ` +
    `${c('kind')} AS kind, count(*) AS n FROM ${table.ref} ` +
    `WHERE ${c('liveStream')} = ?1 AND ${c('occurredAt')} >= ?2 AND ${c('occurredAt')} <= ?5 GROUP BY 1, 2`
  )
})

/**
 * How many chat messages, reactions and raised hands the stream had per step of `window`: one
 * grouped query on PostgreSQL and SQLite, else the events' kinds and times read through
 * Payload's database API and counted here.
 */
export async function engagementCounts(
  payload: Payload,
  liveStream: DocId,
  window: FigureWindow,
  step = stepFor(window),
): Promise<EngagementCount[]> {
  const last = Math.max(0, Math.ceil((window.to - window.from) / step) - 1)
  const from = new Date(window.from).toISOString()
  const to = new Date(window.to).toISOString()
  const asCounts = (rows: Array<Record<string, unknown>>) =>
    rows.map((r) => ({ step: Number(r.step), kind: String(r.kind), n: Number(r.n) }))
  const paths = hotPathsOf(payload)
  const onPg = paths === 'postgres' ? postgresCounts(payload) : null
  if (onPg) {
    return asCounts(
      await runPrepared(payload, onPg, [liveStream, window.from, step, last, from, to]),
    )
  }
  const onLite = paths === 'sqlite' && onSqlite(payload) ? sqliteCounts(payload) : null
  if (onLite) {
    return asCounts((await runSqlite(payload, onLite, [liveStream, from, step, last, to])).rows)
  }
  const { docs } = await payload.db.find<{ kind: string; occurredAt: string }>({
    collection: STREAM_ENGAGEMENT,
    where: {
      and: [
        { liveStream: { equals: liveStream } },
        { occurredAt: { greater_than_equal: from } },
        { occurredAt: { less_than_equal: to } },
      ],
    },
    select: { kind: true, occurredAt: true },
    limit: 0,
    pagination: false,
  })
  return countPerStep(
    docs.map((d) => ({ kind: d.kind, at: new Date(d.occurredAt).getTime() })),
    window,
    step,
  )
}
