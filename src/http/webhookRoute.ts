import { getPayload, type SanitizedConfig } from 'payload'

import type { TokenRouteOptions } from './tokenRoute.js'

import { pluginOptionsOf } from '../runtime.js'
import { answerLivekitDelivery } from '../webhooks/endpoints/livekitWebhookEndpoint.js'
import { errorResponse, failureResponse } from './respond.js'

/**
 * A route handler for LiveKit's webhook that answers without Payload's request pipeline: the
 * same verification, inbox and application as the endpoint the plugin adds (the delivery
 * carries LiveKit's signature, not a Payload session, so nothing of that pipeline is needed).
 *
 * ```ts
 * // app/(payload)/api/livekit/webhook/route.ts  (the path of `webhooks.livekitPath`)
 * import config from '@payload-config'
 * import { livekitWebhookRoute } from 'payload-plugin-livekit'
 * export const POST = livekitWebhookRoute(config)
 * ```
 */
export function livekitWebhookRoute(
  config: Promise<SanitizedConfig> | SanitizedConfig,
  options: TokenRouteOptions = {},
) {
  return async function POST(request: Request): Promise<Response> {
    const payload = await getPayload({ config, key: options.payloadInstanceCacheKey })
    if (pluginOptionsOf(payload).disabled) {
      return errorResponse(404, 'not_found', 'The LiveKit plugin is disabled on this site.')
    }
    try {
      return await answerLivekitDelivery(payload, request)
    } catch (error) {
      return failureResponse(error, payload, 'POST LiveKit webhook route')
    }
  }
}
