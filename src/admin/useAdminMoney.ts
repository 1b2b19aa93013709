'use client'
import { useTranslation } from '@payloadcms/ui'
import { useCallback } from 'react'

import { formatMoneyFor } from '../core/money.js'

/** Minor units as the admin's language writes money, as the money fields and the ledger show it. */
export function useAdminMoney(): (minor: number, currency: string) => string {
  const { i18n } = useTranslation()
  return useCallback(
    (minor: number, currency: string) => formatMoneyFor(minor, currency, i18n.language),
    [i18n.language],
  )
}
