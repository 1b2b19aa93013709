import type { Payload } from 'payload'

import type { DocId } from '../core/ids.js'
import type { StreamRecord } from '../streams/streamStore.js'
import type { PinPlace } from './createShoppingCollections.js'
import type { ResolvedShopping } from './shoppingOptions.js'

import { STREAM_PINS } from '../core/slugs.js'
import { livekitFor, pluginOptionsOf } from '../runtime.js'
import { cardOf, loadProduct, type ProductCard, unitsLeft } from './productCard.js'

/** A product up in a stream: its card as pinned, with the units left now. */
export interface PinnedCard extends ProductCard {
  pinId: string
  place: PinPlace
  pinnedAt: string
}

/** What the audience sees of the shop: the spotlight card and the shelf. */
export interface ShopState {
  spotlight: null | PinnedCard
  shelf: PinnedCard[]
}

/** A pin row as stored. */
export interface PinRow {
  id: DocId
  liveStream?: unknown
  product?: unknown
  place: PinPlace
  title: string
  price: number
  currency: string
  image?: null | string
  pinnedAt: string
  unpinnedAt?: null | string
  viewersAtPin?: null | number
}

/** The pins of a stream still up (never taken down), oldest first. */
export async function openPins(payload: Payload, liveStreamId: DocId): Promise<PinRow[]> {
  const found = await payload.db.find<PinRow>({
    collection: STREAM_PINS,
    where: {
      and: [{ liveStream: { equals: liveStreamId } }, { unpinnedAt: { equals: null } }],
    },
    sort: 'pinnedAt',
    limit: 0,
    pagination: false,
  })
  return found.docs
}

const idText = (value: unknown) =>
  String(typeof value === 'object' && value !== null ? (value as { id: unknown }).id : value)

/**
 * The shop state of open pins: the newest spotlight pin and every shelf pin, each with the card
 * as pinned (title, price and picture do not change under a viewer's eyes) and the units left as
 * stored now. Pure but for `stockOf`.
 */
export async function shopStateOf(
  pins: readonly PinRow[],
  stockOf: (productId: string) => Promise<null | number>,
): Promise<ShopState> {
  const card = async (pin: PinRow): Promise<PinnedCard> => {
    const productId = idText(pin.product)
    return {
      pinId: String(pin.id),
      place: pin.place,
      pinnedAt: new Date(pin.pinnedAt).toISOString(),
      productId,
      title: pin.title,
      price: pin.price,
      currency: pin.currency,
      image: pin.image ?? null,
      stock: await stockOf(productId),
    }
  }
  const spotlight = pins.filter((p) => p.place === 'spotlight').at(-1)
  return {
    spotlight: spotlight ? await card(spotlight) : null,
    shelf: await Promise.all(pins.filter((p) => p.place === 'shelf').map(card)),
  }
}

/** Units left of a product now (null: not limited, or the product is gone). */
export function stockReader(payload: Payload, shopping: ResolvedShopping) {
  return async (productId: string): Promise<null | number> => {
    if (!shopping.fields.stock) {
      return null
    }
    const doc = await loadProduct(payload, shopping, productId)
    if (!doc) {
      return 0
    }
    const read = cardOf(shopping, doc)
    return 'card' in read ? read.card.stock : unitsLeft(doc[shopping.fields.stock])
  }
}

/** The shop of a stream as it stands in the database. */
export async function currentShop(payload: Payload, liveStreamId: DocId): Promise<ShopState> {
  const { shopping } = pluginOptionsOf(payload)
  if (!shopping) {
    return { spotlight: null, shelf: [] }
  }
  return shopStateOf(await openPins(payload, liveStreamId), stockReader(payload, shopping))
}

/**
 * The room metadata the plugin keeps on a stream's room: what the stream is, and its shop when
 * the site sells products. LiveKit replaces the whole of it on each write, so every write says all.
 */
export async function roomMetadataOf(
  payload: Payload,
  stream: Pick<StreamRecord, 'appointment' | 'host' | 'id' | 'tenant'>,
): Promise<Record<string, unknown>> {
  const base = {
    appointmentId: stream.appointment,
    liveStreamId: stream.id,
    tenantId: stream.tenant ?? null,
    hostId: stream.host,
  }
  return pluginOptionsOf(payload).shopping
    ? { ...base, shop: await currentShop(payload, stream.id) }
    : base
}

/**
 * Writes the stream's shop to its room's metadata: LiveKit sends it to everyone in the room at
 * once and to whoever joins later. Only the server writes room metadata, so a viewer cannot
 * forge a card.
 */
export async function publishShop(
  payload: Payload,
  stream: Pick<StreamRecord, 'appointment' | 'host' | 'id' | 'roomName' | 'tenant'>,
): Promise<ShopState> {
  const metadata = await roomMetadataOf(payload, stream)
  await livekitFor(payload).setRoomMetadata(stream.roomName, metadata)
  return metadata.shop as ShopState
}
