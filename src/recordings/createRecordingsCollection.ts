import type { CollectionConfig } from 'payload'

import type { ResolvedOptions } from '../resolveOptions.js'

import { adminOnly, adminOrOwn } from '../access/adminOnly.js'
import { LIVE_STREAMS, RECORDINGS } from '../core/slugs.js'
import { recordingEndpoints } from './endpoints/recordingEndpoints.js'

// Kinds of egress the plugin starts; each becomes one recordings document.
import { EGRESS_KINDS } from '../core/egressPlan.js'
import { collectionLabels, fieldLabel, pluginLabel, translatedOptions } from '../i18n/labels.js'
export { EGRESS_KINDS, type EgressKind } from '../core/egressPlan.js'

/** Mirrors LiveKit's EgressStatus, in lower case. */
export const EGRESS_STATUSES = [
  'starting',
  'active',
  'ending',
  'complete',
  'failed',
  'aborted',
  'limit_reached',
] as const
export type EgressStatus = (typeof EGRESS_STATUSES)[number]

/** Builds the `recordings` collection: one document per LiveKit egress. */
export function createRecordingsCollection(resolved: ResolvedOptions): CollectionConfig {
  return {
    slug: RECORDINGS,
    labels: collectionLabels('recordings'),
    admin: {
      useAsTitle: 'egressId',
      defaultColumns: [
        'egressId',
        'kind',
        'status',
        'liveStream',
        'durationSeconds',
        'sizeBytes',
        'createdAt',
      ],
      group: 'Live',
    },
    access: {
      // Hosts see the recordings of their own streams; replays for viewers go through /playback.
      read: adminOrOwn(resolved, 'liveStream.host'),
      create: adminOnly(resolved.isAdmin),
      update: adminOnly(resolved.isAdmin),
      delete: adminOnly(resolved.isAdmin),
    },
    timestamps: true,
    endpoints: resolved.disabled ? [] : recordingEndpoints(),
    fields: [
      ...(resolved.disabled
        ? []
        : [
            {
              name: 'recordingPlayer',
              type: 'ui' as const,
              admin: { components: { Field: 'payload-plugin-livekit/client#RecordingPlayer' } },
            },
          ]),
      {
        name: 'liveStream',
        type: 'relationship',
        label: fieldLabel('liveStream'),
        relationTo: LIVE_STREAMS,
        required: true,
        index: true,
      },
      {
        name: 'egressId',
        type: 'text',
        label: fieldLabel('egressId'),
        required: true,
        unique: true,
        index: true,
        admin: { readOnly: true, description: pluginLabel('description-recordings-egressId') },
      },
      {
        name: 'kind',
        type: 'select',
        label: fieldLabel('kind'),
        required: true,
        options: translatedOptions('egressKind', EGRESS_KINDS),
      },
      {
        name: 'status',
        type: 'select',
        label: fieldLabel('status'),
        required: true,
        defaultValue: 'starting',
        index: true,
        options: translatedOptions('egressStatus', EGRESS_STATUSES),
      },
      {
        name: 'outputs',
        type: 'array',
        label: fieldLabel('outputs'),
        admin: { description: pluginLabel('description-recordings-outputs') },
        fields: [
          {
            name: 'type',
            type: 'select',
            label: fieldLabel('type'),
            required: true,
            options: translatedOptions('outputType', ['file', 'segments', 'stream', 'images']),
          },
          {
            name: 'destination',
            type: 'text',
            label: fieldLabel('destination'),
            admin: { description: pluginLabel('description-recordings-destination') },
          },
        ],
      },
      { name: 'layout', type: 'text', label: fieldLabel('layout') },
      {
        name: 'fileLocation',
        type: 'text',
        label: fieldLabel('fileLocation'),
        admin: { readOnly: true },
      },
      {
        name: 'playlistLocation',
        type: 'text',
        label: fieldLabel('playlistLocation'),
        admin: { readOnly: true },
      },
      {
        name: 'objectKey',
        type: 'text',
        label: fieldLabel('objectKey'),
        admin: { readOnly: true, description: pluginLabel('description-recordings-objectKey') },
      },
      {
        name: 'playbackUrl',
        type: 'text',
        label: fieldLabel('playbackUrl'),
        admin: { readOnly: true, description: pluginLabel('description-recordings-playbackUrl') },
      },
      {
        name: 'startedAt',
        type: 'date',
        label: fieldLabel('startedAt'),
        admin: { readOnly: true },
      },
      { name: 'endedAt', type: 'date', label: fieldLabel('endedAt'), admin: { readOnly: true } },
      {
        name: 'durationSeconds',
        type: 'number',
        label: fieldLabel('durationSeconds'),
        min: 0,
        admin: {
          readOnly: true,
          components: { Cell: 'payload-plugin-livekit/client#DurationCell' },
        },
      },
      {
        name: 'sizeBytes',
        type: 'number',
        label: fieldLabel('sizeBytes'),
        min: 0,
        admin: { readOnly: true, components: { Cell: 'payload-plugin-livekit/client#BytesCell' } },
      },
      { name: 'error', type: 'textarea', label: fieldLabel('error'), admin: { readOnly: true } },
    ],
  }
}
