import type { Payload, PayloadRequest } from 'payload'

import type { DocId } from '../../core/ids.js'

import { userIdentity } from '../../access/facts.js'
import { identifyModerator } from '../../access/identifyCaller.js'
import { pluginUser } from '../../access/pluginUser.js'
import { DomainError } from '../../core/domainError.js'
import {
  checkStreamUrls,
  type EgressChange,
  EgressInputError,
  type EgressKind,
  type EgressPlan,
  isLayout,
  type Layout,
  LAYOUTS,
  maskStreamUrl,
  pickCompositeTracks,
  planEgress,
  type Quality,
} from '../../core/egressPlan.js'
import { relationId } from '../../core/relationId.js'
import { DESTINATIONS, RECORDINGS } from '../../core/slugs.js'
import { idOfShape, idShapeOf } from '../../db/idFormat.js'
import { insertUnique } from '../../db/uniqueRows.js'
import { livekitFor, pluginOptionsOf } from '../../runtime.js'
import { decryptSecret, parseKey, UnreadableSecretError } from '../secrets.js'

const moderatorOfLiveStream = (req: PayloadRequest, liveStreamId: DocId) =>
  identifyModerator(
    req,
    liveStreamId,
    'not_a_moderator',
    'Only the host, co-hosts and admins can record or stream.',
  )

/**
 * What a start asks for: the body of `POST /api/live-streams/:id/egress`. The operation checks
 * every field itself, after the caller and the stream's state, and refuses a wrong one as
 * `invalid_<field>` (a body from the network may hold anything).
 */
export interface StartEgressBody {
  kind: EgressKind
  /** Room composite kinds (recording, hls, rtmp); `speaker` by default. */
  layout?: Layout
  /** `medium` by default. */
  quality?: Quality
  audioOnly?: boolean
  /** RTMP(S) destinations, up to 5 (`rtmp`; `web` and `track-composite` stream instead of recording when given). */
  urls?: string[]
  /** Saved destinations (their stream keys are decrypted on the server only), up to 5. */
  destinations?: DocId[]
  /** `track-composite`: the participant whose tracks are recorded; the host by default. */
  identity?: string
}

/** A started egress: LiveKit's id, the kind, and `starting` until its webhook says more. */
export interface StartedEgress {
  egressId: string
  kind: EgressKind
  status: 'starting'
}

/**
 * What a change asks for: the body of `PATCH /api/live-streams/:id/egress/:egressId`, checked by
 * the operation as {@link StartEgressBody} is.
 */
export interface UpdateEgressBody {
  layout?: Layout
  addUrls?: string[]
  removeUrls?: string[]
  addDestinations?: DocId[]
  removeDestinations?: DocId[]
}

/** One output of a recording as its document lists it: stream keys masked. */
export interface EgressOutput {
  type: string
  destination?: null | string
}

/** A changed egress: its layout (null when the change left it) and every output it now writes to. */
export interface UpdatedEgress {
  egressId: string
  layout: Layout | null
  outputs: EgressOutput[]
}

/** An egress asked to stop (LiveKit's egress_ended webhook finishes its recording). */
export interface StoppingEgress {
  egressId: string
  stopping: true
}

/** What a recording document says it writes to; stream keys never stored. */
function outputsOf(plan: EgressPlan): EgressOutput[] {
  return [
    ...(plan.file ? [{ type: 'file', destination: plan.file.filepath }] : []),
    ...(plan.segments ? [{ type: 'segments', destination: plan.segments.playlist }] : []),
    ...(plan.stream?.urls ?? []).map((url) => ({
      type: 'stream',
      destination: maskStreamUrl(url),
    })),
  ]
}

/** Turns a planner refusal into the 400 naming the field. */
function asRequestError(error: unknown): never {
  if (error instanceof EgressInputError) {
    throw new DomainError('invalid', `invalid_${error.field}`, error.message)
  }
  throw error
}

