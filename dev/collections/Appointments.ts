import type { Access, CollectionConfig } from 'payload'

import { ValidationError } from 'payload'

import { admins, anyone, appointmentStaff, idOf, isAdmin, isHost, siteUser } from './access.js'

/** Admins change any appointment; a host its own. */
const adminsOrHost: Access = ({ req }) => {
  if (isAdmin(req)) {
    return true
  }
  const user = siteUser(req)
  return user ? { host: { equals: user.id } } : false
}

/**
 * The site's own appointments, shaped like a booking plugin's (payload-reserve style statuses).
 * The livekit plugin is told which fields mean what; it adds its own fields and hooks after these.
 */
export const Appointments: CollectionConfig = {
  slug: 'appointments',
  admin: { useAsTitle: 'title', defaultColumns: ['title', 'host', 'startsAt', 'status', 'tenant'] },
  access: {
    // Discovery pages list appointments; who is booked on one is not public (see attendees).
    read: anyone,
    create: ({ req }) => isAdmin(req) || isHost(req),
    update: adminsOrHost,
    delete: admins,
  },
  hooks: {
    beforeValidate: [
      // A host books for itself, in its own tenant, and cannot hand an appointment (or its
      // earnings) to another host or tenant; admins assign both.
      ({ data, req, operation, originalDoc }) => {
        const user = siteUser(req)
        if (!data || !user || isAdmin(req)) {
          return data
        }
        const own =
          operation === 'create'
            ? { host: user.id, tenant: user.tenant }
            : { host: originalDoc?.host, tenant: originalDoc?.tenant }
        data.host = idOf(own.host)
        data.tenant = idOf(own.tenant)
        return data
      },
    ],
    beforeChange: [
      // The site's own rule: an appointment ends after it starts.
      ({ data, originalDoc }) => {
        const start = data.startsAt ?? originalDoc?.startsAt
        const end = data.endsAt ?? originalDoc?.endsAt
        if (start && end && new Date(end).getTime() <= new Date(start).getTime()) {
          throw new ValidationError({
            collection: 'appointments',
            errors: [{ message: 'The appointment must end after it starts.', path: 'endsAt' }],
          })
        }
        return data
      },
    ],
  },
  fields: [
    { name: 'title', type: 'text', required: true },
    { name: 'host', type: 'relationship', relationTo: 'users', required: true },
    { name: 'coHosts', type: 'relationship', relationTo: 'users', hasMany: true },
    {
      name: 'attendees',
      type: 'relationship',
      relationTo: 'users',
      hasMany: true,
      // Who booked is for the appointment's staff; an attendee learns its own place from the
      // plugin (its token's role), not from the list of everyone else.
      access: { read: ({ req, doc }) => appointmentStaff(req, doc) },
    },
    {
      name: 'startsAt',
      type: 'date',
      required: true,
      admin: { date: { pickerAppearance: 'dayAndTime' } },
    },
    {
      name: 'endsAt',
      type: 'date',
      required: true,
      admin: { date: { pickerAppearance: 'dayAndTime' } },
    },
    {
      name: 'status',
      type: 'select',
      required: true,
      defaultValue: 'pending',
      options: ['pending', 'confirmed', 'in-progress', 'completed', 'cancelled', 'no-show'].map(
        (value) => ({
          label: value,
          value,
        }),
      ),
    },
    { name: 'tenant', type: 'relationship', relationTo: 'tenants', required: true },
    {
      name: 'visibility',
      type: 'select',
      required: true,
      defaultValue: 'ticketed',
      options: [
        { label: 'Public', value: 'public' },
        { label: 'Ticketed', value: 'ticketed' },
      ],
    },
    {
      name: 'price',
      type: 'number',
      min: 0,
      admin: { description: 'Ticket price, typed in the currency’s units (stored in cents).' },
    },
    {
      name: 'capacity',
      type: 'number',
      min: 0,
      admin: { description: 'Most tickets sold; empty for no limit.' },
    },
  ],
}
