import type { PayloadRequest } from 'payload'

import type { DocId } from '../../core/ids.js'
import type { StreamStatus } from '../../core/streamStatus.js'

import { identifyCaller } from '../../access/identifyCaller.js'
import { toView } from '../../audience/operations/moderateParticipant.js'
import { canModerate, isViewer, participantRole } from '../../core/roles.js'
import { openAt } from '../../core/schedule.js'
import { RECORDINGS } from '../../core/slugs.js'
import { livekitFor } from '../../runtime.js'

export type { StreamStatus }

/**
 * The live picture of a stream, from LiveKit (who is there, who publishes) and the recordings
 * collection (what egress runs), behind the same access rules as the token.
 */
export async function streamStatus(
  req: PayloadRequest,
  liveStreamId: DocId,
): Promise<StreamStatus> {
  const caller = await identifyCaller({ req, liveStreamId, ignoreState: true })
  const { stream, resolved } = caller
  const participants =
    stream.state === 'live' ? await livekitFor(req.payload).listParticipants(stream.roomName) : []
  const visible = participants.filter((p) => !p.hidden)
  const active = await req.payload.db.find<{
    id: DocId
    kind: string
    egressId: string
    status: string
    outputs?: Array<{ type: string; destination?: null | string }> | null
  }>({
    collection: RECORDINGS,
    where: {
      and: [{ liveStream: { equals: stream.id } }, { status: { in: ['starting', 'active'] } }],
    },
    limit: 0,
    pagination: false,
  })
  return {
    state: stream.state,
    scheduledStart: stream.scheduledStart,
    scheduledEnd: stream.scheduledEnd,
    peakViewers: stream.peakViewers ?? 0,
    opensAt: stream.scheduledStart
      ? openAt(new Date(stream.scheduledStart), resolved.lifecycle).toISOString()
      : null,
    viewerCount: visible.filter((p) => isViewer(participantRole(p.attributes))).length,
    participantCount: visible.length,
    publishers: visible.filter((p) => p.publishing).map((p) => p.identity),
    hostPresent: visible.some((p) => participantRole(p.attributes) === 'host'),
    recording: active.docs.some((r) => r.kind === 'recording' || r.kind === 'track-composite'),
    streaming: active.docs.some((r) => r.kind === 'rtmp' || r.kind === 'hls' || r.kind === 'web'),
    ...(canModerate(caller.role)
      ? {
          participants: participants
            .filter((p) => caller.role === 'admin' || !p.hidden)
            .map(toView),
          activeEgress: active.docs.map((r) => ({
            egressId: r.egressId,
            kind: r.kind,
            status: r.status,
            outputs: (r.outputs ?? []).map((o) => ({
              type: o.type,
              destination: o.destination ?? null,
            })),
          })),
        }
      : {}),
  }
}
