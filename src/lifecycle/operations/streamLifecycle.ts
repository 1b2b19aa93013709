import type { Payload, PayloadRequest } from 'payload'

import type { DocId } from '../../core/ids.js'
import type { ParticipantSummary } from '../../livekit/adapter.js'

import { loadAppointment, pricingOf } from '../../access/facts.js'
import { settleAudience } from '../../audience/audienceCounts.js'
import { recordNoShows } from '../../audience/noShows.js'
import { relationId } from '../../core/relationId.js'
import { participantRole } from '../../core/roles.js'
import { closeAt, openAt, retryDelayMs, roomTimeouts } from '../../core/schedule.js'
import { LIVE_STREAMS, RECORDINGS } from '../../core/slugs.js'
import { participationGross } from '../../core/split.js'
import { queueAttendeeEmails } from '../../emails/attendeeEmails.js'
import { removeIngress } from '../../ingress/operations/controlIngress.js'
import { recordParticipation } from '../../ledger/ledgerEntries.js'
import { rateFor } from '../../ledger/rates.js'
import { LivekitCallError } from '../../livekit/errors.js'
import { autoRecord } from '../../recordings/autoRecord.js'
import { startStreamRefunds } from '../../refunds/ticketRefunds.js'
import { livekitFor, pluginOptionsOf } from '../../runtime.js'
import { roomMetadataOf } from '../../shopping/shopState.js'
import { loadStream, moveStream, type StreamRecord } from '../../streams/streamStore.js'
import { CANCEL_STREAM_TASK, CLOSE_STREAM_TASK, OPEN_STREAM_TASK } from '../taskSlugs.js'

/** How an operation ended, for job output, logs and tests. */
export interface OperationResult {
  outcome:
    | 'cancelled'
    | 'closed'
    | 'failed'
    | 'missing'
    | 'not-due'
    | 'opened'
    | 'refused'
    | 'reinstated'
    | 'retrying'
    | 'unchanged'
  detail?: string
}

export interface OperationArgs {
  payload: Payload
  liveStreamId: DocId
  /** Why this runs: a status, the clock, a retry, reconcile. Kept in the transition history. */
  reason: string
  req?: Partial<PayloadRequest>
  now?: Date
  /** Clock-driven job (open and close only): skip work whose time a reschedule moved. */
  due?: boolean
}

function windowOf(stream: StreamRecord) {
  if (!stream.scheduledStart || !stream.scheduledEnd) {
    return null
  }
  return { start: new Date(stream.scheduledStart), end: new Date(stream.scheduledEnd) }
}

/**
 * Loads the stream an operation works on. For clock-driven jobs, also answers `not-due` when the
 * stream's time (`timeOf` its window) is still ahead, e.g. after a reschedule.
 */
async function streamWhenDue(
  args: OperationArgs,
  what: 'closes' | 'opens',
  timeOf: (window: { start: Date; end: Date }) => Date,
): Promise<{ result: OperationResult } | { stream: StreamRecord }> {
  const stream = await loadStream(args.payload, args.liveStreamId, args.req)
  if (!stream) {
    return { result: { outcome: 'missing' } }
  }
  const window = windowOf(stream)
  const now = args.now ?? new Date()
  if (args.due && window && now.getTime() < timeOf(window).getTime() - 1000) {
    return { result: { outcome: 'not-due', detail: `${what} at ${timeOf(window).toISOString()}` } }
  }
  return { stream }
}

/**
 * Records a failed LiveKit call on the stream (last error, attempt count) and queues another try
 * with backoff. The count is bumped atomically, so two instances failing at once count two.
 */
async function recordFailureAndRetry(
  args: OperationArgs,
  stream: StreamRecord,
  task: string,
  error: unknown,
): Promise<OperationResult> {
  const { payload, req } = args
  const resolved = pluginOptionsOf(payload)
  const message =
    error instanceof LivekitCallError
      ? error.message
      : `Unexpected error: ${(error as Error)?.message ?? String(error)}`
  const updated = (await payload.db.updateOne({
    collection: LIVE_STREAMS,
    id: stream.id,
    data: { lastError: message, attempts: { $inc: 1 }, updatedAt: new Date().toISOString() },
    req,
  })) as { attempts?: number } | null
  const attempts = updated?.attempts ?? (stream.attempts ?? 0) + 1
  const delay = retryDelayMs(attempts, resolved.lifecycle.retryMaxDelaySeconds)
  await payload.jobs.queue({
    task: task as never,
    input: { liveStreamId: String(stream.id), reason: `retry ${attempts}` } as never,
    queue: resolved.lifecycle.queue,
    waitUntil: new Date(Date.now() + delay),
    req: req as PayloadRequest | undefined,
  })
  payload.logger.warn({
    msg: `payload-plugin-livekit: ${message} (attempt ${attempts}, retrying in ${delay} ms)`,
    liveStreamId: stream.id,
  })
  return { outcome: 'retrying', detail: message }
}

