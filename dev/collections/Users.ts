import type { CollectionConfig } from 'payload'

/** Site users: platform admins, hosts and attendees, each (but admins) belonging to a tenant. */
export const Users: CollectionConfig = {
  slug: 'users',
  auth: true,
  admin: { useAsTitle: 'email', defaultColumns: ['email', 'name', 'role', 'tenant'] },
  fields: [
    { name: 'name', type: 'text' },
    {
      name: 'role',
      type: 'select',
      required: true,
      defaultValue: 'attendee',
      options: [
        { label: 'Admin', value: 'admin' },
        { label: 'Host', value: 'host' },
        { label: 'Attendee', value: 'attendee' },
      ],
    },
    { name: 'tenant', type: 'relationship', relationTo: 'tenants' },
  ],
}
