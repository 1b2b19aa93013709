import type { Payload } from 'payload'

import type { DocId } from '../core/ids.js'

/**
 * Per instance and stream: the seat insert running now (the next one waits for it) and the seat
 * this instance expects to be free next. Only a way to keep this instance's own sales from
 * colliding with each other; which seat is whose is decided by the unique index.
 */
const seatQueues = new WeakMap<
  Payload,
  Map<string, { tail: Promise<unknown>; next: null | number }>
>()

/** Runs `take` after the seat inserts of the same stream that this instance started before it. */
export function inSeatOrder<T>(
  payload: Payload,
  liveStreamId: DocId,
  take: (queue: { next: null | number }) => Promise<T>,
): Promise<T> {
  let streams = seatQueues.get(payload)
  if (!streams) {
    seatQueues.set(payload, (streams = new Map()))
  }
  const key = String(liveStreamId)
  const queue = streams.get(key) ?? { tail: Promise.resolve(), next: null }
  streams.set(key, queue)
  const run = queue.tail.then(() => take(queue))
  const tail = run.catch(() => undefined)
  queue.tail = tail
  void tail.then(() => {
    if (queue.tail === tail) {
      streams.delete(key)
    }
  })
  return run
}
