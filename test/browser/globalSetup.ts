import type { TestProject } from 'vitest/node'

import { randomBytes } from 'node:crypto'
import path from 'node:path'

import { startNextSite } from '../helpers/nextSite.js'
import { createDatabase } from '../helpers/testSite.js'

declare module 'vitest' {
  export interface ProvidedContext {
    siteUrl: string
    siteDatabaseUri: string
    siteRoomPrefix: string
  }
}

/**
 * One dev site (Next.js) for all browser tests: its own database and room prefix, on port 3100,
 * where livekit.yaml also sends webhooks. Test files join its database with a Payload of their own
 * to create worlds and read figures.
 */
export default async function setup(project: TestProject) {
  const databaseUri = await createDatabase()
  const roomPrefix = `b${randomBytes(4).toString('hex')}`
  const site = await startNextSite({
    port: 3100,
    databaseUri,
    roomPrefix,
    logFile: path.resolve(process.env.ARTIFACTS_DIR ?? 'artifacts', 'next-dev.log'),
    // Payload's first init (schema push, seed) and each page's first compile happen here, not in a test.
    warm: [
      '/api/users/me',
      '/api/livekit/webhook',
      '/streams',
      '/login',
      '/streams/1/watch',
      '/streams/1/host',
      '/streams/1/overlay',
      '/admin/login',
    ],
  })
  project.provide('siteUrl', site.url)
  project.provide('siteDatabaseUri', databaseUri)
  project.provide('siteRoomPrefix', roomPrefix)
  return async () => {
    await site.stop()
  }
}
