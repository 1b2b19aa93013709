export { LivekitAdapter } from './adapter.js'
export type { LivekitConnection, OpenRoomInput, ParticipantSummary, RoomSummary } from './adapter.js'
export { LivekitCallError, describeLivekitFailure } from './errors.js'
export type { LivekitFailureCode } from './errors.js'