/**
 * Opens the stream's LiveKit room and moves the stream to `live`. Safe to run any number of times,
 * from any instance: the state change is guarded and LiveKit's createRoom upserts.
 * `due: true` (clock-driven jobs) skips work whose time has not come, e.g. after a reschedule.
 */
export async function openStream(args: OperationArgs): Promise<OperationResult> {
  const { payload, req } = args
  const now = args.now ?? new Date()
  const timing = pluginOptionsOf(payload).lifecycle
  const loaded = await streamWhenDue(args, 'opens', (w) => openAt(w.start, timing))
  if ('result' in loaded) {
    return loaded.result
  }
  let stream = loaded.stream
  const window = windowOf(stream)
  if (window && now >= closeAt(window.end, timing) && stream.state !== 'live') {
    // The window is over and the room never opened: nothing left to try.
    const gaveUp = await moveStream(
      payload,
      stream,
      'give_up',
      `${args.reason}: window over`,
      {},
      req,
    )
    return {
      outcome: gaveUp.moved ? 'failed' : 'refused',
      detail: 'the appointment window is over',
    }
  }

  const move = await moveStream(payload, stream, 'open', args.reason, {}, req)
  if (move.moved) {
    stream = move.stream
  } else if (!move.stayed && !['live', 'opening'].includes(move.stream.state)) {
    return { outcome: 'refused', detail: move.reason }
  } else {
    stream = move.stream
  }

  const end = window?.end ?? new Date(now.getTime() + 3600_000)
  const maxParticipants = stream.settings?.maxParticipants || timing.maxParticipants
  try {
    await livekitFor(payload).openRoom({
      name: stream.roomName,
      ...roomTimeouts(now, end, timing),
      maxParticipants,
      // With the shop of a live shopping site: reopening a room keeps its cards.
      metadata: await roomMetadataOf(payload, stream),
    })
  } catch (error) {
    return recordFailureAndRetry(args, stream, OPEN_STREAM_TASK, error)
  }
  if (stream.state === 'live') {
    return { outcome: 'unchanged', detail: 'room ensured' }
  }
  const opened = await moveStream(
    payload,
    stream,
    'opened',
    args.reason,
    { openedAt: now.toISOString(), lastError: null, attempts: 0 },
    req,
  )
  if (!opened.moved) {
    return { outcome: 'unchanged', detail: opened.reason }
  }
  // Recording is asked for after the room exists; it never holds up or undoes the opening.
  void autoRecord(payload, opened.stream).catch((error) =>
    payload.logger.error({ err: error, msg: 'payload-plugin-livekit: automatic recording failed' }),
  )
  // The room opens the lead time before the start: the ticket holders' reminder (one per start
  // time, so a rescheduled appointment reminds again).
  await queueAttendeeEmails(
    payload,
    {
      kind: 'reminder',
      liveStreamId: String(stream.id),
      version: opened.stream.scheduledStart ?? undefined,
    },
    req,
  )
  return { outcome: 'opened' }
}

/** Stops every egress of the stream that may still run; LiveKit's egress webhooks finish the records. */
async function stopActiveEgress(
  payload: Payload,
  stream: StreamRecord,
  req?: Partial<PayloadRequest>,
) {
  const active = await payload.db.find<{ id: DocId; egressId: string }>({
    collection: RECORDINGS,
    where: {
      and: [{ liveStream: { equals: stream.id } }, { status: { in: ['starting', 'active'] } }],
    },
    limit: 0,
    pagination: false,
    req,
  })
  const livekit = livekitFor(payload)
  for (const recording of active.docs) {
    await livekit.stopEgress(recording.egressId)
  }
}

