import type {
  CollectionBeforeChangeHook,
  CollectionBeforeDeleteHook,
  CollectionBeforeValidateHook,
  CollectionConfig,
  Field,
} from 'payload'

import { APIError } from 'payload'

import type { ResolvedOptions } from '../resolveOptions.js'

import { adminOnly, adminOrOwn, nobody } from '../access/adminOnly.js'
import { moneyComponents } from '../admin/moneyComponents.js'
import { REVENUE_TRACKING } from '../core/slugs.js'
import {
  collectionLabels,
  fieldLabel,
  type LabelledField,
  pluginLabel,
  pluginMessage,
  type PluginText,
  translatedOptions,
  type ValidateContext,
} from '../i18n/labels.js'
import { statementEndpoint } from './endpoints/statementEndpoint.js'
import { entryProblem, LEDGER_KINDS, LEDGER_SETTLEMENTS, LEDGER_SOURCES } from './entryRules.js'
import { textReferencesHook } from './textReferences.js'
import { addToTotals } from './totals.js'

export { LEDGER_KINDS, LEDGER_SETTLEMENTS, LEDGER_SOURCES } from './entryRules.js'

/**
 * The ledger is append-only for everyone, the Local API included: access alone would let
 * `overrideAccess` through, so the hooks refuse too. Corrections are new entries.
 */
const refuseUpdate: CollectionBeforeChangeHook = ({ operation, data }) => {
  if (operation === 'update') {
    throw new APIError(
      'Ledger entries cannot be changed; record a correcting adjustment entry instead.',
      403,
    )
  }
  return data
}
const refuseDelete: CollectionBeforeDeleteHook = () => {
  throw new APIError(
    'Ledger entries cannot be deleted; record a correcting adjustment entry instead.',
    403,
  )
}

const BOOKED_ONLY = [
  'stripeEventId',
  'stripePaymentIntentId',
  'stripeChargeId',
  'stripeCheckoutSessionId',
  'stripeTransferId',
  'systemRef',
  'bookingKey',
  'settlement',
  'feeBearer',
] as const

/**
 * Sales and refunds are booked by the plugin from Stripe's signed events. Whoever creates an entry
 * through the API (a request with a user, admins included) records a manual adjustment: no Stripe
 * or system references, and the time is the server's, so nobody backdates or fakes a payment.
 */
const apiEntriesAreAdjustments: CollectionBeforeValidateHook = ({ data, operation, req }) => {
  if (operation !== 'create' || !req.user) {
    return data
  }
  const entry = { ...(data ?? {}) } as Record<string, unknown>
  if (entry.kind !== undefined && entry.kind !== 'adjustment') {
    throw new APIError(
      'Entries created through the API are adjustments (kind: adjustment); sales and refunds are booked from Stripe.',
      400,
    )
  }
  if (entry.source !== undefined && entry.source !== 'manual') {
    throw new APIError('Entries created through the API have source manual.', 400)
  }
  for (const name of BOOKED_ONLY) {
    if (entry[name] !== undefined && entry[name] !== null && entry[name] !== '') {
      throw new APIError(
        `A manual adjustment carries no ${name}; only the plugin's bookings do.`,
        400,
      )
    }
  }
  return { ...entry, kind: 'adjustment', source: 'manual', occurredAt: new Date().toISOString() }
}

// Plain ids, no foreign keys: deleting the host, stream, appointment or tenant of an entry must
// neither rewrite the entry (ON DELETE SET NULL) nor be blocked by it.
const reference = (name: 'appointment' | 'host' | 'liveStream' | 'tenant'): Field => ({
  name,
  type: 'text',
  label: fieldLabel(name),
  index: true,
  admin: { description: pluginLabel(`description-revenue-tracking-${name}`) },
})

/** The ledger's rules (balance, integers, known values) on every entry made through the API. */
const checkBalance: CollectionBeforeChangeHook = ({ data }) => {
  const problem = entryProblem(data as Record<string, unknown>)
  if (problem) {
    throw new APIError(problem, 400)
  }
  return data
}

const amount = (name: LabelledField, description: PluginText, optional = false): Field => ({
  name,
  type: 'number',
  label: fieldLabel(name),
  required: !optional,
  // Entries booked before a field existed read as 0.
  ...(optional ? { defaultValue: 0 } : {}),
  // Typed and listed in the entry's currency units; stored in minor units.
  admin: { description, step: 1, components: moneyComponents('currency', 'usd') },
  validate: (value: unknown, context: ValidateContext) =>
    Number.isSafeInteger(value) || (optional && (value === null || value === undefined))
      ? true
      : pluginMessage(context, 'invalid-minorUnits'),
})

