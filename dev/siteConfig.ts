import type { Config } from 'payload'

import { de } from '@payloadcms/translations/languages/de'
import { en } from '@payloadcms/translations/languages/en'
import { es } from '@payloadcms/translations/languages/es'
import { fr } from '@payloadcms/translations/languages/fr'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { livekitPlugin, type LivekitPluginOptions } from '../src/index.js'
import { Appointments } from './collections/Appointments.js'
import { Products } from './collections/Products.js'
import { Tenants } from './collections/Tenants.js'
import { Users } from './collections/Users.js'
import { databaseAdapter } from './database.js'

const dirname = path.dirname(fileURLToPath(import.meta.url))

export interface SiteConfigInput {
  /** The database: a `postgres://` connection string or a SQLite `file:` path (see databaseAdapter). */
  databaseUri: string
  /** Plugin options beyond the defaults of the demo site. */
  plugin?: Partial<LivekitPluginOptions>
  /** Replace or extend the site's collections (tests use this to add hooks). */
  collections?: Config['collections']
  onInit?: Config['onInit']
  /** Push the schema in development (default). Off for a second instance joining a database. */
  push?: boolean
}

/**
 * The demo site's Payload config, before `buildConfig`: users, tenants and appointments, with the
 * plugin installed the way an agency would. Shared by the dev app and the integration tests.
 */
export function siteConfig(input: SiteConfigInput): Config {
  const collections = input.collections ?? [Users, Tenants, Appointments, Products]
  return {
    admin: {
      user: 'users',
      importMap: {
        baseDir: dirname,
        importMapFile: path.resolve(dirname, 'app/(payload)/admin/importMap.js'),
      },
      meta: { titleSuffix: ' · payload-plugin-livekit demo' },
    },
    collections,
    // The languages the plugin speaks, so the admin panel can be seen in each (the account menu).
    i18n: { supportedLanguages: { de, en, es, fr } },
    db: databaseAdapter(input.databaseUri, input.push !== false),
    secret: process.env.PAYLOAD_SECRET || 'dev-only-payload-secret-change-me',
    typescript: { outputFile: path.resolve(dirname, 'payload-types.ts'), autoGenerate: false },
    telemetry: false,
    onInit: input.onInit,
    plugins: [
      livekitPlugin({
        appointments: { slug: 'appointments' },
        // Live shopping wherever the site has the demo's products.
        ...(collections.some((c) => c.slug === 'products')
          ? {
              shopping: {
                products: 'products',
                fields: { currency: 'currency', image: 'image', stock: 'stock' },
              },
            }
          : {}),
        ...input.plugin,
      }),
    ],
  }
}
