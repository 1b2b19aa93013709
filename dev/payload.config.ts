import { buildConfig } from 'payload'

import { seed } from './seed.js'
import { siteConfig } from './siteConfig.js'

export default buildConfig(
  siteConfig({
    databaseUri: process.env.DATABASE_URI || 'postgres://postgres@127.0.0.1:54329/postgres',
    onInit: async (payload) => {
      await seed(payload)
    },
  }),
)
