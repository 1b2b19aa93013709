'use client'
import { Button } from '@payloadcms/ui'
import { useCallback } from 'react'

import type { DocId } from '../core/ids.js'
import type { ShopView } from '../shopping/operations/shopView.js'
import type { ProductCard } from '../shopping/productCard.js'

import { adminErrorText } from '../i18n/translations.js'
import { pinnedCards, usePinAction, useProductSearch } from '../react/productPicking.js'
import { useAdminApi } from './adminApi.js'
import { PinFiguresTable } from './PinFiguresTable.js'
import { useAdminMoney } from './useAdminMoney.js'
import { usePluginT } from './usePluginT.js'

const row = { display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap' as const }

/**
 * The control room's products: search the site's products and put one in the spotlight or on the
 * shelf, take down what is up, and the figures of every pin. Pinning is for a live stream only;
 * the buttons say so otherwise.
 */
export function ProductsPanel(props: {
  id: DocId
  live: boolean
  view: ShopView
  refresh: () => Promise<void>
}) {
  const { id, live, view, refresh } = props
  const t = usePluginT()
  const api = useAdminApi()
  const money = useAdminMoney()
  const describe = useCallback((error: unknown) => adminErrorText(t, error), [t])
  const { act, busy, problem, setProblem } = usePinAction(describe, refresh)
  const load = useCallback(
    (query: string) =>
      api<{ products: ProductCard[] }>('GET', `/live-streams/${id}/products${query}`),
    [api, id],
  )
  const onError = useCallback(
    (error: unknown) => setProblem(describe(error)),
    [describe, setProblem],
  )
  const { search, setSearch, products } = useProductSearch(load, onError)
  const pinned = pinnedCards(view.shop)
  const reason = live ? undefined : t('notLive')

  return (
    <section aria-label={t('products')} data-testid="plk-admin-products">
      <h4>{t('products')}</h4>
      {pinned.length === 0 ? <p>{t('nothingPinned')}</p> : null}
      {pinned.map((card) => (
        <div
          data-pin={card.pinId}
          data-place={card.place}
          data-testid="plk-admin-pinned"
          key={card.pinId}
          style={{ ...row, marginBottom: 6 }}
        >
          <strong>
            {card.place === 'spotlight'
              ? t('option-pinPlace-spotlight')
              : t('option-pinPlace-shelf')}
            :
          </strong>
          <span>
            {card.title} · {money(card.price, card.currency)}
          </span>
          <Button
            buttonStyle="secondary"
            disabled={busy}
            onClick={() => void act(() => api('DELETE', `/live-streams/${id}/pins/${card.pinId}`))}
            size="small"
          >
            {t('unpin')}
          </Button>
        </div>
      ))}
      <input
        aria-label={t('productSearch')}
        data-testid="plk-admin-product-search"
        onChange={(e) => setSearch(e.target.value)}
        placeholder={t('productSearch')}
        style={{ margin: '8px 0', padding: 6, width: '100%', maxWidth: 360 }}
        type="search"
        value={search}
      />
      {products && products.length === 0 ? <p>{t('noProductsFound')}</p> : null}
      {(products ?? []).map((product) => (
        <div
          data-product={product.productId}
          data-testid="plk-admin-product-pick"
          key={product.productId}
          style={{ ...row, marginBottom: 6 }}
        >
          <span>
            {product.title} · {money(product.price, product.currency)}
            {product.stock !== null ? ` · ${t('unitsLeft', { count: product.stock })}` : ''}
          </span>
          {(['spotlight', 'shelf'] as const).map((place) => (
            <Button
              buttonStyle="secondary"
              disabled={!live || busy}
              key={place}
              onClick={() =>
                void act(() =>
                  api('POST', `/live-streams/${id}/pins`, { product: product.productId, place }),
                )
              }
              size="small"
              tooltip={reason}
            >
              {place === 'spotlight' ? t('option-pinPlace-spotlight') : t('option-pinPlace-shelf')}
            </Button>
          ))}
        </div>
      ))}
      {problem ? (
        <p
          data-testid="plk-admin-products-error"
          role="alert"
          style={{ color: 'var(--theme-error-500)' }}
        >
          {problem}
        </p>
      ) : null}
      {view.figures ? (
        <PinFiguresTable pins={view.figures.pins} stream={view.figures.stream} />
      ) : null}
    </section>
  )
}
