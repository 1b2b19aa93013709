import type { Payload, Where } from 'payload'

import { randomUUID } from 'node:crypto'

import type { DocId } from '../core/ids.js'

import { WEBHOOK_EVENTS } from '../core/slugs.js'
import { hotPathsOf } from '../db/hotPaths.js'
import { insertNew, mongoCollection, objectIds } from '../db/mongo.js'
import {
  columnsOf,
  perConfig,
  runPrepared,
  runPreparedCount,
  sqlTable,
  statement,
  type Statement,
} from '../db/sqlSchema.js'
import { insertUnique } from '../db/uniqueRows.js'
import { BATCH_LIMIT, CLAIM_SECONDS, PRUNE_ROUND } from './inboxLimits.js'
import { sqliteInbox } from './sqliteInbox.js'

export { BATCH_LIMIT, CLAIM_SECONDS, PRUNE_ROUND } from './inboxLimits.js'

/** A verified event as it goes into the inbox. */
export interface InboxEvent {
  eventId: string
  event: string
  roomName: null | string
  occurredAt: string
  /** The JSON body as LiveKit sent it, NULs replaced and secrets masked (see bodyToStore). */
  body: string
}

/**
 * The inbox's database work. Every implementation stores an event id once whatever the number of
 * deliveries, and lets exactly one instance at a time hold an unapplied event.
 */
export interface InboxStore {
  /** Stores the events whose ids are new; the new rows' ids by event id (repeats have none). */
  store: (events: InboxEvent[]) => Promise<Map<string, DocId>>
  /**
   * Claims up to {@link BATCH_LIMIT} unapplied events of a room that no instance holds, oldest
   * first, for {@link CLAIM_SECONDS}; their ids and stored bodies.
   */
  claim: (roomName: string) => Promise<Array<{ id: DocId; body: unknown }>>
  /** Marks events applied (and clears their claim and any earlier error). */
  markApplied: (ids: DocId[]) => Promise<void>
  /** Deletes up to {@link PRUNE_ROUND} events applied more than `days` ago; how many went. */
  pruneRound: (days: number) => Promise<number>
  /** Rooms with unclaimed, unfailed events waiting to be applied. */
  pendingRooms: () => Promise<string[]>
}

/** The inbox store for this Payload's database (see hotPaths). */
export function inboxStore(payload: Payload): InboxStore {
  switch (hotPathsOf(payload)) {
    case 'mongodb':
      return mongoInbox(payload)
    case 'postgres':
      return postgresInbox(payload)
    case 'sqlite':
      return sqliteInbox(payload)
    default:
      return genericInbox(payload)
  }
}

// ---------------------------------------------------------------- PostgreSQL

const postgresInbox = perConfig((payload: Payload): InboxStore => {
  const sql = inboxStatements(payload)
  return {
    store: async (events) => {
      const rows = await runPrepared(
        payload,
        sql.store,
        columnsOf(events, ['eventId', 'event', 'roomName', 'occurredAt', 'body']),
      )
      return new Map(rows.map((row) => [String(row.eventId), row.id as DocId]))
    },
    claim: async (roomName) =>
      (await runPrepared(payload, sql.claim, [roomName])).map((row) => ({
        id: row.id as DocId,
        body: row.body,
      })),
    markApplied: async (ids) => {
      await runPrepared(payload, sql.applied, [ids])
    },
    pruneRound: async (days) => (await runPreparedCount(payload, sql.prune, [days])).rowCount,
    pendingRooms: async () =>
      (await runPrepared(payload, sql.pendingRooms, [])).map((row) => String(row.room)),
  }
})

interface InboxStatements {
  store: Statement
  claim: Statement
  applied: Statement
  pendingRooms: Statement
  prune: Statement
}

