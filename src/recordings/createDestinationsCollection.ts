import type { Access, CollectionBeforeChangeHook, CollectionConfig, Where } from 'payload'

import { APIError, ValidationError } from 'payload'

import type { ResolvedOptions } from '../resolveOptions.js'

import { adminOrOwn } from '../access/adminOnly.js'
import { pluginUser } from '../access/pluginUser.js'
import { relationId } from '../core/relationId.js'
import { DESTINATIONS } from '../core/slugs.js'
import { idOfShape, idShapeOf } from '../db/idFormat.js'
import {
  collectionLabels,
  fieldLabel,
  pluginLabel,
  pluginMessage,
  translatedOptions,
  type ValidateContext,
} from '../i18n/labels.js'
import { encryptSecret, isEncrypted, parseKey } from './secrets.js'

/**
 * Builds `stream-destinations`: saved RTMP targets (YouTube, Twitch, custom) of a host or a tenant.
 * The stream key is encrypted before it is stored and has no read access at all, so no REST,
 * GraphQL or admin response ever contains it once saved.
 */
export function createDestinationsCollection(resolved: ResolvedOptions): CollectionConfig {
  const tenantsSlug = resolved.appointments.tenantsSlug
  const ownerOrAdmin = adminOrOwn(resolved, 'host')
  // Hosts also see (and may use) their tenant's destinations; only admins change those.
  const readable: Access = async ({ req }) => {
    if (await resolved.isAdmin({ req })) {
      return true
    }
    const user = pluginUser(req, resolved.usersSlug)
    if (!user) {
      return false
    }
    const tenants = tenantsSlug ? resolved.access.userTenants(user) : []
    const own: Where = { host: { equals: user.id } }
    return tenants.length ? { or: [own, { tenant: { in: tenants } }] } : own
  }
  const encryptKey: CollectionBeforeChangeHook = ({ data, originalDoc, operation, req }) => {
    const stored = originalDoc?.streamKey as string | undefined
    const incoming = data.streamKey
    // Payload hands over the stored (encrypted) key with the rest of the document on updates.
    const newKey =
      incoming !== undefined && incoming !== null && incoming !== '' && incoming !== stored
    // The saved key belongs to the server it was saved for: moving the destination to another
    // server needs the key again, or an edit could send someone's key to a server of its choosing.
    if (
      operation === 'update' &&
      !newKey &&
      stored &&
      data.serverUrl !== undefined &&
      data.serverUrl !== originalDoc?.serverUrl
    ) {
      throw new APIError(
        'Changing the server URL needs the stream key again: enter the stream key for the new server.',
        400,
      )
    }
    if (!newKey) {
      // Updates that leave the key out keep the stored one.
      if (stored) {
        data.streamKey = stored
      }
      return data
    }
    if (isEncrypted(incoming)) {
      // Only the plugin writes encrypted values; from a caller it is a key copied from elsewhere
      // or made up, which would be sent to this server as someone's key.
      if (req.user) {
        throw new APIError('Enter the stream key itself, not an encrypted value.', 400)
      }
      return data
    }
    const key = parseKey(resolved.egress.encryptionKey)
    if (!key) {
      throw new APIError(
        'Saving stream keys needs LIVEKIT_PLUGIN_ENCRYPTION_KEY (32 random bytes, base64).',
        400,
      )
    }
    data.streamKey = encryptSecret(String(incoming), key)
    data.hasStreamKey = true
    return data
  }
  return {
    slug: DESTINATIONS,
    labels: collectionLabels('stream-destinations'),
    admin: {
      group: 'Live',
      useAsTitle: 'name',
      defaultColumns: ['name', 'platform', 'host', 'hasStreamKey'],
    },
    access: {
      read: readable,
      update: ownerOrAdmin,
      delete: ownerOrAdmin,
      create: ({ req }) => pluginUser(req, resolved.usersSlug) !== null,
    },
    hooks: {
      beforeValidate: [
        // A host saves destinations for itself; only admins may save them for someone else or
        // for a whole tenant (then any host of the tenant may use them on the tenant's streams).
        async ({ data, req }) => {
          const user = pluginUser(req, resolved.usersSlug)
          if (data && user && !(await resolved.isAdmin({ req }))) {
            data.host = user.id
            if (tenantsSlug) {
              data.tenant = null
            }
          }
          if (data && !data.host && !data.tenant && user) {
            data.host = user.id
          }
          // An owner no row can have is refused before Payload looks it up: MongoDB cannot even
          // cast it into a query, and Payload answers that with a 500.
          const owners: Array<[string, string | undefined]> = [
            ['host', resolved.usersSlug],
            ['tenant', tenantsSlug],
          ]
          for (const [field, slug] of owners) {
            const value: unknown = data?.[field]
            if (!slug || value === undefined || value === null) {
              continue
            }
            if (value === '') {
              // What an emptied relationship input sends: no owner of that kind.
              data![field] = null
              continue
            }
            const id = relationId(value)
            if (id === undefined || idOfShape(idShapeOf(req.payload, slug), String(id)) === null) {
              throw new ValidationError({
                collection: DESTINATIONS,
                errors: [{ message: `No ${slug} has the id given as ${field}.`, path: field }],
              })
            }
          }
          return data
        },
      ],
      beforeChange: [encryptKey],
    },
    timestamps: true,
    fields: [
      {
        name: 'name',
        type: 'text',
        label: fieldLabel('name'),
        required: true,
        // Control characters (a NUL above all, which the database refuses) are no part of a name.
        validate: (value: unknown, context: ValidateContext) =>
          typeof value === 'string' &&
          value.trim() !== '' &&
          // eslint-disable-next-line no-control-regex -- refusing control characters is the point
          !/[\u0000-\u001f\u007f]/.test(value)
            ? true
            : pluginMessage(context, 'invalid-destinationName'),
      },
      {
        name: 'platform',
        type: 'select',
        label: fieldLabel('platform'),
        required: true,
        defaultValue: 'custom',
        options: translatedOptions('platform', ['youtube', 'twitch', 'custom']),
      },
      {
        name: 'host',
        type: 'relationship',
        label: fieldLabel('host'),
        relationTo: resolved.usersSlug,
        index: true,
        admin: { description: pluginLabel('description-stream-destinations-host') },
      },
      ...(tenantsSlug
        ? [
            {
              name: 'tenant',
              type: 'relationship' as const,
              label: fieldLabel('tenant'),
              relationTo: tenantsSlug,
              index: true,
              admin: { description: pluginLabel('description-stream-destinations-tenant') },
            },
          ]
        : []),
      {
        name: 'serverUrl',
        type: 'text',
        label: fieldLabel('serverUrl'),
        required: true,
        admin: { description: pluginLabel('description-stream-destinations-serverUrl') },
        validate: (value: unknown, context: ValidateContext) =>
          typeof value === 'string' &&
          // eslint-disable-next-line no-control-regex -- refusing control characters is the point
          /^rtmps?:\/\/[^\s/\u0000-\u001f\u007f]+(?:\/[^\s\u0000-\u001f\u007f]*)?$/.test(value)
            ? true
            : pluginMessage(context, 'invalid-serverUrl'),
      },
      {
        name: 'streamKey',
        type: 'text',
        label: fieldLabel('streamKey'),
        // Write-only: nobody reads it back, admins included; only the egress call decrypts it.
        access: { read: () => false },
      },
      {
        name: 'hasStreamKey',
        type: 'checkbox',
        label: fieldLabel('hasStreamKey'),
        defaultValue: false,
        admin: { readOnly: true },
      },
    ],
  }
}