/**
 * The stream's final figures, from the database (kept by webhooks) and LiveKit's last word on who
 * is in the room, taken just before the room is deleted.
 */
function finalFigures(
  payload: Payload,
  stream: StreamRecord,
  now: Date,
  participants: ParticipantSummary[],
) {
  const joinTimes = participants
    .map((p) => p.joinedAt?.getTime())
    .filter((t): t is number => typeof t === 'number')
  const earliestJoin = joinTimes.length ? Math.min(...joinTimes) : null
  const recorded = stream.actualStart ? new Date(stream.actualStart).getTime() : null
  const start =
    recorded !== null && earliestJoin !== null
      ? Math.min(recorded, earliestJoin)
      : (recorded ?? earliestJoin)
  const attendees = participants.filter((p) => participantRole(p.attributes) === 'attendee').length
  return {
    actualStart: start !== null ? new Date(start).toISOString() : null,
    actualEnd: start !== null ? (stream.actualEnd ?? now.toISOString()) : null,
    durationSeconds: start !== null ? Math.max(0, Math.round((now.getTime() - start) / 1000)) : 0,
    peakViewers: Math.max(stream.peakViewers ?? 0, attendees),
    uniqueViewers: stream.uniqueViewers ?? 0,
    totalParticipants: Math.max(stream.totalParticipants ?? 0, participants.length),
  }
}

/** Copies the frozen figures onto the appointment, without running the site's hooks. */
async function freezeOnAppointment(
  payload: Payload,
  stream: StreamRecord,
  figures: Record<string, unknown>,
  req?: Partial<PayloadRequest>,
) {
  if (stream.appointment === null) {
    return
  }
  const resolved = pluginOptionsOf(payload)
  await payload.db.updateOne({
    collection: resolved.appointments.slug,
    id: stream.appointment,
    data: { liveStats: figures },
    req,
  })
}

/** Tears the room down: egress stopped, figures taken, room deleted. Idempotent. */
async function tearDown(
  payload: Payload,
  stream: StreamRecord,
  now: Date,
  req?: Partial<PayloadRequest>,
) {
  await stopActiveEgress(payload, stream, req)
  await removeIngress(payload, stream, req)
  const present = await livekitFor(payload).listParticipants(stream.roomName)
  // Exact audience figures from every recorded connection, whatever order the events came in.
  await settleAudience(payload, stream.id, req)
  const figures = finalFigures(
    payload,
    (await loadStream(payload, stream.id, req)) ?? stream,
    now,
    present,
  )
  await livekitFor(payload).closeRoom(stream.roomName)
  return { figures, present }
}

const closedFields = (now: Date, figures: Record<string, unknown>) => ({
  ...figures,
  closedAt: now.toISOString(),
  currentViewers: 0,
  publishers: 0,
  hostPresent: false,
  hostOnCamera: false,
  hostScreenSharing: false,
  lastError: null,
  attempts: 0,
})

/**
 * Closes the stream: `ending`, then egress stopped, room deleted, figures frozen on the stream and
 * the appointment, then `ended`; when the host never came (and `refunds.onHostNoShow`), every
 * active ticket is refunded. Closing an ended stream is a no-op; a close that failed half-way
 * resumes from `ending`.
 */
export async function closeStream(args: OperationArgs): Promise<OperationResult> {
  const { payload, req } = args
  const now = args.now ?? new Date()
  const resolved = pluginOptionsOf(payload)
  const loaded = await streamWhenDue(args, 'closes', (w) => closeAt(w.end, resolved.lifecycle))
  if ('result' in loaded) {
    return loaded.result
  }
  let stream = loaded.stream
  if (stream.state === 'ended' || stream.state === 'cancelled') {
    return { outcome: 'unchanged', detail: `already ${stream.state}` }
  }
  const move = await moveStream(payload, stream, 'close', args.reason, {}, req)
  stream = move.stream
  if (!move.moved && stream.state !== 'ending') {
    return { outcome: move.stayed ? 'unchanged' : 'refused', detail: move.reason }
  }

  let torn
  try {
    torn = await tearDown(payload, stream, now, req)
  } catch (error) {
    return recordFailureAndRetry(args, stream, CLOSE_STREAM_TASK, error)
  }
  const closed = await moveStream(
    payload,
    stream,
    'closed',
    args.reason,
    closedFields(now, torn.figures),
    req,
  )
  if (closed.moved) {
    // No-shows are written outside the closing request's transaction, after the move, so a
    // failure there (a busy SQLite file) never holds the stream in `ending`.
    const noShows = await recordNoShows(payload, stream, torn.present)
    await freezeOnAppointment(payload, stream, { ...torn.figures, ...noShows }, req)
    if (resolved.revenueModel === 'participation') {
      await bookParticipation(payload, stream, torn.figures, req)
    }
    if (noShows.hostNoShow && resolved.refunds.onHostNoShow) {
      await payload.db.updateOne({
        collection: LIVE_STREAMS,
        id: stream.id,
        data: { refundsDue: 'host_no_show', refundsDueAt: now.toISOString() },
        req,
      })
      await startStreamRefunds(payload, stream.id, 'host_no_show', req)
    }
  }
  return closed.moved ? { outcome: 'closed' } : { outcome: 'unchanged', detail: closed.reason }
}

