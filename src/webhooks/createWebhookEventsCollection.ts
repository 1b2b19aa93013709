import type { CollectionConfig } from 'payload'

import type { ResolvedOptions } from '../resolveOptions.js'

import { pluginWritten } from '../access/adminOnly.js'
import { WEBHOOK_EVENTS } from '../core/slugs.js'
import { collectionLabels, fieldLabel, pluginLabel } from '../i18n/labels.js'

/**
 * Builds `livekit-webhook-events`, the inbox of verified LiveKit webhook deliveries. The unique
 * event id is what makes a delivery count once, whichever instance receives it and however often
 * LiveKit retries.
 */
export function createWebhookEventsCollection(resolved: ResolvedOptions): CollectionConfig {
  return {
    slug: WEBHOOK_EVENTS,
    labels: collectionLabels('livekit-webhook-events'),
    admin: {
      group: 'Live',
      useAsTitle: 'eventId',
      defaultColumns: ['eventId', 'event', 'roomName', 'occurredAt', 'appliedAt', 'error'],
    },
    access: pluginWritten(resolved.isAdmin, { adminsDelete: true }),
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
      { name: 'event', type: 'text', label: fieldLabel('event'), required: true, index: true },
      { name: 'roomName', type: 'text', label: fieldLabel('roomName'), index: true },
      { name: 'occurredAt', type: 'date', label: fieldLabel('occurredAt'), required: true },
      { name: 'appliedAt', type: 'date', label: fieldLabel('appliedAt'), index: true },
      {
        name: 'claimedUntil',
        type: 'date',
        label: fieldLabel('claimedUntil'),
        admin: {
          readOnly: true,
          description: pluginLabel('description-livekit-webhook-events-claimedUntil'),
        },
      },
      { name: 'error', type: 'textarea', label: fieldLabel('error') },
      {
        name: 'body',
        type: 'json',
        label: fieldLabel('body'),
        admin: { description: pluginLabel('description-livekit-webhook-events-body') },
      },
    ],
  }
}
