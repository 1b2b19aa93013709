/** A pin's figures as the control room and the stream's admin view show them. */
export interface PinFigures {
  pinId: string
  productId: string
  title: string
  place: string
  pinnedAt: string
  unpinnedAt: null | string
  /** Viewers in the room when the product was pinned. */
  viewers: number
  /** Viewers who opened the card. */
  clicks: number
  /** Viewers who went on to Stripe Checkout. */
  checkouts: number
  /** Paid orders that were not refunded. */
  purchases: number
  /** Net of refunds, minor units of `currency`. */
  revenue: number
  commission: number
  currency: string
  /** Purchases per viewer present (0 with no viewers), from 0 to 1. */
  conversion: number
}

/** The figures of one product over every pin of it in a stream, or of the whole stream. */
export type FigureTotals = Omit<
  PinFigures,
  'pinId' | 'pinnedAt' | 'place' | 'productId' | 'title' | 'unpinnedAt'
>

/** What was counted per pin: the inputs of {@link pinFigures}. */
export interface PinCounts {
  pin: {
    id: string
    productId: string
    title: string
    place: string
    pinnedAt: string
    unpinnedAt: null | string
    viewersAtPin: number
    currency: string
  }
  clicks: number
  checkouts: number
  purchases: number
  /** Sum of the pin's ledger entries (sales and their refunds). */
  gross: number
  commission: number
}

const rate = (purchases: number, viewers: number) =>
  viewers > 0 ? Math.min(1, purchases / viewers) : 0

/** A pin's figures from its counts. Pure. */
export function pinFigures(c: PinCounts): PinFigures {
  return {
    pinId: c.pin.id,
    productId: c.pin.productId,
    title: c.pin.title,
    place: c.pin.place,
    pinnedAt: c.pin.pinnedAt,
    unpinnedAt: c.pin.unpinnedAt,
    viewers: c.pin.viewersAtPin,
    clicks: c.clicks,
    checkouts: c.checkouts,
    purchases: c.purchases,
    revenue: c.gross,
    commission: c.commission,
    currency: c.pin.currency,
    conversion: rate(c.purchases, c.pin.viewersAtPin),
  }
}

/**
 * Adds pin figures up by `keyOf` (a product, or one key for the whole stream) and currency:
 * viewers are the most present at any of the pins (the same people are counted at each pin),
 * everything else adds up. Pure.
 */
export function totalFigures(
  pins: readonly PinFigures[],
  keyOf: (pin: PinFigures) => string,
): Array<{ key: string } & FigureTotals> {
  const out = new Map<string, { key: string } & FigureTotals>()
  for (const p of pins) {
    const key = `${keyOf(p)}|${p.currency}`
    const t = out.get(key) ?? {
      key: keyOf(p),
      viewers: 0,
      clicks: 0,
      checkouts: 0,
      purchases: 0,
      revenue: 0,
      commission: 0,
      currency: p.currency,
      conversion: 0,
    }
    t.viewers = Math.max(t.viewers, p.viewers)
    t.clicks += p.clicks
    t.checkouts += p.checkouts
    t.purchases += p.purchases
    t.revenue += p.revenue
    t.commission += p.commission
    t.conversion = rate(t.purchases, t.viewers)
    out.set(key, t)
  }
  return [...out.values()]
}
