'use client'
import { useTranslation } from '@payloadcms/ui'
import { useEffect, useState } from 'react'

import type { DocId } from '../core/ids.js'
import type { ProductMoment } from '../shopping/operations/shopView.js'

import { PRODUCT_ORDERS, REVENUE_TRACKING } from '../core/slugs.js'
import { adminErrorText, type TranslationKey } from '../i18n/translations.js'
import { useAdminApi } from './adminApi.js'
import { useAdminMoney } from './useAdminMoney.js'
import { usePluginT } from './usePluginT.js'

interface Order {
  id: DocId
  product?: DocId | null
  pin?: DocId | null
  status: string
  amount: number
  currency: string
  email?: null | string
  createdAt: string
  stripeCheckoutSessionId?: null | string
  stripePaymentIntentId?: null | string
}

interface LedgerLine {
  id: DocId
  kind: string
  product?: null | string
  grossAmount: number
  commissionAmount: number
  hostShareAmount: number
  currency: string
  occurredAt: string
  stripeCheckoutSessionId?: null | string
  stripePaymentIntentId?: null | string
}

// A sale carries its Checkout Session, its refunds only the payment intent: either ties a line to
// the order it books.
const belongsTo = (line: LedgerLine, order: Order) =>
  (Boolean(line.stripePaymentIntentId) &&
    line.stripePaymentIntentId === order.stripePaymentIntentId) ||
  (Boolean(line.stripeCheckoutSessionId) &&
    line.stripeCheckoutSessionId === order.stripeCheckoutSessionId)

const cell = { padding: '4px 8px', borderBottom: '1px solid var(--theme-elevation-100)' }
const num = { ...cell, textAlign: 'right' as const, fontVariantNumeric: 'tabular-nums' }

/**
 * What a stream sold, for the stream's edit view during and after it: every product moment, and
 * the product orders with the ledger lines that book them, read through Payload's REST API with
 * the admin's own access (admins read every order and line; a host its own lines only).
 */
export function StreamSales(props: { id: DocId; live: boolean; moments: ProductMoment[] }) {
  const { id, live, moments } = props
  const t = usePluginT()
  const api = useAdminApi()
  const money = useAdminMoney()
  const { i18n } = useTranslation()
  const [orders, setOrders] = useState<Order[]>([])
  const [lines, setLines] = useState<LedgerLine[]>([])
  const [problem, setProblem] = useState<null | string>(null)

  useEffect(() => {
    const stream = encodeURIComponent(String(id))
    const load = () =>
      Promise.all([
        api<{ docs: Order[] }>(
          'GET',
          `/${PRODUCT_ORDERS}?where[liveStream][equals]=${stream}&depth=0&limit=200&sort=createdAt`,
        ),
        api<{ docs: LedgerLine[] }>(
          'GET',
          `/${REVENUE_TRACKING}?where[and][0][liveStream][equals]=${stream}&where[and][1][product][exists]=true&depth=0&limit=500&sort=occurredAt`,
        ),
      ]).then(
        ([o, l]) => {
          setOrders(o.docs)
          setLines(l.docs)
          setProblem(null)
        },
        (error: unknown) => setProblem(adminErrorText(t, error)),
      )
    void load()
    // Orders come in while the stream is live; afterwards only a late refund adds a line.
    const timer = live ? setInterval(() => void load(), 10000) : undefined
    return () => clearInterval(timer)
  }, [api, id, live, t])

  const time = (iso: null | string) => (iso ? new Date(iso).toLocaleString(i18n.language) : '—')
  // Orders are read at depth 0 (the product an id), and the pinned card's title is what buyers saw.
  const titleOf = (productId: DocId | null | undefined) =>
    productId === null || productId === undefined
      ? '—'
      : (moments.find((m) => m.productId === String(productId))?.title ?? String(productId))
  // The values are the stored select options, each of which has its label.
  const label = (prefix: string, value: string) => t(`${prefix}-${value}` as TranslationKey)
  const unmatched = lines.filter((l) => !orders.some((o) => belongsTo(l, o)))
  const lineRow = (line: LedgerLine) => (
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
              ...lines.filter((l) => belongsTo(l, order)).map(lineRow),
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
