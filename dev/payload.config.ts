import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildConfig } from 'payload'

import { seed } from './seed.js'
import { siteConfig } from './siteConfig.js'

const siteUrl = process.env.SITE_URL || `http://localhost:${process.env.PORT || 3000}`

export default buildConfig(
  siteConfig({
    // `npm run dev` always says which; without it, the embedded default (a SQLite file).
    databaseUri:
      process.env.DATABASE_URI ||
      `file:${path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../.services/dev.db')}`,
    plugin: {
      // The browser tests run this site next to other test sites on one LiveKit server: each keeps
      // to rooms of its own prefix.
      ...(process.env.LIVEKIT_ROOM_PREFIX
        ? { livekit: { roomPrefix: process.env.LIVEKIT_ROOM_PREFIX } }
        : {}),
      egress: { overlayUrl: `${siteUrl}/streams/{stream}/overlay` },
    },
    onInit: async (payload) => {
      await seed(payload)
    },
  }),
)
