import type { PayloadRequest } from 'payload'

import type { DocId } from '../../core/ids.js'
import type { StreamState } from '../../core/streamStates.js'

import { identifyModerator } from '../../access/identifyCaller.js'
import { DomainError } from '../../core/domainError.js'
import { closeStream } from '../../lifecycle/operations/streamLifecycle.js'
import { loadStream } from '../streamStore.js'

/** The stream's state once the end was asked for: `ending` while the room closes, then `ended`. */
export interface EndedStream {
  state: StreamState
}

/**
 * Ends a live stream now (host, co-hosts, admins). Where the appointment has a status, it moves to
 * the first "close" status (e.g. `completed`) so the booking and the stream agree, and the
 * lifecycle closes the room; without a status field the stream is closed directly.
 */
export async function endStream(req: PayloadRequest, liveStreamId: DocId): Promise<EndedStream> {
  const caller = await identifyModerator(
    req,
    liveStreamId,
    'not_a_host',
    'Only the host, co-hosts and admins can end the live stream.',
  )
  const { stream, resolved } = caller
  if (stream.state === 'ended' || stream.state === 'cancelled') {
    return { state: stream.state }
  }
  if (stream.state !== 'live' && stream.state !== 'opening' && stream.state !== 'ending') {
    throw new DomainError('conflict', 'stream_not_live', 'Only an open live stream can be ended.')
  }
  const statusField = resolved.appointments.fields.status
  const closeStatus = resolved.lifecycle.statuses.close[0]
  if (statusField && closeStatus && stream.appointment !== null) {
    // The caller's right to end was checked above; the site's own access rules and hooks for
    // editing appointments are for its editors, so this write acts for the plugin: not as the
    // caller (a site hook that keeps hosts from reassigning an appointment made a host's end a 500).
    await req.payload.update({
      collection: resolved.appointments.slug,
      id: stream.appointment,
      data: { [statusField]: closeStatus },
      overrideAccess: true,
      depth: 0,
      context: req.context,
    })
  } else {
    await closeStream({
      payload: req.payload,
      liveStreamId: stream.id,
      reason: `ended by ${caller.role}`,
      req,
    })
  }
  return { state: (await loadStream(req.payload, stream.id, req))?.state ?? 'ended' }
}
