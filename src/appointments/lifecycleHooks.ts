import type {
  CollectionAfterChangeHook,
  CollectionAfterDeleteHook,
  CollectionBeforeDeleteHook,
  PayloadRequest,
} from 'payload'

import type { DocId } from '../core/ids.js'
import type { StreamEvent } from '../core/transitions.js'
import type { ResolvedOptions } from '../resolveOptions.js'

import { LIVE_STREAMS } from '../core/slugs.js'
import { statusIntent } from '../core/statusIntent.js'
import { clearReference } from '../db/references.js'
import {
  cancelStream,
  closeStream,
  openStream,
  type OperationResult,
  reinstateStream,
} from '../lifecycle/operations/streamLifecycle.js'
import { scheduleStreamJobs } from '../lifecycle/scheduleJobs.js'
import { CANCEL_STREAM_TASK, CLOSE_STREAM_TASK, OPEN_STREAM_TASK } from '../lifecycle/taskSlugs.js'
import { pluginOptionsOf } from '../runtime.js'
import { syncLiveStream } from './syncLiveStream.js'

type Doc = Record<string, unknown>

const RETRY_TASK: Partial<Record<StreamEvent, string>> = {
  open: OPEN_STREAM_TASK,
  close: CLOSE_STREAM_TASK,
  cancel: CANCEL_STREAM_TASK,
}

/**
 * Runs what a status change asks for right away, so the host sees the room the moment the
 * booking goes in-progress. Anything unexpected must not fail the site's save: it is logged and
 * handed to the jobs queue instead.
 */
async function applyIntent(
  intent: StreamEvent,
  liveStreamId: DocId,
  status: string,
  req: PayloadRequest,
): Promise<void> {
  const args = { payload: req.payload, liveStreamId, reason: `status ${status}`, req }
  try {
    const run: Record<string, () => Promise<OperationResult>> = {
      open: () => openStream(args),
      close: () => closeStream(args),
      cancel: () => cancelStream(args),
      reinstate: () => reinstateStream(args),
    }
    await run[intent]?.()
  } catch (error) {
    req.payload.logger.error({
      err: error,
      msg: `payload-plugin-livekit: ${intent} after status '${status}' failed; queued for retry`,
    })
    const task = RETRY_TASK[intent]
    if (task) {
      await req.payload.jobs.queue({
        task: task as never,
        input: { liveStreamId: String(liveStreamId), reason: `status ${status}` } as never,
        queue: pluginOptionsOf(req.payload).lifecycle.queue,
        req,
      })
    }
  }
}

/** The afterChange hook the plugin appends to the site's appointments collection. */
export const afterAppointmentChange =
  (resolved: ResolvedOptions): CollectionAfterChangeHook =>
  async ({ doc, previousDoc, req }) => {
    const stream = await syncLiveStream({ appointment: doc as Doc, req, resolved })
    if (stream === undefined) {
      return doc
    }
    const statusField = resolved.appointments.fields.status
    const intent = statusField
      ? statusIntent(
          (previousDoc as Doc | undefined)?.[statusField],
          (doc as Doc)[statusField],
          resolved.lifecycle.statuses,
        )
      : null
    if (intent) {
      await applyIntent(intent, stream.id, String((doc as Doc)[statusField!]), req)
    }
    // The stream as synced is current unless the status just moved it.
    await scheduleStreamJobs(req.payload, intent ? stream.id : stream, req)
    return doc
  }

/** Where the stream of an appointment being deleted waits for the delete to go through. */
const DELETED_STREAM = 'livekitPluginDeletedStream'

/**
 * Before the site deletes an appointment: note its stream, since the database clears the
 * stream's reference to the appointment with the delete.
 */
export const beforeAppointmentDelete =
  (): CollectionBeforeDeleteHook =>
  async ({ id, req }) => {
    const found = await req.payload.db.find<{ id: DocId }>({
      collection: LIVE_STREAMS,
      where: { appointment: { equals: id } },
      limit: 1,
      pagination: false,
      req,
    })
    const stream = found.docs[0]
    if (stream) {
      req.context[`${DELETED_STREAM}:${id}`] = stream.id
    }
  }

/** Once the site deleted an appointment, its stream is cancelled and its room closed. */
export const afterAppointmentDelete =
  (): CollectionAfterDeleteHook =>
  async ({ id, req }) => {
    const streamId = req.context[`${DELETED_STREAM}:${id}`] as DocId | undefined
    if (streamId !== undefined) {
      await clearReference(req.payload, LIVE_STREAMS, streamId, 'appointment', req)
      await applyIntent('cancel', streamId, 'deleted', req)
    }
  }