function inboxStatements(payload: Payload): InboxStatements {
  const inbox = sqlTable(payload, WEBHOOK_EVENTS)
  if (!inbox) {
    throw new Error('payload-plugin-livekit: the webhook inbox needs the Postgres adapter.')
  }
  const c = (key: string) => inbox.column(key)!
  const idType = inbox.type('id')!
  const claimable = `${c('appliedAt')} IS NULL AND (${c('claimedUntil')} IS NULL OR ${c('claimedUntil')} < now())`
  return {
    // Many deliveries in one statement (see storeEvent); a repeated id, in the table or twice in
    // the batch, inserts nothing.
    store: statement(
      `INSERT INTO ${inbox.ref} (${c('eventId')}, ${c('event')}, ${c('roomName')}, ${c('occurredAt')}, ${c('body')}, ${c('createdAt')}, ${c('updatedAt')}) ` +
        `SELECT e, t, r, o, b::jsonb, now(), now() FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[]) WITH ORDINALITY AS x(e, t, r, o, b, n) ORDER BY n ` +
        `ON CONFLICT (${c('eventId')}) DO NOTHING RETURNING ${c('eventId')} AS "eventId", ${c('id')} AS "id"`,
    ),
    claim: statement(
      `UPDATE ${inbox.ref} SET ${c('claimedUntil')} = now() + interval '${CLAIM_SECONDS} seconds' WHERE ${c('id')} IN (` +
        `SELECT ${c('id')} FROM ${inbox.ref} WHERE ${c('roomName')} = $1 AND ${claimable} ORDER BY ${c('id')} LIMIT ${BATCH_LIMIT} FOR UPDATE SKIP LOCKED) ` +
        `RETURNING ${c('id')} AS "id", ${c('body')} AS "body"`,
    ),
    applied: statement(
      `UPDATE ${inbox.ref} SET ${c('appliedAt')} = now(), ${c('error')} = NULL, ${c('claimedUntil')} = NULL, ${c('updatedAt')} = now() WHERE ${c('id')} = ANY($1::${idType}[])`,
    ),
    // Failed events wait for their retry job; only unclaimed, unfailed ones are swept.
    pendingRooms: statement(
      `SELECT DISTINCT ${c('roomName')} AS "room" FROM ${inbox.ref} WHERE ${claimable} AND ${c('error')} IS NULL AND ${c('roomName')} IS NOT NULL`,
    ),
    // Applied only: an event still waiting or failing stays until it is applied.
    prune: statement(
      `DELETE FROM ${inbox.ref} WHERE ${c('id')} IN (SELECT ${c('id')} FROM ${inbox.ref} WHERE ${c('appliedAt')} < now() - make_interval(days => $1::int) LIMIT ${PRUNE_ROUND})`,
    ),
  }
}

/** Claims taken in parallel: enough to hide round trips, few enough to leave the pool for others. */
const CLAIM_PARALLEL = 8

/** Runs `claimOne` over `ids`, {@link CLAIM_PARALLEL} at a time; the rows it won, in order. */
async function claimEach<I, R>(ids: I[], claimOne: (id: I) => Promise<null | R>): Promise<R[]> {
  const claimed: R[] = []
  for (let at = 0; at < ids.length; at += CLAIM_PARALLEL) {
    for (const row of await Promise.all(ids.slice(at, at + CLAIM_PARALLEL).map(claimOne))) {
      if (row) {
        claimed.push(row)
      }
    }
  }
  return claimed
}

// ---------------------------------------------------------------- MongoDB

/**
 * The inbox on the driver's own operations: one unordered insert for a whole batch (a repeated
 * event id is refused by the unique index and the rest are stored), and a claim is one
 * `updateMany` that stamps the room's unclaimed candidates with a fresh claim mark: MongoDB
 * checks "still unclaimed?" per document as it writes, so each event carries the mark of exactly
 * one claim, and the events this claim won are read back by it. Claims are timed by the
 * instance's clock, like the generic inbox's.
 *
 * Two fields live only in the stored documents, not in the collection's fields: `_claim`, the
 * mark of the claim holding an event, and `_pending`, the room of an event not applied yet. Both
 * are removed once the event is applied. Candidates are found by `_pending` alone, an equality
 * on a field only waiting events carry, so a claim reads the room's backlog and not its history:
 * on MongoDB through a sparse index, and on FerretDB (the MongoDB-wire server of the test world,
 * which tests most conditions only after reading every document a plain equality selects) as
 * the difference between reading ten documents and reading five thousand. (Events stored past
 * the inbox get their `_pending` from the sweep, `pendingRooms`.) Three commands per
 * batch instead of one per event: on FerretDB each command costs milliseconds of its own.
 */