/**
 * Cancels the stream: closes its room if one may exist, then `cancelled`; with `refunds.onCancel`
 * (the default) every active ticket is refunded. Idempotent.
 */
export async function cancelStream(args: OperationArgs): Promise<OperationResult> {
  const { payload, req } = args
  const now = args.now ?? new Date()
  const stream = await loadStream(payload, args.liveStreamId, req)
  if (!stream) {
    return { outcome: 'missing' }
  }
  if (stream.state === 'cancelled') {
    return { outcome: 'unchanged', detail: 'already cancelled' }
  }
  let data: Record<string, unknown> = {}
  if (stream.state === 'opening' || stream.state === 'live' || stream.state === 'failed') {
    try {
      const { figures } = await tearDown(payload, stream, now, req)
      data = closedFields(now, figures)
      await freezeOnAppointment(payload, stream, figures, req)
    } catch (error) {
      return recordFailureAndRetry(args, stream, CANCEL_STREAM_TASK, error)
    }
  }
  const refundsDue = pluginOptionsOf(payload).refunds.onCancel
  if (refundsDue) {
    data = { ...data, refundsDue: 'appointment_cancelled', refundsDueAt: now.toISOString() }
  }
  const move = await moveStream(payload, stream, 'cancel', args.reason, data, req)
  if (move.moved) {
    if (refundsDue) {
      await startStreamRefunds(payload, stream.id, 'appointment_cancelled', req)
    }
    return { outcome: 'cancelled' }
  }
  return { outcome: move.stayed ? 'unchanged' : 'refused', detail: move.reason }
}

/** Brings a cancelled stream back to `scheduled` (the appointment was booked again). */
export async function reinstateStream(args: OperationArgs): Promise<OperationResult> {
  const stream = await loadStream(args.payload, args.liveStreamId, args.req)
  if (!stream) {
    return { outcome: 'missing' }
  }
  const move = await moveStream(
    args.payload,
    stream,
    'reinstate',
    args.reason,
    // Booked again: tickets sold from now on are valid (those refunded meanwhile stay refunded).
    { closedAt: null, refundsDue: null, refundsDueAt: null },
    args.req,
  )
  return move.moved
    ? { outcome: 'reinstated' }
    : { outcome: move.stayed ? 'unchanged' : 'refused', detail: move.reason }
}

/** The participation model's estimate for a closed stream, when the site chose that model. */
async function bookParticipation(
  payload: Payload,
  stream: StreamRecord,
  figures: { totalParticipants: number; durationSeconds: number },
  req?: Partial<PayloadRequest>,
) {
  const resolved = pluginOptionsOf(payload)
  const appointment = await loadAppointment(payload, resolved, stream)
  const f = resolved.appointments.fields
  if (!appointment) {
    return
  }
  const { price, currency } = pricingOf(resolved, appointment)
  if (typeof price !== 'number') {
    return
  }
  const tenant = f.tenant ? (relationId(appointment[f.tenant]) ?? null) : null
  const host = relationId(appointment[f.host]) ?? null
  await recordParticipation(
    payload,
    participationGross(price, figures.totalParticipants, figures.durationSeconds),
    await rateFor(payload, host, tenant),
    { appointment: stream.appointment, liveStream: stream.id, tenant, host, currency },
    stream.id,
    Boolean(resolved.appointments.tenantsSlug),
    req,
  )
}