/**
 * Starts recording (MP4), HLS, RTMP streaming, a web egress of the overlay page or a track
 * composite of one participant, and records it in `recordings`. The egress webhooks carry it
 * through its states.
 */
export async function startEgress(
  req: PayloadRequest,
  liveStreamId: DocId,
  body: StartEgressBody,
): Promise<StartedEgress> {
  const caller = await moderatorOfLiveStream(req, liveStreamId)
  if (caller.stream.state !== 'live') {
    throw new DomainError(
      'conflict',
      'stream_not_live',
      'Recording and streaming need the live stream to be live.',
    )
  }
  const urls = [
    ...(Array.isArray(body.urls) ? body.urls : []),
    ...(await destinationUrls(req, caller, body.destinations)),
  ]
  // Checked field by field by the planner, as the network sent it.
  const input = body.kind === 'rtmp' || urls.length > 0 ? { ...body, urls } : { ...body }
  const context = {
    roomName: caller.stream.roomName,
    streamId: caller.stream.id,
    appointmentId: caller.stream.appointment,
    now: new Date(),
    hostIdentity: caller.stream.host !== null ? userIdentity(caller.stream.host) : undefined,
  }
  let plan: EgressPlan
  try {
    plan = planEgress(input, context, pluginOptionsOf(req.payload).egress)
  } catch (error) {
    asRequestError(error)
  }
  const egressId = await launchEgress(req.payload, caller.stream.id, plan)
  return { egressId, kind: plan.kind, status: 'starting' }
}

/**
 * Asks LiveKit for the planned egress and records it in `recordings` (unless the egress_started
 * webhook got there first). Throws the LiveKit failure, e.g. `egress_unavailable`.
 */
export async function launchEgress(
  payload: Payload,
  liveStreamId: DocId,
  plan: EgressPlan,
): Promise<string> {
  const livekit = livekitFor(payload)
  let tracks = {}
  if (plan.kind === 'track-composite' && plan.participant) {
    const participant = (await livekit.listParticipants(plan.roomName)).find(
      (p) => p.identity === plan.participant!.identity,
    )
    tracks = pickCompositeTracks(participant?.tracks ?? [])
    if (!participant || Object.keys(tracks).length === 0) {
      throw new DomainError(
        'conflict',
        'no_tracks',
        `${plan.participant.identity} is not publishing in the room, so there is nothing to record.`,
      )
    }
  }
  const launched = plan.web
    ? { ...plan, web: { url: await overlayPageUrl(payload, liveStreamId, plan) } }
    : plan
  const { egressId } = await livekit.startEgress(launched, tracks)
  await insertUnique(
    payload,
    RECORDINGS,
    { egressId: { equals: egressId } },
    {
      liveStream: liveStreamId,
      egressId,
      kind: plan.kind,
      status: 'starting',
      layout: plan.layout,
      outputs: outputsOf(plan),
    },
  )
  return egressId
}

/**
 * The overlay page's address for LiveKit's egress browser, with a token that lets it watch the
 * room hidden (subscribe only) and the server to connect to.
 */
export async function overlayPageUrl(
  payload: Payload,
  liveStreamId: DocId,
  plan: EgressPlan,
): Promise<string> {
  const livekit = livekitFor(payload)
  const resolved = pluginOptionsOf(payload)
  const { token } = await livekit.mintToken({
    roomName: plan.roomName,
    identity: `overlay-${String(liveStreamId)}`,
    name: 'Overlay',
    attributes: { role: 'overlay' },
    grants: {
      canSubscribe: true,
      canPublish: false,
      canPublishData: false,
      canPublishSources: [],
      hidden: true,
    },
    ttlSeconds: Math.max(resolved.access.tokenTtlSeconds, 6 * 3600),
  })
  const url = new URL(plan.web!.url)
  url.searchParams.set('token', token)
  url.searchParams.set('serverUrl', livekit.clientUrl)
  return url.toString()
}

