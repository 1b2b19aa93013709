import Stripe from 'stripe'

import type { ResolvedOptions } from '../resolveOptions.js'

import { DomainError } from '../core/domainError.js'

/** Raised when a feature needs Stripe and the site configured no secret key. */
export class StripeNotConfiguredError extends DomainError {
  declare readonly code: 'stripe_not_configured'
  constructor() {
    super(
      'unavailable',
      'stripe_not_configured',
      'Ticket sales need Stripe: set STRIPE_SECRET_KEY (or the plugin option stripe.secretKey).',
    )
    this.name = 'StripeNotConfiguredError'
  }
}

/**
 * A Stripe client for the configured account. `apiBase` points it at stripe-mock in development
 * and tests; production leaves it unset.
 */
export function createStripeClient(
  stripe: Pick<ResolvedOptions['stripe'], 'apiBase' | 'secretKey'>,
): Stripe {
  if (!stripe.secretKey) {
    throw new StripeNotConfiguredError()
  }
  const config: ConstructorParameters<typeof Stripe>[1] = {
    appInfo: { name: 'payload-plugin-livekit' },
    maxNetworkRetries: 2,
    telemetry: false,
  }
  if (stripe.apiBase) {
    const base = new URL(stripe.apiBase)
    config.host = base.hostname
    config.port = base.port || (base.protocol === 'https:' ? 443 : 80)
    config.protocol = base.protocol === 'https:' ? 'https' : 'http'
  }
  return new Stripe(stripe.secretKey, config)
}
