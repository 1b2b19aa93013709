import type { PayloadRequest } from 'payload'

import type { DocId } from '../../core/ids.js'
import type { InteractionKind } from '../createShoppingCollections.js'

import { identifyCaller } from '../../access/identifyCaller.js'
import { DomainError } from '../../core/domainError.js'
import { canModerate } from '../../core/roles.js'
import {
  PRODUCT_ORDERS,
  REVENUE_TRACKING,
  SHOP_INTERACTIONS,
  STREAM_PINS,
} from '../../core/slugs.js'
import { insertUnique } from '../../db/uniqueRows.js'
import { type PinFigures, pinFigures, totalFigures } from '../figures.js'
import { currentShop, type PinRow, type ShopState } from '../shopState.js'
import { shoppingOf } from './pinProducts.js'

/** One time a product was up during the stream: a chapter of its replays. */
export interface ProductMoment {
  pinId: string
  productId: string
  title: string
  place: string
  price: number
  currency: string
  image: null | string
  pinnedAt: string
  unpinnedAt: null | string
}

/** What `GET /api/live-streams/:id/shop` answers. */
export interface ShopView {
  shop: ShopState
  moments: ProductMoment[]
  /** For the host, co-hosts and admins only. */
  figures?: {
    pins: PinFigures[]
    products: ReturnType<typeof totalFigures>
    stream: ReturnType<typeof totalFigures>
  }
}

const productText = (pin: PinRow) =>
  typeof pin.product === 'object' && pin.product !== null
    ? String((pin.product as { id: unknown }).id)
    : String(pin.product)

async function pinsOf(req: PayloadRequest, liveStreamId: DocId): Promise<PinRow[]> {
  return (
    await req.payload.db.find<PinRow>({
      collection: STREAM_PINS,
      where: { liveStream: { equals: liveStreamId } },
      sort: 'pinnedAt',
      limit: 0,
      pagination: false,
    })
  ).docs
}

/** Counts per pin from the stored interactions, orders and ledger entries of a stream. */
async function figuresOf(req: PayloadRequest, liveStreamId: DocId, pins: PinRow[]) {
  const { payload } = req
  const [interactions, orders, entries] = await Promise.all([
    payload.db.find<{ id: DocId; pin: string; kind: InteractionKind }>({
      collection: SHOP_INTERACTIONS,
      where: { liveStream: { equals: String(liveStreamId) } },
      limit: 0,
      pagination: false,
    }),
    payload.db.find<{ id: DocId; pin?: unknown; status: string }>({
      collection: PRODUCT_ORDERS,
      where: { liveStream: { equals: liveStreamId } },
      limit: 0,
      pagination: false,
    }),
    payload.db.find<{
      id: DocId
      pin?: null | string
      grossAmount: number
      commissionAmount: number
    }>({
      collection: REVENUE_TRACKING,
      where: { and: [{ liveStream: { equals: String(liveStreamId) } }, { pin: { exists: true } }] },
      limit: 0,
      pagination: false,
    }),
  ])
  const pinOf = (v: unknown) =>
    String(typeof v === 'object' && v !== null ? (v as { id: unknown }).id : v)
  const figures = pins.map((pin) => {
    const id = String(pin.id)
    const mine = entries.docs.filter((e) => e.pin != null && String(e.pin) === id)
    return pinFigures({
      pin: {
        id,
        productId: productText(pin),
        title: pin.title,
        place: pin.place,
        pinnedAt: new Date(pin.pinnedAt).toISOString(),
        unpinnedAt: pin.unpinnedAt ? new Date(pin.unpinnedAt).toISOString() : null,
        viewersAtPin: Number(pin.viewersAtPin ?? 0),
        currency: pin.currency,
      },
      clicks: interactions.docs.filter((i) => i.pin === id && i.kind === 'click').length,
      checkouts: interactions.docs.filter((i) => i.pin === id && i.kind === 'checkout').length,
      purchases: orders.docs.filter((o) => pinOf(o.pin) === id && o.status === 'paid').length,
      gross: mine.reduce((a, e) => a + e.grossAmount, 0),
      commission: mine.reduce((a, e) => a + e.commissionAmount, 0),
    })
  })
  return {
    pins: figures,
    products: totalFigures(figures, (p) => p.productId),
    stream: totalFigures(figures, () => 'stream'),
  }
}

/** The figures of every pin of a stream, for callers that checked the reader may moderate it. */
export async function pinFiguresOf(
  req: PayloadRequest,
  liveStreamId: DocId,
): Promise<PinFigures[]> {
  return (await figuresOf(req, liveStreamId, await pinsOf(req, liveStreamId))).pins
}

/**
 * The shop of a stream for whoever may watch it (the token's access rules, whatever the state):
 * the cards up now and every product moment, for the replay's chapters. The host, co-hosts and
 * admins also get the figures per pin, per product and for the stream.
 */
export async function shopOf(req: PayloadRequest, liveStreamId: DocId): Promise<ShopView> {
  shoppingOf(req)
  const caller = await identifyCaller({ req, liveStreamId, ignoreState: true })
  const pins = await pinsOf(req, caller.stream.id)
  const moments = pins.map((pin) => ({
    pinId: String(pin.id),
    productId: productText(pin),
    title: pin.title,
    place: pin.place,
    price: pin.price,
    currency: pin.currency,
    image: pin.image ?? null,
    pinnedAt: new Date(pin.pinnedAt).toISOString(),
    unpinnedAt: pin.unpinnedAt ? new Date(pin.unpinnedAt).toISOString() : null,
  }))
  return {
    shop:
      caller.stream.state === 'live'
        ? await currentShop(req.payload, caller.stream.id)
        : { spotlight: null, shelf: [] },
    moments,
    ...(canModerate(caller.role) ? { figures: await figuresOf(req, caller.stream.id, pins) } : {}),
  }
}

/**
 * Counts that the caller did `kind` with a pin's card, once per viewer (the unique key), so the
 * figures count people however often one of them clicks. Anyone who may watch the stream.
 */
export async function recordInteraction(
  req: PayloadRequest,
  input: { liveStreamId: DocId; pinId: string; kind: InteractionKind; identity: string },
): Promise<void> {
  const key = `${input.kind}|${input.pinId}|${input.identity}`
  await insertUnique(
    req.payload,
    SHOP_INTERACTIONS,
    { key: { equals: key } },
    {
      key,
      liveStream: String(input.liveStreamId),
      pin: input.pinId,
      kind: input.kind,
      identity: input.identity,
    },
  )
}

/** `POST /api/live-streams/:id/pins/:pinId/click`: a viewer opened a card that is up. */
export async function clickCard(
  req: PayloadRequest,
  liveStreamId: DocId,
  pinId: string,
  guestCredential?: unknown,
): Promise<{ counted: true }> {
  shoppingOf(req)
  const caller = await identifyCaller({ req, liveStreamId, guestCredential })
  const shop = await currentShop(req.payload, caller.stream.id)
  const up = [shop.spotlight, ...shop.shelf].some((c) => c?.pinId === pinId)
  if (!up) {
    throw new DomainError('conflict', 'not_pinned', 'That product is not up in this stream now.')
  }
  await recordInteraction(req, {
    liveStreamId: caller.stream.id,
    pinId,
    kind: 'click',
    identity: caller.identity,
  })
  return { counted: true }
}
