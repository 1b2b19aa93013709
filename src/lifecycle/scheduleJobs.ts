import type { Payload, PayloadRequest } from 'payload'

import type { DocId } from '../core/ids.js'

import { closeAt, openAt } from '../core/schedule.js'
import { pluginOptionsOf } from '../runtime.js'
import { loadStream, patchStream, type StreamRecord } from '../streams/streamStore.js'
import { CLOSE_STREAM_TASK, OPEN_STREAM_TASK } from './taskSlugs.js'

const JOBS = 'payload-jobs'

interface JobRow {
  id: DocId
  completedAt?: null | string
  hasError?: boolean | null
  processing?: boolean | null
  waitUntil?: null | string
}

/**
 * Makes sure one pending job of `task` runs at `when` for the stream: the known job is moved to
 * the new time while it is still waiting; otherwise a new one is queued. Returns the job id.
 */
async function ensureJob(
  payload: Payload,
  knownId: null | string | undefined,
  task: string,
  streamId: DocId,
  when: Date,
  req?: Partial<PayloadRequest>,
): Promise<string> {
  if (knownId) {
    const job = await payload.db.findOne<JobRow>({
      collection: JOBS,
      where: { id: { equals: knownId } },
      req,
    })
    if (job && !job.completedAt && !job.hasError && !job.processing) {
      if (!job.waitUntil || new Date(job.waitUntil).getTime() !== when.getTime()) {
        await payload.db.updateOne({
          collection: JOBS,
          id: job.id,
          data: { waitUntil: when.toISOString() },
          req,
        })
      }
      return String(job.id)
    }
  }
  const job = (await payload.jobs.queue({
    task: task as never,
    input: { liveStreamId: String(streamId), reason: 'clock' } as never,
    queue: pluginOptionsOf(payload).lifecycle.queue,
    waitUntil: when,
    req: req as PayloadRequest | undefined,
  })) as { id: DocId }
  return String(job.id)
}

/**
 * Queues (or moves) the clock-driven jobs of a stream: open at start − lead while it may still
 * open, close at end + grace until it has closed. Called whenever the appointment changes, so a
 * reschedule moves both jobs and the room name stays.
 */
export async function scheduleStreamJobs(
  payload: Payload,
  streamOrId: DocId | StreamRecord,
  req?: Partial<PayloadRequest>,
): Promise<void> {
  const stream =
    typeof streamOrId === 'object' ? streamOrId : await loadStream(payload, streamOrId, req)
  if (!stream?.scheduledStart || !stream.scheduledEnd) {
    return
  }
  const timing = pluginOptionsOf(payload).lifecycle
  const patch: Record<string, unknown> = {}
  if (stream.state === 'scheduled' || stream.state === 'failed') {
    const id = await ensureJob(
      payload,
      stream.openJobId,
      OPEN_STREAM_TASK,
      stream.id,
      openAt(new Date(stream.scheduledStart), timing),
      req,
    )
    if (id !== stream.openJobId) {
      patch.openJobId = id
    }
  }
  if (stream.state !== 'ended' && stream.state !== 'cancelled') {
    const id = await ensureJob(
      payload,
      stream.closeJobId,
      CLOSE_STREAM_TASK,
      stream.id,
      closeAt(new Date(stream.scheduledEnd), timing),
      req,
    )
    if (id !== stream.closeJobId) {
      patch.closeJobId = id
    }
  }
  if (Object.keys(patch).length) {
    await patchStream(payload, stream.id, patch, req)
  }
}
