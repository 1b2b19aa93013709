'use client'
// Front-end kit for the site's own pages (hosts and attendees). Client components: import them
// in a page or a client component; they talk to the plugin's endpoints under `apiBase`.
export { StreamStateBadge } from '../react/StreamStateBadge.js'
export type { StreamStateBadgeProps } from '../react/StreamStateBadge.js'
export { STREAM_STATES } from '../core/streamStates.js'
export type { StreamState } from '../core/streamStates.js'
export { Broadcaster, type BroadcasterProps } from '../react/Broadcaster.js'
export { ViewerPlayer, type ViewerPlayerProps } from '../react/ViewerPlayer.js'
export {
  StreamCard,
  StreamList,
  type StreamCardProps,
  type StreamListProps,
} from '../react/StreamCard.js'
export { CompositeView, type CompositeViewProps } from '../react/CompositeView.js'
export {
  ChatPanel,
  DEFAULT_REACTIONS,
  useChatAndReactions,
  type ChatMessage,
  type Reaction,
} from '../react/ChatPanel.js'
export { StreamNotice } from '../react/StreamNotice.js'
export { Stage, onStage, useStageTracks, useViewerCount } from '../react/stage.js'
export {
  useLiveStream,
  type LiveStreamPhase,
  type LiveStreamState,
  type UseLiveStreamOptions,
} from '../react/useLiveStream.js'
export {
  liveStreamApi,
  LiveStreamApiError,
  type JoinToken,
  type LiveStreamApi,
  type LiveStreamDoc,
  type StreamStatus,
} from '../react/api.js'
export type { Role } from '../core/roles.js'
export {
  BROADCAST_QUALITIES,
  broadcastOptions,
  VIEWER_QUALITIES,
  type BroadcastQuality,
  type ViewerQuality,
} from '../react/quality.js'
export { summarizeStats, type StatsSummary } from '../react/stats.js'
export { KitStyles } from '../react/styles.js'
// The kit's language: a provider for a whole page, or `locale` / `messages` on any component.
export {
  LivekitKitProvider,
  useKitText,
  type KitLanguageProps,
  type KitText,
} from '../react/LivekitKitProvider.js'
export {
  KIT_MESSAGES,
  kitMessages,
  formatMessage,
  type KitLocale,
  type KitMessageKey,
  type KitMessages,
} from '../react/messages/index.js'
