/**
 * States of a live stream. `scheduled -> opening -> live -> ending -> ended`, plus the two ends
 * that skip the rest: `cancelled` (the appointment was called off) and `failed` (LiveKit could not
 * be brought to the wanted state after every retry).
 */
export const STREAM_STATES = [
  'scheduled',
  'opening',
  'live',
  'ending',
  'ended',
  'cancelled',
  'failed',
] as const

export type StreamState = (typeof STREAM_STATES)[number]
