import type { CollectionConfig } from 'payload'

import type { ResolvedOptions } from '../resolveOptions.js'

import { pluginWritten } from '../access/adminOnly.js'
import { ATTENDANCE, LIVE_STREAMS } from '../core/slugs.js'
import { collectionLabels, fieldLabel, pluginLabel } from '../i18n/labels.js'

/**
 * Builds `stream-attendance`: one row per (live stream, participant identity), written from
 * webhooks. Watch time adds up across reconnects; a ticket holder who never came is a no-show.
 */
export function createAttendanceCollection(resolved: ResolvedOptions): CollectionConfig {
  return {
    slug: ATTENDANCE,
    labels: collectionLabels('stream-attendance'),
    admin: {
      group: 'Live',
      useAsTitle: 'identity',
      defaultColumns: ['liveStream', 'identity', 'role', 'firstJoinedAt', 'watchSeconds', 'noShow'],
    },
    access: pluginWritten(resolved.isAdmin, { adminsDelete: true }),
    timestamps: true,
    indexes: [{ fields: ['liveStream', 'identity'], unique: true }],
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
        name: 'identity',
        type: 'text',
        label: fieldLabel('identity'),
        required: true,
        index: true,
      },
      {
        name: 'user',
        type: 'relationship',
        label: fieldLabel('user'),
        relationTo: resolved.usersSlug,
      },
      { name: 'name', type: 'text', label: fieldLabel('name') },
      { name: 'role', type: 'text', label: fieldLabel('role') },
      { name: 'firstJoinedAt', type: 'date', label: fieldLabel('firstJoinedAt') },
      { name: 'lastLeftAt', type: 'date', label: fieldLabel('lastLeftAt') },
      // Plain top-level numbers: webhook handlers add to them atomically.
      {
        name: 'sessions',
        type: 'number',
        label: fieldLabel('sessions'),
        defaultValue: 0,
        admin: { description: pluginLabel('description-stream-attendance-sessions') },
      },
      {
        name: 'watchSeconds',
        type: 'number',
        label: fieldLabel('watchSeconds'),
        defaultValue: 0,
        admin: { description: pluginLabel('description-stream-attendance-watchSeconds') },
      },
      {
        name: 'noShow',
        type: 'checkbox',
        label: fieldLabel('noShow'),
        defaultValue: false,
        index: true,
        admin: { description: pluginLabel('description-stream-attendance-noShow') },
      },
    ],
  }
}
