import type { Field, FieldAccess } from 'payload'

import { fieldLabel, pluginLabel, translatedOptions } from '../i18n/labels.js'

/** Where a stream's host payout stands (separate-charges mode only; empty otherwise). */
export const PAYOUT_STATUSES = ['held', 'due', 'paid', 'none', 'failed'] as const
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number]

// Written by the payout job over the database API only: nobody, admins included, may mark a
// payout made or due through the API.
const systemOnly = { create: () => false, update: () => false }

/**
 * The payout fields of a live stream: its status, and the job's bookkeeping (the move in flight,
 * the claim, the retries). Readable by the stream's moderators only, like its other errors.
 */
export function payoutFields(moderatorsOnly: { read: FieldAccess }): Field[] {
  const access = { ...moderatorsOnly, ...systemOnly }
  return [
    {
      name: 'payoutStatus',
      type: 'select',
      label: fieldLabel('payoutStatus'),
      index: true,
      access,
      options: translatedOptions('payoutStatus', PAYOUT_STATUSES),
      admin: { readOnly: true, description: pluginLabel('description-live-streams-payoutStatus') },
    },
    {
      name: 'payoutError',
      type: 'textarea',
      label: fieldLabel('payoutError'),
      access,
      admin: { readOnly: true },
    },
    {
      name: 'payoutAttempts',
      type: 'number',
      label: fieldLabel('payoutAttempts'),
      access,
      defaultValue: 0,
      min: 0,
      admin: { readOnly: true },
    },
    {
      name: 'payoutRetryAt',
      type: 'date',
      label: fieldLabel('payoutRetryAt'),
      index: true,
      access,
      admin: { readOnly: true, date: { pickerAppearance: 'dayAndTime' } },
    },
    // The transfer or reversal being made, kept before Stripe is asked: a retry after a crash makes
    // the very same move (same amount, same idempotency key) instead of deciding again.
    {
      name: 'payoutInFlight',
      type: 'json',
      label: fieldLabel('payoutInFlight'),
      access,
      admin: { hidden: true },
    },
    {
      name: 'payoutClaimedUntil',
      type: 'date',
      label: fieldLabel('payoutClaimedUntil'),
      access,
      admin: { hidden: true },
    },
  ]
}
