'use client'
import { useTranslation } from '@payloadcms/ui'

import type { DocId } from '../core/ids.js'
import type { TranslationKey } from '../i18n/translations.js'
import type { ProductMoment } from '../shopping/operations/shopView.js'
import type { SalesBook, SalesLine } from '../shopping/salesBook.js'

import { useAdminMoney } from './useAdminMoney.js'
import { usePluginT } from './usePluginT.js'
import { usePolledApi } from './usePolledApi.js'

const cell = { padding: '4px 8px', borderBottom: '1px solid var(--theme-elevation-100)' }
const num = { ...cell, textAlign: 'right' as const, fontVariantNumeric: 'tabular-nums' }

/**
 * What a stream sold, for the stream's edit view during and after it: every product moment, and
 * the product orders with the ledger lines that book them (`GET /:id/sales`, which hosts and
 * co-hosts may read for their own stream).
 */
export function StreamSales(props: { id: DocId; live: boolean; moments: ProductMoment[] }) {
  const { id, live, moments } = props
  const t = usePluginT()
  const money = useAdminMoney()
  const { i18n } = useTranslation()
  // Orders come in while the stream is live; afterwards only a late refund adds a line.
  const { data, problem } = usePolledApi<SalesBook>(`/live-streams/${id}/sales`, live, 10_000)
  const book = data ?? { orders: [], otherLines: [] }

  const time = (iso: null | string) => (iso ? new Date(iso).toLocaleString(i18n.language) : '—')
  // An order names its product by id; the pinned card's title is the one buyers saw.
  const titleOf = (productId: null | string) =>
    productId === null ? '—' : (moments.find((m) => m.productId === productId)?.title ?? productId)
  // The values are the stored select options, each of which has its label.
  const label = (prefix: string, value: string) => t(`${prefix}-${value}` as TranslationKey)
  const { orders, otherLines: unmatched } = book
  const lineRow = (line: SalesLine) => (
    <tr data-kind={line.kind} data-testid="plk-admin-ledger-line" key={`l${line.id}`}>
      <td style={{ ...cell, paddingLeft: 24 }}>↳ {label('option-ledgerKind', line.kind)}</td>
      <td style={cell}>{time(line.occurredAt)}</td>
      <td style={num}>{money(line.grossAmount, line.currency)}</td>
      <td style={num}>
        {t('commission')} {money(line.commissionAmount, line.currency)}
      </td>
      <td style={num}>
        {t('hostShare')} {money(line.hostShareAmount, line.currency)}
      </td>
    </tr>
  )

  return (
    <section aria-label={t('streamSales')} data-testid="plk-admin-stream-sales">
      <h4>{t('productMoments')}</h4>
      {moments.length === 0 ? <p>{t('noMoments')}</p> : null}
      <ul style={{ paddingLeft: 18 }}>
        {moments.map((m) => (
          <li data-pin={m.pinId} data-testid="plk-admin-moment" key={m.pinId}>
            {time(m.pinnedAt)} – {m.unpinnedAt ? time(m.unpinnedAt) : '…'}:{' '}
            <strong>{m.title}</strong> ({label('option-pinPlace', m.place)},{' '}
            {money(m.price, m.currency)})
          </li>
        ))}
      </ul>

      <h4>{t('collection-product-orders-plural')}</h4>
      {orders.length === 0 ? <p>{t('noProductOrders')}</p> : null}
      {orders.length > 0 || unmatched.length > 0 ? (
        <table style={{ width: '100%', borderCollapse: 'collapse' }}>
          <tbody>
            {orders.flatMap((order) => [
              <tr
                data-order={order.id}
                data-status={order.status}
                data-testid="plk-admin-order"
                key={`o${order.id}`}
              >
                <td style={cell}>
                  <strong>{titleOf(order.product)}</strong> ·{' '}
                  {label('option-orderStatus', order.status)}
                </td>
                <td style={cell}>{time(order.createdAt)}</td>
                <td style={num}>{money(order.amount, order.currency)}</td>
                <td colSpan={2} style={cell}>
                  {order.email ?? ''}
                </td>
              </tr>,
              ...order.lines.map(lineRow),
            ])}
            {unmatched.length > 0 ? (
              <tr>
                <th align="left" colSpan={5} style={cell}>
                  {t('otherLedgerLines')}
                </th>
              </tr>
            ) : null}
            {unmatched.map(lineRow)}
          </tbody>
        </table>
      ) : null}
      {problem ? (
        <p role="alert" style={{ color: 'var(--theme-error-500)' }}>
          {problem}
        </p>
      ) : null}
    </section>
  )
}
