import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { salesBook, type SalesLine, type SoldOrder } from './salesBook.js'

const order = (id: string, session: null | string, intent: null | string): SoldOrder => ({
  id,
  product: 'p1',
  pin: 'pin1',
  status: 'paid',
  amount: 2500,
  currency: 'usd',
  createdAt: '2026-12-05T10:00:00.000Z',
  stripeCheckoutSessionId: session,
  stripePaymentIntentId: intent,
})
const line = (
  id: string,
  kind: string,
  session: null | string,
  intent: null | string,
  gross = 2500,
): SalesLine => ({
  id,
  kind,
  product: 'p1',
  pin: 'pin1',
  grossAmount: gross,
  commissionAmount: Math.round(gross / 5),
  hostShareAmount: gross - Math.round(gross / 5),
  currency: 'usd',
  occurredAt: '2026-12-05T10:00:01.000Z',
  stripeCheckoutSessionId: session,
  stripePaymentIntentId: intent,
})

describe('salesBook', () => {
  it('puts a sale under its order by session and its refund by payment intent', () => {
    const book = salesBook(
      [order('o1', 'cs_1', 'pi_1'), order('o2', 'cs_2', 'pi_2')],
      [
        line('l1', 'product_sale', 'cs_1', null),
        line('l2', 'product_sale', 'cs_2', 'pi_2'),
        line('l3', 'refund', null, 'pi_1', -2500),
        line('l4', 'refund', null, 'pi_9', -900),
      ],
    )
    expect(book.orders.map((o) => o.lines.map((l) => l.id))).toEqual([['l1', 'l3'], ['l2']])
    expect(book.otherLines.map((l) => l.id)).toEqual(['l4'])
  })

  it('never ties lines through a missing id', () => {
    const book = salesBook([order('o1', null, null)], [line('l1', 'refund', null, null)])
    expect(book.orders[0].lines).toEqual([])
    expect(book.otherLines).toHaveLength(1)
  })

  it('shows every line exactly once, whatever matches', () => {
    const ids = fc.constantFrom(null, 'a', 'b', 'c')
    fc.assert(
      fc.property(
        fc.array(fc.tuple(ids, ids), { maxLength: 6 }),
        fc.array(fc.tuple(ids, ids), { maxLength: 12 }),
        (os, ls) => {
          const book = salesBook(
            os.map(([s, i], n) => order(`o${n}`, s, i)),
            ls.map(([s, i], n) => line(`l${n}`, 'product_sale', s, i)),
          )
          const shown = [...book.orders.flatMap((o) => o.lines), ...book.otherLines].map(
            (l) => l.id,
          )
          expect([...shown].sort()).toEqual(ls.map((_, n) => `l${n}`).sort())
        },
      ),
    )
  })
})
