import type { Payload, PayloadRequest } from 'payload'

import type { DocId } from '../../core/ids.js'
import type { StreamRecord } from '../../streams/streamStore.js'

import { identifyModerator } from '../../access/identifyCaller.js'
import { DomainError } from '../../core/domainError.js'
import { LIVE_STREAMS } from '../../core/slugs.js'
import { livekitFor } from '../../runtime.js'

/**
 * Which feed to create: the body of `POST /api/live-streams/:id/ingress`. RTMP when no type is
 * given; the operation refuses any other value as `invalid_type`.
 */
export interface CreateIngressBody {
  type?: 'rtmp' | 'whip'
}

/** The answer to a delete: whether there was a feed to remove. */
export interface DeletedIngress {
  deleted: boolean
}

/** What the host sees once after creating an ingress: where OBS sends to, and the key. */
export interface CreatedIngress {
  ingressId: string
  type: 'rtmp' | 'whip'
  url: string
  streamKey: string
  notice: string
}

/**
 * Creates the OBS feed of a live stream (RTMP or WHIP). Only the host, co-hosts and admins may;
 * a stream keeps one ingress, so creating again replaces the old one and its key stops working.
 * The stream key is returned here and nowhere else: it is not stored by the plugin.
 */
export async function createIngress(
  req: PayloadRequest,
  liveStreamId: DocId,
  body: CreateIngressBody,
): Promise<CreatedIngress> {
  const type = body.type ?? 'rtmp'
  if (type !== 'rtmp' && type !== 'whip') {
    throw new DomainError('invalid', 'invalid_type', "type must be 'rtmp' or 'whip'.")
  }
  const caller = await identifyModerator(
    req,
    liveStreamId,
    'not_a_host',
    'Only the host, co-hosts and admins can set up an OBS feed.',
  )
  const { stream } = caller
  if (stream.state === 'ended' || stream.state === 'ending' || stream.state === 'cancelled') {
    throw new DomainError(
      'gone',
      'stream_over',
      'This live stream is over; an OBS feed can no longer be set up.',
    )
  }
  const livekit = livekitFor(req.payload)
  const previous = (stream as { ingressId?: null | string } & StreamRecord).ingressId ?? null
  const created = await livekit.createIngress({
    type,
    roomName: stream.roomName,
    name: `live-stream ${String(stream.id)}`,
    identity: `ingress-${String(stream.id)}`,
    participantName: caller.name,
    metadata: { liveStreamId: stream.id, role: 'host', via: 'ingress' },
  })
  // One ingress per stream, also with several instances: only the request that still sees the
  // previous id replaces it; a concurrent loser deletes what it created.
  const swapped = await req.payload.db.updateOne({
    collection: LIVE_STREAMS,
    where: {
      and: [
        { id: { equals: stream.id } },
        previous ? { ingressId: { equals: previous } } : { ingressId: { exists: false } },
      ],
    },
    data: { ingressId: created.ingressId, ingressType: type, ingressState: 'ready' },
    options: { atomic: true },
  })
  if (!swapped) {
    await livekit.deleteIngress(created.ingressId)
    throw new DomainError(
      'conflict',
      'ingress_changed',
      'Someone else set up the OBS feed at the same moment; reload and try again.',
    )
  }
  if (previous) {
    await livekit.deleteIngress(previous)
  }
  return {
    ingressId: created.ingressId,
    type,
    url: created.url,
    streamKey: created.streamKey,
    notice:
      'Copy the stream key now: it is shown only this once. Creating a new feed replaces this one.',
  }
}

/** Deletes the stream's OBS feed (host, co-hosts, admins). Deleting when there is none is fine. */
export async function deleteIngress(
  req: PayloadRequest,
  liveStreamId: DocId,
): Promise<DeletedIngress> {
  const caller = await identifyModerator(
    req,
    liveStreamId,
    'not_a_host',
    'Only the host, co-hosts and admins can remove the OBS feed.',
  )
  return { deleted: await removeIngress(req.payload, caller.stream) }
}

/** Deletes the stream's ingress on LiveKit and forgets it. Idempotent; used when the room closes. */
export async function removeIngress(
  payload: Payload,
  stream: StreamRecord,
  req?: Partial<PayloadRequest>,
): Promise<boolean> {
  const ingressId = (stream as { ingressId?: null | string } & StreamRecord).ingressId
  if (!ingressId) {
    return false
  }
  await livekitFor(payload).deleteIngress(ingressId)
  await payload.db
    .updateOne({
      collection: LIVE_STREAMS,
      where: { and: [{ id: { equals: stream.id } }, { ingressId: { equals: ingressId } }] },
      data: { ingressId: null, ingressType: null, ingressState: 'deleted' },
      options: { atomic: true },
      req,
    })
    .catch(() => null)
  return true
}
