import type { Payload } from 'payload'

import type { DocId } from '../core/ids.js'
import type { InboxStore } from './inboxStore.js'

import { WEBHOOK_EVENTS } from '../core/slugs.js'
import { item, jsonRows, runSqlite, sqliteDate } from '../db/sqlite.js'
import { perConfig, sqlTable } from '../db/sqlSchema.js'
import { BATCH_LIMIT, CLAIM_SECONDS, PRUNE_ROUND } from './inboxLimits.js'

/**
 * The inbox on SQLite: a whole batch of deliveries is one INSERT that skips ids already stored
 * (the unique index on the event id), and a claim is one UPDATE of the room's oldest unclaimed
 * events, which SQLite runs whole before any other write, so of two instances racing for an event
 * one gets it. Claims are timed by the instance's clock, as on Payload's API.
 */
export const sqliteInbox = perConfig((payload: Payload): InboxStore => {
  const inbox = sqlTable(payload, WEBHOOK_EVENTS)
  if (!inbox) {
    throw new Error(
      'payload-plugin-livekit: the webhook inbox has no table on this SQLite database.',
    )
  }
  const c = (key: string) => inbox.column(key)!
  const t = inbox.ref
  const claimable = `${c('appliedAt')} IS NULL AND (${c('claimedUntil')} IS NULL OR ${c('claimedUntil')} < ?1)`
  // `WHERE true`: SQLite reads an ON CONFLICT after INSERT … SELECT … FROM as a join otherwise.
  const store =
    `INSERT INTO ${t} (${c('eventId')}, ${c('event')}, ${c('roomName')}, ${c('occurredAt')}, ${c('body')}, ${c('createdAt')}, ${c('updatedAt')}) ` +
    `SELECT ${item(0)}, ${item(1)}, ${item(2)}, ${item(3)}, ${item(4)}, ?1, ?1 FROM json_each(?2) WHERE true ORDER BY key ` +
    `ON CONFLICT (${c('eventId')}) DO NOTHING RETURNING ${c('eventId')} AS eventId, ${c('id')} AS id`
  const claim =
    `UPDATE ${t} SET ${c('claimedUntil')} = ?2 WHERE ${c('id')} IN (` +
    `SELECT ${c('id')} FROM ${t} WHERE ${c('roomName')} = ?3 AND ${claimable} ORDER BY ${c('id')} LIMIT ${BATCH_LIMIT}) ` +
    `RETURNING ${c('id')} AS id, ${c('body')} AS body`
  const applied =
    `UPDATE ${t} SET ${c('appliedAt')} = ?1, ${c('error')} = NULL, ${c('claimedUntil')} = NULL, ${c('updatedAt')} = ?1 ` +
    `WHERE ${c('id')} IN (SELECT value FROM json_each(?2))`
  // Failed events wait for their retry job; only unclaimed, unfailed ones are swept.
  const pendingRooms = `SELECT DISTINCT ${c('roomName')} AS room FROM ${t} WHERE ${claimable} AND ${c('error')} IS NULL AND ${c('roomName')} IS NOT NULL`
  // Applied only: an event still waiting or failing stays until it is applied.
  const prune = `DELETE FROM ${t} WHERE ${c('id')} IN (SELECT ${c('id')} FROM ${t} WHERE ${c('appliedAt')} < ?1 LIMIT ${PRUNE_ROUND})`

  const now = () => new Date().toISOString()
  return {
    store: async (events) => {
      const rows = events.map((e) => [
        e.eventId,
        e.event,
        e.roomName,
        sqliteDate(e.occurredAt),
        e.body,
      ])
      const { rows: inserted } = await runSqlite(payload, store, [now(), jsonRows(rows)])
      return new Map(inserted.map((row) => [String(row.eventId), row.id as DocId]))
    },
    claim: async (roomName) => {
      const at = Date.now()
      const until = new Date(at + CLAIM_SECONDS * 1000).toISOString()
      const { rows } = await runSqlite(payload, claim, [
        new Date(at).toISOString(),
        until,
        roomName,
      ])
      // The body column holds the JSON text of the event (a json field on SQLite is text).
      return rows.map((row) => ({
        id: row.id as DocId,
        body: typeof row.body === 'string' ? (JSON.parse(row.body) as unknown) : row.body,
      }))
    },
    markApplied: async (ids) => {
      await runSqlite(payload, applied, [now(), JSON.stringify(ids)])
    },
    pruneRound: async (days) =>
      (await runSqlite(payload, prune, [new Date(Date.now() - days * 86_400_000).toISOString()]))
        .changed,
    pendingRooms: async () =>
      (await runSqlite(payload, pendingRooms, [now()])).rows.map((row) => String(row.room)),
  }
})
