'use client'
import { useRoomContext } from '@livekit/components-react'
import { RoomEvent } from 'livekit-client'
import { useEffect, useState } from 'react'

import type { DocId } from '../core/ids.js'
import type { ShopState } from '../shopping/shopState.js'

import { request } from './api.js'
import { useKitText } from './LivekitKitProvider.js'

/** The room's shop as the server wrote it into the room's metadata (nothing when there is none). */
export function useRoomShop(): null | ShopState {
  const room = useRoomContext()
  const read = () => {
    try {
      const shop = (JSON.parse(room.metadata || '{}') as { shop?: ShopState }).shop
      return shop && typeof shop === 'object' ? shop : null
    } catch {
      return null
    }
  }
  const [shop, setShop] = useState<null | ShopState>(read)
  useEffect(() => {
    const update = () => setShop(read())
    update()
    room.on(RoomEvent.RoomMetadataChanged, update)
    room.on(RoomEvent.Connected, update)
    return () => {
      room.off(RoomEvent.RoomMetadataChanged, update)
      room.off(RoomEvent.Connected, update)
    }
    // `read` only reads the room.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [room])
  return shop
}

/** Props of {@link SpotlightCard}. */
export interface SpotlightCardProps {
  liveStreamId: DocId
  /** Payload's API route. Default `/api`. */
  apiBase?: string
  /** A guest's credential from its token answer (guests of public streams buy too). */
  guestCredential?: string
  /** Show the card without a Buy button (the overlay page that recordings show). */
  readOnly?: boolean
}

/**
 * The product in the spotlight of the stream, as the host pinned it: picture, title, price and
 * units left, with a Buy button that opens Stripe Checkout in a new tab so the stream plays on.
 * Nothing when no product is up.
 */
export function SpotlightCard(props: SpotlightCardProps) {
  const shop = useRoomShop()
  const { t, locale, errorText } = useKitText()
  const [error, setError] = useState<null | string>(null)
  const [busy, setBusy] = useState(false)
  const card = shop?.spotlight
  if (!card) {
    return null
  }
  const base = (props.apiBase ?? '/api').replace(/\/+$/, '')
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency: card.currency })
  // Minor units to the currency's own: 2500 cents are 25.00 USD, 1500 yen are 1,500 JPY.
  const price = format.format(
    card.price / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2),
  )
  const soldOut = card.stock !== null && card.stock <= 0
  const buy = async () => {
    setBusy(true)
    setError(null)
    const tab = window.open('', '_blank')
    try {
      const path = `/live-streams/${props.liveStreamId}/pins/${card.pinId}`
      const credential = props.guestCredential ? { guestCredential: props.guestCredential } : {}
      await request(base, 'POST', `${path}/click`, credential).catch(() => undefined)
      const session = await request<{ url: null | string }>(
        base,
        'POST',
        `${path}/checkout`,
        credential,
      )
      if (session.url && tab) {
        tab.location.href = session.url
      } else if (session.url) {
        window.open(session.url, '_blank')
      }
    } catch (e) {
      tab?.close()
      setError(errorText(e))
    } finally {
      setBusy(false)
    }
  }
  return (
    <aside
      aria-label={t('productSpotlight')}
      className="plk-product"
      data-testid="plk-product-card"
    >
      {card.image ? <img alt="" src={card.image} /> : null}
      <div>
        <strong>{card.title}</strong>
        <span data-testid="plk-product-price">{price}</span>
        {card.stock !== null ? (
          <span className="plk-muted" data-testid="plk-product-stock">
            {soldOut ? t('productSoldOut') : t('productLeft', { count: card.stock })}
          </span>
        ) : null}
        {props.readOnly ? null : (
          <button disabled={busy || soldOut} onClick={() => void buy()} type="button">
            {busy ? t('productOpening') : t('productBuy')}
          </button>
        )}
        {error ? <span role="alert">{error}</span> : null}
      </div>
    </aside>
  )
}
