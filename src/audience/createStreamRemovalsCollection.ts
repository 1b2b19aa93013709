import type { CollectionConfig } from 'payload'

import type { ResolvedOptions } from '../resolveOptions.js'

import { pluginWritten } from '../access/adminOnly.js'
import { LIVE_STREAMS, STREAM_REMOVALS } from '../core/slugs.js'
import { collectionLabels, fieldLabel, pluginLabel } from '../i18n/labels.js'

/**
 * Builds `stream-removals`: one row per participant identity a moderator removed from a live
 * stream. A row of its own per removal (unique per stream and identity), inserted and never
 * rewritten, so two removals at once, or any update of the stream meanwhile, lose none. Written
 * by the moderation endpoint only; read by the token decision and the webhooks that send a
 * returning participant away.
 */
export function createStreamRemovalsCollection(resolved: ResolvedOptions): CollectionConfig {
  return {
    slug: STREAM_REMOVALS,
    labels: collectionLabels('stream-removals'),
    admin: {
      group: 'Live',
      useAsTitle: 'identity',
      defaultColumns: ['liveStream', 'identity', 'removedBy', 'removedAt'],
    },
    access: pluginWritten(resolved.isAdmin),
    timestamps: true,
    indexes: [{ fields: ['liveStream', 'identity'], unique: true }],
    fields: [
      // Not required: deleting a stream then clears the reference (Payload's ON DELETE SET NULL)
      // instead of being refused for its removals.
      {
        name: 'liveStream',
        type: 'relationship',
        label: fieldLabel('liveStream'),
        relationTo: LIVE_STREAMS,
        index: true,
      },
      {
        name: 'identity',
        type: 'text',
        label: fieldLabel('identity'),
        required: true,
        admin: { description: pluginLabel('description-stream-removals-identity') },
      },
      {
        name: 'removedBy',
        type: 'text',
        label: fieldLabel('removedBy'),
        admin: { description: pluginLabel('description-stream-removals-removedBy') },
      },
      { name: 'removedAt', type: 'date', label: fieldLabel('removedAt'), required: true },
    ],
  }
}