/** Builds the `revenue-tracking` collection: the append-only commission ledger. */
export function createRevenueTrackingCollection(resolved: ResolvedOptions): CollectionConfig {
  const { appointments } = resolved
  return {
    slug: REVENUE_TRACKING,
    labels: collectionLabels('revenue-tracking'),
    admin: {
      // The product column tells a product sale (and its refunds) from a ticket's at a glance.
      defaultColumns: [
        'kind',
        'product',
        'grossAmount',
        'commissionAmount',
        'hostShareAmount',
        'currency',
        'source',
        'occurredAt',
      ],
      group: 'Live',
      description: pluginLabel('description-revenue-tracking'),
    },
    access: {
      // Hosts read their own entries; admins all of them. Nobody changes one.
      read: adminOrOwn(resolved, 'host', { text: true }),
      create: adminOnly(resolved.isAdmin),
      update: nobody,
      delete: nobody,
    },
    hooks: {
      beforeOperation: [textReferencesHook(['appointment', 'host', 'liveStream', 'tenant'])],
      beforeValidate: [apiEntriesAreAdjustments],
      beforeChange: [refuseUpdate, checkBalance],
      afterChange: [addToTotals],
      beforeDelete: [refuseDelete],
    },
    endpoints: resolved.disabled ? [] : [statementEndpoint()],
    timestamps: true,
    fields: [
      {
        name: 'kind',
        type: 'select',
        label: fieldLabel('kind'),
        required: true,
        index: true,
        options: translatedOptions('ledgerKind', LEDGER_KINDS),
      },
      {
        name: 'source',
        type: 'select',
        label: fieldLabel('source'),
        required: true,
        defaultValue: 'manual',
        options: translatedOptions('ledgerSource', LEDGER_SOURCES),
      },
      reference('appointment'),
      reference('liveStream'),
      ...(appointments.tenantsSlug ? [reference('tenant')] : []),
      reference('host'),
      {
        type: 'row',
        fields: [
          amount('grossAmount', pluginLabel('description-revenue-tracking-grossAmount')),
          amount('commissionAmount', pluginLabel('description-revenue-tracking-commissionAmount')),
          amount('hostShareAmount', pluginLabel('description-revenue-tracking-hostShareAmount')),
        ],
      },
      {
        type: 'row',
        fields: [
          amount('feeAmount', pluginLabel('description-revenue-tracking-feeAmount'), true),
          {
            name: 'feeBearer',
            type: 'select',
            label: fieldLabel('feeBearer'),
            options: translatedOptions('feeBearer', ['platform', 'host']),
          },
          amount('paidOutAmount', pluginLabel('description-revenue-tracking-paidOutAmount'), true),
        ],
      },
      {
        name: 'settlement',
        type: 'select',
        label: fieldLabel('settlement'),
        options: translatedOptions('settlement', LEDGER_SETTLEMENTS),
        admin: { description: pluginLabel('description-revenue-tracking-settlement') },
      },
      {
        name: 'currency',
        type: 'text',
        label: fieldLabel('currency'),
        required: true,
        validate: (value: unknown, context: ValidateContext) =>
          typeof value === 'string' && /^[a-z]{3}$/.test(value)
            ? true
            : pluginMessage(context, 'invalid-ledgerCurrency'),
      },
      {
        name: 'rateBps',
        type: 'number',
        label: fieldLabel('rateBps'),
        required: true,
        min: 0,
        max: 10000,
        admin: { description: pluginLabel('description-revenue-tracking-rateBps') },
      },
      {
        name: 'stripeEventId',
        type: 'text',
        label: fieldLabel('stripeEventId'),
        index: true,
        admin: { description: pluginLabel('description-revenue-tracking-stripeEventId') },
      },
      {
        name: 'systemRef',
        type: 'text',
        label: fieldLabel('systemRef'),
        unique: true,
        index: true,
        admin: { description: pluginLabel('description-revenue-tracking-systemRef') },
      },
      {
        name: 'bookingKey',
        type: 'text',
        label: fieldLabel('bookingKey'),
        unique: true,
        index: true,
        admin: { description: pluginLabel('description-revenue-tracking-bookingKey') },
      },
      {
        name: 'stripePaymentIntentId',
        type: 'text',
        label: fieldLabel('stripePaymentIntentId'),
        index: true,
      },
      { name: 'stripeChargeId', type: 'text', label: fieldLabel('stripeChargeId'), index: true },
      {
        name: 'stripeTransferId',
        type: 'text',
        label: fieldLabel('stripeTransferId'),
        index: true,
      },
      {
        name: 'stripeCheckoutSessionId',
        type: 'text',
        label: fieldLabel('stripeCheckoutSessionId'),
        index: true,
      },
      {
        name: 'occurredAt',
        type: 'date',
        label: fieldLabel('occurredAt'),
        required: true,
        index: true,
        admin: { description: pluginLabel('description-revenue-tracking-occurredAt') },
      },
      // A product sale (and its refunds): what was sold and the pin that was showing.
      { name: 'product', type: 'text', label: fieldLabel('product'), index: true },
      { name: 'pin', type: 'text', label: fieldLabel('pin'), index: true },
      { name: 'note', type: 'textarea', label: fieldLabel('note') },
    ],
  }
}
