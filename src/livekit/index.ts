// The plugin's door to LiveKit: the operations it needs (LivekitRooms), the default adapter on
// livekit-server-sdk, the webhook event type, and the errors calls fail with.
export { LivekitAdapter } from './adapter.js'
export { describeLivekitFailure, LivekitCallError, WebhookVerificationError } from './errors.js'
export type { LivekitFailureCode } from './errors.js'
export { livekitEventJson, parseLivekitEvent } from './events.js'
export type {
  LivekitEgressReport,
  LivekitEgressRequest,
  LivekitEvent,
  LivekitEventParticipant,
} from './events.js'
export type {
  CreateIngressInput,
  EgressChange,
  EgressTracks,
  IngressListing,
  IngressSummary,
  LivekitAdapterArgs,
  LivekitAdapterFactory,
  LivekitConnection,
  LivekitRooms,
  MintedToken,
  MintTokenInput,
  OpenRoomInput,
  ParticipantSummary,
  RoomSummary,
} from './rooms.js'
export { LIVEKIT_ROOM_OPERATIONS } from './rooms.js'
