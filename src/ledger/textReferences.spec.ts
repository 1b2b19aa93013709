import { describe, expect, it } from 'vitest'

import { withTextReferences } from './textReferences.js'

describe('ledger references in a query', () => {
  const refs = new Set(['host', 'liveStream'])

  it('become text where they are compared with ids, at any depth', () => {
    expect(
      withTextReferences(
        {
          and: [
            { liveStream: { equals: 7 } },
            { or: [{ host: { in: [1, '2', 3] } }, { host: { not_equals: 4 } }] },
          ],
        },
        refs,
      ),
    ).toEqual({
      and: [
        { liveStream: { equals: '7' } },
        { or: [{ host: { in: ['1', '2', '3'] } }, { host: { not_equals: '4' } }] },
      ],
    })
  })

  it('leave other fields, other operators and text alone', () => {
    const where = {
      grossAmount: { greater_than: 100 },
      host: { exists: true, equals: 'abc' },
      kind: { equals: 'sale' },
    }
    expect(withTextReferences(where, refs)).toEqual(where)
  })
})
