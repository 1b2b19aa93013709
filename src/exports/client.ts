'use client'

// Admin client components, referenced by import-map paths such as
// 'payload-plugin-livekit/client#StreamStateCell'.

export { AppointmentLiveLink } from '../admin/AppointmentLiveLink.js'
export { HostControls } from '../admin/HostControls.js'
export { LedgerNavLink } from '../admin/LedgerNavLink.js'
export { MoneyCell, MoneyField } from '../admin/MoneyField.js'
export { BytesCell, DurationCell, RecordingPlayer } from '../admin/RecordingPlayer.js'
export { StreamStateCell } from '../admin/StreamStateCell.js'
export { StreamStateBadge } from '../react/StreamStateBadge.js'
export type { StreamStateBadgeProps } from '../react/StreamStateBadge.js'
