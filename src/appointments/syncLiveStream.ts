import type { CollectionAfterChangeHook, PayloadRequest } from 'payload'

import type { DocId } from '../core/ids.js'
import type { ResolvedOptions } from '../resolveOptions.js'

import { relationId } from '../core/relationId.js'
import { newRoomName } from '../core/roomName.js'
import { LIVE_STREAMS } from '../core/slugs.js'
import { queueAttendeeEmails } from '../emails/attendeeEmails.js'
import { type StreamRecord, toStreamRecord } from '../streams/streamStore.js'

type Doc = Record<string, unknown>

/** Fields of a live stream that mirror its appointment. */
export function mirroredFields(appointment: Doc, resolved: ResolvedOptions): Doc {
  const f = resolved.appointments.fields
  const mirrored: Doc = {
    host: relationId(appointment[f.host]) ?? null,
    scheduledStart: appointment[f.start] ?? null,
    scheduledEnd: appointment[f.end] ?? null,
  }
  if (typeof appointment.title === 'string') {
    mirrored.title = appointment.title
  }
  if (f.tenant && resolved.appointments.tenantsSlug) {
    mirrored.tenant = relationId(appointment[f.tenant]) ?? null
  }
  if (f.capacity && typeof appointment[f.capacity] === 'number') {
    mirrored.settings = { maxParticipants: appointment[f.capacity] }
  }
  return mirrored
}

/**
 * Gives every appointment exactly one live stream and keeps the mirrored fields (host, times,
 * tenant, title) current. The room name is chosen once and never changes.
 */
export async function syncLiveStream(args: {
  appointment: Doc
  req: PayloadRequest
  resolved: ResolvedOptions
}): Promise<StreamRecord | undefined> {
  const { appointment, req, resolved } = args
  const appointmentId = relationId(appointment)
  if (appointmentId === undefined) {
    return undefined
  }
  // A raw read: this runs on every appointment save, and the stream needs no hooks to be compared.
  const stream = (await req.payload.db.findOne<{ id: DocId } & Doc>({
    collection: LIVE_STREAMS,
    where: { appointment: { equals: appointmentId } },
    req,
  })) as Doc | null
  const mirrored = mirroredFields(appointment, resolved)
  if (!stream) {
    const created = await req.payload.create({
      collection: LIVE_STREAMS,
      data: {
        ...mirrored,
        appointment: appointmentId,
        roomName: newRoomName(resolved.livekit.roomPrefix, appointmentId),
        state: 'scheduled',
      },
      req,
      overrideAccess: true,
      depth: 0,
    })
    return toStreamRecord(created as unknown as { id: DocId } & Doc)
  }
  const changed = Object.entries(mirrored).some(([key, value]) =>
    key === 'settings'
      ? !sameValue(
          (stream.settings as Doc | undefined)?.maxParticipants,
          (value as Doc).maxParticipants,
        )
      : !sameValue(stream[key], value),
  )
  if (!changed) {
    return toStreamRecord(stream as { id: DocId } & Doc)
  }
  const updated = await req.payload.update({
    collection: LIVE_STREAMS,
    id: stream.id as string,
    data: mirrored,
    req,
    overrideAccess: true,
    depth: 0,
  })
  const moved =
    stream.scheduledStart &&
    mirrored.scheduledStart &&
    !sameValue(stream.scheduledStart, mirrored.scheduledStart)
  if (moved && ['failed', 'opening', 'scheduled'].includes(String(stream.state))) {
    // Tickets stay valid for the new time; their holders are told it (once per new time).
    await queueAttendeeEmails(
      req.payload,
      {
        kind: 'rescheduled',
        liveStreamId: String(stream.id),
        version: new Date(String(mirrored.scheduledStart)).toISOString(),
      },
      req,
    )
  }
  return toStreamRecord(updated as unknown as { id: DocId } & Doc)
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date || typeof a === 'string' || typeof b === 'string') {
    const da = a ? new Date(a as string).getTime() : null
    const db = b ? new Date(b as string).getTime() : null
    if (da !== null && db !== null && !Number.isNaN(da) && !Number.isNaN(db)) {
      return da === db
    }
  }
  return (a ?? null) === (b ?? null)
}
