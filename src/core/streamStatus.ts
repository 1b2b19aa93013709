import type { Role } from './roles.js'
import type { StreamState } from './streamStates.js'

/** One published track of a participant, as moderation sees it. */
export interface TrackView {
  sid: string
  kind: 'audio' | 'video'
  /** LiveKit's track source in lower case (`camera`, `microphone`, `screen_share`…). */
  source: string
  muted: boolean
}

/** A participant as hosts, co-hosts and admins see it in the control room. */
export interface ParticipantView {
  identity: string
  name: string
  role: Role
  handRaised: boolean
  onStage: boolean
  publishing: boolean
  tracks: TrackView[]
  /** ISO time the participant joined, when LiveKit says. */
  joinedAt: null | string
}

/** A recording or stream that runs, with its outputs (stream keys masked). */
export interface EgressView {
  egressId: string
  kind: string
  status: string
  outputs: Array<{ type: string; destination?: null | string }>
}

/**
 * What `GET /api/live-streams/:id/status` returns: the server builds it, the admin's control room
 * and the React kit read it, all from this one declaration.
 */
export interface StreamStatus {
  state: StreamState
  opensAt: null | string
  scheduledStart: null | string
  scheduledEnd: null | string
  /** Most attendees connected at once (from the webhooks). */
  peakViewers: number
  viewerCount: number
  participantCount: number
  publishers: string[]
  hostPresent: boolean
  recording: boolean
  streaming: boolean
  /** Only for hosts, co-hosts and admins. */
  participants?: ParticipantView[]
  /** Only for hosts, co-hosts and admins: the egress that runs, with its (masked) outputs. */
  activeEgress?: EgressView[]
}
