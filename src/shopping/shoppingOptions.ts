import type { CollectionConfig, Config } from 'payload'

import type { LivekitPluginOptions } from '../options.js'

import { findDataField, LivekitPluginConfigError } from '../configChecks.js'

/** Live shopping after defaults and checks; null on a site that has not turned it on. */
export interface ResolvedShopping {
  productsSlug: string
  fields: {
    title: string
    price: string
    currency?: string
    image?: string
    /** `upload` when the image field is an upload (its document has the `url`). */
    imageKind?: 'text' | 'upload'
    stock?: string
  }
  currency: string
  shelfSize: number
}

/** The field types each product field may have. */
const TYPES = {
  title: ['text', 'textarea'],
  price: ['number'],
  currency: ['text', 'select'],
  image: ['text', 'upload'],
  stock: ['number'],
} as const

/**
 * Checks `shopping` against the site's collections: the product collection must exist and each
 * named field must be a top-level field of the right type, so a typo stops the start with a
 * sentence rather than selling products without a price.
 */
export function resolveShopping(
  options: LivekitPluginOptions,
  config: Config,
  defaultCurrency: string,
): null | ResolvedShopping {
  const given = options.shopping
  if (given === undefined || given === null) {
    return null
  }
  if (typeof given !== 'object' || typeof given.products !== 'string' || !given.products) {
    throw new LivekitPluginConfigError(
      "`shopping.products` must be the slug of the site's product collection, e.g. { shopping: { products: 'products' } }.",
    )
  }
  const collections = config.collections ?? []
  const products: CollectionConfig | undefined = collections.find((c) => c.slug === given.products)
  if (!products) {
    throw new LivekitPluginConfigError(
      `\`shopping.products\` is '${given.products}' but the config has no collection with that slug. ` +
        'Add the product collection before the plugin runs (install the plugin after a plugin that adds it).',
    )
  }
  const named = given.fields ?? {}
  const fields: ResolvedShopping['fields'] = {
    title: named.title ?? 'title',
    price: named.price ?? 'price',
    ...(named.currency !== undefined ? { currency: named.currency } : {}),
    ...(named.image !== undefined ? { image: named.image } : {}),
    ...(named.stock !== undefined ? { stock: named.stock } : {}),
  }
  for (const key of Object.keys(fields) as Array<keyof typeof TYPES>) {
    const name = fields[key]
    if (typeof name !== 'string' || !name) {
      throw new LivekitPluginConfigError(
        `\`shopping.fields.${key}\` must be a field name (a string).`,
      )
    }
    const field = findDataField(products.fields, name)
    if (!field) {
      throw new LivekitPluginConfigError(
        `\`shopping.fields.${key}\` is '${name}', which is not a top-level field of '${given.products}'.`,
      )
    }
    if (!(TYPES[key] as readonly string[]).includes(field.type)) {
      throw new LivekitPluginConfigError(
        `\`shopping.fields.${key}\` is '${name}', a ${field.type} field; it must be ${TYPES[key].join(' or ')}.`,
      )
    }
    if (key === 'image') {
      fields.imageKind = field.type === 'upload' ? 'upload' : 'text'
    }
  }
  const currency = given.currency ?? defaultCurrency
  if (typeof currency !== 'string' || !/^[a-z]{3}$/i.test(currency)) {
    throw new LivekitPluginConfigError(
      `\`shopping.currency\` must be a three-letter ISO 4217 code such as 'usd' (got ${JSON.stringify(currency)}).`,
    )
  }
  const shelfSize = given.shelfSize ?? 12
  if (!Number.isInteger(shelfSize) || shelfSize < 1 || shelfSize > 50) {
    throw new LivekitPluginConfigError('`shopping.shelfSize` must be a whole number from 1 to 50.')
  }
  return { productsSlug: given.products, fields, currency: currency.toLowerCase(), shelfSize }
}
