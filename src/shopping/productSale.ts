import type { Payload, Where } from 'payload'
import type Stripe from 'stripe'

import type { DocId } from '../core/ids.js'
import type { CheckoutFacts } from '../payments/checkoutSeal.js'
import type { ResolvedShopping } from './shoppingOptions.js'

import { PRODUCT_ORDERS, STREAM_PINS } from '../core/slugs.js'
import { whileHolding } from '../db/claims.js'
import { storedIdOf } from '../db/idFormat.js'
import { findOrCreate } from '../db/uniqueRows.js'
import { queueAttendeeEmails } from '../emails/attendeeEmails.js'
import {
  applyRefunds,
  hasRefundReport,
  recordSale,
  type Settlement,
} from '../ledger/ledgerEntries.js'
import { feeOfPayment } from '../payments/chargeFee.js'
import { saleRows } from '../payments/saleRows.js'
import { refundSoldOut } from '../payments/soldOutRefund.js'
import { holdPayout } from '../payouts/hostPayouts.js'
import { pluginOptionsOf, stripeFor } from '../runtime.js'
import { loadStream } from '../streams/streamStore.js'
import { unitsLeft } from './productCard.js'
import { publishShop } from './shopState.js'

/** What applying a paid product checkout did. */
export type ProductSaleOutcome =
  | 'already refunded'
  | 'fully refunded'
  | 'not a checkout of this site'
  | 'product sold'
  | 'sold out: refunded'
  | 'unknown live stream'

type OrderRow = {
  id: DocId
  status: 'paid' | 'refunded' | 'refunding'
  stockDecision?: 'sold_out' | 'taken' | 'unlimited' | null
} & Record<string, unknown>

const idOf = (payload: Payload, slug: string, raw: string | undefined): DocId | null =>
  raw === undefined || raw === '' ? null : storedIdOf(payload, slug, raw)

const exists = async (payload: Payload, collection: string, id: DocId | null) =>
  id !== null && (await payload.db.findOne({ collection, where: { id: { equals: id } } })) !== null

/**
 * Decides once, under a claim on the product shared by every instance, whether an order gets a
 * unit: it reads the stock, and either takes one (the order's decision and the product's new
 * stock written together, in one transaction where the database has them) or finds none left.
 * A product without a whole number in its stock field is not limited. Without transactions the
 * stock is written first: a crash between the two writes loses a unit rather than selling one
 * twice.
 */
async function decideStock(
  payload: Payload,
  shopping: ResolvedShopping,
  orderId: DocId,
  productId: DocId | null,
): Promise<OrderRow> {
  const readOrder = async () =>
    (await payload.db.findOne<OrderRow>({
      collection: PRODUCT_ORDERS,
      where: { id: { equals: orderId } },
    }))!
  const stockField = shopping.fields.stock
  if (!stockField || productId === null) {
    await payload.db.updateMany({
      collection: PRODUCT_ORDERS,
      where: { and: [{ id: { equals: orderId } }, { stockDecision: { equals: null } }] },
      data: { stockDecision: 'unlimited' },
    })
    return readOrder()
  }
  return whileHolding(
    payload,
    `${shopping.productsSlug}/${String(productId)}/stock`,
    {},
    async () => {
      const order = await readOrder()
      if (order.stockDecision) {
        return order
      }
      const product = await payload.db.findOne<{ id: DocId } & Record<string, unknown>>({
        collection: shopping.productsSlug,
        where: { id: { equals: productId } },
      })
      const left = product ? unitsLeft(product[stockField]) : null
      const now = new Date().toISOString()
      if (left === null && product) {
        await payload.db.updateOne({
          collection: PRODUCT_ORDERS,
          id: orderId,
          data: { stockDecision: 'unlimited', updatedAt: now },
        })
        return readOrder()
      }
      if (left === null || left <= 0) {
        // Paid after the last unit went (or the product is gone): refunded, never oversold.
        await payload.db.updateOne({
          collection: PRODUCT_ORDERS,
          id: orderId,
          data: {
            stockDecision: 'sold_out',
            status: 'refunding',
            refundReason: 'sold_out',
            updatedAt: now,
          },
        })
        return readOrder()
      }
      const tx = (await payload.db.beginTransaction?.()) ?? null
      const req = tx ? { transactionID: tx } : undefined
      try {
        await payload.db.updateOne({
          collection: shopping.productsSlug,
          id: productId,
          data: { [stockField]: left - 1 },
          req,
        })
        await payload.db.updateOne({
          collection: PRODUCT_ORDERS,
          id: orderId,
          data: { stockDecision: 'taken', stockBefore: left, updatedAt: now },
          req,
        })
        if (tx) {
          await payload.db.commitTransaction(tx)
        }
      } catch (error) {
        if (tx) {
          await payload.db.rollbackTransaction(tx)
        }
        throw error
      }
      return readOrder()
    },
  )
}

/**
 * A paid Checkout Session of a product: the order (once per session), its unit of stock, the
 * `product_sale` entry attributed to the stream and the pin that was showing, refunds Stripe
 * reported before it, and the refund of an order paid after the last unit went. Each step is
 * idempotent, so a retry after any failure completes what is missing, on any instance.
 */
