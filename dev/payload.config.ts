import { buildConfig } from 'payload'

import { seed } from './seed.js'
import { siteConfig } from './siteConfig.js'

const siteUrl = process.env.SITE_URL || `http://localhost:${process.env.PORT || 3000}`

export default buildConfig(
  siteConfig({
    databaseUri: process.env.DATABASE_URI || 'postgres://postgres@127.0.0.1:54329/postgres',
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
