import type { EgressPlan } from '../core/egressPlan.js'
import type { Permission } from '../core/roles.js'
import type { LivekitEvent } from './events.js'

/** Connection settings of the LiveKit server (the resolved `livekit` options). */
export interface LivekitConnection {
  /** URL clients connect to (ws/wss). */
  url: string
  /** URL for server API calls (http/https). */
  apiUrl: string
  apiKey: string
  apiSecret: string
  requestTimeoutMs: number
}

/** A LiveKit room as the rest of the plugin sees it. */
export interface RoomSummary {
  name: string
  sid: string
  numParticipants: number
  numPublishers: number
  activeRecording: boolean
  createdAt: Date | null
  metadata: null | Record<string, unknown>
  emptyTimeoutSeconds: number
  departureTimeoutSeconds: number
  /** 0 = no cap. */
  maxParticipants: number
}

/** A participant as the lifecycle and moderation see it. */
export interface ParticipantSummary {
  identity: string
  name: string
  joinedAt: Date | null
  publishing: boolean
  attributes: Record<string, string>
  hidden: boolean
  tracks: Array<{ sid: string; kind: 'audio' | 'video'; source: string; muted: boolean }>
}

/** What the plugin needs to open a room for an appointment. */
export interface OpenRoomInput {
  name: string
  /** Seconds LiveKit keeps the room before anyone joins. */
  emptyTimeoutSeconds: number
  /** Seconds LiveKit keeps the room after the last participant leaves. */
  departureTimeoutSeconds: number
  /** 0 = no cap. */
  maxParticipants: number
  metadata: Record<string, unknown>
}

/** What a client token is minted for. */
export interface MintTokenInput {
  roomName: string
  identity: string
  name: string
  attributes: Record<string, string>
  /** The role's permission set; the power to update one's own metadata is never granted. */
  grants: Permission
  ttlSeconds: number
}

/** A signed client token. */
export interface MintedToken {
  token: string
  expiresAt: Date
}

/** The tracks a track-composite egress records (one participant's audio and/or video). */
export interface EgressTracks {
  audioTrackId?: string
  videoTrackId?: string
}

/** A change to a running egress: the room composite's layout and/or its RTMP destinations. */
export interface EgressChange {
  layout?: string
  addUrls: string[]
  removeUrls: string[]
}

/** An OBS (RTMP) or WHIP feed into a room. */
export interface CreateIngressInput {
  type: 'rtmp' | 'whip'
  roomName: string
  /** Name shown in LiveKit's ingress list. */
  name: string
  /** Identity and name the feed publishes under. */
  identity: string
  participantName: string
  metadata: Record<string, unknown>
}

/** A created ingress: where OBS sends to. `streamKey` is a secret shown to the host once. */
export interface IngressSummary {
  ingressId: string
  type: 'rtmp' | 'whip'
  url: string
  streamKey: string
}

/** An ingress of a room as a listing shows it: never its key. */
export interface IngressListing {
  ingressId: string
  type: 'rtmp' | 'url' | 'whip'
  status: string
}

/**
 * Everything the plugin asks of a LiveKit server, in the product's words. The plugin's default is
 * `LivekitAdapter` (the server SDK); a site may hand in its own through the `livekit.adapter`
 * option, typically wrapping the default to add tracing or LiveKit Cloud features.
 *
 * Failures should be `LivekitCallError`s: the plugin reads their `code` (a room or egress that is
 * already gone is `livekit_not_found`; the code also decides what an endpoint answers) and
 * `retryable` (the lifecycle retries with backoff).
 */
export interface LivekitRooms {
  /** URL that browsers connect to (put into every join token answer). */
  readonly clientUrl: string

  /** Rooms that exist on the server, optionally only those with the given names. */
  listRooms(names?: string[]): Promise<RoomSummary[]>
  /** Creates the room, or updates it when it exists. */
  openRoom(input: OpenRoomInput): Promise<RoomSummary>
  /** Deletes the room, disconnecting everyone. A room that is already gone counts as closed. */
  closeRoom(name: string): Promise<void>
  /**
   * Replaces the room's metadata (one JSON object). LiveKit hands it to everyone in the room at
   * once and to everyone who joins later; only the server can write it.
   */
  setRoomMetadata(name: string, metadata: Record<string, unknown>): Promise<void>

