import { randomBytes } from 'node:crypto'

import type { DocId } from './ids.js'

/**
 * A room name for an appointment's live stream: `<prefix>-<appointment id>-<8 hex>`. It is fixed
 * when the live stream is created and never changes after (rescheduling keeps links alive). The
 * random tail keeps a recreated appointment id from reusing an old room.
 */
export function newRoomName(prefix: string, appointmentId: DocId): string {
  return `${prefix}-${appointmentId}-${randomBytes(4).toString('hex')}`
}

/** True for names {@link newRoomName} gives with this prefix (reconcile deletes no others). */
export function isPluginRoomName(name: string, prefix: string): boolean {
  if (!name.startsWith(`${prefix}-`)) {
    return false
  }
  return /^[^-]+-[0-9a-f]{8}$/.test(name.slice(prefix.length + 1))
}
