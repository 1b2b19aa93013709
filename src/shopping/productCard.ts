import type { Payload } from 'payload'

import type { DocId } from '../core/ids.js'
import type { ResolvedShopping } from './shoppingOptions.js'

/** A product as the audience sees it on the card, read from the site's product collection. */
export interface ProductCard {
  productId: string
  title: string
  /** Minor units of `currency`. */
  price: number
  currency: string
  /** An http(s) URL, or null when the product has none. */
  image: null | string
  /** Units left; null when the product is not limited. */
  stock: null | number
}

const webUrl = (value: unknown): null | string => {
  if (typeof value !== 'string' || !value) {
    return null
  }
  // A path on the site (an upload's url) is kept as it is; anything else must be http(s).
  if (value.startsWith('/') && !value.startsWith('//')) {
    return value
  }
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null
  } catch {
    return null
  }
}

/** Units left in a stock field's value: null when it holds no whole number (not limited). */
export const unitsLeft = (value: unknown): null | number =>
  typeof value === 'number' && Number.isSafeInteger(value) ? Math.max(0, value) : null

/**
 * What a stored product shows on its card, or a reason it cannot be sold: a title, a price that
 * is a whole positive number of minor units and a currency code. Pure.
 */
export function cardOf(
  shopping: ResolvedShopping,
  doc: Record<string, unknown>,
): { card: ProductCard } | { problem: 'no_price' | 'no_title' } {
  const f = shopping.fields
  const title = typeof doc[f.title] === 'string' ? (doc[f.title] as string).trim() : ''
  if (!title) {
    return { problem: 'no_title' }
  }
  const price = doc[f.price]
  if (typeof price !== 'number' || !Number.isSafeInteger(price) || price <= 0) {
    return { problem: 'no_price' }
  }
  const currency = f.currency ? doc[f.currency] : shopping.currency
  const image = f.image
    ? webUrl(
        f.imageKind === 'upload'
          ? (doc[f.image] as { url?: unknown } | null | undefined)?.url
          : doc[f.image],
      )
    : null
  return {
    card: {
      productId: String(doc.id),
      title: title.slice(0, 200),
      price,
      currency:
        typeof currency === 'string' && /^[a-z]{3}$/i.test(currency)
          ? currency.toLowerCase()
          : shopping.currency,
      image,
      stock: f.stock ? unitsLeft(doc[f.stock]) : null,
    },
  }
}

/**
 * The stored product `id` of the site's product collection (its upload populated for the image),
 * or null when there is none. Read through the Local API without access checks: the plugin shows
 * only what the card needs.
 */
export async function loadProduct(
  payload: Payload,
  shopping: ResolvedShopping,
  id: DocId,
): Promise<null | Record<string, unknown>> {
  try {
    return (await payload.findByID({
      collection: shopping.productsSlug as never,
      id,
      depth: shopping.fields.imageKind === 'upload' ? 1 : 0,
      overrideAccess: true,
      disableErrors: true,
      // A product kept as drafts sells what was published.
      draft: false,
    })) as null | Record<string, unknown>
  } catch {
    return null
  }
}
