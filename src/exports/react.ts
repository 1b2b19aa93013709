'use client'

// Front-end kit for the site's own pages (hosts and attendees). Client components: import them
// in a page or a client component; they talk to the plugin's endpoints under `apiBase`.

export type { Role } from '../core/roles.js'
export { STREAM_STATES } from '../core/streamStates.js'
export type { StreamState } from '../core/streamStates.js'
export {
  type JoinToken,
  liveStreamApi,
  type LiveStreamApi,
  LiveStreamApiError,
  type LiveStreamDoc,
  type Replay,
  type StreamStatus,
} from '../react/api.js'
export { Broadcaster, type BroadcasterProps } from '../react/Broadcaster.js'
export {
  type ChatMessage,
  ChatPanel,
  DEFAULT_REACTIONS,
  type Reaction,
  useChatAndReactions,
} from '../react/ChatPanel.js'
export { CompositeView, type CompositeViewProps } from '../react/CompositeView.js'
// The kit's language: a provider for a whole page, or `locale` / `messages` on any component.
export {
  type KitLanguageProps,
  type KitText,
  LivekitKitProvider,
  useKitText,
} from '../react/LivekitKitProvider.js'
export {
  errorText,
  formatMessage,
  KIT_MESSAGES,
  type KitLocale,
  type KitMessageKey,
  kitMessages,
  type KitMessages,
} from '../react/messages/index.js'
export { ProductPicker, type ProductPickerProps } from '../react/ProductPicker.js'
export {
  BROADCAST_QUALITIES,
  broadcastOptions,
  type BroadcastQuality,
  VIEWER_QUALITIES,
  type ViewerQuality,
} from '../react/quality.js'
export { chapterTime, ReplayPlayer, type ReplayPlayerProps } from '../react/ReplayPlayer.js'
export { SpotlightCard, type SpotlightCardProps, useRoomShop } from '../react/SpotlightCard.js'
export { onStage, Stage, useStageTracks, useViewerCount } from '../react/stage.js'
export { type StatsSummary, summarizeStats } from '../react/stats.js'
export {
  StreamCard,
  type StreamCardProps,
  StreamList,
  type StreamListProps,
} from '../react/StreamCard.js'
export { StreamNotice } from '../react/StreamNotice.js'
export { StreamStateBadge } from '../react/StreamStateBadge.js'
export type { StreamStateBadgeProps } from '../react/StreamStateBadge.js'
export { KitStyles } from '../react/styles.js'
export {
  type LiveStreamPhase,
  type LiveStreamState,
  useLiveStream,
  type UseLiveStreamOptions,
} from '../react/useLiveStream.js'
export { ViewerPlayer, type ViewerPlayerProps } from '../react/ViewerPlayer.js'
