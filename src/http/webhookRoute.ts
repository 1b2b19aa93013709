import { getPayload, type Payload, type SanitizedConfig } from 'payload'

import type { TokenRouteOptions } from './tokenRoute.js'

import { answerStripeDelivery } from '../payments/endpoints/stripeWebhookEndpoint.js'
import { pluginOptionsOf } from '../runtime.js'
import { answerLivekitDelivery } from '../webhooks/endpoints/livekitWebhookEndpoint.js'
import { errorResponse, failureResponse } from './respond.js'

type Answer = (payload: Payload, request: Request) => Promise<Response>

// Both webhooks are signed by their sender, not by a Payload session: the site's instance, the
// plugin's off switch and the failure answer are all the pipeline they need.
function signedDeliveryRoute(
  config: Promise<SanitizedConfig> | SanitizedConfig,
  options: TokenRouteOptions,
  answer: Answer,
  label: string,
) {
  return async function POST(request: Request): Promise<Response> {
    const payload = await getPayload({ config, key: options.payloadInstanceCacheKey })
    if (pluginOptionsOf(payload).disabled) {
      return errorResponse(404, 'not_found', 'The LiveKit plugin is disabled on this site.')
    }
    let response: Response
    try {
      response = await answer(payload, request)
    } catch (error) {
      response = failureResponse(error, payload, label)
    }
    // A sender reads a status and a few bytes: compressing them (Next compresses what it is
    // allowed to) would cost more CPU than the answer itself.
    response.headers.set('cache-control', 'no-store, no-transform')
    return response
  }
}

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
  return signedDeliveryRoute(config, options, answerLivekitDelivery, 'POST LiveKit webhook route')
}

/**
 * A route handler for Stripe's webhook that answers without Payload's request pipeline, as
 * {@link livekitWebhookRoute} does for LiveKit: the same signature check and application as the
 * endpoint the plugin adds. A flash sale delivers thousands of these at once, and none of them
 * carries a Payload session, so authentication and the request's locale would only cost time.
 *
 * ```ts
 * // app/(payload)/api/stripe/webhook/route.ts  (the path of `stripe.webhookPath`)
 * import config from '@payload-config'
 * import { stripeWebhookRoute } from 'payload-plugin-livekit'
 * export const POST = stripeWebhookRoute(config)
 * ```
 */
export function stripeWebhookRoute(
  config: Promise<SanitizedConfig> | SanitizedConfig,
  options: TokenRouteOptions = {},
) {
  return signedDeliveryRoute(config, options, answerStripeDelivery, 'POST Stripe webhook route')
}