const mongoInbox = perConfig((payload: Payload): InboxStore => {
  const inbox = mongoCollection(payload, WEBHOOK_EVENTS)
  const ids = objectIds(payload)
  const unclaimed = (now: Date) => ({
    appliedAt: null,
    $or: [{ claimedUntil: null }, { claimedUntil: { $lt: now } }],
  })
  const waiting = (roomName: string, now: Date) => ({ _pending: roomName, ...unclaimed(now) })
  /**
   * The mark of each event this instance claimed, until it is applied: marking applied by mark
   * and id lets the server find the rows by an equality (fast on FerretDB too) instead of
   * testing every row against the list of ids. Only a hint; ids without one are marked alike.
   */
  const marks = new Map<string, { mark: string; at: number }>()
  const forgetOldMarks = (now: number) => {
    for (const [id, { at }] of marks) {
      if (now - at > 2 * CLAIM_SECONDS * 1000) {
        marks.delete(id)
      }
    }
  }
  return {
    store: async (events) => {
      const now = new Date()
      const seen = new Set<string>()
      const docs = events
        .filter((e) => !seen.has(e.eventId) && seen.add(e.eventId))
        .map((e) => ({
          _id: ids.fresh(),
          eventId: e.eventId,
          event: e.event,
          roomName: e.roomName,
          occurredAt: new Date(e.occurredAt),
          body: JSON.parse(e.body) as unknown,
          ...(e.roomName ? { _pending: e.roomName } : {}),
          createdAt: now,
          updatedAt: now,
        }))
      const refused = await insertNew(inbox, docs)
      return new Map(
        docs.filter((_, at) => !refused.has(at)).map((doc) => [doc.eventId, ids.idOf(doc._id)]),
      )
    },
    claim: async (roomName) => {
      const now = new Date()
      forgetOldMarks(now.getTime())
      const until = new Date(now.getTime() + CLAIM_SECONDS * 1000)
      const candidates = await inbox
        .find(waiting(roomName, now), {
          projection: { _id: 1 },
          sort: { _id: 1 },
          limit: BATCH_LIMIT,
        })
        .toArray()
      if (!candidates.length) {
        return []
      }
      const mark = randomUUID()
      await inbox.updateMany(
        { ...waiting(roomName, now), _id: { $in: candidates.map((c) => c._id) } },
        { $set: { claimedUntil: until, _claim: mark } },
      )
      const won = await inbox.find({ _claim: mark, roomName }, { sort: { _id: 1 } }).toArray()
      return won.map((row) => {
        const id = ids.idOf(row._id)
        marks.set(String(id), { mark, at: now.getTime() })
        return { id, body: row.body }
      })
    },
    markApplied: async (applied) => {
      const now = new Date()
      const byMark = new Map<null | string, DocId[]>()
      for (const id of applied) {
        const mark = marks.get(String(id))?.mark ?? null
        marks.delete(String(id))
        const group = byMark.get(mark)
        if (group) {
          group.push(id)
        } else {
          byMark.set(mark, [id])
        }
      }
      for (const [mark, group] of byMark) {
        await inbox.updateMany(
          { ...(mark ? { _claim: mark } : {}), _id: { $in: group.map(ids.of) } },
          {
            $set: { appliedAt: now, error: null, claimedUntil: null, updatedAt: now },
            $unset: { _claim: '', _pending: '' },
          },
        )
      }
    },
    pruneRound: async (days) => {
      const before = new Date(Date.now() - days * 86_400_000)
      const old = await inbox
        .find({ appliedAt: { $lt: before } }, { projection: { _id: 1 }, limit: PRUNE_ROUND })
        .toArray()
      if (!old.length) {
        return 0
      }
      const { deletedCount } = await inbox.deleteMany({ _id: { $in: old.map((d) => d._id) } })
      return deletedCount ?? old.length
    },
    pendingRooms: async () => {
      // Waiting events stored without the inbox (through Payload's API: an earlier
      // `database.hotPaths: 'generic'`, an import) lack `_pending`, and claims would never see
      // them: the sweep, which runs seldom and may read more, gives them theirs first.
      const unmarked = { appliedAt: null, _pending: { $exists: false } }
      for (const room of await inbox.distinct('roomName', unmarked)) {
        if (typeof room === 'string' && room !== '') {
          await inbox.updateMany({ ...unmarked, roomName: room }, { $set: { _pending: room } })
        }
      }
      return (
        await inbox.distinct('_pending', {
          _pending: { $exists: true },
          ...unclaimed(new Date()),
          error: null,
        })
      ).filter((room): room is string => typeof room === 'string' && room !== '')
    },
  }
})

