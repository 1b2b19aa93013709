import type { PayloadRequest } from 'payload'

import type { DocId } from '../../core/ids.js'
import type { ResolvedShopping } from '../shoppingOptions.js'

import { identifyModerator } from '../../access/identifyCaller.js'
import { pluginUser } from '../../access/pluginUser.js'
import { DomainError } from '../../core/domainError.js'
import { LIVE_STREAMS, STREAM_PINS } from '../../core/slugs.js'
import { whileHolding } from '../../db/claims.js'
import { idOfShape, idShapeOf } from '../../db/idFormat.js'
import { pluginOptionsOf } from '../../runtime.js'
import { PIN_PLACES, type PinPlace } from '../createShoppingCollections.js'
import { cardOf, loadProduct } from '../productCard.js'
import { openPins, type PinRow, publishShop, type ShopState } from '../shopState.js'

/** What a pin asks for: the body of `POST /api/live-streams/:id/pins`. */
export interface PinBody {
  /** Id of a product of the site's product collection. */
  product: number | string
  /** `spotlight` (default): the one card everyone sees; `shelf`: the session's other products. */
  place?: PinPlace
}

/** A pin as the API answers it, with the shop it left. */
export interface PinResult {
  pinId: string
  place: PinPlace
  pinnedAt: string
  shop: ShopState
}

/** Live shopping's options, or the 404 of a site that does not sell products. */
export function shoppingOf(req: PayloadRequest): ResolvedShopping {
  const { shopping } = pluginOptionsOf(req.payload)
  if (!shopping) {
    throw new DomainError(
      'not_found',
      'shopping_off',
      'This site does not sell products in streams.',
    )
  }
  return shopping
}

const moderatorOf = (req: PayloadRequest, liveStreamId: DocId) =>
  identifyModerator(
    req,
    liveStreamId,
    'not_a_moderator',
    'Only the host, co-hosts and admins can pin products.',
  )

/** The product id in a body, in the id type of the product collection; else the 400. */
export function productIdOf(req: PayloadRequest, shopping: ResolvedShopping, raw: unknown): DocId {
  const id =
    typeof raw === 'string' || (typeof raw === 'number' && Number.isSafeInteger(raw))
      ? idOfShape(idShapeOf(req.payload, shopping.productsSlug), String(raw))
      : null
  if (id === null) {
    throw new DomainError('invalid', 'invalid_product', '`product` must be the id of a product.')
  }
  return id
}

// A stream's pins change one at a time across instances, so the shelf never passes its size and
// the room's metadata is written from what is stored after the change.
const shopKey = (liveStreamId: DocId) => `${STREAM_PINS}/${String(liveStreamId)}/shop`

/**
 * Puts a product in the spotlight of a live stream (taking down the one there) or on its shelf,
 * records the moment and tells everyone in the room through its metadata. Hosts, co-hosts and
 * admins, while the stream is live. Pinning what is already up in that place changes nothing.
 */
export async function pinProduct(
  req: PayloadRequest,
  liveStreamId: DocId,
  body: PinBody,
): Promise<PinResult> {
  const shopping = shoppingOf(req)
  const place = body.place ?? 'spotlight'
  if (!PIN_PLACES.includes(place)) {
    throw new DomainError('invalid', 'invalid_place', "`place` must be 'spotlight' or 'shelf'.")
  }
  const productId = productIdOf(req, shopping, body.product)
  const caller = await moderatorOf(req, liveStreamId)
  const { stream } = caller
  if (stream.state !== 'live') {
    throw new DomainError(
      'conflict',
      'stream_not_live',
      'Products are pinned while the stream is live.',
    )
  }
  const doc = await loadProduct(req.payload, shopping, productId)
  if (!doc) {
    throw new DomainError('not_found', 'product_not_found', 'No product with that id.')
  }
  const read = cardOf(shopping, doc)
  if ('problem' in read) {
    throw new DomainError(
      'conflict',
      read.problem === 'no_price' ? 'product_unpriced' : 'product_untitled',
      read.problem === 'no_price'
        ? 'This product has no price (a whole positive number of minor units); it cannot be sold.'
        : 'This product has no title; it cannot be shown.',
    )
  }
  const { card } = read
  const user = pluginUser(req, caller.resolved.usersSlug)
  return whileHolding(req.payload, shopKey(stream.id), {}, async () => {
    const open = await openPins(req.payload, stream.id)
    const up =
      place === 'spotlight'
        ? open.filter((p) => p.place === 'spotlight').at(-1)
        : open.find((p) => p.place === 'shelf' && productIdText(p) === card.productId)
    const now = new Date().toISOString()
    let pin = up && productIdText(up) === card.productId ? up : undefined
    if (!pin) {
      if (
        place === 'shelf' &&
        open.filter((p) => p.place === 'shelf').length >= shopping.shelfSize
      ) {
        throw new DomainError(
          'conflict',
          'shelf_full',
          `The shelf holds ${shopping.shelfSize} products; take one down first.`,
        )
      }
      if (place === 'spotlight') {
        // One card in the spotlight: the one there comes down as this one goes up.
        await req.payload.db.updateMany({
          collection: STREAM_PINS,
          where: {
            and: [
              { liveStream: { equals: stream.id } },
              { place: { equals: 'spotlight' } },
              { unpinnedAt: { equals: null } },
            ],
          },
          data: { unpinnedAt: now, updatedAt: now },
        })
      }
      pin = (await req.payload.db.create({
        collection: STREAM_PINS,
        data: {
          liveStream: stream.id,
          product: productId,
          place,
          title: card.title,
          price: card.price,
          currency: card.currency,
          image: card.image,
          pinnedAt: now,
          unpinnedAt: null,
          pinnedBy: user?.id ?? null,
          viewersAtPin: await viewersNow(req, stream.id),
          clicks: 0,
          checkouts: 0,
          createdAt: now,
          updatedAt: now,
        },
      })) as PinRow
    }
    const shop = await publishShop(req.payload, stream)
    return {
      pinId: String(pin.id),
      place: pin.place,
      pinnedAt: new Date(pin.pinnedAt).toISOString(),
      shop,
    }
  })
}

