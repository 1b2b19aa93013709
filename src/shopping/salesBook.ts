/** A product order as a stream's sales list shows it. */
export interface SoldOrder {
  id: string
  product: null | string
  pin: null | string
  status: string
  amount: number
  currency: string
  createdAt: string
  /** The address the buyer gave Checkout: for admins only (buyers gave it to the site). */
  email?: null | string
  stripeCheckoutSessionId: null | string
  stripePaymentIntentId: null | string
}

/** A product ledger line of the stream. */
export interface SalesLine {
  id: string
  kind: string
  product: null | string
  pin: null | string
  grossAmount: number
  commissionAmount: number
  hostShareAmount: number
  currency: string
  occurredAt: string
  stripeCheckoutSessionId: null | string
  stripePaymentIntentId: null | string
}

/** The stream's sales: each order with the lines that book it, and lines no order claims. */
export interface SalesBook {
  orders: Array<{ lines: SalesLine[] } & SoldOrder>
  /** Lines of the stream's products that match no order (a refund started in Stripe, say). */
  otherLines: SalesLine[]
}

const same = (a: null | string, b: null | string) => a !== null && a === b

/**
 * Puts every ledger line under the order it books. A sale carries the order's Checkout Session;
 * a refund only its payment intent, so either ties them. A line goes to the first order it
 * matches and to no other, so the book never counts one twice.
 */
export function salesBook(orders: SoldOrder[], lines: SalesLine[]): SalesBook {
  const claimed = new Set<string>()
  const booked = orders.map((order) => {
    const mine = lines.filter(
      (line) =>
        !claimed.has(line.id) &&
        (same(line.stripePaymentIntentId, order.stripePaymentIntentId) ||
          same(line.stripeCheckoutSessionId, order.stripeCheckoutSessionId)),
    )
    for (const line of mine) {
      claimed.add(line.id)
    }
    return { ...order, lines: mine }
  })
  return { orders: booked, otherLines: lines.filter((line) => !claimed.has(line.id)) }
}
