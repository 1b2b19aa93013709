import type { CollectionConfig, Field } from 'payload'

import { LIVE_STREAMS } from '../core/slugs.js'
import type { ResolvedOptions } from '../resolveOptions.js'
import { afterAppointmentChange, afterAppointmentDelete, beforeAppointmentDelete } from './lifecycleHooks.js'

/**
 * Adds to the site's appointments collection only what the plugin needs: a join to its live
 * stream, and price/currency when the site has none. Site hooks stay and run first; the plugin's
 * run after them. With `disabled`, fields are still added (stable schema) but hooks are not.
 */
export function extendAppointments(collection: CollectionConfig, resolved: ResolvedOptions): CollectionConfig {
  const { addFields, fields: names, defaultCurrency } = resolved.appointments
  const added: Field[] = [
    ...(resolved.disabled
      ? []
      : [{ name: 'liveStreamControls', type: 'ui', admin: { position: 'sidebar', components: { Field: 'payload-plugin-livekit/client#AppointmentLiveLink' } } } as Field]),
    {
      name: 'liveStream',
      type: 'join',
      collection: LIVE_STREAMS,
      on: 'appointment',
      // Exactly one live stream per appointment: the plugin creates it.
      admin: { allowCreate: false, description: 'The live stream of this appointment, created and kept in step by payload-plugin-livekit.' },
    },
  ]
  added.push({
    name: 'liveStats',
    type: 'group',
    label: 'Live stream figures',
    admin: { readOnly: true, description: 'Frozen when the live stream closes.' },
    fields: [
      { name: 'actualStart', type: 'date', admin: { date: { pickerAppearance: 'dayAndTime' } } },
      { name: 'actualEnd', type: 'date', admin: { date: { pickerAppearance: 'dayAndTime' } } },
      { name: 'durationSeconds', type: 'number' },
      { name: 'peakViewers', type: 'number' },
      { name: 'uniqueViewers', type: 'number' },
      { name: 'totalParticipants', type: 'number' },
      { name: 'hostNoShow', type: 'checkbox', admin: { description: 'The host never joined the room.' } },
      { name: 'noShows', type: 'number', admin: { description: 'Ticket holders who never joined.' } },
    ],
  })
  if (addFields.price && names.price) {
    added.push({
      name: names.price,
      type: 'number',
      min: 0,
      admin: { description: 'Ticket price in minor units (cents). Empty or 0 = free.', step: 1, position: 'sidebar' },
      validate: (value: unknown) =>
        value === null || value === undefined || (Number.isSafeInteger(value) && (value as number) >= 0)
          ? true
          : 'Enter the price as a whole number of minor units, e.g. 1500 for 15.00.',
    })
  }
  if (addFields.currency && names.currency) {
    added.push({
      name: names.currency,
      type: 'text',
      defaultValue: defaultCurrency,
      admin: { description: 'ISO 4217 code, e.g. usd, eur, jpy.', position: 'sidebar' },
      validate: (value: unknown) =>
        value === null || value === undefined || value === '' || (typeof value === 'string' && /^[a-zA-Z]{3}$/.test(value))
          ? true
          : 'Use a three-letter currency code such as usd.',
    })
  }

  const extended: CollectionConfig = { ...collection, fields: [...collection.fields, ...added] }
  if (resolved.disabled) return extended
  return {
    ...extended,
    hooks: {
      ...collection.hooks,
      afterChange: [...(collection.hooks?.afterChange ?? []), afterAppointmentChange(resolved)],
      beforeDelete: [...(collection.hooks?.beforeDelete ?? []), beforeAppointmentDelete()],
      afterDelete: [...(collection.hooks?.afterDelete ?? []), afterAppointmentDelete()],
    },
  }
}
