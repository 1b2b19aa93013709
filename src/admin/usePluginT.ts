'use client'
import { useTranslation } from '@payloadcms/ui'
import { useCallback } from 'react'

import { type TFunction, tr, type TranslationKey } from '../i18n/translations.js'

/** The plugin's strings in the admin's language: `t('endStream')`. */
export function usePluginT(): (key: TranslationKey, vars?: Record<string, unknown>) => string {
  const { t } = useTranslation()
  return useCallback(
    (key: TranslationKey, vars?: Record<string, unknown>) =>
      tr(t as unknown as TFunction, key, vars),
    [t],
  )
}
