import type { Payload } from 'payload'

import { LivekitAdapter } from './livekit/adapter.js'
import { createStripeClient } from './money/stripeClient.js'
import { CUSTOM_KEY } from './plugin.js'
import type { ResolvedOptions } from './resolveOptions.js'

/** The plugin's resolved options, read back from a running Payload instance. */
export function pluginOptionsOf(payload: Payload): ResolvedOptions {
  const resolved = payload.config.custom?.[CUSTOM_KEY] as ResolvedOptions | undefined
  if (!resolved) throw new Error('payload-plugin-livekit is not installed in this Payload config.')
  return resolved
}

/** A LiveKit adapter for this Payload instance's configuration (cheap: no connection is held). */
export function livekitFor(payload: Payload): LivekitAdapter {
  return new LivekitAdapter(pluginOptionsOf(payload).livekit)
}

/** A Stripe client for this Payload instance's configuration. */
export function stripeFor(payload: Payload) {
  return createStripeClient(pluginOptionsOf(payload).stripe)
}
