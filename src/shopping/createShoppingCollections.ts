import type { CollectionConfig } from 'payload'

import type { ResolvedOptions } from '../resolveOptions.js'
import type { ResolvedShopping } from './shoppingOptions.js'

import { adminOrOwn, nobody, pluginWritten } from '../access/adminOnly.js'
import { moneyComponents } from '../admin/moneyComponents.js'
import { LIVE_STREAMS, PRODUCT_ORDERS, SHOP_INTERACTIONS, STREAM_PINS } from '../core/slugs.js'
import { uniqueKeyField } from '../db/uniqueKeyField.js'
import { collectionLabels, fieldLabel, pluginLabel, translatedOptions } from '../i18n/labels.js'

/** Where a pinned product shows: the one card in the spotlight, or on the session's shelf. */
export const PIN_PLACES = ['spotlight', 'shelf'] as const
export type PinPlace = (typeof PIN_PLACES)[number]

/**
 * Builds `stream-pins`: one row per time a product was put in the spotlight or on the shelf of a
 * stream, with when it came down, the card as it was shown (so replays and figures keep what the
 * audience saw after the product changes) and the figures of that moment. Written by the plugin.
 */
export function createStreamPinsCollection(
  resolved: ResolvedOptions,
  shopping: ResolvedShopping,
): CollectionConfig {
  const counter = (name: 'checkouts' | 'clicks' | 'viewersAtPin') => ({
    name,
    type: 'number' as const,
    label: fieldLabel(name),
    defaultValue: 0,
    admin: { readOnly: true, description: pluginLabel(`description-stream-pins-${name}`) },
  })
  return {
    slug: STREAM_PINS,
    labels: collectionLabels('stream-pins'),
    admin: {
      group: 'Live',
      useAsTitle: 'title',
      defaultColumns: ['title', 'liveStream', 'place', 'pinnedAt', 'unpinnedAt', 'clicks'],
    },
    // Admins read every pin, hosts those of their own streams; viewers get them through the
    // stream's shopping endpoint, which applies the stream's access rules.
    access: {
      read: adminOrOwn(resolved, 'liveStream.host'),
      create: nobody,
      update: nobody,
      delete: nobody,
    },
    timestamps: true,
    fields: [
      {
        name: 'liveStream',
        type: 'relationship',
        label: fieldLabel('liveStream'),
        relationTo: LIVE_STREAMS,
        index: true,
      },
      {
        name: 'product',
        type: 'relationship',
        label: fieldLabel('product'),
        relationTo: shopping.productsSlug,
        index: true,
      },
      {
        name: 'place',
        type: 'select',
        label: fieldLabel('place'),
        required: true,
        options: translatedOptions('pinPlace', PIN_PLACES),
      },
      { name: 'title', type: 'text', label: fieldLabel('title'), required: true },
      {
        name: 'price',
        type: 'number',
        label: fieldLabel('price'),
        required: true,
        admin: { components: moneyComponents('currency', shopping.currency) },
      },
      { name: 'currency', type: 'text', label: fieldLabel('currency'), required: true },
      { name: 'image', type: 'text', label: fieldLabel('image') },
      {
        name: 'pinnedAt',
        type: 'date',
        label: fieldLabel('pinnedAt'),
        required: true,
        index: true,
        admin: { date: { pickerAppearance: 'dayAndTime' } },
      },
      {
        name: 'unpinnedAt',
        type: 'date',
        label: fieldLabel('unpinnedAt'),
        index: true,
        admin: { date: { pickerAppearance: 'dayAndTime' } },
      },
      {
        name: 'pinnedBy',
        type: 'relationship',
        label: fieldLabel('pinnedBy'),
        relationTo: resolved.usersSlug,
      },
      counter('viewersAtPin'),
      counter('clicks'),
      counter('checkouts'),
    ],
  }
}

/** What became of a product order. */
export const ORDER_STATUSES = ['paid', 'refunding', 'refunded'] as const

/**
 * Builds `product-orders`: one per paid Checkout Session of a product bought during a stream. A
 * `refunding` order was paid after the last unit went; its refund is under way. Buyers read
 * their own, admins every one; only the plugin writes them.
 */
