import type { Payload } from 'payload'

import type { DocId } from '../core/ids.js'

import { settleAudience } from '../audience/audienceCounts.js'
import { isViewer, participantRole } from '../core/roles.js'
import { isPluginRoomName } from '../core/roomName.js'
import { closeAt, insideWindow } from '../core/schedule.js'
import { LIVE_STREAMS } from '../core/slugs.js'
import { livekitFor, pluginOptionsOf } from '../runtime.js'
import { type StreamRecord, toStreamRecord } from '../streams/streamStore.js'
import { drainPendingRooms } from '../webhooks/drainRoom.js'
import { closeStream, openStream } from './operations/streamLifecycle.js'

/** What one reconcile pass repaired. Room names, so the report reads on its own. */
export interface ReconcileReport {
  /** Streams that should have had a room and got it (back). */
  opened: string[]
  /** Streams whose window was over and that were closed. */
  closed: string[]
  /** Rooms made by the plugin that belonged to no open stream, deleted. */
  deletedRooms: string[]
  /** Rooms whose stored webhook events nobody had applied (an instance stopped mid-batch), now applied. */
  drainedRooms: string[]
  /** Problems met on the way; the next pass tries again. */
  errors: string[]
}

/**
 * Compares LiveKit's rooms with the database and repairs both sides:
 * - a stream that should be open (opening/live/failed, or scheduled past its open time) but has
 *   no room gets one while inside its window, or is closed when the window is over;
 * - a room the plugin made whose stream is missing, ended, cancelled, or not yet due is deleted.
 * Every repair goes through the guarded operations, so several instances reconciling at once
 * still leave one result.
 */
export async function reconcile({
  payload,
  now = new Date(),
}: {
  payload: Payload
  now?: Date
}): Promise<ReconcileReport> {
  const resolved = pluginOptionsOf(payload)
  const timing = resolved.lifecycle
  const livekit = livekitFor(payload)
  const report: ReconcileReport = {
    opened: [],
    closed: [],
    deletedRooms: [],
    drainedRooms: [],
    errors: [],
  }
  try {
    report.drainedRooms = await drainPendingRooms(payload)
  } catch (error) {
    report.errors.push(`webhook inbox: ${(error as Error).message}`)
  }
  const rooms = await livekit.listRooms()
  const roomNames = new Set(rooms.map((r) => r.name))

  // Streams that may need a room: not finished, and past their open time.
  const horizon = new Date(now.getTime() + timing.leadMinutes * 60_000).toISOString()
  const candidates = await payload.db.find<StreamRecord>({
    collection: LIVE_STREAMS,
    where: {
      and: [
        { state: { in: ['scheduled', 'opening', 'live', 'failed', 'ending'] } },
        { scheduledStart: { less_than_equal: horizon } },
      ],
    },
    limit: 0,
    pagination: false,
  })
  for (const doc of candidates.docs) {
    // The rows are already here: no second read per stream.
    const stream = toStreamRecord(doc as unknown as { id: DocId } & Record<string, unknown>)
    if (!stream.scheduledStart || !stream.scheduledEnd) {
      continue
    }
    const start = new Date(stream.scheduledStart)
    const end = new Date(stream.scheduledEnd)
    try {
      if (stream.state === 'ending' || now >= closeAt(end, timing)) {
        const result = await closeStream({
          payload,
          liveStreamId: stream.id,
          reason: 'reconcile: window over',
          now,
        })
        if (result.outcome === 'closed') {
          report.closed.push(stream.roomName)
        } else if (result.outcome === 'retrying') {
          report.errors.push(`${stream.roomName}: ${result.detail}`)
        }
      } else if (stream.state === 'live' && roomNames.has(stream.roomName)) {
        // Webhooks can be lost (LiveKit drops them after ~30 s): take the live figures from LiveKit.
        await settleAudience(payload, stream.id)
        const present = (await livekit.listParticipants(stream.roomName)).filter((p) => !p.hidden)
        await payload.db.updateOne({
          collection: LIVE_STREAMS,
          id: stream.id,
          data: {
            currentViewers: present.filter((p) => isViewer(participantRole(p.attributes))).length,
            publishers: present.filter((p) => p.publishing).length,
            hostPresent: present.some((p) => participantRole(p.attributes) === 'host'),
          },
        })
      } else if (
        insideWindow(now, start, end, timing) &&
        (!roomNames.has(stream.roomName) || stream.state !== 'live')
      ) {
        const result = await openStream({
          payload,
          liveStreamId: stream.id,
          reason: roomNames.has(stream.roomName)
            ? 'reconcile: missed open'
            : 'reconcile: room missing',
          now,
        })
        if (result.outcome === 'opened' || result.outcome === 'unchanged') {
          report.opened.push(stream.roomName)
        } else if (result.outcome === 'retrying') {
          report.errors.push(`${stream.roomName}: ${result.detail}`)
        }
      }
    } catch (error) {
      report.errors.push(`${stream.roomName}: ${(error as Error).message}`)
    }
  }

  // Rooms of ours with no stream that wants them.
  // Only names this site gives: rooms of other sites on the same LiveKit project are not ours.
  const ours = rooms.filter((room) => isPluginRoomName(room.name, resolved.livekit.roomPrefix))
  if (ours.length) {
    const owners = await payload.db.find<StreamRecord>({
      collection: LIVE_STREAMS,
      where: { roomName: { in: ours.map((r) => r.name) } },
      limit: 0,
      pagination: false,
    })
    const byName = new Map(owners.docs.map((s) => [s.roomName, s]))
    for (const room of ours) {
      const owner = byName.get(room.name)
      const wanted =
        owner &&
        (owner.state === 'opening' ||
          owner.state === 'live' ||
          owner.state === 'ending' ||
          (owner.scheduledStart &&
            owner.scheduledEnd &&
            insideWindow(
              now,
              new Date(owner.scheduledStart),
              new Date(owner.scheduledEnd),
              timing,
            )))
      if (wanted) {
        continue
      }
      try {
        await livekit.closeRoom(room.name)
        report.deletedRooms.push(room.name)
      } catch (error) {
        report.errors.push(`${room.name}: ${(error as Error).message}`)
      }
    }
  }

  const repaired =
    report.opened.length +
    report.closed.length +
    report.deletedRooms.length +
    report.drainedRooms.length
  if (repaired || report.errors.length) {
    payload.logger.info({ msg: 'payload-plugin-livekit: reconcile repaired rooms', ...report })
  }
  return report
}