/** The recording of one egress of this stream; `egress_not_found` when the stream has none by that id. */
async function recordingOfStream(req: PayloadRequest, streamId: DocId, egressId: string) {
  const recording = await req.payload.db.findOne<{
    id: DocId
    kind: string
    status: string
    outputs?: Array<{ type: string; destination?: null | string }> | null
  }>({
    collection: RECORDINGS,
    where: { and: [{ egressId: { equals: egressId } }, { liveStream: { equals: streamId } }] },
  })
  if (!recording) {
    throw new DomainError(
      'not_found',
      'egress_not_found',
      'This live stream has no egress with that id.',
    )
  }
  return recording
}

/**
 * Changes a running egress (hosts, co-hosts, admins): the room composite's layout, and RTMP
 * destinations added or removed by URL or saved destination id. The recording's outputs follow.
 */
export async function updateEgress(
  req: PayloadRequest,
  liveStreamId: DocId,
  egressId: string,
  body: UpdateEgressBody,
): Promise<UpdatedEgress> {
  const caller = await moderatorOfLiveStream(req, liveStreamId)
  const recording = await recordingOfStream(req, caller.stream.id, egressId)
  if (recording.status !== 'starting' && recording.status !== 'active') {
    throw new DomainError(
      'conflict',
      'egress_not_running',
      `This egress is ${recording.status}; only a running one can change.`,
    )
  }
  let change: EgressChange
  try {
    const layout = body.layout
    if (layout !== undefined && !isLayout(layout)) {
      throw new EgressInputError('layout', `layout must be one of: ${LAYOUTS.join(', ')}.`)
    }
    if (layout !== undefined && !['hls', 'recording', 'rtmp'].includes(recording.kind)) {
      throw new EgressInputError(
        'layout',
        'Only room composite egress (recording, hls, rtmp) has a layout.',
      )
    }
    change = {
      layout,
      addUrls: [
        ...checkStreamUrls('addUrls', body.addUrls),
        ...(await destinationUrls(req, caller, body.addDestinations)),
      ],
      removeUrls: [
        ...checkStreamUrls('removeUrls', body.removeUrls),
        ...(await destinationUrls(req, caller, body.removeDestinations)),
      ],
    }
  } catch (error) {
    asRequestError(error)
  }
  const streams = (recording.outputs ?? []).some((o) => o.type === 'stream')
  if ((change.addUrls.length || change.removeUrls.length) && !streams) {
    throw new DomainError(
      'invalid',
      'invalid_addUrls',
      'This egress does not stream to RTMP destinations; start an rtmp egress instead.',
    )
  }
  if (!change.layout && !change.addUrls.length && !change.removeUrls.length) {
    throw new DomainError(
      'invalid',
      'nothing_to_change',
      'Give a layout, addUrls/addDestinations or removeUrls/removeDestinations.',
    )
  }
  await livekitFor(req.payload).updateEgress(egressId, change)
  const outputs: EgressOutput[] = [
    ...(recording.outputs ?? []).map(({ type, destination }) => ({ type, destination })),
  ]
  for (const url of change.removeUrls) {
    const at = outputs.findIndex((o) => o.type === 'stream' && o.destination === maskStreamUrl(url))
    if (at >= 0) {
      outputs.splice(at, 1)
    }
  }
  for (const url of change.addUrls) {
    outputs.push({ type: 'stream', destination: maskStreamUrl(url) })
  }
  await req.payload.db.updateOne({
    collection: RECORDINGS,
    id: recording.id,
    data: { outputs, ...(change.layout ? { layout: change.layout } : {}) },
  })
  return { egressId, layout: change.layout ?? null, outputs }
}

/** Stops one egress of the stream. Stopping one that already ended is fine. */
export async function stopEgress(
  req: PayloadRequest,
  liveStreamId: DocId,
  egressId: string,
): Promise<StoppingEgress> {
  const caller = await moderatorOfLiveStream(req, liveStreamId)
  const recording = await recordingOfStream(req, caller.stream.id, egressId)
  await livekitFor(req.payload).stopEgress(egressId)
  await req.payload.db.updateOne({
    collection: RECORDINGS,
    where: { and: [{ id: { equals: recording.id } }, { status: { in: ['starting', 'active'] } }] },
    data: { status: 'ending' },
    options: { atomic: true },
  })
  return { egressId, stopping: true }
}

