import type { CollectionConfig } from 'payload'

import type { ResolvedOptions } from '../resolveOptions.js'

import { pluginWritten } from '../access/adminOnly.js'
import { STRIPE_EVENTS } from '../core/slugs.js'
import { collectionLabels, fieldLabel, pluginLabel } from '../i18n/labels.js'

/** Builds `stripe-webhook-events`: verified Stripe events, unique by id, so each is booked once. */
export function createStripeEventsCollection(resolved: ResolvedOptions): CollectionConfig {
  return {
    slug: STRIPE_EVENTS,
    labels: collectionLabels('stripe-webhook-events'),
    admin: {
      group: 'Live',
      useAsTitle: 'eventId',
      defaultColumns: ['eventId', 'type', 'appliedAt', 'outcome'],
    },
    access: pluginWritten(resolved.isAdmin),
    timestamps: true,
    fields: [
      {
        name: 'eventId',
        type: 'text',
        label: fieldLabel('eventId'),
        required: true,
        unique: true,
        index: true,
      },
      { name: 'type', type: 'text', label: fieldLabel('type'), required: true },
      { name: 'appliedAt', type: 'date', label: fieldLabel('appliedAt') },
      { name: 'outcome', type: 'text', label: fieldLabel('outcome') },
      { name: 'error', type: 'textarea', label: fieldLabel('error') },
      // What a charge.refunded event reported, kept so a refund that arrives before its sale is
      // booked when the sale is.
      { name: 'paymentIntentId', type: 'text', label: fieldLabel('paymentIntentId'), index: true },
      { name: 'chargeId', type: 'text', label: fieldLabel('chargeId') },
      {
        name: 'amountRefunded',
        type: 'number',
        label: fieldLabel('amountRefunded'),
        admin: { description: pluginLabel('description-stripe-webhook-events-amountRefunded') },
      },
    ],
  }
}
