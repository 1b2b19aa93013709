import type { Payload } from 'payload'

import type { DocId } from '../core/ids.js'
import type { LivekitEvent } from '../livekit/events.js'

import { WEBHOOK_EVENTS } from '../core/slugs.js'
import { APPLY_WEBHOOK_TASK } from '../lifecycle/taskSlugs.js'
import { pluginOptionsOf } from '../runtime.js'
import { applyLivekitEvent } from './applyLivekitEvent.js'
import { markApplied, storedEvent } from './inbox.js'

/**
 * Applies a stored event and marks it applied; a failure is written on the inbox row and handed
 * to the jobs queue, so LiveKit (which drops retries after ~30 s) never has to deliver it again.
 */
export async function applyStoredEvent(
  payload: Payload,
  rowId: DocId,
  event: LivekitEvent,
): Promise<void> {
  try {
    const outcome = await applyLivekitEvent(payload, event)
    // Through the inbox store, which also clears what its adapter keeps on waiting events.
    await markApplied(payload, [rowId])
    payload.logger.debug({ msg: `payload-plugin-livekit: ${event.event} ${event.id}: ${outcome}` })
  } catch (error) {
    const message = (error as Error)?.message ?? String(error)
    await payload.db.updateOne({ collection: WEBHOOK_EVENTS, id: rowId, data: { error: message } })
    await payload.jobs.queue({
      task: APPLY_WEBHOOK_TASK as never,
      input: { eventId: event.id } as never,
      queue: pluginOptionsOf(payload).lifecycle.queue,
    })
    payload.logger.warn({
      msg: `payload-plugin-livekit: applying ${event.event} ${event.id} failed (${message}); queued for retry`,
    })
  }
}

/** Re-applies an event from the inbox (the retry job). Already applied events are left alone. */
export async function reapplyStoredEvent(payload: Payload, eventId: string): Promise<string> {
  const row = await payload.db.findOne<{ id: DocId; appliedAt?: null | string; body: unknown }>({
    collection: WEBHOOK_EVENTS,
    where: { eventId: { equals: eventId } },
  })
  if (!row) {
    return 'unknown event'
  }
  if (row.appliedAt) {
    return 'already applied'
  }
  await applyStoredEvent(payload, row.id, storedEvent(row.body))
  return 'applied'
}
