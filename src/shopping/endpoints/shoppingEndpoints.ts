import type { Endpoint, PayloadRequest } from 'payload'

import { DomainError } from '../../core/domainError.js'
import { endpoint, jsonBody, operationBody, routeId } from '../../http/respond.js'
import {
  pickableProducts,
  type PinBody,
  pinProduct,
  unpinProduct,
} from '../operations/pinProducts.js'
import { createProductCheckout, type ProductCheckoutBody } from '../operations/productCheckout.js'
import { clickCard, shopOf } from '../operations/shopView.js'
import { streamSalesOf } from '../operations/streamSales.js'

function pinIdOf(req: PayloadRequest): string {
  const pinId = String(req.routeParams?.pinId ?? '')
  if (!/^[\w-]{1,64}$/.test(pinId)) {
    throw new DomainError('not_found', 'pin_not_found', 'This stream has no pin with that id.')
  }
  return pinId
}

const noStore = { headers: { 'Cache-Control': 'no-store' } }

/**
 * GET /api/live-streams/:id/shop — whoever may watch the stream: `{ shop: { spotlight, shelf },
 * moments }` (every product moment, for replay chapters); hosts, co-hosts and admins also get
 * `figures` per pin, product and stream. 404 `shopping_off` on a site without live shopping.
 */
const shop: Endpoint = {
  path: '/:id/shop',
  method: 'get',
  handler: endpoint(async (req) => Response.json(await shopOf(req, routeId(req)), noStore)),
}

/**
 * GET /api/live-streams/:id/products?search= — hosts, co-hosts, admins: up to 50 products to pin.
 */
const products: Endpoint = {
  path: '/:id/products',
  method: 'get',
  handler: endpoint(async (req) =>
    Response.json(
      await pickableProducts(req, routeId(req), req.searchParams.get('search')),
      noStore,
    ),
  ),
}

/**
 * POST /api/live-streams/:id/pins — hosts, co-hosts, admins, while live. Body:
 * `{ product, place?: 'spotlight' | 'shelf' }`. Returns `{ pinId, place, pinnedAt, shop }`; 409
 * `stream_not_live`, `shelf_full`, `product_unpriced`; 404 `product_not_found`.
 */
const pin: Endpoint = {
  path: '/:id/pins',
  method: 'post',
  handler: endpoint(async (req) => {
    const id = routeId(req)
    return Response.json(await pinProduct(req, id, await operationBody<PinBody>(req)))
  }),
}

/** DELETE /api/live-streams/:id/pins/:pinId — hosts, co-hosts, admins: takes a pin down. */
const unpin: Endpoint = {
  path: '/:id/pins/:pinId',
  method: 'delete',
  handler: endpoint(async (req) =>
    Response.json(await unpinProduct(req, routeId(req), pinIdOf(req))),
  ),
}

/**
 * POST /api/live-streams/:id/pins/:pinId/click — a viewer opened a card that is up (counted once
 * per viewer). Body (guests): `{ guestCredential }`. 409 `not_pinned`.
 */
const click: Endpoint = {
  path: '/:id/pins/:pinId/click',
  method: 'post',
  handler: endpoint(async (req) => {
    const id = routeId(req)
    const pinId = pinIdOf(req)
    const body = await jsonBody(req)
    return Response.json(await clickCard(req, id, pinId, body.guestCredential))
  }),
}

/**
 * POST /api/live-streams/:id/pins/:pinId/checkout — whoever may watch the stream buys the product
 * of a pin that is up. Body: `{ successUrl?, cancelUrl?, guestCredential? }`. Returns
 * `{ sessionId, url }`; 409 `not_pinned` or `sold_out`.
 */
const checkout: Endpoint = {
  path: '/:id/pins/:pinId/checkout',
  method: 'post',
  handler: endpoint(async (req) => {
    const id = routeId(req)
    const pinId = pinIdOf(req)
    const body = await operationBody<ProductCheckoutBody>(req)
    return Response.json(await createProductCheckout(req, id, pinId, body), noStore)
  }),
}

/**
 * GET /api/live-streams/:id/sales — hosts, co-hosts, admins: the stream's product orders, each
 * with the ledger lines that book it, and `otherLines` no order claims. Buyers' addresses for
 * admins only. 403 `not_a_moderator`.
 */
const sales: Endpoint = {
  path: '/:id/sales',
  method: 'get',
  handler: endpoint(async (req) => Response.json(await streamSalesOf(req, routeId(req)), noStore)),
}

/** Live shopping's endpoints, mounted under `/api/live-streams`. */
export const shoppingEndpoints = (): Endpoint[] => [
  shop,
  products,
  sales,
  pin,
  unpin,
  click,
  checkout,
]
