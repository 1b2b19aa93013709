import config from '@payload-config'
import { liveStreamTokenRoute } from 'payload-plugin-livekit'

// Joining viewers ask here instead of Payload's catch-all REST route: same answers, without
// Payload's per-request pipeline (see the plugin README, "Many viewers joining at once").
export const POST = liveStreamTokenRoute(config)
