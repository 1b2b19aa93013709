import type { Payload } from 'payload'

import type { DocId } from '../core/ids.js'
import type { ParticipantSummary } from '../livekit/adapter.js'
import type { StreamRecord } from '../streams/streamStore.js'

import { loadAppointment, userIdentity } from '../access/facts.js'
import { relationId } from '../core/relationId.js'
import { participantRole } from '../core/roles.js'
import { ATTENDANCE } from '../core/slugs.js'
import { pluginOptionsOf } from '../runtime.js'
import { attendanceRow } from './participantEvents.js'

/**
 * When a stream closes: who should have come and never did. Participants LiveKit still lists at
 * the close get an attendance row first, in case their join event was lost; then the host and
 * every ticket holder without a row is recorded as a no-show.
 */
export async function recordNoShows(
  payload: Payload,
  stream: StreamRecord,
  present: ParticipantSummary[],
): Promise<{ hostNoShow: boolean; noShows: number }> {
  const resolved = pluginOptionsOf(payload)
  for (const p of present.filter((p) => !p.hidden)) {
    await attendanceRow(
      payload,
      stream,
      {
        identity: p.identity,
        name: p.name,
        role: participantRole(p.attributes),
        joinedAt: p.joinedAt?.toISOString() ?? null,
      },
      { sessions: 1 },
    )
  }
  const rows = await payload.db.find<{ id: DocId; identity: string; noShow?: boolean }>({
    collection: ATTENDANCE,
    where: { liveStream: { equals: stream.id } },
    limit: 0,
    pagination: false,
  })
  const came = new Set(rows.docs.filter((r) => !r.noShow).map((r) => r.identity))
  const appointment = await loadAppointment(payload, resolved, stream)
  if (!appointment) {
    return { hostNoShow: false, noShows: 0 }
  }

  const hostId = relationId(appointment[resolved.appointments.fields.host])
  const hostNoShow = hostId !== undefined && !came.has(userIdentity(hostId))
  if (hostNoShow) {
    await attendanceRow(
      payload,
      stream,
      { identity: userIdentity(hostId), role: 'host' },
      { noShow: true },
    )
  }

  const attendeesField = resolved.appointments.fields.attendees
  const holders =
    attendeesField && Array.isArray(appointment[attendeesField])
      ? (appointment[attendeesField] as unknown[])
          .map(relationId)
          .filter((id): id is DocId => id !== undefined)
      : []
  const missing = holders.filter((id) => !came.has(userIdentity(id)))
  for (const id of missing) {
    await attendanceRow(
      payload,
      stream,
      { identity: userIdentity(id), role: 'attendee' },
      { noShow: true },
    )
  }
  return { hostNoShow, noShows: missing.length }
}
