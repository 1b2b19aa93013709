import type { CollectionConfig } from 'payload'

import type { ResolvedOptions } from '../resolveOptions.js'

import { pluginWritten } from '../access/adminOnly.js'
import { CLAIMS } from '../core/slugs.js'
import { collectionLabels, fieldLabel } from '../i18n/labels.js'
import { uniqueKeyField } from './uniqueKeyField.js'

/**
 * Builds `livekit-claims`: one row per row of another collection that an instance of the plugin
 * is working on (a refund, a payout, an email being sent), under a unique key. The unique insert
 * is what makes a claim exclusive on every database, those whose conditional updates are a read
 * and then a write included. Written by the plugin only; admins may clear it (a claim expires by
 * itself, so clearing one only lets the work be tried again sooner).
 */
export function createClaimsCollection(resolved: ResolvedOptions): CollectionConfig {
  return {
    slug: CLAIMS,
    labels: collectionLabels('livekit-claims'),
    admin: { group: 'Live', hidden: true },
    access: pluginWritten(resolved.isAdmin, { adminsDelete: true }),
    timestamps: true,
    fields: [
      uniqueKeyField(),
      // A random value per claim, so only the instance that made it (or one that found it
      // expired) takes it away.
      { name: 'holder', type: 'text', label: fieldLabel('holder'), required: true },
      { name: 'expiresAt', type: 'date', label: fieldLabel('expiresAt'), required: true },
    ],
  }
}