// ---------------------------------------------------------------- any adapter

/** Not applied, and held by nobody (never claimed, or the claim lapsed). */
const claimable = (nowIso: string): Where => ({
  and: [
    { appliedAt: { exists: false } },
    { or: [{ claimedUntil: { exists: false } }, { claimedUntil: { less_than: nowIso } }] },
  ],
})

/**
 * The inbox on Payload's database API. Storing relies on the unique index on the event id;
 * claiming takes each event with one conditional update ("still unclaimed? then it is mine"),
 * which every adapter runs atomically, so of two instances racing for an event one gets it.
 * Claims are timed by the instance's clock (PostgreSQL's own uses the database's).
 */
function genericInbox(payload: Payload): InboxStore {
  const collection = WEBHOOK_EVENTS
  return {
    store: async (events) => {
      const stored = new Map<string, DocId>()
      for (const event of events) {
        if (stored.has(event.eventId)) {
          continue
        }
        const row = await insertUnique(
          payload,
          collection,
          { eventId: { equals: event.eventId } },
          { ...event, body: JSON.parse(event.body) as unknown },
        )
        if (row) {
          stored.set(event.eventId, row.id)
        }
      }
      return stored
    },
    claim: async (roomName) => {
      const now = new Date()
      const until = new Date(now.getTime() + CLAIM_SECONDS * 1000).toISOString()
      const { docs } = await payload.db.find<{ id: DocId }>({
        collection,
        where: { and: [{ roomName: { equals: roomName } }, claimable(now.toISOString())] },
        sort: 'createdAt',
        limit: BATCH_LIMIT,
        pagination: false,
        select: { id: true },
      })
      return claimEach(docs, async ({ id }) => {
        const doc = (await payload.db.updateOne({
          collection,
          where: { and: [{ id: { equals: id } }, claimable(now.toISOString())] },
          data: { claimedUntil: until },
          options: { atomic: true },
        })) as unknown as { body: unknown; id: DocId } | null
        return doc ? { id: doc.id, body: doc.body } : null
      })
    },
    markApplied: async (ids) => {
      const now = new Date().toISOString()
      await payload.db.updateMany({
        collection,
        where: { id: { in: ids } },
        data: { appliedAt: now, error: null, claimedUntil: null, updatedAt: now },
      })
    },
    pruneRound: async (days) => {
      const before = new Date(Date.now() - days * 86_400_000).toISOString()
      const { docs } = await payload.db.find<{ id: DocId }>({
        collection,
        where: { appliedAt: { less_than: before } },
        limit: PRUNE_ROUND,
        pagination: false,
        select: { id: true },
      })
      if (docs.length) {
        await payload.db.deleteMany({ collection, where: { id: { in: docs.map((d) => d.id) } } })
      }
      return docs.length
    },
    pendingRooms: async () => {
      const { docs } = await payload.db.find<{ id: DocId; roomName?: null | string }>({
        collection,
        where: {
          and: [
            claimable(new Date().toISOString()),
            { error: { exists: false } },
            { roomName: { exists: true } },
          ],
        },
        limit: 0,
        pagination: false,
        select: { roomName: true },
      })
      return [...new Set(docs.map((d) => d.roomName).filter((r): r is string => Boolean(r)))]
    },
  }
}
