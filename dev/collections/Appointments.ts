import type { CollectionConfig } from 'payload'
import { ValidationError } from 'payload'

/**
 * The site's own appointments, shaped like a booking plugin's (payload-reserve style statuses).
 * The livekit plugin is told which fields mean what; it adds its own fields and hooks after these.
 */
export const Appointments: CollectionConfig = {
  slug: 'appointments',
  admin: { useAsTitle: 'title', defaultColumns: ['title', 'host', 'startsAt', 'status', 'tenant'] },
  access: { read: () => true },
  hooks: {
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
    { name: 'attendees', type: 'relationship', relationTo: 'users', hasMany: true },
    { name: 'startsAt', type: 'date', required: true, admin: { date: { pickerAppearance: 'dayAndTime' } } },
    { name: 'endsAt', type: 'date', required: true, admin: { date: { pickerAppearance: 'dayAndTime' } } },
    {
      name: 'status',
      type: 'select',
      required: true,
      defaultValue: 'pending',
      options: ['pending', 'confirmed', 'in-progress', 'completed', 'cancelled', 'no-show'].map((value) => ({
        label: value,
        value,
      })),
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
    { name: 'price', type: 'number', min: 0, admin: { description: 'Ticket price in cents.' } },
    { name: 'capacity', type: 'number', min: 0, admin: { description: 'Most tickets sold; empty for no limit.' } },
  ],
}
