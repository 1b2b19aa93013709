import type { Payload } from 'payload'

import { LivekitAdapter } from './livekit/adapter.js'
import { createStripeClient } from './payments/stripeClient.js'
import type { ResolvedOptions } from './resolveOptions.js'

/** Key under `config.custom` where the resolved options live, for endpoints and jobs to read. */
export const CUSTOM_KEY = 'livekitPlugin'

/** The plugin's resolved options, read back from a running Payload instance. */
export function pluginOptionsOf(payload: Payload): ResolvedOptions {
  const resolved = payload.config.custom?.[CUSTOM_KEY] as ResolvedOptions | undefined
  if (!resolved) throw new Error('payload-plugin-livekit is not installed in this Payload config.')
  return resolved
}

// One adapter and one Stripe client per configuration, not per request: they hold settings only
// (no connection, no per-request state), so sharing them between requests is safe.
const adapters = new WeakMap<ResolvedOptions, LivekitAdapter>()
const stripeClients = new WeakMap<ResolvedOptions, ReturnType<typeof createStripeClient>>()

/** The LiveKit adapter of this Payload instance's configuration. */
export function livekitFor(payload: Payload): LivekitAdapter {
  const resolved = pluginOptionsOf(payload)
  let adapter = adapters.get(resolved)
  if (!adapter) adapters.set(resolved, (adapter = new LivekitAdapter(resolved.livekit)))
  return adapter
}

/** The Stripe client of this Payload instance's configuration. */
export function stripeFor(payload: Payload) {
  const resolved = pluginOptionsOf(payload)
  let client = stripeClients.get(resolved)
  if (!client) stripeClients.set(resolved, (client = createStripeClient(resolved.stripe)))
  return client
}
