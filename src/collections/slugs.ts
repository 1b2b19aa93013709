/** Slugs of the collections the plugin adds. Other code and the REST paths rely on them. */
export const LIVE_STREAMS = 'live-streams'
export const RECORDINGS = 'recordings'
export const REVENUE_TRACKING = 'revenue-tracking'
export const LIVE_STREAM_TRANSITIONS = 'live-stream-transitions'
export const WEBHOOK_EVENTS = 'livekit-webhook-events'
export const ATTENDANCE = 'stream-attendance'
export const SESSIONS = 'stream-sessions'
