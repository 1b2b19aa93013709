// Server components for the admin panel and the site's own server-rendered pages.

export { LedgerView } from '../admin/LedgerView.js'
export { LiveNowPanel } from '../admin/LiveNowPanel.js'
export { StreamStateBadge } from '../react/StreamStateBadge.js'
export type { StreamStateBadgeProps } from '../react/StreamStateBadge.js'
