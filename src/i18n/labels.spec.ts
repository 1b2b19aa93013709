import type { CollectionConfig, Config, Field } from 'payload'
import { describe, expect, it } from 'vitest'

import { livekitPlugin } from '../plugin.js'

const config = (i18n?: Config['i18n']): Config =>
  ({
    collections: [
      { slug: 'users', auth: true, fields: [] },
      { slug: 'appointments', fields: [{ name: 'host', type: 'relationship', relationTo: 'users' }, { name: 'startsAt', type: 'date' }, { name: 'endsAt', type: 'date' }] },
    ],
    ...(i18n ? { i18n } : {}),
  }) as Config
const install = (c: Config) => livekitPlugin({ appointments: { slug: 'appointments' }, livekit: { url: 'wss://x.livekit.cloud', apiKey: 'k', apiSecret: 's' } })(c)

function labels(fields: Field[]): unknown[] {
  return fields.flatMap((f) => [...('name' in f && f.type !== 'ui' ? [(f as { label?: unknown }).label] : []), ...('fields' in f && Array.isArray(f.fields) ? labels(f.fields) : [])])
}

describe('translations', () => {
  it('every field and collection the plugin adds is labelled in English and German', () => {
    const out = install(config())
    const ours = out.collections!.filter((c) => !['users', 'appointments'].includes(c.slug)) as CollectionConfig[]
    for (const collection of ours) {
      expect(collection.labels?.plural, collection.slug).toMatchObject({ en: expect.any(String), de: expect.any(String) })
      for (const label of labels(collection.fields)) expect(label, collection.slug).toMatchObject({ en: expect.any(String), de: expect.any(String) })
    }
  })

  it("merge into the site's i18n, the site's own strings winning", () => {
    const out = install(config({ translations: { de: { 'plugin-livekit': { ledger: 'Kassenbuch' } } } as never }))
    const translations = out.i18n!.translations as Record<string, Record<string, Record<string, string>>>
    expect(translations.en!['plugin-livekit']!.ledger).toBe('Commission ledger')
    expect(translations.de!['plugin-livekit']!.ledger).toBe('Kassenbuch')
    expect(translations.de!['plugin-livekit']!.endStream).toBe('Stream beenden')
  })
})
