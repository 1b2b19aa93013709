import type { CollectionConfig } from 'payload'

import { adminOnly, nobody } from '../access/adminOnly.js'
import type { ResolvedOptions } from '../resolveOptions.js'
import { STRIPE_EVENTS } from '../core/slugs.js'

/** Builds `stripe-webhook-events`: verified Stripe events, unique by id, so each is booked once. */
export function createStripeEventsCollection(resolved: ResolvedOptions): CollectionConfig {
  return {
    slug: STRIPE_EVENTS,
    labels: { singular: 'Stripe event', plural: 'Stripe events' },
    admin: { group: 'Live', useAsTitle: 'eventId', defaultColumns: ['eventId', 'type', 'appliedAt', 'outcome'] },
    access: { read: adminOnly(resolved.isAdmin), create: nobody, update: nobody, delete: nobody },
    timestamps: true,
    fields: [
      { name: 'eventId', type: 'text', required: true, unique: true, index: true },
      { name: 'type', type: 'text', required: true },
      { name: 'appliedAt', type: 'date' },
      { name: 'outcome', type: 'text' },
      { name: 'error', type: 'textarea' },
      // What a charge.refunded event reported, kept so a refund that arrives before its sale is
      // booked when the sale is.
      { name: 'paymentIntentId', type: 'text', index: true },
      { name: 'chargeId', type: 'text' },
      { name: 'amountRefunded', type: 'number', admin: { description: 'Total refunded so far, as Stripe reported it (minor units).' } },
    ],
  }
}
