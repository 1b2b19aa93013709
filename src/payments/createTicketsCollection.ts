import type { CollectionConfig } from 'payload'

import type { ResolvedOptions } from '../resolveOptions.js'

import { adminOrOwn, nobody } from '../access/adminOnly.js'
import { LIVE_STREAMS, TICKETS } from '../core/slugs.js'
import { collectionLabels, fieldLabel, pluginLabel, translatedOptions } from '../i18n/labels.js'

/** Builds `tickets`: one per paid Checkout Session; an active ticket makes its user an attendee. */
export function createTicketsCollection(resolved: ResolvedOptions): CollectionConfig {
  // Admins see all tickets; a user sees their own.
  const read = adminOrOwn(resolved, 'user')
  return {
    slug: TICKETS,
    labels: collectionLabels('tickets'),
    admin: {
      group: 'Live',
      defaultColumns: ['liveStream', 'user', 'status', 'amount', 'currency', 'createdAt'],
    },
    access: { read, create: nobody, update: nobody, delete: nobody },
    timestamps: true,
    // Seats order concurrent sales, so capacity is never oversold.
    indexes: [{ fields: ['liveStream', 'seat'], unique: true }],
    fields: [
      // Not required in the schema: deleting the stream or the buyer must not be blocked by a
      // paid ticket (the foreign key empties the reference; the payment refs stay on the ticket and
      // the ledger keeps its own ids). The webhook always sets both.
      {
        name: 'liveStream',
        type: 'relationship',
        label: fieldLabel('liveStream'),
        relationTo: LIVE_STREAMS,
        index: true,
      },
      {
        name: 'appointment',
        type: 'relationship',
        label: fieldLabel('appointment'),
        relationTo: resolved.appointments.slug,
        index: true,
      },
      {
        name: 'user',
        type: 'relationship',
        label: fieldLabel('user'),
        relationTo: resolved.usersSlug,
        index: true,
      },
      {
        name: 'status',
        type: 'select',
        label: fieldLabel('status'),
        required: true,
        defaultValue: 'active',
        index: true,
        // refunding: paid after the last place went, so refused a place, its refund under way.
        options: translatedOptions('ticketStatus', ['active', 'refunding', 'refunded']),
      },
      {
        name: 'seat',
        type: 'number',
        label: fieldLabel('seat'),
        required: true,
        admin: { description: pluginLabel('description-tickets-seat') },
      },
      {
        name: 'amount',
        type: 'number',
        label: fieldLabel('amount'),
        required: true,
        admin: { description: pluginLabel('description-tickets-amount') },
      },
      { name: 'currency', type: 'text', label: fieldLabel('currency'), required: true },
      {
        name: 'stripeCheckoutSessionId',
        type: 'text',
        label: fieldLabel('stripeCheckoutSessionId'),
        required: true,
        unique: true,
        index: true,
      },
      {
        name: 'stripePaymentIntentId',
        type: 'text',
        label: fieldLabel('stripePaymentIntentId'),
        index: true,
      },
    ],
  }
}
