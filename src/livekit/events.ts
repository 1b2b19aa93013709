import { WebhookEvent } from 'livekit-server-sdk'

/**
 * LiveKit's webhook events as the plugin reads them: only the fields it applies, under LiveKit's
 * own JSON names and value types (times as bigint, enums as numbers), so an event parsed by the
 * SDK is one of these as it is. The rest of the plugin uses these types, never the SDK's.
 */

/** A participant as a join or leave event reports it. */
export interface LivekitEventParticipant {
  /** One connection of the participant (a reconnect gets a new one). */
  sid: string
  identity: string
  name: string
  /** LiveKit's participant kind: 0 for people; egress, ingress, SIP and agents have others. */
  kind: number
  /** Unix seconds. */
  joinedAt: bigint
  /** Unix milliseconds; 0 from servers that do not send it. */
  joinedAtMs: bigint
  attributes: { [key: string]: string }
  permission?: { hidden: boolean }
}

/** What an egress was asked to do, enough to tell recordings, HLS and RTMP streams apart. */
export type LivekitEgressRequest =
  | {
      case: 'egress' | 'participant' | 'replay' | 'track' | 'trackComposite' | 'web' | undefined
      value?: unknown
    }
  | { case: 'roomComposite'; value: { streamOutputs: unknown[]; segmentOutputs: unknown[] } }

/** An egress (recording or stream) as its started, updated and ended events report it. */
export interface LivekitEgressReport {
  egressId: string
  roomName: string
  /** LiveKit's egress status: 0 starting, 1 active, 2 ending, 3 complete, 4 failed, 5 aborted, 6 limit reached. */
  status: number
  request: LivekitEgressRequest
  /** Unix nanoseconds. */
  startedAt: bigint
  /** Unix nanoseconds. */
  endedAt: bigint
  error: string
  fileResults: Array<{ filename: string; location: string; duration: bigint; size: bigint }>
  segmentResults: Array<{
    playlistName: string
    playlistLocation: string
    duration: bigint
    size: bigint
  }>
}

/** One webhook event: a room, participant, track, egress or ingress change. */
export interface LivekitEvent {
  /** Unique per event; a repeated delivery carries the same id. */
  id: string
  /** `room_started`, `participant_joined`, `egress_ended`… */
  event: string
  /** Unix seconds. */
  createdAt: bigint
  room?: { name: string }
  participant?: LivekitEventParticipant
  egressInfo?: LivekitEgressReport
  ingressInfo?: { roomName: string }
  /** The track a `track_published` or `track_unpublished` event is about. */
  track?: LivekitEventTrack
}

/** A track as its published and unpublished events report it. */
export interface LivekitEventTrack {
  /** Unique per publication: a track published again gets a new one. */
  sid: string
  /** LiveKit's TrackSource: 0 unknown, 1 camera, 2 microphone, 3 screen share, 4 screen share audio. */
  source: number
}

/** The names of the track sources the stream's timeline shows, by LiveKit's TrackSource. */
export const TIMELINE_SOURCES: Readonly<Record<number, 'camera' | 'screen_share'>> = {
  1: 'camera',
  3: 'screen_share',
}

// The SDK's events are the plugin's as they are: this line stops compiling the day they are not.
const sdkEventIsLivekitEvent = (event: WebhookEvent): LivekitEvent => event
void sdkEventIsLivekitEvent

/**
 * An event from its JSON (a stored body, or a delivery already verified). Fields newer than this
 * SDK are ignored; throws when the JSON is not an event.
 */
export function parseLivekitEvent(json: unknown): LivekitEvent {
  return WebhookEvent.fromJson(json as never, { ignoreUnknownFields: true })
}

/** The event as LiveKit's JSON, with only the fields the SDK knows (see the webhook inbox). */
export function livekitEventJson(event: LivekitEvent): unknown {
  return (event instanceof WebhookEvent ? event : new WebhookEvent(event as never)).toJson()
}
