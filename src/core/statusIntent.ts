import type { StreamEvent } from './transitions.js'

/** Appointment statuses that move the live stream, after defaults. */
export interface StatusMap {
  open: string[]
  close: string[]
  cancel: string[]
}

/** payload-reserve style statuses: pending, confirmed, in-progress, completed, cancelled, no-show. */
export const DEFAULT_STATUS_MAP: StatusMap = {
  open: ['in-progress'],
  close: ['completed', 'no-show'],
  cancel: ['cancelled'],
}

/**
 * The stream event an appointment's status change asks for, or null. Only a change counts: saving
 * an appointment that stays `in-progress` does not reopen a room someone closed.
 * Moving from a cancel status to any other status reinstates the stream.
 */
export function statusIntent(
  previous: unknown,
  current: unknown,
  map: StatusMap,
): null | StreamEvent {
  if (typeof current !== 'string' || previous === current) {
    return null
  }
  if (map.open.includes(current)) {
    return 'open'
  }
  if (map.close.includes(current)) {
    return 'close'
  }
  if (map.cancel.includes(current)) {
    return 'cancel'
  }
  if (typeof previous === 'string' && map.cancel.includes(previous)) {
    return 'reinstate'
  }
  return null
}
