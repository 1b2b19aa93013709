import type { Payload, PayloadRequest } from 'payload'

import type { StreamRecord } from '../streams/streamStore.js'

import { planEgress } from '../core/egressPlan.js'
import { LIVE_STREAMS, RECORDINGS } from '../core/slugs.js'
import { LivekitCallError } from '../livekit/errors.js'
import { pluginOptionsOf } from '../runtime.js'
import { launchEgress } from './operations/controlEgress.js'

/**
 * Starts the MP4 recording of a stream that just opened, when its settings (or the plugin's
 * `egress.autoRecord`) ask for it and none runs yet. A failure never keeps the room from opening:
 * it is written on the stream for the admin to see.
 */
export async function autoRecord(
  payload: Payload,
  stream: StreamRecord,
  req?: Partial<PayloadRequest>,
): Promise<void> {
  const resolved = pluginOptionsOf(payload)
  if (!(stream.settings?.autoRecord ?? resolved.egress.autoRecord)) {
    return
  }
  const running = await payload.db.count({
    collection: RECORDINGS,
    where: {
      and: [
        { liveStream: { equals: stream.id } },
        { kind: { equals: 'recording' } },
        { status: { in: ['starting', 'active'] } },
      ],
    },
    req,
  })
  if (running.totalDocs > 0) {
    return
  }
  const plan = planEgress(
    { kind: 'recording' },
    {
      roomName: stream.roomName,
      streamId: stream.id,
      appointmentId: stream.appointment,
      now: new Date(),
    },
    resolved.egress,
  )
  try {
    await launchEgress(payload, stream.id, plan)
  } catch (error) {
    const message = error instanceof LivekitCallError ? error.message : (error as Error).message
    await payload.db.updateOne({
      collection: LIVE_STREAMS,
      id: stream.id,
      data: { lastError: `Automatic recording did not start: ${message}` },
      req,
    })
  }
}
