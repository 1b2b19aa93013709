import type { CollectionConfig } from 'payload'

import type { ResolvedOptions } from '../resolveOptions.js'

import { pluginWritten } from '../access/adminOnly.js'
import { EMAIL_DELIVERIES } from '../core/slugs.js'
import { uniqueKeyField } from '../db/uniqueKeyField.js'
import { collectionLabels, fieldLabel, pluginLabel, translatedOptions } from '../i18n/labels.js'
import { EMAIL_KINDS } from './emailTemplates.js'

/**
 * Builds `email-deliveries`: one row per email an attendee is owed (a ticket and a moment), made
 * before it is sent under a unique key, so each is sent once whatever instance gets there first.
 * Admins read it (addresses are personal data) and may clear old rows; only the plugin writes.
 */
export function createEmailDeliveriesCollection(resolved: ResolvedOptions): CollectionConfig {
  return {
    slug: EMAIL_DELIVERIES,
    labels: collectionLabels('email-deliveries'),
    admin: {
      group: 'Live',
      useAsTitle: 'key',
      defaultColumns: ['kind', 'recipient', 'sentAt', 'attempts', 'error'],
      description: pluginLabel('description-email-deliveries'),
    },
    access: pluginWritten(resolved.isAdmin, { adminsDelete: true }),
    timestamps: true,
    fields: [
      uniqueKeyField(),
      {
        name: 'kind',
        type: 'select',
        label: fieldLabel('kind'),
        required: true,
        options: translatedOptions('emailKind', EMAIL_KINDS),
      },
      // Plain ids: a deleted ticket or stream leaves its delivery history as it was.
      { name: 'ticket', type: 'text', label: fieldLabel('ticket'), index: true },
      { name: 'liveStream', type: 'text', label: fieldLabel('liveStream'), index: true },
      { name: 'productOrder', type: 'text', label: fieldLabel('productOrder'), index: true },
      { name: 'recipient', type: 'text', label: fieldLabel('recipient') },
      { name: 'sentAt', type: 'date', label: fieldLabel('sentAt'), index: true },
      { name: 'attempts', type: 'number', label: fieldLabel('attempts'), defaultValue: 0 },
      { name: 'retryAt', type: 'date', label: fieldLabel('retryAt'), index: true },
      { name: 'error', type: 'textarea', label: fieldLabel('error') },
      {
        name: 'claimedUntil',
        type: 'date',
        label: fieldLabel('claimedUntil'),
        admin: { hidden: true },
      },
    ],
  }
}
