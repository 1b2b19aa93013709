import type { CollectionConfig } from 'payload'

import { admins, anyone } from './access.js'

/** What the demo's hosts sell during their streams; admins keep the catalogue. */
export const Products: CollectionConfig = {
  slug: 'products',
  admin: { useAsTitle: 'title', defaultColumns: ['title', 'price', 'currency', 'stock'] },
  access: { read: anyone, create: admins, update: admins, delete: admins },
  fields: [
    { name: 'title', type: 'text', required: true },
    // Minor units (1500 = 15.00), like every amount the plugin reads.
    { name: 'price', type: 'number', required: true, min: 1 },
    { name: 'currency', type: 'text', defaultValue: 'usd' },
    { name: 'image', type: 'text' },
    // Units left; empty for a product that is not limited.
    { name: 'stock', type: 'number', min: 0 },
  ],
}
