import type { Payload } from 'payload'

import { shuttingDown } from '../db/sqlSchema.js'
import { applyLivekitEvents } from './applyLivekitEvent.js'
import { applyStoredEvent } from './applyStoredEvent.js'
import { claimEvents, markApplied, roomsWithPendingEvents } from './inbox.js'

/**
 * Per room and process: the drain running now and the one queued behind it. Only coalescing
 * lives here — which events are whose is decided in the database (claims), so several
 * instances may drain one room at once without applying an event twice at the same time.
 */
interface RoomDrain {
  running: null | Promise<void>
  queued: null | Promise<void>
}

const drains = new WeakMap<Payload, Map<string, RoomDrain>>()

/**
 * Applies the room's unapplied events in batches, starting after this call: when a drain is
 * already running, the caller joins the one queued behind it (so its event, stored before the
 * call, is in it). Every delivery that arrives while a batch is being applied rides on the next
 * batch: under load, many events share one audience count instead of each paying for its own.
 */
export function drainRoom(payload: Payload, roomName: string): Promise<void> {
  let rooms = drains.get(payload)
  if (!rooms) {
    drains.set(payload, (rooms = new Map()))
  }
  let state = rooms.get(roomName)
  if (!state) {
    rooms.set(roomName, (state = { running: null, queued: null }))
  }
  const drain = state
  const start = (): Promise<void> => {
    drain.running = drainOnce(payload, roomName).finally(() => {
      drain.running = null
      if (!drain.queued) {
        rooms.delete(roomName)
      }
    })
    return drain.running
  }
  if (!drain.running) {
    return start()
  }
  if (!drain.queued) {
    drain.queued = drain.running
      .catch(() => undefined)
      .then(() => {
        drain.queued = null
        return start()
      })
  }
  return drain.queued
}

/** Claims and applies batches until a claim finds nothing this instance may take. */
async function drainOnce(payload: Payload, roomName: string): Promise<void> {
  for (;;) {
    const claimed = await claimEvents(payload, roomName)
    if (!claimed.length) {
      return
    }
    try {
      await applyLivekitEvents(
        payload,
        roomName,
        claimed.map((row) => row.event),
      )
      await markApplied(
        payload,
        claimed.map((row) => row.id),
      )
    } catch (error) {
      // Payload is shutting down: the claim lapses and whichever instance runs next applies them.
      if (shuttingDown(payload)) {
        return
      }
      // One by one instead: each failure is written on its row and handed to the retry job;
      // what the batch already wrote is written again the same way (every step is idempotent).
      payload.logger.warn({
        msg: `payload-plugin-livekit: a batch of ${claimed.length} events of ${roomName} failed (${(error as Error).message}); applying them one by one`,
      })
      for (const row of claimed) {
        await applyStoredEvent(payload, row.id, row.event)
      }
    }
    // A short batch does not mean the backlog ended: another instance claiming at the same time
    // may have won part of the events this claim looked at (a MongoDB claim, or Payload's API,
    // picks candidates first and then takes what is still free). Only a claim that wins nothing
    // ends the drain; then whoever won the rest is still looping.
  }
}

/**
 * The sweeper: drains every room with events nobody applied or holds (an instance stopped before
 * or in the middle of a batch). Run by the reconcile job.
 */
export async function drainPendingRooms(payload: Payload): Promise<string[]> {
  const rooms = await roomsWithPendingEvents(payload)
  for (const room of rooms) {
    await drainRoom(payload, room)
  }
  return rooms
}
