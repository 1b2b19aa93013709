'use client'
import { useCallback, useMemo, useState } from 'react'

import type { DocId } from '../core/ids.js'
import type { ProductCard } from '../shopping/productCard.js'

import { formatMoneyFor } from '../core/money.js'
import { request } from './api.js'
import { useKitText } from './LivekitKitProvider.js'
import { pinnedCards, usePinAction, useProductSearch } from './productPicking.js'
import { useRoomShop } from './SpotlightCard.js'

/** Props of {@link ProductPicker}. */
export interface ProductPickerProps {
  liveStreamId: DocId
  /** Payload's API route. Default `/api`. */
  apiBase?: string
}

/**
 * The studio's product picker: search the site's products, put one in the spotlight or on the
 * shelf, take pins down. What is up comes from the room's metadata, as the audience sees it, so
 * the host sees the viewers' view and not a guess. Nothing on a site without live shopping.
 */
export function ProductPicker(props: ProductPickerProps) {
  const { t, locale, errorText } = useKitText()
  const shop = useRoomShop()
  const base = (props.apiBase ?? '/api').replace(/\/+$/, '')
  const path = `/live-streams/${props.liveStreamId}`
  const [off, setOff] = useState(false)
  const { act, busy, problem, setProblem } = usePinAction(errorText)
  const load = useCallback(
    (query: string) =>
      request<{ products: ProductCard[] }>(base, 'GET', `${path}/products${query}`),
    [base, path],
  )
  const onError = useCallback(
    (error: unknown) => {
      if ((error as { code?: string }).code === 'shopping_off') {
        setOff(true)
      } else {
        setProblem(errorText(error))
      }
    },
    [errorText, setProblem],
  )
  const { search, setSearch, products } = useProductSearch(load, onError)
  const pinned = useMemo(() => pinnedCards(shop), [shop])
  if (off) {
    return null
  }
  const price = (card: { price: number; currency: string }) =>
    // Minor units in the currency's own (2500 cents are $25.00); the browser's locale by default.
    formatMoneyFor(card.price, card.currency, locale ?? navigator.language)
  return (
    <section aria-label={t('pickerTitle')} className="plk-panel" data-testid="plk-product-picker">
      <h3>{t('pickerTitle')}</h3>
      {pinned.length > 0 ? (
        <ul aria-label={t('pickerPinned')} className="plk-picks">
          {pinned.map((card) => (
            <li data-place={card.place} data-testid="plk-pinned" key={card.pinId}>
              <span>
                {card.place === 'spotlight' ? '★ ' : ''}
                {card.title}
              </span>
              <button
                disabled={busy}
                onClick={() =>
                  void act(() => request(base, 'DELETE', `${path}/pins/${card.pinId}`))
                }
                type="button"
              >
                {t('pickerUnpin')}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <input
        aria-label={t('pickerSearch')}
        onChange={(e) => setSearch(e.target.value)}
        placeholder={t('pickerSearch')}
        type="search"
        value={search}
      />
      {products && products.length === 0 ? <p className="plk-muted">{t('pickerEmpty')}</p> : null}
      <ul className="plk-picks">
        {(products ?? []).map((product) => (
          <li data-testid="plk-pick" key={product.productId}>
            <span>
              {product.title} <span className="plk-muted">{price(product)}</span>
            </span>
            {(['spotlight', 'shelf'] as const).map((place) => (
              <button
                disabled={busy}
                key={place}
                onClick={() =>
                  void act(() =>
                    request(base, 'POST', `${path}/pins`, { product: product.productId, place }),
                  )
                }
                type="button"
              >
                {t(place === 'spotlight' ? 'pickerSpotlight' : 'pickerShelf')}
              </button>
            ))}
          </li>
        ))}
      </ul>
      {problem ? (
        <p className="plk-error" role="alert">
          {problem}
        </p>
      ) : null}
    </section>
  )
}
