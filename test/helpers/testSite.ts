import { randomBytes } from 'node:crypto'
import { createWriteStream, mkdirSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { buildConfig, type Config, getPayload, type Payload } from 'payload'
import pg from 'pg'
import { inject } from 'vitest'

import { siteConfig, type SiteConfigInput } from '../../dev/siteConfig.js'

/**
 * A running demo site on its own fresh database (PostgreSQL; SQLite with TEST_DATABASE=sqlite;
 * MongoDB with TEST_DATABASE=mongodb).
 */
export interface TestSite {
  payload: Payload
  databaseUri: string
  /** Prefix of this site's room names. */
  roomPrefix: string
  /** getPayload cache key of this instance. */
  key: string
  /** Stops Payload. The database stays until the throwaway cluster goes (dropping it would
   *  cut connections the adapter still holds). */
  close: () => Promise<void>
}

// Payload's log lines (handled errors included) would bury the one-line-per-test output, so they
// go to a file under artifacts/ that the test command prints when a test fails.
const logsDir = path.resolve(process.env.ARTIFACTS_DIR ?? 'artifacts', 'logs')
let payloadLog: NodeJS.WritableStream | undefined
function withQuietLogger(config: Config): Config {
  if (config.logger) {
    return config
  }
  if (!payloadLog) {
    mkdirSync(logsDir, { recursive: true })
    payloadLog = createWriteStream(path.join(logsDir, `payload-${process.pid}.log`), { flags: 'a' })
  }
  return { ...config, logger: { destination: payloadLog as never, options: { level: 'info' } } }
}

/**
 * Which database the suites run on: `TEST_DATABASE=sqlite` gives each test site a SQLite file of
 * its own (libSQL), `TEST_DATABASE=mongodb` a database on the run's MongoDB server (see
 * mongoSetup.ts); otherwise each gets a database on the throwaway PostgreSQL cluster.
 */
export const testDatabase = (): 'mongodb' | 'postgres' | 'sqlite' =>
  process.env.TEST_DATABASE === 'sqlite' || process.env.TEST_DATABASE === 'mongodb'
    ? process.env.TEST_DATABASE
    : 'postgres'

function sqliteDir(): string {
  const dir = path.resolve(process.env.TEST_SQLITE_DIR ?? path.join(os.tmpdir(), 'plk-sqlite'))
  mkdirSync(dir, { recursive: true })
  return dir
}

function serverUri(): string {
  const uri = process.env.DATABASE_URI
  if (!uri) {
    throw new Error(
      'DATABASE_URI is not set: run the suites with `npm test`, which starts PostgreSQL.',
    )
  }
  return uri
}

function withDatabase(uri: string, database: string): string {
  const url = new URL(uri)
  url.pathname = `/${database}`
  return url.toString()
}

/** Creates an empty database on the test cluster and returns its URI. */
export async function createDatabase(
  name = `t_${randomBytes(6).toString('hex')}`,
): Promise<string> {
  await adminQuery(`CREATE DATABASE ${name}`)
  return withDatabase(serverUri(), name)
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUri() })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

/**
 * Starts the demo site's Payload (without Next) on a new database, so every test file sees an
 * empty, freshly pushed schema. `adjust` may change the unbuilt config (e.g. add a site hook).
 */
export async function startTestSite(
  input: Partial<SiteConfigInput> = {},
  adjust?: (config: Config) => Config,
  /** Join the database of a site already running: a second instance of the same site. */
  sameDatabaseAs?: Pick<TestSite, 'databaseUri' | 'roomPrefix'>,
): Promise<TestSite> {
  const database = `t_${randomBytes(6).toString('hex')}`
  let databaseUri = sameDatabaseAs?.databaseUri
  if (!databaseUri && testDatabase() === 'mongodb') {
    // The server test/helpers/mongoSetup.ts found or started for this run.
    databaseUri = withDatabase(inject('mongoUri'), database)
  } else if (!databaseUri && testDatabase() === 'sqlite') {
    databaseUri = `file:${path.join(sqliteDir(), `${database}.db`)}`
  } else if (!databaseUri) {
    await adminQuery(`CREATE DATABASE ${database}`)
    databaseUri = withDatabase(serverUri(), database)
  }
  // Each test site names its rooms apart, so one file's reconcile never touches another's rooms.
  const roomPrefix = sameDatabaseAs?.roomPrefix ?? `t${database.slice(2)}`
  const raw = siteConfig({
    databaseUri,
    ...(sameDatabaseAs ? { push: false } : {}),
    ...input,
    plugin: {
      // TEST_HOT_PATHS=generic runs the suites on Payload's database API instead of the fast path.
      ...(process.env.TEST_HOT_PATHS === 'generic' ? { database: { hotPaths: 'generic' } } : {}),
      ...input.plugin,
      livekit: { roomPrefix, ...input.plugin?.livekit },
    },
  })
  const config = await buildConfig(withQuietLogger(adjust ? adjust(raw) : raw))
  // The Postgres adapter skips pushing a schema it already pushed in this process, but each test
  // site has a database of its own that needs the push.
  process.env.PAYLOAD_FORCE_DRIZZLE_PUSH = 'true'
  const payload = await getPayload({ config, key: database })
  return {
    payload,
    databaseUri,
    roomPrefix,
    key: database,
    close: async () => {
      await payload.destroy()
    },
  }
}
