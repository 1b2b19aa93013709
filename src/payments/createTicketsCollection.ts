import type { CollectionConfig } from 'payload'

import type { ResolvedOptions } from '../resolveOptions.js'

import { adminOrOwn, nobody } from '../access/adminOnly.js'
import { moneyComponents } from '../admin/moneyComponents.js'
import { LIVE_STREAMS, TICKETS } from '../core/slugs.js'
import { collectionLabels, fieldLabel, pluginLabel, translatedOptions } from '../i18n/labels.js'
import { ticketEndpoints } from '../refunds/endpoints/ticketEndpoints.js'
import { REFUND_REASONS } from '../refunds/refundPolicy.js'

/** Builds `tickets`: one per paid Checkout Session; an active ticket makes its user an attendee. */
export function createTicketsCollection(resolved: ResolvedOptions): CollectionConfig {
  // Admins see all tickets; a user sees their own.
  const read = adminOrOwn(resolved, 'user')
  return {
    slug: TICKETS,
    labels: collectionLabels('tickets'),
    admin: {
      group: 'Live',
      defaultColumns: [
        'liveStream',
        'user',
        'status',
        'refundReason',
        'amount',
        'currency',
        'createdAt',
      ],
    },
    endpoints: resolved.disabled ? [] : ticketEndpoints(),
    access: { read, create: nobody, update: nobody, delete: nobody },
    timestamps: true,
    // Seats order concurrent sales, so capacity is never oversold. The second index serves the capacity check of a sale past the last place (active tickets
    // of the stream before a seat), so it reads only those instead of every active ticket.
    indexes: [
      { fields: ['liveStream', 'seat'], unique: true },
      { fields: ['liveStream', 'status', 'seat'] },
    ],
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
        // refund_pending: a refund policy applies (or the attendee cancelled); admits no one, and
        // becomes refunded when Stripe reports the refund.
        options: translatedOptions('ticketStatus', [
          'active',
          'refunding',
          'refund_pending',
          'refunded',
        ]),
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
        admin: {
          description: pluginLabel('description-tickets-amount'),
          components: moneyComponents('currency', 'usd'),
        },
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
      // The host's connected account of a destination charge ('' for a platform charge): its
      // refund takes the transfer and the application fee back. Unset on tickets sold before it
      // was kept; their refund asks Stripe.
      {
        name: 'transferDestination',
        type: 'text',
        label: fieldLabel('transferDestination'),
        admin: { readOnly: true },
      },
      {
        name: 'refundReason',
        type: 'select',
        label: fieldLabel('refundReason'),
        options: translatedOptions('refundReason', REFUND_REASONS),
        admin: { readOnly: true },
      },
      {
        name: 'refundRequestedAt',
        type: 'date',
        label: fieldLabel('refundRequestedAt'),
        admin: { readOnly: true, date: { pickerAppearance: 'dayAndTime' } },
      },
      {
        name: 'refundSentAt',
        type: 'date',
        label: fieldLabel('refundSentAt'),
        admin: { readOnly: true, date: { pickerAppearance: 'dayAndTime' } },
      },
      {
        name: 'stripeRefundId',
        type: 'text',
        label: fieldLabel('stripeRefundId'),
        admin: { readOnly: true },
      },
      {
        name: 'refundAttempts',
        type: 'number',
        label: fieldLabel('refundAttempts'),
        admin: { readOnly: true },
      },
      // When the refund job may try again; set while a refund waits for its (next) try.
      {
        name: 'refundRetryAt',
        type: 'date',
        label: fieldLabel('refundRetryAt'),
        index: true,
        admin: { readOnly: true, date: { pickerAppearance: 'dayAndTime' } },
      },
      // Which instance is sending the refund right now, until when: two instances running the
      // job send each refund once (the idempotency key covers the rest).
      {
        name: 'refundClaimedUntil',
        type: 'date',
        label: fieldLabel('refundClaimedUntil'),
        admin: { hidden: true },
      },
      {
        name: 'refundError',
        type: 'text',
        label: fieldLabel('refundError'),
        admin: { readOnly: true },
      },
      {
        name: 'refundFailed',
        type: 'checkbox',
        label: fieldLabel('refundFailed'),
        index: true,
        admin: { readOnly: true, description: pluginLabel('description-tickets-refundFailed') },
      },
    ],
  }
}
