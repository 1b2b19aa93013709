import type { EncodedOutputs, Room } from 'livekit-server-sdk'

import {
  AzureBlobUpload,
  DataPacket_Kind,
  EgressClient,
  EncodedFileOutput,
  EncodedFileType,
  EncodingOptionsPreset,
  GCPUpload,
  IngressClient,
  IngressInput,
  RoomServiceClient,
  S3Upload,
  SegmentedFileOutput,
  StreamOutput,
  StreamProtocol,
  TokenVerifier,
  TrackSource,
  TrackType,
  WebhookEvent,
} from 'livekit-server-sdk'
import { createHash } from 'node:crypto'

import type { EgressPlan, StorageConfig } from '../core/egressPlan.js'
import type { Permission, Source } from '../core/roles.js'
import type { LivekitEvent } from './events.js'
import type {
  CreateIngressInput,
  EgressChange,
  EgressTracks,
  IngressListing,
  IngressSummary,
  LivekitConnection,
  LivekitRooms,
  MintedToken,
  MintTokenInput,
  OpenRoomInput,
  ParticipantSummary,
  RoomSummary,
} from './rooms.js'

import { type Hs256Key, hs256Key, signHs256 } from '../core/hs256.js'
import { describeLivekitFailure, LivekitCallError, WebhookVerificationError } from './errors.js'

// The adapter's inputs and outputs, for modules that import them with the adapter.
export type {
  CreateIngressInput,
  IngressSummary,
  LivekitConnection,
  MintTokenInput,
  OpenRoomInput,
  ParticipantSummary,
  RoomSummary,
}

const SOURCE: Record<Source, TrackSource> = {
  camera: TrackSource.CAMERA,
  microphone: TrackSource.MICROPHONE,
  screen_share: TrackSource.SCREEN_SHARE,
  screen_share_audio: TrackSource.SCREEN_SHARE_AUDIO,
}

/**
 * The plugin's default {@link LivekitRooms}, on `livekit-server-sdk`. Operations are named for
 * what they do in the product; every failure becomes a LivekitCallError with a message an admin
 * can act on. A site wrapping it (the `livekit.adapter` option) gets this one as `defaultAdapter`.
 */
export class LivekitAdapter implements LivekitRooms {
  private readonly rooms: RoomServiceClient
  private readonly verifier: TokenVerifier
  private readonly egress: EgressClient
  private readonly ingress: IngressClient
  /** The API secret imported once: a join token is then one HMAC, not a key import and a thread-pool job. */
  private readonly signingKey: Hs256Key

  constructor(private readonly connection: LivekitConnection) {
    this.signingKey = hs256Key(connection.apiSecret)
    const seconds = Math.ceil(connection.requestTimeoutMs / 1000)
    this.rooms = new RoomServiceClient(connection.apiUrl, connection.apiKey, connection.apiSecret, {
      requestTimeout: seconds,
    })
    this.verifier = new TokenVerifier(connection.apiKey, connection.apiSecret)
    // Egress calls wait for a worker to answer, which takes LiveKit longer than other calls.
    const egressSeconds = Math.max(seconds, 60)
    this.egress = new EgressClient(connection.apiUrl, connection.apiKey, connection.apiSecret, {
      requestTimeout: egressSeconds,
    })
    this.ingress = new IngressClient(connection.apiUrl, connection.apiKey, connection.apiSecret, {
      requestTimeout: seconds,
    })
  }

