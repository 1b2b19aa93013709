// Front-end kit for the site's own pages (hosts and attendees).
export { StreamStateBadge } from '../admin/StreamStateBadge.js'
export type { StreamStateBadgeProps } from '../admin/StreamStateBadge.js'
export { STREAM_STATES } from '../lifecycle/streamStates.js'
export type { StreamState } from '../lifecycle/streamStates.js'
