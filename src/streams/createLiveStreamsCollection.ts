import type { CollectionConfig, Field } from 'payload'

import type { ResolvedOptions } from '../resolveOptions.js'

import { adminOnly } from '../access/adminOnly.js'
import { pluginUser } from '../access/pluginUser.js'
import { streamModeratorsRead } from '../access/streamModerators.js'
import { LIVE_STREAMS } from '../core/slugs.js'
import { STREAM_STATES } from '../core/streamStates.js'
import {
  collectionLabels,
  fieldLabel,
  type LabelledField,
  pluginLabel,
  pluginMessage,
  type PluginText,
  streamStateOptions,
  translatedOptions,
  type ValidateContext,
} from '../i18n/labels.js'
import { payoutFields } from '../payouts/payoutFields.js'
import { deleteStreamHistory } from './deleteLiveStream.js'
import { liveStreamEndpoints } from './endpoints/liveStreamEndpoints.js'

/**
 * Counters are plain top-level numbers on purpose: the webhook handlers bump them with the
 * database adapter's atomic `$inc`, which only works on top-level number columns.
 */
const counter = (name: LabelledField, description: PluginText): Field => ({
  name,
  type: 'number',
  label: fieldLabel(name),
  defaultValue: 0,
  min: 0,
  admin: { readOnly: true, description },
})

