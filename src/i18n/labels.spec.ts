import type { CollectionConfig, Config, Field } from 'payload'

import { describe, expect, it } from 'vitest'

import { livekitPlugin } from '../plugin.js'
import { PLUGIN_LANGUAGES, PLUGIN_NAMESPACE } from './translations.js'

const siteCollections = () => [
  { slug: 'users', auth: true, fields: [{ name: 'name', type: 'text' }] },
  { slug: 'tenants', fields: [{ name: 'name', type: 'text' }] },
  {
    slug: 'appointments',
    fields: [
      { name: 'host', type: 'relationship', relationTo: 'users' },
      { name: 'tenant', type: 'relationship', relationTo: 'tenants' },
      { name: 'startsAt', type: 'date' },
      { name: 'endsAt', type: 'date' },
    ],
  },
]
const config = (i18n?: Config['i18n']): Config =>
  ({ collections: siteCollections(), ...(i18n ? { i18n } : {}) }) as Config
const install = (c: Config) =>
  livekitPlugin({
    appointments: { slug: 'appointments', fields: { tenant: 'tenant' } },
    livekit: { url: 'wss://x.livekit.cloud', apiKey: 'k', apiSecret: 's' },
  } as never)(c)

type Labelled = { where: string; label: unknown }

/** Every label, option label and description of these fields, with where it sits. */
function labelsOf(where: string, fields: Field[]): Labelled[] {
  return fields.flatMap((f) => {
    const field = f as {
      name?: string
      label?: unknown
      options?: Array<{ label?: unknown }>
      fields?: Field[]
      admin?: { description?: unknown }
    } & Field
    const at = `${where}.${field.name ?? field.type}`
    const own: Labelled[] =
      field.type === 'ui' || field.type === 'row' ? [] : [{ where: at, label: field.label }]
    const options = (field.options ?? []).map((o, i) => ({
      where: `${at}[${i}]`,
      label: typeof o === 'object' ? o.label : o,
    }))
    const description =
      field.admin?.description !== undefined
        ? [{ where: `${at} (description)`, label: field.admin.description }]
        : []
    return [
      ...own,
      ...options,
      ...description,
      ...(Array.isArray(field.fields) ? labelsOf(at, field.fields) : []),
    ]
  })
}

/** The labels of everything the plugin adds: its collections, and its fields on the site's. */
function pluginLabels(): Labelled[] {
  const before = new Map(
    siteCollections().map((c) => [c.slug, new Set(c.fields.map((f) => f.name))]),
  )
  return (install(config()).collections as CollectionConfig[]).flatMap((collection) => {
    const siteFields = before.get(collection.slug)
    if (siteFields) {
      return labelsOf(
        collection.slug,
        collection.fields.filter((f) => !('name' in f) || !siteFields.has(f.name)),
      )
    }
    return [
      { where: `${collection.slug} (singular)`, label: collection.labels?.singular },
      { where: `${collection.slug} (plural)`, label: collection.labels?.plural },
      ...(collection.admin?.description !== undefined
        ? [{ where: `${collection.slug} (description)`, label: collection.admin.description }]
        : []),
      ...labelsOf(collection.slug, collection.fields),
    ]
  })
}

/** The key a label function asks for. */
const keyOf = (label: unknown) =>
  typeof label === 'function' ? String(label({ t: (key: string) => key, i18n: {} })) : undefined

describe('labels of the collections and fields the plugin adds', () => {
  const labels = pluginLabels()

  it('covers the fields the plugin adds to the site: appointments, host terms on users and tenants', () => {
    const where = labels.map((l) => l.where)
    expect(where).toEqual(
      expect.arrayContaining([
        'appointments.liveStream',
        'appointments.liveStats',
        'appointments.price',
        'users.stripeAccountId',
        'users.commissionRateBps',
        'tenants.commissionRateBps',
      ]),
    )
  })

  it('every label and description is a translation key of the plugin that exists in English', () => {
    expect(labels.length).toBeGreaterThan(200)
    for (const { where, label } of labels) {
      const key = keyOf(label)
      expect(key, `${where} is not a translation key`).toMatch(new RegExp(`^${PLUGIN_NAMESPACE}:`))
      expect(PLUGIN_LANGUAGES.en, `${where} asks for ${key}`).toHaveProperty([
        key!.slice(PLUGIN_NAMESPACE.length + 1),
      ])
    }
  })

  it("reads in the admin's language through Payload's translations", () => {
    const translations = install(config()).i18n!.translations as Record<
      string,
      Record<string, Record<string, string>>
    >
    const t = (language: string) => (key: string) => {
      const [namespace, name] = key.split(':') as [string, string]
      return translations[language][namespace][name]
    }
    const plural = (install(config()).collections as CollectionConfig[]).find(
      (c) => c.slug === 'live-streams',
    )!.labels!.plural as (a: unknown) => string
    expect(plural({ t: t('en'), i18n: {} })).toBe('Live streams')
    expect(plural({ t: t('de'), i18n: {} })).toBe('Livestreams')
    expect(plural({ t: t('fr'), i18n: {} })).toBe('Directs')
    expect(plural({ t: t('es'), i18n: {} })).toBe('Directos')
  })
})

describe('validation messages of the fields the plugin adds', () => {
  it('say why a value is refused in the language of the request that saves, English without one', () => {
    const users = (install(config()).collections as CollectionConfig[]).find(
      (c) => c.slug === 'users',
    )!
    const field = users.fields.find((f) => 'name' in f && f.name === 'stripeAccountId') as {
      validate: (value: unknown, options: unknown) => unknown
    }
    const german = (key: string) =>
      PLUGIN_LANGUAGES.de[key.split(':')[1] as keyof typeof PLUGIN_LANGUAGES.de]
    expect(field.validate('acct_123', { req: { t: german } })).toBe(true)
    expect(field.validate('nope', { req: { t: german } })).toBe(
      'Eine Stripe-Konto-ID beginnt mit acct_.',
    )
    expect(field.validate('nope', {})).toBe('A Stripe account id starts with acct_.')
  })
})

describe('translations in the site config', () => {
  it("merge into the site's i18n, the site's own strings winning", () => {
    const out = install(
      config({ translations: { de: { 'plugin-livekit': { ledger: 'Kassenbuch' } } } as never }),
    )
    const translations = out.i18n!.translations as Record<
      string,
      Record<string, Record<string, string>>
    >
    expect(translations.en['plugin-livekit'].ledger).toBe('Commission ledger')
    expect(translations.de['plugin-livekit'].ledger).toBe('Kassenbuch')
    expect(translations.de['plugin-livekit'].endStream).toBe('Stream beenden')
    expect(translations.fr['plugin-livekit'].endStream).toBe('Terminer le direct')
  })

  it('a language of the site the plugin does not ship reads English until the site adds its own', () => {
    const out = install(
      config({
        supportedLanguages: { en: {}, nl: {} } as never,
        translations: { nl: { 'plugin-livekit': { ledger: 'Commissieboek' } } } as never,
      }),
    )
    const translations = out.i18n!.translations as Record<
      string,
      Record<string, Record<string, string>>
    >
    expect(translations.nl['plugin-livekit'].ledger).toBe('Commissieboek')
    expect(translations.nl['plugin-livekit'].endStream).toBe('End the stream')
  })
})
