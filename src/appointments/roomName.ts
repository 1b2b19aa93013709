import { randomBytes } from 'node:crypto'

/**
 * A room name for an appointment's live stream. It is fixed when the live stream is created and
 * never changes after (rescheduling keeps links alive). The random tail keeps two sites that
 * share one LiveKit project from colliding on the same appointment id.
 */
export function newRoomName(appointmentsSlug: string, appointmentId: string | number): string {
  const prefix = appointmentsSlug.replace(/[^a-zA-Z0-9-]/g, '-').slice(0, 24)
  return `${prefix}-${appointmentId}-${randomBytes(4).toString('hex')}`
}
