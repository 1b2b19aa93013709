'use client'
// Admin client components, referenced by import-map paths such as
// 'payload-plugin-livekit/client#StreamStateCell'.
export { StreamStateBadge } from '../react/StreamStateBadge.js'
export type { StreamStateBadgeProps } from '../react/StreamStateBadge.js'
export { StreamStateCell } from '../admin/StreamStateCell.js'
export { HostControls } from '../admin/HostControls.js'
export { AppointmentLiveLink } from '../admin/AppointmentLiveLink.js'
export { RecordingPlayer, BytesCell, DurationCell } from '../admin/RecordingPlayer.js'
export { LedgerNavLink } from '../admin/LedgerNavLink.js'
