import type { Payload } from 'payload'

import type { DocId } from '../core/ids.js'

import { DomainError } from '../core/domainError.js'
import { isDatabaseUnreachable } from '../db/unreachable.js'
import { type LivekitEvent, parseLivekitEvent } from '../livekit/events.js'
import {
  BATCH_LIMIT,
  CLAIM_SECONDS,
  type InboxEvent,
  inboxStore,
  PRUNE_ROUND,
} from './inboxStore.js'

export { BATCH_LIMIT, CLAIM_SECONDS, type InboxEvent }

/**
 * The inbox of verified LiveKit events (`livekit-webhook-events`): storing an event is the one
 * write on the webhook's answer path, and claims let several instances apply a room's events in
 * batches without applying one twice at the same time. The database work is the inbox store's
 * (inboxStore.ts), per adapter.
 */

/**
 * Most deliveries that may wait for the next insert. More than that means the database is not
 * keeping up: further deliveries are refused at once, so memory stays bounded and LiveKit retries.
 */
export const MAX_WAITING = 2 * BATCH_LIMIT

/**
 * Longest a delivery waits to be stored before LiveKit is told to try again (a 503; LiveKit
 * retries 5xx for about 30 s). A healthy insert takes milliseconds.
 */
export const STORE_TIMEOUT_MS = 4_000

/**
 * Pause after the database answered "busy" before the next insert: deliveries arriving meanwhile
 * gather into that one insert. Without it, an adapter that waits for the lock synchronously
 * (libSQL) is retried for each delivery as it arrives, each try holding the process for the
 * adapter's busy timeout.
 */
export const BUSY_PAUSE_MS = 250

const inboxBusy = (message: string) => new DomainError('unavailable', 'inbox_unavailable', message)

/**
 * Why a delivery was not stored (all 503 `inbox_unavailable`, so LiveKit retries): it waited
 * {@link STORE_TIMEOUT_MS}, it found the queue full (answered at once), or the database said it
 * is busy (answered as soon as it did).
 */
export const INBOX_REFUSALS = {
  timeout: 'The webhook inbox could not store the delivery in time; the delivery is to be retried.',
  full: 'The webhook inbox has too many deliveries waiting to be stored; the delivery is to be retried.',
  busy: 'The database is busy or unreachable and cannot store the delivery now; the delivery is to be retried.',
} as const

/**
 * A database that cannot take the event now (SQLite's one write lock held by another connection
 * past its busy timeout, a network database restarting or unreachable) cannot store it: the
 * delivery is refused like a stalled one, so LiveKit retries it. Any other failure is passed on
 * as it came.
 */
function asInboxBusy(error: unknown): unknown {
  return isDatabaseUnreachable(error) ? inboxBusy(INBOX_REFUSALS.busy) : error
}

interface Waiting {
  event: InboxEvent
  resolve: (id: DocId | null) => void
  reject: (error: unknown) => void
}

/** Deliveries waiting for the next insert, per Payload instance; and whether one is running. */
const queues = new WeakMap<Payload, { waiting: Waiting[]; running: boolean }>()

/**
 * Stores an event once by its id: the new row's id, or null when the id is already there.
 * Deliveries that arrive while an insert is running go into the next one together (group
 * insert): one statement and one commit for many events instead of one each. A delivery that
 * finds {@link MAX_WAITING} others waiting, or waits longer than {@link STORE_TIMEOUT_MS}, is
 * refused with a 503 (a stalled database must not make every delivery wait, or pile up).
 */
export function storeEvent(payload: Payload, event: InboxEvent): Promise<DocId | null> {
  let queue = queues.get(payload)
  if (!queue) {
    queues.set(payload, (queue = { waiting: [], running: false }))
  }
  const target = queue
  if (target.waiting.length >= MAX_WAITING) {
    return Promise.reject(inboxBusy(INBOX_REFUSALS.full))
  }
  return new Promise((resolve, reject) => {
    const waiting: Waiting = {
      event,
      resolve: (id) => {
        clearTimeout(timer)
        resolve(id)
      },
      reject: (error) => {
        clearTimeout(timer)
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the database's own error, passed on as it came
        reject(error)
      },
    }
    const timer = setTimeout(() => {
      // Still waiting: it leaves the queue. Already in an insert: that insert may store it, and
      // LiveKit's retry is then acknowledged as a repeat (the reconcile sweep applies it).
      const at = target.waiting.indexOf(waiting)
      if (at >= 0) {
        target.waiting.splice(at, 1)
      }
      reject(inboxBusy(INBOX_REFUSALS.timeout))
    }, STORE_TIMEOUT_MS)
    target.waiting.push(waiting)
    if (!target.running) {
      void insertWaiting(payload, target)
    }
  })
}