export async function productSold(
  payload: Payload,
  event: Stripe.Event,
  session: Stripe.Checkout.Session,
  sealed: CheckoutFacts,
  paymentIntentId: null | string,
): Promise<ProductSaleOutcome> {
  const resolved = pluginOptionsOf(payload)
  const { shopping } = resolved
  const liveStreamId = idOf(payload, 'live-streams', sealed.liveStreamId)
  const pinId = idOf(payload, STREAM_PINS, sealed.pinId)
  if (!shopping || liveStreamId === null || pinId === null || !sealed.productId) {
    return 'not a checkout of this site'
  }
  const facts = await saleRows(payload).saleFacts(liveStreamId)
  if (!facts) {
    return 'unknown live stream'
  }
  const { stream, host, tenant } = facts
  const productId = idOf(payload, shopping.productsSlug, sealed.productId)
  const userId = idOf(payload, resolved.usersSlug, sealed.userId)
  const gross = Number(sealed.amount)
  const currency = sealed.currency
  const { doc: created, created: madeNow } = await findOrCreate<OrderRow>(
    payload,
    PRODUCT_ORDERS,
    { stripeCheckoutSessionId: { equals: session.id } },
    {
      liveStream: stream.id,
      // A product or buyer deleted since the checkout still paid: the order keeps the money's
      // facts without the reference rather than failing on a missing row at every retry.
      product: (await exists(payload, shopping.productsSlug, productId)) ? productId : null,
      pin: (await exists(payload, STREAM_PINS, pinId)) ? pinId : null,
      user: (await exists(payload, resolved.usersSlug, userId)) ? userId : null,
      email: session.customer_details?.email ?? session.customer_email ?? null,
      status: 'paid',
      amount: gross,
      currency,
      stripeCheckoutSessionId: session.id,
      stripePaymentIntentId: paymentIntentId,
      transferDestination: sealed.destination ?? '',
    },
  )
  const order = await decideStock(payload, shopping, created.id, productId)

  const fromCheckout = Number(sealed.rateBps)
  const settlement: Settlement =
    sealed.settlement === 'separate' ? 'separate' : sealed.destination ? 'destination' : 'platform'
  await recordSale(
    payload,
    gross,
    Number.isInteger(fromCheckout) && fromCheckout >= 0 && fromCheckout <= 10000 ? fromCheckout : 0,
    {
      appointment: stream.appointment,
      liveStream: stream.id,
      tenant,
      host,
      currency,
      product: sealed.productId,
      pin: sealed.pinId,
    },
    { eventId: event.id, paymentIntentId, checkoutSessionId: session.id },
    Boolean(resolved.appointments.tenantsSlug),
    {
      kind: 'product_sale',
      settlement,
      feeBearer: sealed.feeBearer === 'host' ? 'host' : 'platform',
      unbooked: madeNow,
      fee: () =>
        paymentIntentId
          ? feeOfPayment(stripeFor(payload), paymentIntentId, currency)
          : Promise.resolve(0),
    },
  )
  if (settlement === 'separate') {
    await holdPayout(payload, stream.id)
  }
  if (paymentIntentId && (await hasRefundReport(payload, paymentIntentId))) {
    const refunds = await applyRefunds(
      payload,
      paymentIntentId,
      Boolean(resolved.appointments.tenantsSlug),
    )
    if (refunds.fullyRefunded) {
      await closeRefundedOrders(payload, paymentIntentId)
      return 'fully refunded'
    }
  }
  if (order.status === 'refunded') {
    return 'already refunded'
  }
  if (order.stockDecision === 'sold_out') {
    if (paymentIntentId) {
      await refundSoldOut(payload, paymentIntentId, session, sealed.destination)
    }
    await payload.db.updateMany({
      collection: PRODUCT_ORDERS,
      where: { and: [{ id: { equals: order.id } }, { status: { equals: 'refunding' } }] },
      data: { status: 'refunded', updatedAt: new Date().toISOString() },
    })
    // The buyer is told once: the delivery key is per order, whatever Stripe retries.
    await queueAttendeeEmails(payload, {
      kind: 'product_refund',
      liveStreamId: String(stream.id),
      productOrderId: String(order.id),
    })
    return 'sold out: refunded'
  }
  const live = await loadStream(payload, stream.id)
  if (live?.state === 'live') {
    // The card's "left" goes down on every screen; a LiveKit hiccup must not fail the sale.
    await publishShop(payload, live).catch((error: unknown) =>
      payload.logger.warn(
        `payload-plugin-livekit: the shop of stream ${String(stream.id)} was not republished after a sale: ${String((error as Error).message ?? error)}`,
      ),
    )
  }
  return 'product sold'
}

/** A fully refunded payment's product orders are refunded (one refunded in Stripe's dashboard says so). */
export async function closeRefundedOrders(
  payload: Payload,
  paymentIntentId: string,
): Promise<void> {
  if (!pluginOptionsOf(payload).shopping) {
    return
  }
  const open: Where[] = [
    { stripePaymentIntentId: { equals: paymentIntentId } },
    { status: { in: ['paid', 'refunding'] } },
  ]
  const updatedAt = new Date().toISOString()
  await payload.db.updateMany({
    collection: PRODUCT_ORDERS,
    where: { and: [...open, { refundReason: { equals: null } }] },
    data: { refundReason: 'stripe', updatedAt },
  })
  await payload.db.updateMany({
    collection: PRODUCT_ORDERS,
    where: { and: open },
    data: { status: 'refunded', updatedAt },
  })
}
