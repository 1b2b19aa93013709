import type { CollectionConfig, Field } from 'payload'

import type { ResolvedOptions } from '../resolveOptions.js'

import { moneyComponents } from '../admin/moneyComponents.js'
import { LIVE_STREAMS } from '../core/slugs.js'
import { pluginLabel, pluginMessage, type ValidateContext } from '../i18n/labels.js'
import {
  afterAppointmentChange,
  afterAppointmentDelete,
  beforeAppointmentDelete,
} from './lifecycleHooks.js'

/**
 * Adds to the site's appointments collection only what the plugin needs: a join to its live
 * stream, and price/currency when the site has none. Site hooks stay and run first; the plugin's
 * run after them. With `disabled`, fields are still added (stable schema) but hooks are not.
 */
export function extendAppointments(
  collection: CollectionConfig,
  resolved: ResolvedOptions,
): CollectionConfig {
  const { addFields, fields: names, defaultCurrency } = resolved.appointments
  const added: Field[] = [
    ...(resolved.disabled
      ? []
      : [
          {
            name: 'liveStreamControls',
            type: 'ui',
            admin: {
              position: 'sidebar',
              components: { Field: 'payload-plugin-livekit/client#AppointmentLiveLink' },
            },
          } as Field,
        ]),
    {
      name: 'liveStream',
      type: 'join',
      label: pluginLabel('field-liveStream'),
      collection: LIVE_STREAMS,
      on: 'appointment',
      // Exactly one live stream per appointment: the plugin creates it.
      admin: { allowCreate: false, description: pluginLabel('description-liveStream') },
    },
  ]
  added.push({
    name: 'liveStats',
    type: 'group',
    label: pluginLabel('field-liveStats'),
    admin: { readOnly: true, description: pluginLabel('description-liveStats') },
    fields: [
      {
        name: 'actualStart',
        type: 'date',
        label: pluginLabel('field-actualStart'),
        admin: { date: { pickerAppearance: 'dayAndTime' } },
      },
      {
        name: 'actualEnd',
        type: 'date',
        label: pluginLabel('field-actualEnd'),
        admin: { date: { pickerAppearance: 'dayAndTime' } },
      },
      { name: 'durationSeconds', type: 'number', label: pluginLabel('field-durationSeconds') },
      { name: 'peakViewers', type: 'number', label: pluginLabel('field-peakViewers') },
      { name: 'uniqueViewers', type: 'number', label: pluginLabel('field-uniqueViewers') },
      { name: 'totalParticipants', type: 'number', label: pluginLabel('field-totalParticipants') },
      {
        name: 'hostNoShow',
        type: 'checkbox',
        label: pluginLabel('field-hostNoShow'),
        admin: { description: pluginLabel('description-hostNoShow') },
      },
      {
        name: 'noShows',
        type: 'number',
        label: pluginLabel('field-noShows'),
        admin: { description: pluginLabel('description-noShows') },
      },
    ],
  })
  const money = moneyComponents(names.currency, defaultCurrency)
  if (addFields.price && names.price) {
    added.push({
      name: names.price,
      type: 'number',
      label: pluginLabel('field-ticketPrice'),
      min: 0,
      admin: {
        description: pluginLabel('description-ticketPrice'),
        step: 1,
        position: 'sidebar',
        components: money,
      },
      validate: (value: unknown, context: ValidateContext) =>
        value === null ||
        value === undefined ||
        (Number.isSafeInteger(value) && (value as number) >= 0)
          ? true
          : pluginMessage(context, 'invalid-ticketPrice'),
    })
  }
  if (addFields.currency && names.currency) {
    added.push({
      name: names.currency,
      type: 'text',
      label: pluginLabel('field-ticketCurrency'),
      defaultValue: defaultCurrency,
      admin: { description: pluginLabel('description-ticketCurrency'), position: 'sidebar' },
      validate: (value: unknown, context: ValidateContext) =>
        value === null ||
        value === undefined ||
        value === '' ||
        (typeof value === 'string' && /^[a-z]{3}$/i.test(value))
          ? true
          : pluginMessage(context, 'invalid-ticketCurrency'),
    })
  }

  // The site's own price field (integer minor units) is entered and listed in the currency's
  // units too, unless the site gave it components of its own.
  const own = collection.fields.map((field) =>
    'name' in field &&
    field.name === names.price &&
    field.type === 'number' &&
    !field.admin?.components?.Field
      ? ({
          ...field,
          admin: { ...field.admin, components: { ...money, ...field.admin?.components } },
        } as Field)
      : field,
  )
  const extended: CollectionConfig = { ...collection, fields: [...own, ...added] }
  if (resolved.disabled) {
    return extended
  }
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
