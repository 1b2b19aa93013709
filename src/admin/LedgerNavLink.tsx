'use client'
import { useConfig, useTranslation } from '@payloadcms/ui'

import { tr, type TFunction } from '../i18n/translations.js'

/** Navigation entry of the commission ledger view. */
export function LedgerNavLink() {
  const { config } = useConfig()
  const { t } = useTranslation()
  return (
    <a href={`${config.routes?.admin ?? '/admin'}/ledger`} className="nav__link" style={{ display: 'block', padding: '4px 0' }}>
      {tr(t as unknown as TFunction, 'ledger')}
    </a>
  )
}