  /** URL that browsers and OBS-free clients use to connect. */
  get clientUrl(): string {
    return this.connection.url
  }

  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (error) {
      throw describeLivekitFailure(error, {
        what,
        apiKey: this.connection.apiKey,
        apiUrl: this.connection.apiUrl,
      })
    }
  }

  /** Rooms that exist on the server, optionally only those with the given names. */
  async listRooms(names?: string[]): Promise<RoomSummary[]> {
    const rooms = await this.call('list rooms', () => this.rooms.listRooms(names))
    return rooms.map(toRoomSummary)
  }

  /** Creates the room, or updates it when it exists (LiveKit's createRoom upserts). */
  async openRoom(input: OpenRoomInput): Promise<RoomSummary> {
    const room = await this.call(`open room ${input.name}`, () =>
      this.rooms.createRoom({
        name: input.name,
        emptyTimeout: input.emptyTimeoutSeconds,
        departureTimeout: input.departureTimeoutSeconds,
        maxParticipants: input.maxParticipants,
        metadata: JSON.stringify(input.metadata),
      }),
    )
    return toRoomSummary(room)
  }

  /** Replaces the room's metadata; every participant gets it at once, late joiners on joining. */
  async setRoomMetadata(name: string, metadata: Record<string, unknown>): Promise<void> {
    await this.call(`update metadata of room ${name}`, () =>
      this.rooms.updateRoomMetadata(name, JSON.stringify(metadata)),
    )
  }

  /** Deletes the room, disconnecting everyone. A room that is already gone counts as closed. */
  async closeRoom(name: string): Promise<void> {
    try {
      await this.call(`close room ${name}`, () => this.rooms.deleteRoom(name))
    } catch (error) {
      if ((error as { code?: string }).code === 'livekit_not_found') {
        return
      }
      throw error
    }
  }

  /** Who is in a room right now (empty when the room does not exist). */
  async listParticipants(roomName: string): Promise<ParticipantSummary[]> {
    try {
      const list = await this.call(`list participants of room ${roomName}`, () =>
        this.rooms.listParticipants(roomName),
      )
      return list.map((p) => ({
        identity: p.identity,
        name: p.name,
        joinedAt: p.joinedAt ? new Date(Number(p.joinedAt) * 1000) : null,
        publishing: p.tracks.length > 0,
        attributes: { ...p.attributes },
        hidden: Boolean(p.permission?.hidden),
        tracks: p.tracks.map((t) => ({
          sid: t.sid,
          kind: t.type === TrackType.AUDIO ? ('audio' as const) : ('video' as const),
          source: TrackSource[t.source]?.toLowerCase() ?? 'unknown',
          muted: t.muted,
        })),
      }))
    } catch (error) {
      if ((error as { code?: string }).code === 'livekit_not_found') {
        return []
      }
      throw error
    }
  }

  /**
   * Signs a token for a browser or app. The grants come from the role decision; room creation,
   * listing, recording and admin powers are never set here.
   */
  mintToken(input: MintTokenInput): Promise<MintedToken> {
    if (!input.identity) {
      return Promise.reject(new Error('payload-plugin-livekit: a join token needs an identity.'))
    }
    // The claims LiveKit reads from a token: the video grant, the participant's name and
    // attributes, who signed it (the API key), its validity and the participant's identity.
    const now = Math.floor(Date.now() / 1000)
    const exp = now + input.ttlSeconds
    const token = signHs256(this.signingKey, {
      video: {
        room: input.roomName,
        roomJoin: true,
        canSubscribe: input.grants.canSubscribe,
        canPublish: input.grants.canPublish,
        canPublishData: input.grants.canPublishData,
        // LiveKit names sources in tokens as the plugin does: camera, microphone, screen_share, …
        canPublishSources: [...input.grants.canPublishSources],
        canUpdateOwnMetadata: false,
        hidden: input.grants.hidden,
      },
      name: input.name,
      attributes: input.attributes,
      iss: this.connection.apiKey,
      exp,
      nbf: now,
      sub: input.identity,
    })
    return Promise.resolve({ token, expiresAt: new Date(exp * 1000) })
  }

  /**
   * Replaces a participant's permissions (LiveKit replaces the whole set, so `grants` is complete)
   * and, optionally, some of its attributes.
   */
  async setPermission(
    roomName: string,
    identity: string,
    grants: Permission,
    attributes?: Record<string, string>,
  ): Promise<void> {
    await this.call(`update participant ${identity}`, () =>
      this.rooms.updateParticipant(roomName, identity, {
        permission: {
          canSubscribe: grants.canSubscribe,
          canPublish: grants.canPublish,
          canPublishData: grants.canPublishData,
          canPublishSources: grants.canPublishSources.map((s) => SOURCE[s]),
          canUpdateMetadata: false,
          hidden: grants.hidden,
          recorder: false,
          agent: false,
        },
        ...(attributes ? { attributes } : {}),
      }),
    )
  }

  /**
   * Changes some of a participant's attributes and nothing else: its permissions stay as they are
   * (no permission block is sent, so LiveKit keeps the whole set). An empty value deletes one.
   */
  async setAttributes(
    roomName: string,
    identity: string,
    attributes: Record<string, string>,
  ): Promise<void> {
    await this.call(`update participant ${identity}`, () =>
      this.rooms.updateParticipant(roomName, identity, { attributes }),
    )
  }

  async sendToRoom(
    roomName: string,
    topic: string,
    data: Uint8Array,
    reliable: boolean,
  ): Promise<void> {
    await this.call(`send to ${roomName}`, () =>
      this.rooms.sendData(
        roomName,
        data,
        reliable ? DataPacket_Kind.RELIABLE : DataPacket_Kind.LOSSY,
        { topic },
      ),
    )
  }

  /**
   * Disconnects a participant and invalidates every token issued to it before now, so it cannot
   * come back with one of them.
   */
  async removeParticipant(roomName: string, identity: string): Promise<void> {
    const revokeTokenTs = BigInt(Math.floor(Date.now() / 1000) + 1)
    await this.call(`remove participant ${identity}`, () =>
      this.rooms.removeParticipant(roomName, identity, { revokeTokenTs }),
    )
  }

  /** Mutes a participant's published tracks of the given kinds. Returns how many were muted. */
  async muteTracks(
    roomName: string,
    identity: string,
    kinds: Array<'audio' | 'video'>,
  ): Promise<number> {
    const participant = (await this.listParticipants(roomName)).find((p) => p.identity === identity)
    if (!participant) {
      return 0
    }
    const targets = participant.tracks.filter((t) => kinds.includes(t.kind) && !t.muted)
    for (const track of targets) {
      await this.call(`mute a track of ${identity}`, () =>
        this.rooms.mutePublishedTrack(roomName, identity, track.sid, true),
      )
    }
    return targets.length
  }

  /**
   * Starts the planned egress: a room composite (MP4 file, HLS segments or RTMP streams), a web
   * egress of the overlay page, or a track composite of one participant's tracks. A server with
   * no egress worker answers 503 after a while: that becomes `egress_unavailable` with what to do.
   */
  async startEgress(plan: EgressPlan, tracks: EgressTracks = {}): Promise<{ egressId: string }> {
    const outputs = encodedOutputs(plan)
    const encodingOptions = EncodingOptionsPreset[plan.preset]
    try {
      let info
      if (plan.kind === 'web' && plan.web) {
        // The overlay page says when it is ready (START_RECORDING in its console), so the first
        // frames are the composite, not a loading page.
        info = await this.egress.startWebEgress(plan.web.url, outputs, {
          encodingOptions,
          audioOnly: plan.audioOnly,
          awaitStartSignal: true,
        })
      } else if (plan.kind === 'track-composite') {
        info = await this.egress.startTrackCompositeEgress(plan.roomName, outputs, {
          ...tracks,
          encodingOptions,
        })
      } else {
        info = await this.egress.startRoomCompositeEgress(plan.roomName, outputs, {
          layout: plan.layout,
          encodingOptions,
          audioOnly: plan.audioOnly,
        })
      }
      return { egressId: info.egressId }
    } catch (error) {
      throw egressFailure(error, this.connection)
    }
  }

  /** Changes a running egress: the room composite's layout and/or its RTMP destinations. */
  async updateEgress(egressId: string, change: EgressChange): Promise<void> {
    if (change.layout) {
      await this.call(`change the layout of egress ${egressId}`, () =>
        this.egress.updateLayout(egressId, change.layout!),
      )
    }
    if (change.addUrls.length || change.removeUrls.length) {
      await this.call(`change the destinations of egress ${egressId}`, () =>
        this.egress.updateStream(egressId, change.addUrls, change.removeUrls),
      )
    }
  }

  /** Stops an egress. One that already ended or is unknown counts as stopped. */
  async stopEgress(egressId: string): Promise<void> {
    try {
      await this.call(`stop egress ${egressId}`, () => this.egress.stopEgress(egressId))
    } catch (error) {
      const code = (error as { code?: string }).code
      if (code === 'livekit_not_found' || code === 'livekit_rejected') {
        return
      }
      throw error
    }
  }

  /**
   * Creates an RTMP or WHIP ingress publishing into the room as the given participant. The stream
   * key is returned to the caller only; the plugin never stores it.
   */
  async createIngress(input: CreateIngressInput): Promise<IngressSummary> {
    try {
      const info = await this.ingress.createIngress(
        input.type === 'rtmp' ? IngressInput.RTMP_INPUT : IngressInput.WHIP_INPUT,
        {
          name: input.name,
          roomName: input.roomName,
          participantIdentity: input.identity,
          participantName: input.participantName,
          participantMetadata: JSON.stringify(input.metadata),
        },
      )
      return {
        ingressId: info.ingressId,
        url: info.url,
        streamKey: info.streamKey,
        type: input.type,
      }
    } catch (error) {
      throw ingressFailure(error, this.connection)
    }
  }

  /** Ingresses of a room (ids and types, never keys). */
  async listIngress(roomName: string): Promise<IngressListing[]> {
    try {
      const list = await this.ingress.listIngress({ roomName })
      return list.map((info) => ({
        ingressId: info.ingressId,
        type:
          info.inputType === IngressInput.RTMP_INPUT
            ? 'rtmp'
            : info.inputType === IngressInput.WHIP_INPUT
              ? 'whip'
              : 'url',
        status: String(info.state?.status ?? 0),
      }))
    } catch (error) {
      throw ingressFailure(error, this.connection)
    }
  }

  /** Deletes an ingress (stopping its feed). One that is already gone counts as deleted. */
  async deleteIngress(ingressId: string): Promise<void> {
    try {
      await this.ingress.deleteIngress(ingressId)
    } catch (error) {
      const failure = ingressFailure(error, this.connection)
      if (
        failure.code === 'livekit_not_found' ||
        /not found|does not exist/i.test(failure.message)
      ) {
        return
      }
      throw failure
    }
  }

  /**
   * Verifies a webhook delivery (JWT in the Authorization header carrying the body's sha256) and
   * parses it. Throws when the signature, the hash or the token's validity do not hold.
   */
  async receiveWebhook(
    rawBody: string,
    authorization: null | string | undefined,
  ): Promise<LivekitEvent> {
    // What the SDK's WebhookReceiver.receive checks, with the body's hash taken by node:crypto:
    // Web Crypto's digest cost several times as much per delivery.
    if (!authorization) {
      throw new WebhookVerificationError('authorization header is empty')
    }
    try {
      const claims = await this.verifier.verify(authorization)
      if (claims.sha256 !== createHash('sha256').update(rawBody).digest('base64')) {
        throw new WebhookVerificationError('sha256 checksum of body does not match')
      }
      return WebhookEvent.fromJson(JSON.parse(rawBody), { ignoreUnknownFields: true })
    } catch (error) {
      // A bad token, a wrong hash and a body that is no event are all "this did not verify".
      throw error instanceof WebhookVerificationError
        ? error
        : new WebhookVerificationError(error instanceof Error ? error.message : String(error))
    }
  }
}

