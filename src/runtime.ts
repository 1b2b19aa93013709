import type { Payload } from 'payload'

import { LivekitAdapter } from './livekit/adapter.js'
import {
  LIVEKIT_ROOM_OPERATIONS,
  type LivekitConnection,
  type LivekitRooms,
} from './livekit/rooms.js'
import { createStripeClient } from './payments/stripeClient.js'
import { LivekitPluginConfigError, type ResolvedOptions } from './resolveOptions.js'

/** Key under `config.custom` where the resolved options live, for endpoints and jobs to read. */
export const CUSTOM_KEY = 'livekitPlugin'

/** The plugin's resolved options, read back from a running Payload instance. */
export function pluginOptionsOf(payload: Payload): ResolvedOptions {
  const resolved = payload.config.custom?.[CUSTOM_KEY] as ResolvedOptions | undefined
  if (!resolved) {
    throw new Error('payload-plugin-livekit is not installed in this Payload config.')
  }
  return resolved
}

// One adapter and one Stripe client per configuration, not per request: they hold settings only
// (no connection, no per-request state), so sharing them between requests is safe.
const adapters = new WeakMap<ResolvedOptions, LivekitRooms>()
const stripeClients = new WeakMap<ResolvedOptions, ReturnType<typeof createStripeClient>>()

/**
 * The LiveKit adapter of this Payload instance's configuration: the plugin's own, or what the
 * site's `livekit.adapter` option makes of it.
 */
export function livekitFor(payload: Payload): LivekitRooms {
  const resolved = pluginOptionsOf(payload)
  let adapter = adapters.get(resolved)
  if (!adapter) {
    adapters.set(resolved, (adapter = buildLivekit(resolved.livekit)))
  }
  return adapter
}

/**
 * Builds the adapter once per configuration. One a site hands in is checked for every operation
 * here, when it is built, so a missing one fails with the fix rather than halfway through a stream.
 */
function buildLivekit(settings: ResolvedOptions['livekit']): LivekitRooms {
  const { url, apiUrl, apiKey, apiSecret, requestTimeoutMs } = settings
  const connection: LivekitConnection = { url, apiUrl, apiKey, apiSecret, requestTimeoutMs }
  const defaultAdapter = new LivekitAdapter(connection)
  if (!settings.adapter) {
    return defaultAdapter
  }
  const supplied = settings.adapter({ defaultAdapter, connection }) as unknown as
    null | Partial<Record<string, unknown>> | undefined
  const missing: string[] = LIVEKIT_ROOM_OPERATIONS.filter(
    (name) => typeof supplied?.[name] !== 'function',
  )
  if (typeof supplied?.clientUrl !== 'string') {
    missing.unshift('clientUrl')
  }
  if (missing.length) {
    throw new LivekitPluginConfigError(
      `\`livekit.adapter\` returned an adapter without ${missing.join(', ')}. Return \`defaultAdapter\` or an object with every operation of LivekitRooms (delegate the ones you do not change to \`defaultAdapter\`).`,
    )
  }
  return supplied as unknown as LivekitRooms
}

/** The Stripe client of this Payload instance's configuration. */
export function stripeFor(payload: Payload) {
  const resolved = pluginOptionsOf(payload)
  let client = stripeClients.get(resolved)
  if (!client) {
    stripeClients.set(resolved, (client = createStripeClient(resolved.stripe)))
  }
  return client
}
