import type { Payload, PayloadRequest } from 'payload'

import { canModerate } from '../access/roles.js'
import { relationId } from '../appointments/relationId.js'
import { DESTINATIONS, RECORDINGS } from '../collections/slugs.js'
import { insertUnique } from '../db/uniqueRows.js'
import { EndpointError } from '../endpoints/respond.js'
import { identifyCaller } from '../operations/issueToken.js'
import { livekitFor, pluginOptionsOf } from '../runtime.js'
import { EgressInputError, maskStreamUrl, planEgress, type EgressPlan } from './plan.js'
import { decryptSecret, parseKey } from './secrets.js'

type Id = string | number

async function moderatorOfLiveStream(req: PayloadRequest, liveStreamId: Id) {
  const caller = await identifyCaller({ req, liveStreamId, ignoreState: true })
  if (!canModerate(caller.role)) throw new EndpointError(403, 'not_a_moderator', 'Only the host, co-hosts and admins can record or stream.')
  return caller
}

/** What a recording document says it writes to; stream keys never stored. */
function outputsOf(plan: EgressPlan) {
  if (plan.file) return [{ type: 'file', destination: plan.file.filepath }]
  if (plan.segments) return [{ type: 'segments', destination: plan.segments.playlist }]
  return (plan.stream?.urls ?? []).map((url) => ({ type: 'stream', destination: maskStreamUrl(url) }))
}

/**
 * Starts recording (MP4), HLS or RTMP streaming of a live stream's room and records it in
 * `recordings`. The egress webhooks carry it through its states.
 */
export async function startEgress(req: PayloadRequest, liveStreamId: Id, body: Record<string, unknown>) {
  const caller = await moderatorOfLiveStream(req, liveStreamId)
  if (caller.stream.state !== 'live') throw new EndpointError(409, 'stream_not_live', 'Recording and streaming need the live stream to be live.')
  const urls = [...(Array.isArray(body.urls) ? body.urls : []), ...(await destinationUrls(req, caller, body.destinations))]
  let plan: EgressPlan
  try {
    plan = planEgress(body.kind === 'rtmp' ? { ...body, urls } : body, { roomName: caller.stream.roomName, streamId: caller.stream.id, appointmentId: caller.stream.appointment, now: new Date() }, pluginOptionsOf(req.payload).egress)
  } catch (error) {
    if (error instanceof EgressInputError) throw new EndpointError(400, `invalid_${error.field}`, error.message)
    throw error
  }
  const egressId = await launchEgress(req.payload, caller.stream.id, plan)
  return { egressId, kind: plan.kind, status: 'starting' }
}

/**
 * Asks LiveKit for the planned egress and records it in `recordings` (unless the egress_started
 * webhook got there first). Throws the LiveKit failure, e.g. `egress_unavailable`.
 */
export async function launchEgress(payload: Payload, liveStreamId: Id, plan: EgressPlan): Promise<string> {
  const { egressId } = await livekitFor(payload).startRoomComposite(plan)
  await insertUnique(payload, RECORDINGS, { egressId: { equals: egressId } }, {
    liveStream: liveStreamId,
    egressId,
    kind: plan.kind,
    status: 'starting',
    layout: plan.layout,
    outputs: outputsOf(plan),
  })
  return egressId
}

/** Stops one egress of the stream. Stopping one that already ended is fine. */
export async function stopEgress(req: PayloadRequest, liveStreamId: Id, egressId: string) {
  const caller = await moderatorOfLiveStream(req, liveStreamId)
  const recording = await req.payload.db.findOne<{ id: Id; liveStream: unknown; status: string }>({
    collection: RECORDINGS,
    where: { and: [{ egressId: { equals: egressId } }, { liveStream: { equals: caller.stream.id } }] },
  })
  if (!recording) throw new EndpointError(404, 'egress_not_found', 'This live stream has no egress with that id.')
  await livekitFor(req.payload).stopEgress(egressId)
  await req.payload.db.updateOne({
    collection: RECORDINGS,
    where: { and: [{ id: { equals: recording.id } }, { status: { in: ['starting', 'active'] } }] },
    data: { status: 'ending' },
    options: { atomic: true },
  })
  return { egressId, stopping: true }
}

/**
 * The full RTMP URLs of saved destinations: decrypted here, on the server, only to hand them to
 * LiveKit. A destination must belong to the stream's host or the caller (admins may use any).
 */
async function destinationUrls(req: PayloadRequest, caller: Awaited<ReturnType<typeof moderatorOfLiveStream>>, ids: unknown): Promise<string[]> {
  if (ids === undefined) return []
  if (!Array.isArray(ids) || ids.length > 5 || ids.some((id) => typeof id !== 'string' && typeof id !== 'number')) {
    throw new EndpointError(400, 'invalid_destinations', 'destinations must list up to 5 saved destination ids.')
  }
  const resolved = pluginOptionsOf(req.payload)
  const key = parseKey(resolved.egress.encryptionKey)
  const found = await req.payload.db.find<{ id: Id; host: unknown; serverUrl: string; streamKey?: string | null }>({
    collection: DESTINATIONS,
    where: { id: { in: ids as Id[] } },
    limit: 0,
    pagination: false,
  })
  const isAdmin = caller.role === 'admin'
  const allowed = new Set([String(caller.stream.host), String((req.user as { id?: Id } | null)?.id)])
  return (ids as Id[]).map((id) => {
    const destination = found.docs.find((d) => String(d.id) === String(id))
    const owner = destination ? String(relationId(destination.host)) : ''
    if (!destination || (!isAdmin && !allowed.has(owner))) {
      throw new EndpointError(400, 'invalid_destinations', `No saved destination ${String(id)} you may use.`)
    }
    if (!destination.streamKey || !key) throw new EndpointError(400, 'invalid_destinations', `Destination ${String(id)} has no stream key saved.`)
    return `${destination.serverUrl.replace(/\/+$/, '')}/${decryptSecret(destination.streamKey, key)}`
  })
}
