import type { CollectionConfig } from 'payload'

import { admins, adminsField, adminsOrSelf } from './access.js'

/**
 * Site users: platform admins, hosts and attendees, each (but admins) belonging to a tenant.
 * Admins manage accounts; everyone else reads and edits only itself, and never its own role or
 * tenant (the plugin decides who is admin, host or of which tenant from these fields).
 */
export const Users: CollectionConfig = {
  slug: 'users',
  auth: true,
  admin: { useAsTitle: 'email', defaultColumns: ['email', 'name', 'role', 'tenant'] },
  access: {
    // Accounts are made by admins (and the first user, whom Payload's setup screen creates).
    create: admins,
    read: adminsOrSelf,
    update: adminsOrSelf,
    delete: admins,
  },
  fields: [
    { name: 'name', type: 'text' },
    {
      name: 'role',
      type: 'select',
      required: true,
      defaultValue: 'attendee',
      access: { create: adminsField, update: adminsField },
      options: [
        { label: 'Admin', value: 'admin' },
        { label: 'Host', value: 'host' },
        { label: 'Attendee', value: 'attendee' },
      ],
    },
    {
      name: 'tenant',
      type: 'relationship',
      relationTo: 'tenants',
      access: { create: adminsField, update: adminsField },
    },
  ],
}
