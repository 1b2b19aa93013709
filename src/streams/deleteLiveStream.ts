import { APIError, type CollectionBeforeDeleteHook } from 'payload'

import type { DocId } from '../core/ids.js'

import {
  ATTENDANCE,
  LIVE_STREAM_TRANSITIONS,
  LIVE_STREAMS,
  RECORDINGS,
  SESSIONS,
  STREAM_REMOVALS,
} from '../core/slugs.js'

/** States in which a room may exist: deleting the stream then would orphan a running room. */
const OPEN_STATES = new Set(['opening', 'live', 'ending'])

/** What a stream alone gives meaning to: its history goes with it. Tickets and the ledger stay. */
const OWNED_BY_STREAM = [
  LIVE_STREAM_TRANSITIONS,
  SESSIONS,
  ATTENDANCE,
  RECORDINGS,
  STREAM_REMOVALS,
] as const

/**
 * An admin deleting a live stream: refused while its room may be open (close it first), else its
 * transitions, connections, attendance, recording records and removals are deleted with it, in the same
 * transaction. Recorded files in storage are not touched. Tickets and ledger entries keep the
 * stream's id (the ledger is never rewritten; a ticket's reference is cleared by the database).
 */
export const deleteStreamHistory: CollectionBeforeDeleteHook = async ({ id, req }) => {
  const stream = await req.payload.db.findOne<{ id: DocId; state?: string }>({
    collection: LIVE_STREAMS,
    where: { id: { equals: id } },
    req,
  })
  if (stream && OPEN_STATES.has(String(stream.state))) {
    throw new APIError(
      'This live stream is open; end it (or cancel its appointment) before deleting it.',
      409,
      undefined,
      true,
    )
  }
  for (const collection of OWNED_BY_STREAM) {
    await req.payload.db.deleteMany({ collection, where: { liveStream: { equals: id } }, req })
  }
}
