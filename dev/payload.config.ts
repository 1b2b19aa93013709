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
      // Under a benchmark (the only one setting BENCH_FLOORS) the audience is signed synthetic
      // events LiveKit never saw: the reconcile sweep would take the figures from LiveKit's empty
      // participant list in the middle of the run, and the check of the figures would fail.
      ...(process.env.BENCH_FLOORS === '1' ? { lifecycle: { reconcileCron: false as const } } : {}),
    },
    onInit: async (payload) => {
      await seed(payload)
    },
  }),
)
