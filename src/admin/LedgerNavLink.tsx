'use client'
import { useConfig } from '@payloadcms/ui'

import { usePluginT } from './usePluginT.js'

/** Navigation entry of the commission ledger view. */
export function LedgerNavLink() {
  const { config } = useConfig()
  const t = usePluginT()
  return (
    <a
      className="nav__link"
      href={`${config.routes?.admin ?? '/admin'}/ledger`}
      style={{ display: 'block', padding: '4px 0' }}
    >
      {t('ledger')}
    </a>
  )
}