function toRoomSummary(room: Room): RoomSummary {
  return {
    name: room.name,
    sid: room.sid,
    numParticipants: room.numParticipants,
    numPublishers: room.numPublishers,
    activeRecording: room.activeRecording,
    createdAt: room.creationTime ? new Date(Number(room.creationTime) * 1000) : null,
    metadata: parseMetadata(room.metadata),
    emptyTimeoutSeconds: room.emptyTimeout,
    departureTimeoutSeconds: room.departureTimeout,
    maxParticipants: room.maxParticipants,
  }
}

function parseMetadata(raw: string | undefined): null | Record<string, unknown> {
  if (!raw) {
    return null
  }
  try {
    const value: unknown = JSON.parse(raw)
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null
  } catch {
    return null
  }
}

/** The SDK's output blocks of a plan. */
export function encodedOutputs(plan: EgressPlan): EncodedOutputs {
  const outputs: EncodedOutputs = {}
  if (plan.file) {
    outputs.file = new EncodedFileOutput({
      fileType: EncodedFileType.MP4,
      filepath: plan.file.filepath,
      ...(plan.file.storage ? { output: upload(plan.file.storage) } : {}),
    })
  }
  if (plan.segments) {
    outputs.segments = new SegmentedFileOutput({
      filenamePrefix: plan.segments.prefix,
      playlistName: plan.segments.playlist,
      segmentDuration: 6,
      ...(plan.segments.storage ? { output: upload(plan.segments.storage) } : {}),
    })
  }
  if (plan.stream) {
    outputs.stream = new StreamOutput({ protocol: StreamProtocol.RTMP, urls: plan.stream.urls })
  }
  return outputs
}

