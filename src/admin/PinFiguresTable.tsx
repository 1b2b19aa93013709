'use client'
import { useTranslation } from '@payloadcms/ui'

import type { FigureTotals, PinFigures } from '../shopping/figures.js'

import { useAdminMoney } from './useAdminMoney.js'
import { usePluginT } from './usePluginT.js'

const cell = { padding: '4px 8px', borderBottom: '1px solid var(--theme-elevation-100)' }
const num = { ...cell, textAlign: 'right' as const, fontVariantNumeric: 'tabular-nums' }

/**
 * What each pin of a stream did: who saw it, opened it, went to checkout and bought; and the
 * stream's totals per currency.
 */
export function PinFiguresTable({
  pins,
  stream,
}: {
  pins: readonly PinFigures[]
  stream: ReadonlyArray<{ key: string } & FigureTotals>
}) {
  const t = usePluginT()
  const money = useAdminMoney()
  const { i18n } = useTranslation()
  const percent = new Intl.NumberFormat(i18n.language, {
    style: 'percent',
    maximumFractionDigits: 1,
  })
  if (pins.length === 0) {
    return null
  }
  return (
    <table
      data-testid="plk-admin-figures"
      style={{ width: '100%', borderCollapse: 'collapse', marginTop: 8 }}
    >
      <thead>
        <tr>
          <th align="left" style={cell}>
            {t('field-product')}
          </th>
          <th align="left" style={cell}>
            {t('field-place')}
          </th>
          <th align="left" style={cell}>
            {t('field-pinnedAt')}
          </th>
          <th style={num}>{t('field-viewersAtPin')}</th>
          <th style={num}>{t('field-clicks')}</th>
          <th style={num}>{t('field-checkouts')}</th>
          <th style={num}>{t('purchases')}</th>
          <th style={num}>{t('revenue')}</th>
          <th style={num}>{t('conversion')}</th>
        </tr>
      </thead>
      <tbody>
        {pins.map((p) => (
          <tr
            data-checkouts={p.checkouts}
            data-clicks={p.clicks}
            data-pin={p.pinId}
            data-purchases={p.purchases}
            data-revenue={p.revenue}
            data-testid="plk-admin-pin-figures"
            data-viewers={p.viewers}
            key={p.pinId}
          >
            <td style={cell}>{p.title}</td>
            <td style={cell}>
              {p.place === 'shelf' ? t('option-pinPlace-shelf') : t('option-pinPlace-spotlight')}
            </td>
            <td style={cell}>{new Date(p.pinnedAt).toLocaleTimeString(i18n.language)}</td>
            <td style={num}>{p.viewers}</td>
            <td style={num}>{p.clicks}</td>
            <td style={num}>{p.checkouts}</td>
            <td style={num}>{p.purchases}</td>
            <td style={num}>{money(p.revenue, p.currency)}</td>
            <td style={num}>{percent.format(p.conversion)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        {stream.map((s) => (
          <tr data-testid="plk-admin-stream-figures" key={s.currency}>
            <th align="left" colSpan={3} style={cell}>
              {t('total')} ({s.currency.toUpperCase()})
            </th>
            <th style={num}>{s.viewers}</th>
            <th style={num}>{s.clicks}</th>
            <th style={num}>{s.checkouts}</th>
            <th style={num}>{s.purchases}</th>
            <th style={num}>{money(s.revenue, s.currency)}</th>
            <th style={num}>{percent.format(s.conversion)}</th>
          </tr>
        ))}
      </tfoot>
    </table>
  )
}