const productIdText = (pin: PinRow) =>
  typeof pin.product === 'object' && pin.product !== null
    ? String((pin.product as { id: unknown }).id)
    : String(pin.product)

async function viewersNow(req: PayloadRequest, liveStreamId: DocId): Promise<number> {
  const doc = await req.payload.db.findOne<{ id: DocId; currentViewers?: null | number }>({
    collection: LIVE_STREAMS,
    where: { id: { equals: liveStreamId } },
    select: { currentViewers: true },
  })
  return Number(doc?.currentViewers ?? 0)
}

/**
 * Takes a pin down (the card leaves every screen) and tells the room. Hosts, co-hosts and admins;
 * a pin already down stays as it was.
 */
export async function unpinProduct(
  req: PayloadRequest,
  liveStreamId: DocId,
  pinId: string,
): Promise<{ pinId: string; unpinnedAt: string; shop: ShopState }> {
  shoppingOf(req)
  const caller = await moderatorOf(req, liveStreamId)
  const { stream } = caller
  const id = idOfShape(idShapeOf(req.payload, STREAM_PINS), pinId)
  const pin =
    id === null
      ? null
      : await req.payload.db.findOne<PinRow>({
          collection: STREAM_PINS,
          where: { and: [{ id: { equals: id } }, { liveStream: { equals: stream.id } }] },
        })
  if (!pin) {
    throw new DomainError('not_found', 'pin_not_found', 'This stream has no pin with that id.')
  }
  return whileHolding(req.payload, shopKey(stream.id), {}, async () => {
    const now = new Date().toISOString()
    await req.payload.db.updateMany({
      collection: STREAM_PINS,
      where: { and: [{ id: { equals: pin.id } }, { unpinnedAt: { equals: null } }] },
      data: { unpinnedAt: now, updatedAt: now },
    })
    // The room is gone once the stream ended; the stored moment is what counts then.
    const shop =
      stream.state === 'live'
        ? await publishShop(req.payload, stream)
        : { spotlight: null, shelf: [] }
    const after = await req.payload.db.findOne<PinRow>({
      collection: STREAM_PINS,
      where: { id: { equals: pin.id } },
    })
    return {
      pinId: String(pin.id),
      unpinnedAt: new Date(after?.unpinnedAt ?? now).toISOString(),
      shop,
    }
  })
}

/**
 * The products a moderator may pin, for the studio's and control room's picker: up to 50, those
 * whose title contains `search` when given, each as its card would show it. Products that cannot
 * be sold (no title or price) are left out.
 */
export async function pickableProducts(
  req: PayloadRequest,
  liveStreamId: DocId,
  search: unknown,
): Promise<{ products: import('../productCard.js').ProductCard[] }> {
  const shopping = shoppingOf(req)
  await moderatorOf(req, liveStreamId)
  const text = typeof search === 'string' ? search.trim().slice(0, 100) : ''
  const found = await req.payload.find({
    collection: shopping.productsSlug as never,
    where: text ? { [shopping.fields.title]: { like: text } } : {},
    limit: 50,
    depth: shopping.fields.imageKind === 'upload' ? 1 : 0,
    overrideAccess: true,
    draft: false,
    sort: shopping.fields.title,
  })
  return {
    products: (found.docs as Record<string, unknown>[]).flatMap((doc) => {
      const read = cardOf(shopping, doc)
      return 'card' in read ? [read.card] : []
    }),
  }
}
