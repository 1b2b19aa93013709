import type { CollectionConfig } from 'payload'

import { adminOnly, adminOrOwn } from '../access/adminOnly.js'
import { recordingEndpoints } from './endpoints/recordingEndpoints.js'
import type { ResolvedOptions } from '../resolveOptions.js'
import { LIVE_STREAMS, RECORDINGS } from '../core/slugs.js'

// Kinds of egress the plugin starts; each becomes one recordings document.
import { EGRESS_KINDS } from '../core/egressPlan.js'
export { EGRESS_KINDS, type EgressKind } from '../core/egressPlan.js'

/** Mirrors LiveKit's EgressStatus, in lower case. */
export const EGRESS_STATUSES = ['starting', 'active', 'ending', 'complete', 'failed', 'aborted', 'limit_reached'] as const
export type EgressStatus = (typeof EGRESS_STATUSES)[number]

/** Builds the `recordings` collection: one document per LiveKit egress. */
export function createRecordingsCollection(resolved: ResolvedOptions): CollectionConfig {
  return {
    slug: RECORDINGS,
    labels: { singular: 'Recording', plural: 'Recordings' },
    admin: {
      useAsTitle: 'egressId',
      defaultColumns: ['egressId', 'kind', 'status', 'liveStream', 'durationSeconds', 'sizeBytes', 'createdAt'],
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
      ...(resolved.disabled ? [] : [{ name: 'recordingPlayer', type: 'ui' as const, admin: { components: { Field: 'payload-plugin-livekit/client#RecordingPlayer' } } }]),
      { name: 'liveStream', type: 'relationship', relationTo: LIVE_STREAMS, required: true, index: true },
      {
        name: 'egressId',
        type: 'text',
        required: true,
        unique: true,
        index: true,
        admin: { readOnly: true, description: 'LiveKit egress id (EG_…).' },
      },
      {
        name: 'kind',
        type: 'select',
        required: true,
        options: EGRESS_KINDS.map((value) => ({ label: value, value })),
      },
      {
        name: 'status',
        type: 'select',
        required: true,
        defaultValue: 'starting',
        index: true,
        options: EGRESS_STATUSES.map((value) => ({ label: value.replace('_', ' '), value })),
      },
      {
        name: 'outputs',
        type: 'array',
        admin: { description: 'Where the egress writes: files, HLS playlists, RTMP destinations (keys masked).' },
        fields: [
          {
            name: 'type',
            type: 'select',
            required: true,
            options: ['file', 'segments', 'stream', 'images'].map((value) => ({ label: value, value })),
          },
          { name: 'destination', type: 'text', admin: { description: 'Path, playlist or masked stream URL.' } },
        ],
      },
      { name: 'layout', type: 'text' },
      { name: 'fileLocation', type: 'text', admin: { readOnly: true } },
      { name: 'playlistLocation', type: 'text', admin: { readOnly: true } },
      { name: 'objectKey', type: 'text', admin: { readOnly: true, description: 'Path of the file or playlist in the storage.' } },
      { name: 'playbackUrl', type: 'text', admin: { readOnly: true, description: 'Public replay address, when the site serves replays from a public base URL.' } },
      { name: 'startedAt', type: 'date', admin: { readOnly: true } },
      { name: 'endedAt', type: 'date', admin: { readOnly: true } },
      { name: 'durationSeconds', type: 'number', min: 0, admin: { readOnly: true, components: { Cell: 'payload-plugin-livekit/client#DurationCell' } } },
      { name: 'sizeBytes', type: 'number', min: 0, admin: { readOnly: true, components: { Cell: 'payload-plugin-livekit/client#BytesCell' } } },
      { name: 'error', type: 'textarea', admin: { readOnly: true } },
    ],
  }
}