  /** Who is in a room right now (empty when the room does not exist). */
  listParticipants(roomName: string): Promise<ParticipantSummary[]>
  /**
   * Replaces a participant's permissions (the whole set) and, optionally, some of its attributes.
   * The power to update its own metadata, name or attributes is never granted.
   */
  setPermission(
    roomName: string,
    identity: string,
    grants: Permission,
    attributes?: Record<string, string>,
  ): Promise<void>
  /** Changes some of a participant's attributes and nothing else; an empty value deletes one. */
  setAttributes(
    roomName: string,
    identity: string,
    attributes: Record<string, string>,
  ): Promise<void>
  /**
   * Sends a message to everyone in the room on a data topic (`chat`, `reactions`), from the
   * server: it carries no participant, so receivers know no participant wrote it themselves.
   * `reliable` false for what may be lost (reactions).
   */
  sendToRoom(roomName: string, topic: string, data: Uint8Array, reliable: boolean): Promise<void>
  /** Disconnects a participant and invalidates every token issued to it before now. */
  removeParticipant(roomName: string, identity: string): Promise<void>
  /** Mutes a participant's published tracks of the given kinds. Returns how many were muted. */
  muteTracks(roomName: string, identity: string, kinds: Array<'audio' | 'video'>): Promise<number>

  /** Signs a token for a browser or app with exactly the given grants. */
  mintToken(input: MintTokenInput): Promise<MintedToken>

  /** Starts the planned recording or stream. */
  startEgress(plan: EgressPlan, tracks?: EgressTracks): Promise<{ egressId: string }>
  /** Changes a running egress. */
  updateEgress(egressId: string, change: EgressChange): Promise<void>
  /** Stops an egress. One that already ended or is unknown counts as stopped. */
  stopEgress(egressId: string): Promise<void>

  /** Creates an RTMP or WHIP feed publishing into the room as the given participant. */
  createIngress(input: CreateIngressInput): Promise<IngressSummary>
  /** Feeds of a room (ids and types, never keys). */
  listIngress(roomName: string): Promise<IngressListing[]>
  /** Deletes a feed (stopping it). One that is already gone counts as deleted. */
  deleteIngress(ingressId: string): Promise<void>

  /**
   * Verifies a webhook delivery (the JWT in the Authorization header carries the body's sha256)
   * and parses it. The plugin's only check of who sent a delivery: an adapter that wraps the
   * default must keep calling it. Throws `WebhookVerificationError` when the signature, the hash,
   * the token's validity or the body's shape do not hold.
   */
  receiveWebhook(rawBody: string, authorization: null | string | undefined): Promise<LivekitEvent>
}

/** What a site's `livekit.adapter` option receives. */
export interface LivekitAdapterArgs {
  /** The plugin's own adapter for these settings, to wrap or to fall back on. */
  defaultAdapter: LivekitRooms
  /** The resolved server settings (URL, API URL, key, secret, timeout), e.g. for the site's own SDK clients. */
  connection: LivekitConnection
}

/** Builds the adapter the plugin uses; see the `livekit.adapter` option. */
export type LivekitAdapterFactory = (args: LivekitAdapterArgs) => LivekitRooms

/** The operations a {@link LivekitRooms} must have, to check one a site hands in. */
export const LIVEKIT_ROOM_OPERATIONS = [
  'listRooms',
  'openRoom',
  'closeRoom',
  'setRoomMetadata',
  'listParticipants',
  'setPermission',
  'setAttributes',
  'sendToRoom',
  'removeParticipant',
  'muteTracks',
  'mintToken',
  'startEgress',
  'updateEgress',
  'stopEgress',
  'createIngress',
  'listIngress',
  'deleteIngress',
  'receiveWebhook',
] as const satisfies ReadonlyArray<Exclude<keyof LivekitRooms, 'clientUrl'>>

// Every operation is listed above: this stops compiling when one is added to the interface only.
type Unlisted = Exclude<
  Exclude<keyof LivekitRooms, 'clientUrl'>,
  (typeof LIVEKIT_ROOM_OPERATIONS)[number]
>
const everyOperationListed: [Unlisted] extends [never] ? true : never = true
void everyOperationListed
