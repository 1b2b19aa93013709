import type { StreamState } from './streamStates.js'

/**
 * What can happen to a live stream:
 * - `open`: its time or status says the room should exist;
 * - `opened`: LiveKit confirmed the room;
 * - `give_up`: LiveKit stayed unreachable until the appointment's window closed;
 * - `close`: the appointment is over (status or end + grace);
 * - `closed`: egress stopped, room deleted, figures frozen;
 * - `cancel`: the appointment was called off (the room, if any, is already gone);
 * - `reinstate`: a cancelled appointment was booked again.
 */
export const STREAM_EVENTS = [
  'open',
  'opened',
  'give_up',
  'close',
  'closed',
  'cancel',
  'reinstate',
] as const
export type StreamEvent = (typeof STREAM_EVENTS)[number]

/**
 * The answer to "event E happens in state S":
 * - `move`: change the state to `to`;
 * - `stay`: nothing to change, the stream is already where the event wants it (repeats and
 *   duplicate jobs land here, so they are harmless);
 * - `refuse`: the event makes no sense now; `reason` says why.
 */
export type TransitionResult =
  | { kind: 'move'; from: StreamState; to: StreamState }
  | { kind: 'refuse'; state: StreamState; reason: string }
  | { kind: 'stay'; state: StreamState }

type Rule = 'stay' | { to: StreamState } | string

// Rows are states, columns events. A string is the reason a move is refused.
const TABLE: Record<StreamState, Record<StreamEvent, Rule>> = {
  scheduled: {
    open: { to: 'opening' },
    opened: 'the room was never asked to open',
    give_up: 'nothing was being attempted',
    close: { to: 'ending' },
    closed: 'the stream was never closing',
    cancel: { to: 'cancelled' },
    reinstate: 'stay',
  },
  opening: {
    open: 'stay',
    opened: { to: 'live' },
    give_up: { to: 'failed' },
    close: { to: 'ending' },
    closed: 'the stream was never closing',
    cancel: { to: 'cancelled' },
    reinstate: 'the stream is not cancelled',
  },
  live: {
    open: 'stay',
    opened: 'stay',
    give_up: 'the room is already open',
    close: { to: 'ending' },
    closed: 'the stream was never closing',
    cancel: { to: 'cancelled' },
    reinstate: 'the stream is not cancelled',
  },
  ending: {
    open: 'the stream is closing',
    opened: 'the stream is closing',
    give_up: 'the stream is closing',
    close: 'stay',
    closed: { to: 'ended' },
    cancel: 'the stream is already closing; it will end',
    reinstate: 'the stream is not cancelled',
  },
  ended: {
    open: 'the stream has ended',
    opened: 'the stream has ended',
    give_up: 'the stream has ended',
    close: 'stay',
    closed: 'stay',
    cancel: 'the stream has ended',
    reinstate: 'the stream has ended',
  },
  cancelled: {
    open: 'the appointment was cancelled',
    opened: 'the appointment was cancelled',
    give_up: 'the appointment was cancelled',
    close: 'stay',
    closed: 'stay',
    cancel: 'stay',
    reinstate: { to: 'scheduled' },
  },
  failed: {
    open: { to: 'opening' },
    opened: { to: 'live' },
    give_up: 'stay',
    close: { to: 'ending' },
    closed: 'the stream was never closing',
    cancel: { to: 'cancelled' },
    reinstate: 'the stream is not cancelled',
  },
}

/** Pure: what `event` does to a stream in `state`. */
export function transition(state: StreamState, event: StreamEvent): TransitionResult {
  const rule = TABLE[state][event]
  if (rule === 'stay') {
    return { kind: 'stay', state }
  }
  if (typeof rule === 'string') {
    return { kind: 'refuse', state, reason: rule }
  }
  return { kind: 'move', from: state, to: rule.to }
}
