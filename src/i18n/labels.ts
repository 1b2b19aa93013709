import type { CollectionConfig, Field } from 'payload'

import { GERMAN_LABELS } from './translations.js'

/** "scheduledStart" → "Scheduled Start", as Payload labels a field without one. */
const words = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase())

function labelField(field: Field): Field {
  const named = 'name' in field && typeof field.name === 'string' ? field.name : null
  const next = { ...field } as Field & { label?: unknown; fields?: Field[]; tabs?: Array<{ fields: Field[] }> }
  if (named && field.type !== 'ui' && GERMAN_LABELS[named] && (next.label === undefined || typeof next.label === 'string')) {
    const en = typeof next.label === 'string' ? next.label : words(named)
    next.label = { en, de: GERMAN_LABELS[named] }
  }
  if (Array.isArray(next.fields)) next.fields = next.fields.map(labelField)
  if (Array.isArray(next.tabs)) next.tabs = next.tabs.map((tab) => ({ ...tab, fields: tab.fields.map(labelField) }))
  return next
}

const COLLECTION_LABELS: Record<string, { singular: [string, string]; plural: [string, string] }> = {
  'live-streams': { singular: ['Live stream', 'Livestream'], plural: ['Live streams', 'Livestreams'] },
  recordings: { singular: ['Recording', 'Aufnahme'], plural: ['Recordings', 'Aufnahmen'] },
  'revenue-tracking': { singular: ['Ledger entry', 'Buchung'], plural: ['Commission ledger', 'Provisionsbuch'] },
  'live-stream-transitions': { singular: ['Stream transition', 'Statuswechsel'], plural: ['Stream transitions', 'Statuswechsel'] },
  'livekit-webhook-events': { singular: ['LiveKit event', 'LiveKit-Ereignis'], plural: ['LiveKit events', 'LiveKit-Ereignisse'] },
  'stream-attendance': { singular: ['Attendance', 'Teilnahme'], plural: ['Attendance', 'Teilnahmen'] },
  'stream-sessions': { singular: ['Connection', 'Verbindung'], plural: ['Connections', 'Verbindungen'] },
  tickets: { singular: ['Ticket', 'Ticket'], plural: ['Tickets', 'Tickets'] },
  'stripe-webhook-events': { singular: ['Stripe event', 'Stripe-Ereignis'], plural: ['Stripe events', 'Stripe-Ereignisse'] },
  'revenue-totals': { singular: ['Revenue total', 'Umsatzsumme'], plural: ['Revenue totals', 'Umsatzsummen'] },
  'stream-destinations': { singular: ['Stream destination', 'Streaming-Ziel'], plural: ['Stream destinations', 'Streaming-Ziele'] },
  'stream-removals': { singular: ['Removal', 'Entfernung'], plural: ['Removals', 'Entfernungen'] },
}

/**
 * Gives a collection the plugin adds English and German labels (collection and fields). Labels a
 * site set through an override stay as they are when they are not plain strings.
 */
export function withLabels(collection: CollectionConfig): CollectionConfig {
  const labels = COLLECTION_LABELS[collection.slug]
  return {
    ...collection,
    ...(labels
      ? { labels: { singular: { en: labels.singular[0], de: labels.singular[1] }, plural: { en: labels.plural[0], de: labels.plural[1] } } }
      : {}),
    fields: collection.fields.map(labelField),
  }
}

/** Field labels for the fields the plugin adds to a site's own collection. */
export const labelFields = (fields: Field[]) => fields.map(labelField)