async function insertBatch(payload: Payload, batch: Waiting[]): Promise<void> {
  const inserted = await inboxStore(payload).store(batch.map((w) => w.event))
  for (const waiting of batch) {
    // The first delivery of a new id gets its row; a second one in the same batch is a repeat.
    const id = inserted.get(waiting.event.eventId)
    inserted.delete(waiting.event.eventId)
    waiting.resolve(id ?? null)
  }
}

async function insertWaiting(
  payload: Payload,
  queue: { waiting: Waiting[]; running: boolean },
): Promise<void> {
  queue.running = true
  while (queue.waiting.length) {
    const batch = queue.waiting.splice(0, BATCH_LIMIT)
    try {
      await insertBatch(payload, batch)
    } catch (error) {
      // A busy database refuses them all alike: no use trying them one by one, nor the batches
      // queued behind this one. Each try would wait out the adapter's busy timeout again, and
      // libSQL waits synchronously, holding the whole process (a flood of 1,600 deliveries on a
      // locked SQLite file was 16 one-second stalls in a row, enough for connections to be
      // reset); so the next insert waits a moment and takes what arrived meanwhile.
      const busy = asInboxBusy(error)
      if (busy !== error) {
        for (const waiting of [...batch, ...queue.waiting.splice(0)]) {
          waiting.reject(busy)
        }
        await new Promise((resolve) => setTimeout(resolve, BUSY_PAUSE_MS))
        continue
      }
      // One delivery the database refuses must not fail the others that shared its statement.
      if (batch.length === 1) {
        batch[0].reject(asInboxBusy(error))
      } else {
        for (const waiting of batch) {
          await insertBatch(payload, [waiting]).catch((e: unknown) =>
            waiting.reject(asInboxBusy(e)),
          )
        }
      }
    }
  }
  queue.running = false
}

/**
 * Claims up to {@link BATCH_LIMIT} unapplied events of a room, oldest first, that no other
 * instance holds; the claim lapses after {@link CLAIM_SECONDS} if this instance dies meanwhile.
 */
export async function claimEvents(
  payload: Payload,
  roomName: string,
): Promise<Array<{ id: DocId; event: LivekitEvent }>> {
  const rows = await inboxStore(payload).claim(roomName)
  return rows
    .map((row) => ({ id: row.id, event: storedEvent(row.body) }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** The event a stored body holds (as LiveKit sent it; fields newer than this SDK are ignored). */
export const storedEvent = (body: unknown): LivekitEvent => parseLivekitEvent(body)

/** Marks events applied (and clears their claim and any earlier error). */
export async function markApplied(payload: Payload, ids: DocId[]): Promise<void> {
  if (ids.length) {
    await inboxStore(payload).markApplied(ids)
  }
}

/**
 * Deletes events applied more than `days` ago (the retention of `webhooks.retentionDays`), in
 * rounds; returns how many went. Events not applied yet are kept whatever their age.
 */
export async function pruneAppliedEvents(
  payload: Payload,
  days: number,
  maxRounds = 20,
): Promise<number> {
  let pruned = 0
  for (let round = 0; round < maxRounds; round++) {
    const count = await inboxStore(payload).pruneRound(days)
    pruned += count
    if (count < PRUNE_ROUND) {
      break
    }
  }
  return pruned
}

/** Rooms with events nobody applied or holds (an instance died mid-batch): for the sweeper. */
export async function roomsWithPendingEvents(payload: Payload): Promise<string[]> {
  return inboxStore(payload).pendingRooms()
}
