import type { PayloadRequest } from 'payload'

import type { DocId } from '../../core/ids.js'

import { identifyModerator } from '../../access/identifyCaller.js'
import { relationId } from '../../core/relationId.js'
import { PRODUCT_ORDERS, REVENUE_TRACKING } from '../../core/slugs.js'
import { type SalesBook, salesBook, type SalesLine, type SoldOrder } from '../salesBook.js'
import { shoppingOf } from './pinProducts.js'

type Row = { id: DocId } & Record<string, unknown>

const textOf = (value: unknown): null | string => {
  const id = relationId(value)
  return id === undefined || id === '' ? null : String(id)
}
const isoOf = (value: unknown) => new Date(String(value)).toISOString()

/**
 * What a stream sold, for its host, co-hosts and admins: every product order with the ledger
 * lines that book it. Read past collection access on purpose: a host may not read other people's
 * orders in general, but the sales of their own stream are theirs to see. Buyers' addresses are
 * left out for everyone but admins, since buyers gave them to the site and not to the host.
 */
export async function streamSalesOf(req: PayloadRequest, liveStreamId: DocId): Promise<SalesBook> {
  shoppingOf(req)
  const caller = await identifyModerator(
    req,
    liveStreamId,
    'not_a_moderator',
    "Only the stream's host, co-hosts and admins can read its sales.",
  )
  const streamId = caller.stream.id
  const [orders, lines] = await Promise.all([
    req.payload.db.find<Row>({
      collection: PRODUCT_ORDERS,
      where: { liveStream: { equals: streamId } },
      sort: 'createdAt',
      limit: 0,
      pagination: false,
    }),
    req.payload.db.find<Row>({
      collection: REVENUE_TRACKING,
      where: {
        and: [{ liveStream: { equals: String(streamId) } }, { product: { exists: true } }],
      },
      sort: 'occurredAt',
      limit: 0,
      pagination: false,
    }),
  ])
  const admin = caller.role === 'admin'
  const soldOrders = orders.docs.map((o): SoldOrder => ({
    id: String(o.id),
    product: textOf(o.product),
    pin: textOf(o.pin),
    status: String(o.status),
    amount: Number(o.amount),
    currency: String(o.currency),
    createdAt: isoOf(o.createdAt),
    ...(admin ? { email: typeof o.email === 'string' ? o.email : null } : {}),
    stripeCheckoutSessionId: textOf(o.stripeCheckoutSessionId),
    stripePaymentIntentId: textOf(o.stripePaymentIntentId),
  }))
  const salesLines = lines.docs.map((l): SalesLine => ({
    id: String(l.id),
    kind: String(l.kind),
    product: textOf(l.product),
    pin: textOf(l.pin),
    grossAmount: Number(l.grossAmount),
    commissionAmount: Number(l.commissionAmount),
    hostShareAmount: Number(l.hostShareAmount),
    currency: String(l.currency),
    occurredAt: isoOf(l.occurredAt),
    stripeCheckoutSessionId: textOf(l.stripeCheckoutSessionId),
    stripePaymentIntentId: textOf(l.stripePaymentIntentId),
  }))
  return salesBook(soldOrders, salesLines)
}
