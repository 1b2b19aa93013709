import type { CollectionConfig } from 'payload'

import type { ResolvedOptions } from '../resolveOptions.js'

import { pluginWritten } from '../access/adminOnly.js'
import { LIVE_STREAMS, STREAM_ENGAGEMENT } from '../core/slugs.js'
import { collectionLabels, fieldLabel, translatedOptions } from '../i18n/labels.js'

/** What a viewer or host did that the stream's engagement figures count. */
export const ENGAGEMENT_KINDS = ['chat', 'reaction', 'hand'] as const
/** One of {@link ENGAGEMENT_KINDS}. */
export type EngagementKind = (typeof ENGAGEMENT_KINDS)[number]

/**
 * Builds `stream-engagement`: one row per chat message, reaction and raised hand that went
 * through the plugin, appended once and never changed, so the counts per minute read from it are
 * exact whichever instance took the message. The text of a message is kept only when the site
 * opts in (`analytics.keepChatText`).
 */
export function createEngagementCollection(resolved: ResolvedOptions): CollectionConfig {
  return {
    slug: STREAM_ENGAGEMENT,
    labels: collectionLabels('stream-engagement'),
    admin: { group: 'Live', hidden: true },
    access: pluginWritten(resolved.isAdmin, { adminsDelete: true }),
    timestamps: false,
    // The figures read one stream's rows in time order.
    indexes: [{ fields: ['liveStream', 'occurredAt'] }],
    fields: [
      {
        name: 'liveStream',
        type: 'relationship',
        label: fieldLabel('liveStream'),
        relationTo: LIVE_STREAMS,
        required: true,
      },
      {
        name: 'kind',
        type: 'select',
        label: fieldLabel('kind'),
        required: true,
        options: translatedOptions('engagementKind', ENGAGEMENT_KINDS),
      },
      { name: 'identity', type: 'text', label: fieldLabel('identity'), required: true },
      { name: 'occurredAt', type: 'date', label: fieldLabel('occurredAt'), required: true },
      { name: 'emoji', type: 'text', label: fieldLabel('emoji') },
      { name: 'text', type: 'textarea', label: fieldLabel('text') },
    ],
  }
}
