export type { DocId } from './core/ids.js'
export type { JoinToken } from './core/joinToken.js'
export type { Role } from './core/roles.js'
export { LIVE_STREAMS, RECORDINGS, REVENUE_TRACKING } from './core/slugs.js'
export { STREAM_STATES } from './core/streamStates.js'
export type { StreamState } from './core/streamStates.js'
export type { ParticipantView, StreamStatus } from './core/streamStatus.js'
// For sites that answer the operations' refusals in their own endpoints and hooks.
export { STATUS_OF_KIND, STATUS_OF_LIVEKIT_FAILURE, toAPIError } from './http/respond.js'
export { serveTokenRoute } from './http/serveTokenRoute.js'
export type { ServeTokenRouteOptions, TokenServer } from './http/serveTokenRoute.js'
export { liveStreamTokenRoute } from './http/tokenRoute.js'
export type { TokenRouteOptions } from './http/tokenRoute.js'
export { livekitWebhookRoute, stripeWebhookRoute } from './http/webhookRoute.js'
export { LEDGER_KINDS, LEDGER_SOURCES } from './ledger/createRevenueTrackingCollection.js'
export {
  LivekitAdapter,
  LivekitCallError,
  parseLivekitEvent,
  WebhookVerificationError,
} from './livekit/index.js'
export type {
  LivekitAdapterArgs,
  LivekitAdapterFactory,
  LivekitConnection,
  LivekitEvent,
  LivekitFailureCode,
  LivekitRooms,
  OpenRoomInput,
  ParticipantSummary,
  RoomSummary,
} from './livekit/index.js'
// The operations the endpoints run, for the site's own hooks and Local API code (see operations.ts).
export * from './operations.js'
export type {
  AppointmentFieldMap,
  AppointmentsOptions,
  AttendeeEmail,
  AttendeeEmailContext,
  CollectionOverride,
  CollectionOverrides,
  EmailOptions,
  LivekitConnectionOptions,
  LivekitPluginOptions,
  PayoutOptions,
  RefundOptions,
  StripeOptions,
} from './options.js'
export { StripeNotConfiguredError } from './payments/stripeClient.js'
export { livekitPlugin } from './plugin.js'
export { EGRESS_KINDS, EGRESS_STATUSES } from './recordings/createRecordingsCollection.js'
export type { EgressKind, EgressStatus } from './recordings/createRecordingsCollection.js'
export { LivekitPluginConfigError } from './resolveOptions.js'
export type { ResolvedOptions } from './resolveOptions.js'
export { livekitFor, pluginOptionsOf, stripeFor } from './runtime.js'