export function createProductOrdersCollection(
  resolved: ResolvedOptions,
  shopping: ResolvedShopping,
): CollectionConfig {
  return {
    slug: PRODUCT_ORDERS,
    labels: collectionLabels('product-orders'),
    admin: {
      group: 'Live',
      defaultColumns: [
        'product',
        'liveStream',
        'status',
        'amount',
        'currency',
        'email',
        'createdAt',
      ],
    },
    access: { read: adminOrOwn(resolved, 'user'), create: nobody, update: nobody, delete: nobody },
    timestamps: true,
    fields: [
      {
        name: 'liveStream',
        type: 'relationship',
        label: fieldLabel('liveStream'),
        relationTo: LIVE_STREAMS,
        index: true,
      },
      {
        name: 'product',
        type: 'relationship',
        label: fieldLabel('product'),
        relationTo: shopping.productsSlug,
        index: true,
      },
      {
        name: 'pin',
        type: 'relationship',
        label: fieldLabel('pin'),
        relationTo: STREAM_PINS,
        index: true,
      },
      // Empty for a guest of a public stream: Checkout collected the email.
      {
        name: 'user',
        type: 'relationship',
        label: fieldLabel('user'),
        relationTo: resolved.usersSlug,
        index: true,
      },
      { name: 'email', type: 'text', label: fieldLabel('email') },
      {
        name: 'status',
        type: 'select',
        label: fieldLabel('status'),
        required: true,
        defaultValue: 'paid',
        index: true,
        options: translatedOptions('orderStatus', ORDER_STATUSES),
      },
      {
        name: 'amount',
        type: 'number',
        label: fieldLabel('amount'),
        required: true,
        admin: { components: moneyComponents('currency', shopping.currency) },
      },
      { name: 'currency', type: 'text', label: fieldLabel('currency'), required: true },
      // The units the product had when this order took one (null: not limited, or none left).
      {
        name: 'stockBefore',
        type: 'number',
        label: fieldLabel('stockBefore'),
        admin: {
          readOnly: true,
          description: pluginLabel('description-product-orders-stockBefore'),
        },
      },
      // Whether this order took a unit (taken), needed none (unlimited) or came after the last one.
      {
        name: 'stockDecision',
        type: 'select',
        label: fieldLabel('stockDecision'),
        options: translatedOptions('stockDecision', ['taken', 'unlimited', 'sold_out']),
        admin: { readOnly: true },
      },
      {
        name: 'stripeCheckoutSessionId',
        type: 'text',
        label: fieldLabel('stripeCheckoutSessionId'),
        required: true,
        unique: true,
        index: true,
      },
      {
        name: 'stripePaymentIntentId',
        type: 'text',
        label: fieldLabel('stripePaymentIntentId'),
        index: true,
      },
      {
        name: 'transferDestination',
        type: 'text',
        label: fieldLabel('transferDestination'),
        admin: { readOnly: true },
      },
      {
        name: 'refundReason',
        type: 'select',
        label: fieldLabel('refundReason'),
        options: translatedOptions('refundReason', ['sold_out', 'stripe']),
        admin: { readOnly: true },
      },
    ],
  }
}

/** What a viewer did with a card that the figures count: opened it, or went to Checkout. */
export const INTERACTION_KINDS = ['click', 'checkout'] as const
export type InteractionKind = (typeof INTERACTION_KINDS)[number]

/**
 * Builds `shop-interactions`: one row per viewer, pin and kind (key `kind|pin|identity`, unique),
 * so a card's clicks and checkouts count people, exactly, however often one of them clicks and on
 * however many instances. Written by the plugin only.
 */
export function createShopInteractionsCollection(resolved: ResolvedOptions): CollectionConfig {
  return {
    slug: SHOP_INTERACTIONS,
    labels: collectionLabels('shop-interactions'),
    admin: { group: 'Live', hidden: true },
    access: pluginWritten(resolved.isAdmin),
    timestamps: true,
    fields: [
      uniqueKeyField(),
      { name: 'liveStream', type: 'text', label: fieldLabel('liveStream'), index: true },
      { name: 'pin', type: 'text', label: fieldLabel('pin'), index: true },
      {
        name: 'kind',
        type: 'select',
        label: fieldLabel('kind'),
        required: true,
        options: translatedOptions('interactionKind', INTERACTION_KINDS),
      },
      { name: 'identity', type: 'text', label: fieldLabel('identity') },
    ],
  }
}
