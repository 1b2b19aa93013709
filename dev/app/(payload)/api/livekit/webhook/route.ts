import config from '@payload-config'
import { livekitWebhookRoute } from 'payload-plugin-livekit'

// LiveKit's deliveries skip Payload's per-request pipeline (they carry LiveKit's signature, not a
// session); see the plugin README, "Webhooks".
export const POST = livekitWebhookRoute(config)