/** The SDK's upload block for a storage config. */
function upload(storage: StorageConfig) {
  if ('s3' in storage) {
    const s3 = storage.s3
    return {
      case: 's3' as const,
      value: new S3Upload({
        bucket: s3.bucket,
        region: s3.region ?? '',
        endpoint: s3.endpoint ?? '',
        forcePathStyle: s3.forcePathStyle ?? false,
        accessKey: s3.accessKey ?? '',
        secret: s3.secret ?? '',
      }),
    }
  }
  if ('gcs' in storage) {
    return {
      case: 'gcp' as const,
      value: new GCPUpload({
        bucket: storage.gcs.bucket,
        credentials: storage.gcs.credentials ?? '',
      }),
    }
  }
  return {
    case: 'azure' as const,
    value: new AzureBlobUpload({
      accountName: storage.azure.accountName,
      accountKey: storage.azure.accountKey,
      containerName: storage.azure.container,
    }),
  }
}

/** Ingress failures an admin can act on. */
function ingressFailure(error: unknown, connection: LivekitConnection): LivekitCallError {
  const e = error as { message?: string }
  if (/ingress not connected|redis required/i.test(e.message ?? '')) {
    return new LivekitCallError(
      'ingress_misconfigured',
      'This LiveKit server has no Redis, which ingress needs. Configure redis and ingress (rtmp_base_url, whip_base_url) in livekit.yaml and run the ingress service; see the README.',
      false,
    )
  }
  return describeLivekitFailure(error, {
    what: 'manage an ingress',
    apiKey: connection.apiKey,
    apiUrl: connection.apiUrl,
  })
}

/** Egress failures an admin can act on. */
function egressFailure(error: unknown, connection: LivekitConnection): LivekitCallError {
  const e = error as { status?: number; code?: string; message?: string }
  if (e.status === 503 || e.code === 'unavailable') {
    return new LivekitCallError(
      'egress_unavailable',
      'No LiveKit egress worker answered, so nothing is recorded or streamed. Run the egress service (the livekit/egress container) with the same API key and Redis as the LiveKit server; see the README.',
      true,
    )
  }
  if (/redis required|egress not connected/i.test(e.message ?? '')) {
    return new LivekitCallError(
      'egress_misconfigured',
      'This LiveKit server has no Redis, which egress needs. Configure redis in livekit.yaml and run the egress service against it.',
      false,
    )
  }
  return describeLivekitFailure(error, {
    what: 'start an egress',
    apiKey: connection.apiKey,
    apiUrl: connection.apiUrl,
  })
}
