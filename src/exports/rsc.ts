// Server components for the admin panel and the site's own server-rendered pages.
export { StreamStateBadge } from '../admin/StreamStateBadge.js'
export type { StreamStateBadgeProps } from '../admin/StreamStateBadge.js'
export { LedgerView } from '../admin/LedgerView.js'
export { LiveNowPanel } from '../admin/LiveNowPanel.js'
