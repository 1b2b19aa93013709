import config from '@payload-config'
import { stripeWebhookRoute } from 'payload-plugin-livekit'

// Stripe's deliveries skip Payload's per-request pipeline (they carry Stripe's signature, not a
// session); see the plugin README, "Webhooks".
export const POST = stripeWebhookRoute(config)
