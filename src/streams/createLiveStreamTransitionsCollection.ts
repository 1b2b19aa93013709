import type { CollectionConfig } from 'payload'

import type { ResolvedOptions } from '../resolveOptions.js'

import { pluginWritten } from '../access/adminOnly.js'
import { LIVE_STREAM_TRANSITIONS, LIVE_STREAMS } from '../core/slugs.js'
import { STREAM_STATES } from '../core/streamStates.js'
import { STREAM_EVENTS } from '../core/transitions.js'
import {
  collectionLabels,
  fieldLabel,
  pluginLabel,
  streamStateOptions,
  translatedOptions,
} from '../i18n/labels.js'

/**
 * Builds `live-stream-transitions`: one row per state change that actually happened, written by
 * the plugin only. It is the stream's history in the admin panel, and the proof that two
 * instances doing the same work moved the stream once.
 */
export function createLiveStreamTransitionsCollection(resolved: ResolvedOptions): CollectionConfig {
  return {
    slug: LIVE_STREAM_TRANSITIONS,
    labels: collectionLabels('live-stream-transitions'),
    admin: {
      group: 'Live',
      defaultColumns: ['liveStream', 'from', 'to', 'event', 'reason', 'createdAt'],
      description: pluginLabel('description-live-stream-transitions'),
    },
    access: pluginWritten(resolved.isAdmin, { adminsDelete: true }),
    timestamps: true,
    // One change per stream version: a second instance that moved the same stream from the same
    // version is refused here (see moveStream).
    indexes: [{ fields: ['liveStream', 'seq'], unique: true }],
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
        name: 'from',
        type: 'select',
        label: fieldLabel('from'),
        required: true,
        options: streamStateOptions(STREAM_STATES),
      },
      {
        name: 'to',
        type: 'select',
        label: fieldLabel('to'),
        required: true,
        options: streamStateOptions(STREAM_STATES),
      },
      {
        name: 'event',
        type: 'select',
        label: fieldLabel('event'),
        required: true,
        options: translatedOptions('streamEvent', STREAM_EVENTS),
      },
      {
        name: 'seq',
        type: 'number',
        label: fieldLabel('seq'),
        admin: { hidden: true, readOnly: true },
      },
      {
        name: 'reason',
        type: 'text',
        label: fieldLabel('reason'),
        admin: { description: pluginLabel('description-live-stream-transitions-reason') },
      },
    ],
  }
}
