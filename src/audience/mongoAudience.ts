import type { Payload } from 'payload'

import type { AudienceStore } from './audienceStore.js'

import { ATTENDANCE, LIVE_STREAMS, SESSIONS, STREAM_REMOVALS } from '../core/slugs.js'
import { insertNew, mongoCollection, objectIds, storedRef, updateEach } from '../db/mongo.js'
import { perConfig } from '../db/sqlSchema.js'
import { pluginOptionsOf } from '../runtime.js'
import {
  attendanceTotals,
  type StoredConnection,
  VIEWER_ROLES,
  writeUntilSettled,
} from './recounting.js'

/**
 * The audience on the driver's own operations, for Payload's MongoDB adapter. New connections,
 * attendance rows and removals go in with one unordered insert each (the unique indexes refuse
 * what another delivery or instance stored first); a known connection's times move earlier with
 * conditional updates sent together; each figure is counted by one aggregation. As on every
 * adapter without locks, totals are written until a count after the write agrees with it.
 */
export const mongoAudience = perConfig((payload: Payload): AudienceStore => {
  const sessions = mongoCollection(payload, SESSIONS)
  const attendance = mongoCollection(payload, ATTENDANCE)
  const streams = mongoCollection(payload, LIVE_STREAMS)
  const removals = mongoCollection(payload, STREAM_REMOVALS)
  const ids = objectIds(payload)
  const streamRef = (streamId: Parameters<AudienceStore['refresh']>[0]) =>
    storedRef(payload, LIVE_STREAMS, streamId)

  const audienceOf = async (stream: unknown) => {
    const [connections, people] = await Promise.all([
      sessions
        .aggregate([
          { $match: { liveStream: stream, leftAt: null } },
          { $group: { _id: '$role', n: { $sum: 1 } } },
        ])
        .toArray(),
      attendance
        .aggregate([
          { $match: { liveStream: stream, noShow: { $ne: true } } },
          { $group: { _id: '$role', n: { $sum: 1 } } },
        ])
        .toArray(),
    ])
    const sum = (rows: typeof connections, roles?: string[]) =>
      rows
        .filter((r) => !roles || roles.includes(String(r._id)))
        .reduce((total, r) => total + Number(r.n), 0)
    return {
      currentViewers: sum(connections, VIEWER_ROLES),
      uniqueViewers: sum(people, VIEWER_ROLES),
      totalParticipants: sum(people),
      hostPresent: sum(connections, ['host']) > 0,
    }
  }

  const refresh: AudienceStore['refresh'] = async (streamId) => {
    // A stream's _id is the value its relationships store.
    const _id = streamRef(streamId)
    const stream = _id
    await writeUntilSettled(
      () => audienceOf(stream),
      async (totals) => {
        const now = new Date()
        await streams.bulkWrite(
          [
            {
              updateOne: {
                filter: { _id },
                update: {
                  $set: {
                    ...totals,
                    // Without the host in the room there is no camera or screen share to show.
                    ...(totals.hostPresent
                      ? {}
                      : { hostOnCamera: false, hostScreenSharing: false }),
                    updatedAt: now,
                  },
                },
              },
            },
            // The peak only rises here (settleAudience makes it exact).
            {
              updateOne: {
                filter: {
                  _id,
                  $or: [{ peakViewers: null }, { peakViewers: { $lt: totals.currentViewers } }],
                },
                update: { $set: { peakViewers: totals.currentViewers } },
              },
            },
          ],
          { ordered: true },
        )
      },
    )
  }

  return {
    upsertConnections: async (streamId, connections) => {
      const stream = streamRef(streamId)
      const now = new Date()
      const refused = await insertNew(
        sessions,
        connections.map((c) => ({
          _id: ids.fresh(),
          liveStream: stream,
          connection: c.connection,
          identity: c.identity,
          role: c.role,
          joinedAt: new Date(c.joinedAt),
          leftAt: c.leftAt ? new Date(c.leftAt) : null,
          createdAt: now,
          updatedAt: now,
        })),
      )
      // A connection stored before keeps its earliest join and its earliest leave: each update
      // only applies where it moves a time earlier, so any order of deliveries ends the same.
      const updates = connections
        .filter((_, at) => refused.has(at))
        .flatMap((c) => {
          const row = { liveStream: stream, connection: c.connection }
          const joinedAt = new Date(c.joinedAt)
          const leftAt = c.leftAt ? new Date(c.leftAt) : null
          return [
            {
              updateOne: {
                filter: { ...row, joinedAt: { $gt: joinedAt } },
                update: { $set: { joinedAt, updatedAt: now } },
              },
            },
            ...(leftAt
              ? [
                  {
                    updateOne: {
                      filter: { ...row, $or: [{ leftAt: null }, { leftAt: { $gt: leftAt } }] },
                      update: { $set: { leftAt, updatedAt: now } },
                    },
                  },
                ]
              : []),
          ]
        })
      await updateEach(sessions, updates)
    },
    seedAttendance: async (streamId, people) => {
      if (!people.length) {
        return
      }
      const stream = streamRef(streamId)
      const usersSlug = pluginOptionsOf(payload).usersSlug
      const userRef = (id: NonNullable<(typeof people)[number]['user']>) =>
        storedRef(payload, usersSlug, id)
      const named = people.filter((p) => p.user !== null).map((p) => userRef(p.user!))
      // A user deleted since it joined is recorded without its user (no dangling reference).
      const existing = new Set(
        named.length
          ? (
              await mongoCollection(payload, usersSlug)
                .find({ _id: { $in: named } }, { projection: { _id: 1 } })
                .toArray()
            ).map((u) => String(u._id))
          : [],
      )
      const now = new Date()
      await insertNew(
        attendance,
        people.map((p) => ({
          _id: ids.fresh(),
          liveStream: stream,
          identity: p.identity,
          user: p.user !== null && existing.has(String(p.user)) ? userRef(p.user) : null,
          name: p.name,
          role: p.role,
          firstJoinedAt: new Date(p.firstJoinedAt),
          sessions: 0,
          watchSeconds: 0,
          noShow: false,
          createdAt: now,
          updatedAt: now,
        })),
      )
    },
    recount: async (streamId, identities) => {
      const stream = streamRef(streamId)
      const totalsOf = async () =>
        attendanceTotals(
          (await sessions
            .find(
              { liveStream: stream, identity: { $in: identities } },
              { projection: { identity: 1, joinedAt: 1, leftAt: 1 } },
            )
            .toArray()) as unknown as StoredConnection[],
          identities,
        )
      await writeUntilSettled(totalsOf, async (all) => {
        const now = new Date()
        const updates = Object.entries(all).map(([identity, t]) => ({
          updateOne: {
            filter: { liveStream: stream, identity },
            update: {
              $set: {
                sessions: t.sessions,
                watchSeconds: t.watchSeconds,
                firstJoinedAt: new Date(t.firstJoinedAt),
                lastLeftAt: t.lastLeftAt ? new Date(t.lastLeftAt) : null,
                noShow: false,
                updatedAt: now,
              },
            },
          },
        }))
        await updateEach(attendance, updates)
      })
      await refresh(streamId)
    },
    refresh,
    recordRemoval: async (streamId, identity, removedBy) => {
      const now = new Date()
      await insertNew(removals, [
        {
          _id: ids.fresh(),
          liveStream: streamRef(streamId),
          identity,
          removedBy,
          removedAt: now,
          createdAt: now,
          updatedAt: now,
        },
      ])
    },
  }
})