/** A destination's saved stream key, or the 409 that says how to mend one the site can no longer read. */
function streamKeyOf(
  destination: { id: DocId; name?: null | string },
  stored: string,
  key: Buffer,
): string {
  try {
    return decryptSecret(stored, key)
  } catch (error) {
    if (!(error instanceof UnreadableSecretError)) {
      throw error
    }
    const name = destination.name
      ? `"${destination.name}" (${String(destination.id)})`
      : String(destination.id)
    throw new DomainError(
      'conflict',
      'stream_key_unreadable',
      `The saved stream key of destination ${name} no longer decrypts: LIVEKIT_PLUGIN_ENCRYPTION_KEY (egress.encryptionKey) changed since it was saved. Re-enter the stream key of that destination (or restore the previous encryption key).`,
    )
  }
}

/**
 * The full RTMP URLs of saved destinations: decrypted here, on the server, only to hand them to
 * LiveKit. A destination must belong to the stream's host or the caller (admins may use any).
 */
async function destinationUrls(
  req: PayloadRequest,
  caller: Awaited<ReturnType<typeof moderatorOfLiveStream>>,
  ids: unknown,
): Promise<string[]> {
  if (ids === undefined) {
    return []
  }
  if (
    !Array.isArray(ids) ||
    ids.length > 5 ||
    ids.some((id) => typeof id !== 'string' && typeof id !== 'number')
  ) {
    throw new DomainError(
      'invalid',
      'invalid_destinations',
      'destinations must list up to 5 saved destination ids.',
    )
  }
  // An id no destination can have is refused as one that is not there, before the query.
  const shape = idShapeOf(req.payload, DESTINATIONS)
  const unknown = (ids as DocId[]).find((id) => idOfShape(shape, String(id)) === null)
  if (unknown !== undefined) {
    throw new DomainError(
      'invalid',
      'invalid_destinations',
      `No saved destination ${String(unknown).slice(0, 64)} you may use.`,
    )
  }
  const resolved = pluginOptionsOf(req.payload)
  const key = parseKey(resolved.egress.encryptionKey)
  const found = await req.payload.db.find<{
    id: DocId
    name?: null | string
    host: unknown
    tenant?: unknown
    serverUrl: string
    streamKey?: null | string
  }>({
    collection: DESTINATIONS,
    where: { id: { in: (ids as DocId[]).map((id) => idOfShape(shape, String(id))!) } },
    limit: 0,
    pagination: false,
  })
  const isAdmin = caller.role === 'admin'
  const allowed = new Set([
    String(caller.stream.host),
    String(pluginUser(req, caller.resolved.usersSlug)?.id),
  ])
  return (ids as DocId[]).map((id) => {
    const destination = found.docs.find((d) => String(d.id) === String(id))
    const owner = destination ? String(relationId(destination.host)) : ''
    // A tenant-wide destination serves the streams of that tenant.
    const tenantWide =
      Boolean(destination?.tenant) &&
      caller.stream.tenant != null &&
      String(relationId(destination!.tenant)) === String(caller.stream.tenant)
    if (!destination || (!isAdmin && !allowed.has(owner) && !tenantWide)) {
      throw new DomainError(
        'invalid',
        'invalid_destinations',
        `No saved destination ${String(id)} you may use.`,
      )
    }
    if (!destination.streamKey || !key) {
      throw new DomainError(
        'invalid',
        'invalid_destinations',
        `Destination ${String(id)} has no stream key saved.`,
      )
    }
    return `${destination.serverUrl.replace(/\/+$/, '')}/${streamKeyOf(destination, destination.streamKey, key)}`
  })
}
