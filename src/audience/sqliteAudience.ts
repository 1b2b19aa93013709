import type { Payload } from 'payload'

import type { AudienceStore } from './audienceStore.js'

import {
  inPayloadTransaction,
  item,
  jsonRows,
  runSqlite,
  runSqliteBatch,
  sqliteDate,
} from '../db/sqlite.js'
import { perConfig } from '../db/sqlSchema.js'
import { audienceTables } from './audienceTables.js'

/**
 * The audience on SQLite, in the plugin's own statements: a batch of connections is one upsert
 * that only moves a join or a leave earlier, attendance rows are inserted once (the unique index
 * per stream and identity), and totals are recounted from the stored connections in one UPDATE.
 * SQLite runs each write whole, one at a time, so a recount reads every row written before it and
 * nothing can land between its count and its write: the last recount has the newest figures.
 */
export function sqliteAudience(payload: Payload, generic: () => AudienceStore): AudienceStore {
  const run = sqliteStatements(payload)
  return {
    ...run,
    // Inside a Payload transaction the statements would wait for its lock: Payload's API joins it.
    refresh: (streamId, req) =>
      inPayloadTransaction(req) ? generic().refresh(streamId, req) : run.refresh(streamId),
  }
}

const sqliteStatements = perConfig((payload: Payload): AudienceStore => {
  const { streams, sessions, attendance, removals, users, l, s, a, x, viewers } = audienceTables(
    payload,
    'SQLite',
  )
  // ?1 is the stream everywhere, ?2 the time of the write.
  const openViewers = `(SELECT count(*) FROM ${sessions.ref} WHERE ${s('liveStream')} = ?1 AND ${s('role')} IN (${viewers}) AND ${s('leftAt')} IS NULL)`
  const hostHere = `EXISTS (SELECT 1 FROM ${sessions.ref} WHERE ${s('liveStream')} = ?1 AND ${s('role')} = 'host' AND ${s('leftAt')} IS NULL)`
  // A connection's time in milliseconds, rounded once per row so sums are exact integers.
  const watchedMs = `CAST(round((julianday(${s('leftAt')}) - julianday(${s('joinedAt')})) * 86400000) AS INTEGER)`

  const upsertConnections =
    `INSERT INTO ${sessions.ref} AS t (${s('liveStream')}, ${s('connection')}, ${s('identity')}, ${s('role')}, ${s('joinedAt')}, ${s('leftAt')}, ${s('createdAt')}, ${s('updatedAt')}) ` +
    `SELECT ?1, ${item(0)}, ${item(1)}, ${item(2)}, ${item(3)}, ${item(4)}, ?2, ?2 FROM json_each(?3) WHERE true ` +
    `ON CONFLICT (${s('liveStream')}, ${s('connection')}) DO UPDATE SET ` +
    `${s('joinedAt')} = min(t.${s('joinedAt')}, excluded.${s('joinedAt')}), ` +
    `${s('leftAt')} = CASE WHEN t.${s('leftAt')} IS NULL THEN excluded.${s('leftAt')} WHEN excluded.${s('leftAt')} IS NULL THEN t.${s('leftAt')} ELSE min(t.${s('leftAt')}, excluded.${s('leftAt')}) END, ` +
    `${s('updatedAt')} = ?2`
  const seedAttendance =
    `INSERT INTO ${attendance.ref} (${a('liveStream')}, ${a('identity')}, ${a('user')}, ${a('name')}, ${a('role')}, ${a('firstJoinedAt')}, ${a('sessions')}, ${a('watchSeconds')}, ${a('noShow')}, ${a('createdAt')}, ${a('updatedAt')}) ` +
    // A user deleted since it joined is recorded without its user (no dangling reference).
    `SELECT ?1, ${item(0)}, (SELECT ${users.column('id')} FROM ${users.ref} WHERE ${users.column('id')} = ${item(1)}), ${item(2)}, ${item(3)}, ${item(4)}, 0, 0, 0, ?2, ?2 FROM json_each(?3) WHERE true ` +
    `ON CONFLICT (${a('liveStream')}, ${a('identity')}) DO NOTHING`
  // Totals recounted from the identity's connections, never added to: order-independent.
  const recountAttendance =
    `UPDATE ${attendance.ref} SET ${a('sessions')} = x.n, ${a('watchSeconds')} = x.w, ${a('firstJoinedAt')} = x.f, ${a('lastLeftAt')} = x.l, ${a('noShow')} = 0, ${a('updatedAt')} = ?2 ` +
    `FROM (SELECT ${s('identity')} AS i, count(*) AS n, ` +
    `CAST(round(coalesce(sum(CASE WHEN ${s('leftAt')} IS NOT NULL THEN max(0, ${watchedMs}) END), 0) / 1000.0) AS INTEGER) AS w, ` +
    `min(${s('joinedAt')}) AS f, max(${s('leftAt')}) AS l FROM ${sessions.ref} WHERE ${s('liveStream')} = ?1 AND ${s('identity')} IN (SELECT value FROM json_each(?3)) GROUP BY ${s('identity')}) AS x ` +
    `WHERE ${attendance.ref}.${a('liveStream')} = ?1 AND ${attendance.ref}.${a('identity')} = x.i`
  // Each figure counted once, then written: SQLite evaluates a subquery each time it appears.
  const countAudience =
    `UPDATE ${streams.ref} SET ${l('currentViewers')} = c.open, ${l('uniqueViewers')} = c.uniq, ${l('totalParticipants')} = c.total, ` +
    `${l('hostPresent')} = c.host, ` +
    `${l('hostOnCamera')} = CASE WHEN c.host THEN ${l('hostOnCamera')} ELSE 0 END, ` +
    `${l('hostScreenSharing')} = CASE WHEN c.host THEN ${l('hostScreenSharing')} ELSE 0 END, ` +
    `${l('peakViewers')} = max(coalesce(${l('peakViewers')}, 0), c.open), ${l('updatedAt')} = ?2 ` +
    `FROM (SELECT ${openViewers} AS open, ${hostHere} AS host, ` +
    `(SELECT count(*) FROM ${attendance.ref} WHERE ${a('liveStream')} = ?1 AND ${a('role')} IN (${viewers}) AND ${a('noShow')} IS NOT 1) AS uniq, ` +
    `(SELECT count(*) FROM ${attendance.ref} WHERE ${a('liveStream')} = ?1 AND ${a('noShow')} IS NOT 1) AS total) AS c ` +
    `WHERE ${streams.ref}.${l('id')} = ?1`
  const insertRemoval =
    `INSERT INTO ${removals.ref} (${x('liveStream')}, ${x('identity')}, ${x('removedBy')}, ${x('removedAt')}, ${x('createdAt')}, ${x('updatedAt')}) ` +
    `VALUES (?1, ?3, ?4, ?2, ?2, ?2) ON CONFLICT (${x('liveStream')}, ${x('identity')}) DO NOTHING`

  const now = () => new Date().toISOString()
  return {
    upsertConnections: async (streamId, connections) => {
      const rows = connections.map((c) => [
        c.connection,
        c.identity,
        c.role,
        sqliteDate(c.joinedAt),
        c.leftAt ? sqliteDate(c.leftAt) : null,
      ])
      await runSqlite(payload, upsertConnections, [streamId, now(), jsonRows(rows)])
    },
    seedAttendance: async (streamId, people) => {
      const rows = people.map((p) => [
        p.identity,
        p.user,
        p.name,
        p.role,
        sqliteDate(p.firstJoinedAt),
      ])
      await runSqlite(payload, seedAttendance, [streamId, now(), jsonRows(rows)])
    },
    // One transaction: the figures a reader sees never have totals without the audience.
    recount: async (streamId, identities) => {
      const at = now()
      await runSqliteBatch(payload, [
        { sql: recountAttendance, args: [streamId, at, JSON.stringify(identities)] },
        { sql: countAudience, args: [streamId, at] },
      ])
    },
    refresh: async (streamId) => {
      await runSqlite(payload, countAudience, [streamId, now()])
    },
    recordRemoval: async (streamId, identity, removedBy) => {
      await runSqlite(payload, insertRemoval, [streamId, now(), identity, removedBy])
    },
  }
})
