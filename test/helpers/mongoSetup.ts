import type { TestProject } from 'vitest/node'

/*
 * The MongoDB server of the suites (TEST_DATABASE=mongodb), as Payload's plugin template does it:
 * the server TEST_MONGODB_URI names (the scripts start FerretDB there), else an in-memory
 * replica set from mongodb-memory-server, which needs a mongod it can download or the one
 * MONGOMS_SYSTEM_BINARY points at.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  if (process.env.TEST_DATABASE !== 'mongodb') {
    return
  }
  if (process.env.TEST_MONGODB_URI) {
    project.provide('mongoUri', process.env.TEST_MONGODB_URI)
    return
  }
  const { MongoMemoryReplSet } = await import('mongodb-memory-server')
  const server = await MongoMemoryReplSet.create({ replSet: { count: 1 } }).catch(
    (error: unknown) => {
      throw new Error(
        `TEST_DATABASE=mongodb needs a MongoDB server: set TEST_MONGODB_URI, or MONGOMS_SYSTEM_BINARY to a mongod for mongodb-memory-server (${(error as Error).message})`,
      )
    },
  )
  project.provide('mongoUri', server.getUri())
  return async () => {
    await server.stop()
  }
}
