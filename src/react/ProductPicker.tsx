'use client'
import { useEffect, useMemo, useState } from 'react'

import type { DocId } from '../core/ids.js'
import type { ProductCard } from '../shopping/productCard.js'
import type { PinnedCard } from '../shopping/shopState.js'

import { formatMoneyFor } from '../core/money.js'
import { request } from './api.js'
import { useKitText } from './LivekitKitProvider.js'
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
  const [search, setSearch] = useState('')
  const [products, setProducts] = useState<null | ProductCard[]>(null)
  const [off, setOff] = useState(false)
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<null | string>(null)

  useEffect(() => {
    let current = true
    // A short pause while typing, so each key does not become a query.
    const timer = setTimeout(() => {
      const query = search.trim() ? `?search=${encodeURIComponent(search.trim())}` : ''
      request<{ products: ProductCard[] }>(base, 'GET', `${path}/products${query}`).then(
        (found) => current && setProducts(found.products),
        (error: unknown) => {
          if (!current) {
            return
          }
          if ((error as { code?: string }).code === 'shopping_off') {
            setOff(true)
          } else {
            setProblem(errorText(error))
          }
        },
      )
    }, 250)
    return () => {
      current = false
      clearTimeout(timer)
    }
  }, [base, path, search, errorText])

  const pinned = useMemo<PinnedCard[]>(
    () => (shop ? [...(shop.spotlight ? [shop.spotlight] : []), ...shop.shelf] : []),
    [shop],
  )
  if (off) {
    return null
  }
  const act = async (run: () => Promise<unknown>) => {
    setBusy(true)
    setProblem(null)
    try {
      await run()
    } catch (error) {
      setProblem(errorText(error))
    } finally {
      setBusy(false)
    }
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
