export { livekitPlugin } from './plugin.js'
export { liveStreamTokenRoute } from './http/tokenRoute.js'
export { livekitWebhookRoute } from './http/webhookRoute.js'
export type { TokenRouteOptions } from './http/tokenRoute.js'
export type {
  AppointmentFieldMap,
  AppointmentsOptions,
  CollectionOverride,
  CollectionOverrides,
  LivekitConnectionOptions,
  LivekitPluginOptions,
  StripeOptions,
} from './options.js'
export { LivekitPluginConfigError } from './resolveOptions.js'
export type { ResolvedOptions } from './resolveOptions.js'
export { LIVE_STREAMS, RECORDINGS, REVENUE_TRACKING } from './collections/slugs.js'
export { STREAM_STATES } from './lifecycle/streamStates.js'
export type { StreamState } from './lifecycle/streamStates.js'
export { EGRESS_KINDS, EGRESS_STATUSES } from './collections/recordings.js'
export type { EgressKind, EgressStatus } from './collections/recordings.js'
export { LEDGER_KINDS, LEDGER_SOURCES } from './collections/revenueTracking.js'
export { LivekitAdapter, LivekitCallError } from './livekit/index.js'
export type { LivekitFailureCode, RoomSummary, OpenRoomInput } from './livekit/index.js'
export { livekitFor, pluginOptionsOf, stripeFor } from './runtime.js'
export { StripeNotConfiguredError } from './money/stripeClient.js'
