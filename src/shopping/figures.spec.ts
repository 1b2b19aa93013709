import { describe, expect, it } from 'vitest'

import { type PinCounts, pinFigures, totalFigures } from './figures.js'

const counts = (over: { id: string; productId: string; viewers: number } & Partial<PinCounts>) =>
  ({
    pin: {
      id: over.id,
      productId: over.productId,
      title: `Product ${over.productId}`,
      place: 'spotlight',
      pinnedAt: '2026-12-04T10:00:00.000Z',
      unpinnedAt: null,
      viewersAtPin: over.viewers,
      currency: 'usd',
    },
    clicks: over.clicks ?? 0,
    checkouts: over.checkouts ?? 0,
    purchases: over.purchases ?? 0,
    gross: over.gross ?? 0,
    commission: over.commission ?? 0,
  }) satisfies PinCounts

describe('shop figures', () => {
  it('converts purchases per viewer present, and 0 with nobody there', () => {
    expect(
      pinFigures(counts({ id: '1', productId: 'a', viewers: 40, purchases: 4 })).conversion,
    ).toBe(0.1)
    expect(
      pinFigures(counts({ id: '1', productId: 'a', viewers: 0, purchases: 2 })).conversion,
    ).toBe(0)
  })

  it('adds pins of a product up, counting the audience once', () => {
    const pins = [
      counts({
        id: '1',
        productId: 'a',
        viewers: 30,
        clicks: 5,
        purchases: 2,
        gross: 3000,
        commission: 600,
      }),
      counts({
        id: '2',
        productId: 'a',
        viewers: 50,
        clicks: 7,
        purchases: 3,
        gross: 4500,
        commission: 900,
      }),
      counts({ id: '3', productId: 'b', viewers: 50, clicks: 1, purchases: 0 }),
    ].map(pinFigures)
    const byProduct = totalFigures(pins, (p) => p.productId)
    expect(byProduct.find((t) => t.key === 'a')).toMatchObject({
      viewers: 50,
      clicks: 12,
      purchases: 5,
      revenue: 7500,
      commission: 1500,
      conversion: 0.1,
    })
    expect(totalFigures(pins, () => 'stream')).toHaveLength(1)
  })
})
