import type { Field } from 'payload'

import { fieldLabel } from '../i18n/labels.js'

/**
 * The `key` field of a collection whose rows exist once per key (totals per month, an email per
 * ticket and moment, a claim per row): required, unique and indexed, so a second insert of the
 * same key fails on every database and the inserter reads the row that is there.
 */
export const uniqueKeyField = (): Field => ({
  name: 'key',
  type: 'text',
  label: fieldLabel('key'),
  required: true,
  unique: true,
  index: true,
})
