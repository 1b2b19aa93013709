import type { Field } from 'payload'

import { describe, expect, it } from 'vitest'

import { findDataField } from './configChecks.js'

describe('findDataField', () => {
  const price: Field = { name: 'priceInUSD', type: 'number' }
  it('looks through rows, collapsibles, unnamed groups and unnamed tabs', () => {
    const nested: Field[] = [
      { type: 'group', fields: [{ type: 'row', fields: [price] }] } as Field,
      {
        type: 'tabs',
        tabs: [{ label: 'Stock', fields: [{ name: 'inventory', type: 'number' }] }],
      },
    ]
    expect(findDataField(nested, 'priceInUSD')).toBe(price)
    expect(findDataField(nested, 'inventory')).toMatchObject({ name: 'inventory' })
  })
  it('does not look into named groups and tabs, whose fields are nested data', () => {
    const named: Field[] = [
      { name: 'prices', type: 'group', fields: [price] },
      { type: 'tabs', tabs: [{ name: 'stock', fields: [{ name: 'inventory', type: 'number' }] }] },
    ]
    expect(findDataField(named, 'priceInUSD')).toBeUndefined()
    expect(findDataField(named, 'inventory')).toBeUndefined()
  })
})
