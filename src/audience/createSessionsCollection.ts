import type { CollectionConfig } from 'payload'

import type { ResolvedOptions } from '../resolveOptions.js'

import { pluginWritten } from '../access/adminOnly.js'
import { LIVE_STREAMS, SESSIONS } from '../core/slugs.js'
import { collectionLabels, fieldLabel, pluginLabel } from '../i18n/labels.js'

/**
 * Builds `stream-sessions`: one row per connection (stream, identity, join time). Join and leave
 * events of the same connection meet on the same row whatever order they arrive in, so the
 * audience figures computed from these rows do not depend on delivery order.
 */
export function createSessionsCollection(resolved: ResolvedOptions): CollectionConfig {
  return {
    slug: SESSIONS,
    labels: collectionLabels('stream-sessions'),
    admin: { group: 'Live', hidden: true },
    access: pluginWritten(resolved.isAdmin),
    timestamps: true,
    indexes: [
      { fields: ['liveStream', 'connection'], unique: true },
      // A recount reads one identity's connections, and the audience the stream's open ones:
      // without these, both read every connection of the stream, once per applied batch.
      { fields: ['liveStream', 'identity'] },
      { fields: ['liveStream', 'leftAt'] },
    ],
    fields: [
      {
        name: 'liveStream',
        type: 'relationship',
        label: fieldLabel('liveStream'),
        relationTo: LIVE_STREAMS,
        required: true,
        index: true,
      },
      {
        name: 'connection',
        type: 'text',
        label: fieldLabel('connection'),
        required: true,
        admin: { description: pluginLabel('description-stream-sessions-connection') },
      },
      { name: 'identity', type: 'text', label: fieldLabel('identity'), required: true },
      { name: 'role', type: 'text', label: fieldLabel('role'), required: true },
      { name: 'joinedAt', type: 'date', label: fieldLabel('joinedAt'), required: true },
      { name: 'leftAt', type: 'date', label: fieldLabel('leftAt'), index: true },
    ],
  }
}
