import type { Payload, PayloadRequest, Where } from 'payload'

import type { DocId } from '../core/ids.js'
import type { StreamState } from '../core/streamStates.js'

import { LIVE_STREAM_TRANSITIONS, LIVE_STREAMS } from '../core/slugs.js'
import { type StreamEvent, transition } from '../core/transitions.js'
import { idOfShape, idShapeOf } from '../db/idFormat.js'

/** The fields of a live stream the lifecycle reads. */
export interface StreamRecord {
  id: DocId
  state: StreamState
  roomName: string
  appointment: DocId | null
  host: DocId | null
  tenant?: DocId | null
  scheduledStart: null | string
  scheduledEnd: null | string
  openedAt?: null | string
  actualStart?: null | string
  actualEnd?: null | string
  /** When the room was closed (the stream ended or was cancelled while open). */
  closedAt?: null | string
  /** Why every ticket of the stream is refunded, when a refund policy applies to it. */
  refundsDue?: 'appointment_cancelled' | 'host_no_show' | null
  refundsDueAt?: null | string
  peakViewers?: null | number
  uniqueViewers?: null | number
  totalParticipants?: null | number
  attempts?: null | number
  settings?: { maxParticipants?: null | number; autoRecord?: boolean | null } | null
  openJobId?: null | string
  closeJobId?: null | string
  /** The OBS feed's LiveKit ingress, if one was set up. */
  ingressId?: null | string
  /** How many state changes the stream has been through (null on rows from before it was kept). */
  stateVersion?: null | number
}

const idOf = (value: unknown): DocId | null =>
  typeof value === 'object' && value !== null
    ? ((value as { id: DocId }).id ?? null)
    : ((value as DocId | null) ?? null)

/** A raw live stream row with its relationships reduced to ids. */
export function toStreamRecord(doc: { id: DocId } & Record<string, unknown>): StreamRecord {
  return {
    ...doc,
    appointment: idOf(doc.appointment),
    host: idOf(doc.host),
    tenant: idOf(doc.tenant),
  } as unknown as StreamRecord
}

/** Reads a live stream without hooks or access (the lifecycle acts for the system). */
export async function loadStream(
  payload: Payload,
  id: DocId,
  req?: Partial<PayloadRequest>,
): Promise<null | StreamRecord> {
  // An id no stream can have (a number where ids are ObjectIds, say) names no stream: asked of
  // the database, MongoDB could not even cast it into a query.
  if (idOfShape(idShapeOf(payload, LIVE_STREAMS), String(id)) === null) {
    return null
  }
  return loadStreamWhere(payload, { id: { equals: id } }, req)
}

/** Reads the live stream of a LiveKit room. */
export async function loadStreamByRoom(
  payload: Payload,
  roomName: string,
  req?: Partial<PayloadRequest>,
): Promise<null | StreamRecord> {
  return loadStreamWhere(payload, { roomName: { equals: roomName } }, req)
}

async function loadStreamWhere(
  payload: Payload,
  where: Where,
  req?: Partial<PayloadRequest>,
): Promise<null | StreamRecord> {
  const doc = await payload.db.findOne<{ id: DocId } & Record<string, unknown>>({
    collection: LIVE_STREAMS,
    where,
    req,
  })
  return doc ? toStreamRecord(doc) : null
}

/** Plain field writes that need no guard (errors, job ids). */
export async function patchStream(
  payload: Payload,
  id: DocId,
  data: Record<string, unknown>,
  req?: Partial<PayloadRequest>,
) {
  return payload.db.updateOne({
    collection: LIVE_STREAMS,
    id,
    data: { ...data, updatedAt: new Date().toISOString() },
    req,
  })
}

export type MoveOutcome =
  | { moved: false; stream: StreamRecord; reason: string; stayed: boolean }
  | { moved: true; stream: StreamRecord }

/**
 * Applies `event` as a guarded transition: the write only happens if the stream is still in the
 * state it was read in (one `UPDATE … WHERE id = ? AND state = ?`), so when two instances race,
 * exactly one moves it and the other learns it lost. `data` is written in the same statement.
 */
export async function moveStream(
  payload: Payload,
  stream: StreamRecord,
  event: StreamEvent,
  reason: string,
  data: Record<string, unknown> = {},
  req?: Partial<PayloadRequest>,
): Promise<MoveOutcome> {
  const result = transition(stream.state, event)
  if (result.kind === 'refuse') {
    return { moved: false, stream, reason: result.reason, stayed: false }
  }
  if (result.kind === 'stay') {
    return { moved: false, stream, reason: `already ${stream.state}`, stayed: true }
  }
  const version = stream.stateVersion ?? 0
  const lost = async (): Promise<MoveOutcome> => {
    const current = (await loadStream(payload, stream.id, req)) ?? stream
    return {
      moved: false,
      stream: current,
      reason: `another worker moved it to ${current.state}`,
      stayed: false,
    }
  }
  const updated = await payload.db.updateOne({
    collection: LIVE_STREAMS,
    where: {
      and: [
        { id: { equals: stream.id } },
        { state: { equals: stream.state } },
        version
          ? { stateVersion: { equals: version } }
          : { or: [{ stateVersion: { exists: false } }, { stateVersion: { equals: 0 } }] },
      ],
    },
    data: {
      ...data,
      state: result.to,
      stateVersion: version + 1,
      updatedAt: new Date().toISOString(),
    },
    // Drizzle adapters turn this into a single conditional UPDATE; MongoDB's updateOne with a
    // filter is a findOneAndUpdate, atomic by itself.
    options: { atomic: true },
    req,
  })
  if (!updated) {
    return lost()
  }
  try {
    await payload.db.create({
      collection: LIVE_STREAM_TRANSITIONS,
      data: {
        liveStream: stream.id,
        from: stream.state,
        to: result.to,
        event,
        reason,
        seq: version + 1,
        createdAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
      },
      req,
    })
  } catch (error) {
    // Where a conditional update is a read then a write (FerretDB's, say), two instances can both
    // pass it from the same version; the transition's unique (stream, version) lets one of them
    // record the change, and the other learns it lost, as it would have from the update.
    const recorded = await payload.db.findOne({
      collection: LIVE_STREAM_TRANSITIONS,
      where: { and: [{ liveStream: { equals: stream.id } }, { seq: { equals: version + 1 } }] },
      req,
    })
    if (recorded) {
      return lost()
    }
    throw error
  }
  return {
    moved: true,
    stream: { ...stream, ...data, state: result.to, stateVersion: version + 1 } as StreamRecord,
  }
}