/** Builds the `live-streams` collection: one document per streamed appointment session. */
export function createLiveStreamsCollection(resolved: ResolvedOptions): CollectionConfig {
  const { appointments, usersSlug } = resolved
  // Why a transition failed (it names LiveKit's address and key), whom a moderator removed and the
  // queue's job ids are for the stream's moderators; the rest of a stream is public.
  const moderatorsOnly = { read: streamModeratorsRead(resolved) }
  const fields: Field[] = [
    // The control room: a UI field (no column), rendered at the top of the edit view.
    ...(resolved.disabled
      ? []
      : [
          {
            name: 'hostControls',
            type: 'ui',
            admin: { components: { Field: 'payload-plugin-livekit/client#HostControls' } },
          } as Field,
        ]),
    {
      name: 'title',
      type: 'text',
      label: fieldLabel('title'),
      admin: { description: pluginLabel('description-live-streams-title') },
    },
    {
      name: 'appointment',
      type: 'relationship',
      label: fieldLabel('appointment'),
      relationTo: appointments.slug,
      // Required when a stream is made, but not NOT NULL in the database: when the site deletes
      // the appointment, its stream stays as history (tickets, attendance, recordings point at
      // it) and the database clears the reference instead of refusing the delete.
      validate: (value: unknown, context: { operation?: string } & ValidateContext) =>
        context.operation !== 'create' || (value !== null && value !== undefined && value !== '')
          ? true
          : pluginMessage(context, 'invalid-appointmentMissing'),
      unique: true,
      index: true,
    },
    {
      name: 'roomName',
      type: 'text',
      label: fieldLabel('roomName'),
      required: true,
      unique: true,
      index: true,
      admin: { readOnly: true, description: pluginLabel('description-live-streams-roomName') },
    },
    {
      name: 'state',
      type: 'select',
      label: fieldLabel('state'),
      required: true,
      defaultValue: 'scheduled',
      index: true,
      options: streamStateOptions(STREAM_STATES),
      admin: {
        readOnly: true,
        position: 'sidebar',
        components: { Cell: 'payload-plugin-livekit/client#StreamStateCell' },
      },
    },
    {
      // How many state changes the stream has been through: each change is made from a version
      // and recorded once under the next (see moveStream), the plugin's own arbiter where the
      // database's conditional update is not atomic.
      name: 'stateVersion',
      type: 'number',
      label: fieldLabel('stateVersion'),
      defaultValue: 0,
      min: 0,
      // Written by the plugin only (over the database API): an API write, an admin's included,
      // could make the next change look recorded already.
      access: { create: () => false, update: () => false },
      admin: { hidden: true, readOnly: true },
    },
    {
      // The highest seat handed out for the stream's tickets, on PostgreSQL: a sale takes the
      // next one and inserts its ticket in one statement, and the row lock it takes here lines
      // up the sales of every instance without a retry. Never below the tickets' own highest
      // seat (the statement takes the larger), so a value an older release left empty is safe.
      name: 'seatsTaken',
      type: 'number',
      label: fieldLabel('seatsTaken'),
      min: 0,
      access: { ...moderatorsOnly, create: () => false, update: () => false },
      admin: { hidden: true, readOnly: true },
    },
    {
      name: 'host',
      type: 'relationship',
      label: fieldLabel('host'),
      relationTo: usersSlug,
      index: true,
    },
    ...(appointments.tenantsSlug
      ? [
          {
            name: 'tenant',
            type: 'relationship',
            label: fieldLabel('tenant'),
            relationTo: appointments.tenantsSlug,
            index: true,
          } as Field,
        ]
      : []),
    {
      type: 'collapsible',
      label: fieldLabel('timing'),
      fields: [
        {
          name: 'scheduledStart',
          type: 'date',
          label: fieldLabel('scheduledStart'),
          admin: { date: { pickerAppearance: 'dayAndTime' } },
        },
        {
          name: 'scheduledEnd',
          type: 'date',
          label: fieldLabel('scheduledEnd'),
          admin: { date: { pickerAppearance: 'dayAndTime' } },
        },
        {
          name: 'openedAt',
          type: 'date',
          label: fieldLabel('openedAt'),
          admin: { readOnly: true, description: pluginLabel('description-live-streams-openedAt') },
        },
        {
          name: 'actualStart',
          type: 'date',
          label: fieldLabel('actualStart'),
          admin: {
            readOnly: true,
            description: pluginLabel('description-live-streams-actualStart'),
          },
        },
        {
          name: 'actualEnd',
          type: 'date',
          label: fieldLabel('actualEnd'),
          admin: { readOnly: true },
        },
        {
          name: 'closedAt',
          type: 'date',
          label: fieldLabel('closedAt'),
          // The payout job looks for streams closed before the hold period.
          index: true,
          admin: { readOnly: true, description: pluginLabel('description-live-streams-closedAt') },
        },
        // Set with the move that decided it (cancelled, or closed without its host): the refund
        // job refunds every ticket of the stream still active, also one sold after the decision.
        {
          name: 'refundsDue',
          type: 'select',
          label: fieldLabel('refundsDue'),
          options: translatedOptions('refundReason', ['appointment_cancelled', 'host_no_show']),
          admin: { readOnly: true },
        },
        {
          name: 'refundsDueAt',
          type: 'date',
          label: fieldLabel('refundsDueAt'),
          index: true,
          admin: { readOnly: true, date: { pickerAppearance: 'dayAndTime' } },
        },
        ...payoutFields(moderatorsOnly),
        {
          name: 'durationSeconds',
          type: 'number',
          label: fieldLabel('durationSeconds'),
          min: 0,
          admin: { readOnly: true },
        },
      ],
    },
    {
      type: 'collapsible',
      label: fieldLabel('audience'),
      fields: [
        counter('currentViewers', pluginLabel('description-live-streams-currentViewers')),
        counter('peakViewers', pluginLabel('description-live-streams-peakViewers')),
        counter('uniqueViewers', pluginLabel('description-live-streams-uniqueViewers')),
        counter('totalParticipants', pluginLabel('description-live-streams-totalParticipants')),
        counter('publishers', pluginLabel('description-live-streams-publishers')),
        {
          name: 'hostPresent',
          type: 'checkbox',
          label: fieldLabel('hostPresent'),
          defaultValue: false,
          admin: { readOnly: true },
        },
        {
          name: 'hostOnCamera',
          type: 'checkbox',
          label: fieldLabel('hostOnCamera'),
          defaultValue: false,
          admin: { readOnly: true },
        },
        {
          name: 'hostScreenSharing',
          type: 'checkbox',
          label: fieldLabel('hostScreenSharing'),
          defaultValue: false,
          admin: { readOnly: true },
        },
        {
          name: 'source',
          type: 'select',
          label: fieldLabel('source'),
          defaultValue: 'browser',
          options: translatedOptions('streamSource', ['browser', 'ingress']),
          admin: { readOnly: true },
        },
        {
          name: 'ingressState',
          type: 'text',
          label: fieldLabel('ingressState'),
          admin: {
            readOnly: true,
            description: pluginLabel('description-live-streams-ingressState'),
          },
        },
        // The feed's id only: its stream key is shown to the host once and never stored.
        {
          name: 'ingressId',
          type: 'text',
          label: fieldLabel('ingressId'),
          index: true,
          admin: { readOnly: true, description: pluginLabel('description-live-streams-ingressId') },
        },
        {
          name: 'ingressType',
          type: 'select',
          label: fieldLabel('ingressType'),
          options: translatedOptions('ingressType', ['rtmp', 'whip']),
          admin: { readOnly: true },
        },
      ],
    },
    {
      name: 'settings',
      type: 'group',
      label: fieldLabel('settings'),
      fields: [
        {
          name: 'autoRecord',
          type: 'checkbox',
          label: fieldLabel('autoRecord'),
          defaultValue: false,
          admin: { description: pluginLabel('description-live-streams-autoRecord') },
        },
        {
          name: 'maxParticipants',
          type: 'number',
          label: fieldLabel('maxParticipants'),
          min: 0,
          admin: { description: pluginLabel('description-live-streams-maxParticipants') },
        },
      ],
    },
    {
      type: 'collapsible',
      label: fieldLabel('problems'),
      admin: { initCollapsed: true },
      fields: [
        {
          name: 'lastError',
          type: 'textarea',
          label: fieldLabel('lastError'),
          access: moderatorsOnly,
          admin: { readOnly: true, description: pluginLabel('description-live-streams-lastError') },
        },
        {
          name: 'attempts',
          type: 'number',
          label: fieldLabel('attempts'),
          access: moderatorsOnly,
          defaultValue: 0,
          min: 0,
          admin: { readOnly: true, description: pluginLabel('description-live-streams-attempts') },
        },
        {
          name: 'openJobId',
          type: 'text',
          label: fieldLabel('openJobId'),
          access: moderatorsOnly,
          admin: { readOnly: true, description: pluginLabel('description-live-streams-openJobId') },
        },
        {
          name: 'closeJobId',
          type: 'text',
          label: fieldLabel('closeJobId'),
          access: moderatorsOnly,
          admin: {
            readOnly: true,
            description: pluginLabel('description-live-streams-closeJobId'),
          },
        },
      ],
    },
  ]

  return {
    slug: LIVE_STREAMS,
    labels: collectionLabels('live-streams'),
    admin: {
      useAsTitle: 'roomName',
      defaultColumns: [
        'roomName',
        'title',
        'state',
        'scheduledStart',
        'currentViewers',
        'peakViewers',
      ],
      group: 'Live',
      // Reading stays public (discovery pages); in the admin panel a host lists its own streams.
      baseFilter: async ({ req }) => {
        const user = pluginUser(req, usersSlug)
        if (!user || (await resolved.isAdmin({ req }))) {
          return null
        }
        return { host: { equals: user.id } }
      },
    },
    access: {
      // Discovery pages list streams through the REST API; nothing here is secret.
      read: () => true,
      create: adminOnly(resolved.isAdmin),
      update: adminOnly(resolved.isAdmin),
      delete: adminOnly(resolved.isAdmin),
    },
    // Always, also when disabled: without it the database refuses to delete a stream with history.
    hooks: { beforeDelete: [deleteStreamHistory] },
    timestamps: true,
    endpoints: resolved.disabled ? [] : liveStreamEndpoints(),
    fields,
  }
}
