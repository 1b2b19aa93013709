import type { CollectionConfig, Field } from 'payload'

import type { ResolvedOptions } from '../resolveOptions.js'

import { pluginWritten } from '../access/adminOnly.js'
import { REVENUE_TOTALS } from '../core/slugs.js'
import { uniqueKeyField } from '../db/uniqueKeyField.js'
import { collectionLabels, fieldLabel, type LabelledField } from '../i18n/labels.js'
import { textReferencesHook } from './textReferences.js'

/**
 * Builds `revenue-totals`: running totals of the ledger per tenant, host, month and currency,
 * added to atomically as each entry is appended. Statements read these rows instead of summing
 * every entry. Written by the plugin only.
 */
export function createRevenueTotalsCollection(resolved: ResolvedOptions): CollectionConfig {
  const number = (name: LabelledField): Field => ({
    name,
    type: 'number',
    label: fieldLabel(name),
    defaultValue: 0,
    required: true,
  })
  return {
    slug: REVENUE_TOTALS,
    labels: collectionLabels('revenue-totals'),
    admin: { group: 'Live', hidden: true },
    access: pluginWritten(resolved.isAdmin),
    hooks: { beforeOperation: [textReferencesHook(['host', 'tenant'])] },
    timestamps: true,
    fields: [
      uniqueKeyField(),
      { name: 'tenant', type: 'text', label: fieldLabel('tenant'), index: true },
      { name: 'host', type: 'text', label: fieldLabel('host'), index: true },
      { name: 'month', type: 'text', label: fieldLabel('month'), required: true, index: true },
      { name: 'currency', type: 'text', label: fieldLabel('currency'), required: true },
      number('gross'),
      number('commission'),
      number('hostShare'),
      // Of the host share: booked by sales, and taken back by refunds (negative).
      number('hostEarned'),
      number('hostRefunded'),
      number('fee'),
      number('paidOut'),
      // Of gross and commission: product sales during streams (tickets are the rest).
      number('productGross'),
      number('productCommission'),
      number('entries'),
    ],
  }
}
