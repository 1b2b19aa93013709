import type { CollectionConfig } from 'payload'

import type { ResolvedOptions } from '../resolveOptions.js'

import { pluginWritten } from '../access/adminOnly.js'
import { LIVE_STREAMS, TRACK_PERIODS } from '../core/slugs.js'
import { collectionLabels, fieldLabel } from '../i18n/labels.js'

/**
 * Builds `stream-track-periods`: when each camera and screen share of a stream was published,
 * one row per LiveKit track. Its published and unpublished webhooks meet on the same row in
 * whichever order they arrive, so the stream's timeline does not depend on delivery order.
 */
export function createTrackPeriodsCollection(resolved: ResolvedOptions): CollectionConfig {
  return {
    slug: TRACK_PERIODS,
    labels: collectionLabels('stream-track-periods'),
    admin: { group: 'Live', hidden: true },
    access: pluginWritten(resolved.isAdmin, { adminsDelete: true }),
    timestamps: true,
    indexes: [{ fields: ['liveStream', 'track'], unique: true }],
    fields: [
      {
        name: 'liveStream',
        type: 'relationship',
        label: fieldLabel('liveStream'),
        relationTo: LIVE_STREAMS,
        required: true,
        index: true,
      },
      { name: 'track', type: 'text', label: fieldLabel('track'), required: true },
      { name: 'identity', type: 'text', label: fieldLabel('identity'), required: true },
      { name: 'role', type: 'text', label: fieldLabel('role') },
      { name: 'source', type: 'text', label: fieldLabel('source'), required: true },
      { name: 'startedAt', type: 'date', label: fieldLabel('startedAt') },
      { name: 'endedAt', type: 'date', label: fieldLabel('endedAt') },
    ],
  }
}
