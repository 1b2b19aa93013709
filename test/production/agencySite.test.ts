import { RoomServiceClient } from 'livekit-server-sdk'
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/*
 * The production path, as an agency takes it: the packed plugin installed into a fresh site (the
 * agency check installs it into AGENCY_SITE_DIR, outside the network namespace), Payload's app
 * folder from its template, migrations where the adapter has them, `next build`, `next start`,
 * then a booking whose status opens and closes a room on the real LiveKit server. Once per
 * adapter: one build serves all three, the database is chosen when the site starts.
 */

const siteRoot = process.env.AGENCY_SITE_DIR
const app = siteRoot ? path.join(siteRoot, 'production') : ''
const logs = path.join(process.env.ARTIFACTS_DIR ?? '/tmp', 'logs')
const port = 3300
const base = `http://127.0.0.1:${port}`
const livekit = new RoomServiceClient(
  (process.env.LIVEKIT_URL ?? 'ws://127.0.0.1:7880').replace(/^ws/, 'http'),
  process.env.LIVEKIT_API_KEY,
  process.env.LIVEKIT_API_SECRET,
)

/** Payload's app folder as its template has it: the demo site's copy, which is the same files. */
const TEMPLATE_FILES = [
  'app/(payload)/layout.tsx',
  'app/(payload)/custom.scss',
  'app/(payload)/admin/[[...segments]]/page.tsx',
  'app/(payload)/admin/[[...segments]]/not-found.tsx',
  'app/(payload)/api/[...slug]/route.ts',
]
const devSite = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dev')

const files: Record<string, string> = {
  ...Object.fromEntries(
    TEMPLATE_FILES.map((file) => [file, readFileSync(path.join(devSite, file), 'utf8')]),
  ),
  'package.json': JSON.stringify({ name: 'agency-production', private: true, type: 'module' }),
  'tsconfig.json': JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      lib: ['DOM', 'DOM.Iterable', 'ES2022'],
      module: 'esnext',
      moduleResolution: 'bundler',
      jsx: 'preserve',
      strict: true,
      skipLibCheck: true,
      esModuleInterop: true,
      resolveJsonModule: true,
      isolatedModules: true,
      allowJs: true,
      noEmit: true,
      incremental: true,
      paths: { '@payload-config': ['./payload.config.ts'] },
      plugins: [{ name: 'next' }],
    },
    include: ['**/*.ts', '**/*.tsx', 'next-env.d.ts'],
    exclude: ['node_modules', '.next'],
  }),
  'next.config.mjs': `import { withPayload } from '@payloadcms/next/withPayload'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

// The site's packages are installed one folder up.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

export default withPayload({ turbopack: { root }, outputFileTracingRoot: root })
`,
  'payload.config.ts': `import { compatibilityOptions, mongooseAdapter } from '@payloadcms/db-mongodb'
import { postgresAdapter } from '@payloadcms/db-postgres'
import { sqliteAdapter } from '@payloadcms/db-sqlite'
import { buildConfig } from 'payload'
import { livekitPlugin } from 'payload-plugin-livekit'

const uri = process.env.DATABASE_URI ?? ''
const db = uri.startsWith('postgres')
  ? postgresAdapter({ pool: { connectionString: uri }, migrationDir: './migrations/postgres' })
  : uri.startsWith('file:')
    ? sqliteAdapter({ client: { url: uri }, migrationDir: './migrations/sqlite' })
    : mongooseAdapter({
        url: uri,
        ...(process.env.MONGODB_COMPAT === 'ferretdb' ? compatibilityOptions.cosmosdb : {}),
      })

export default buildConfig({
  secret: process.env.PAYLOAD_SECRET ?? '',
  serverURL: '${base}',
  db,
  admin: { user: 'users' },
  collections: [
    {
      slug: 'users',
      auth: true,
      fields: [
        { name: 'role', type: 'select', options: ['admin', 'host', 'attendee'], defaultValue: 'attendee' },
      ],
    },
    {
      slug: 'bookings',
      fields: [
        { name: 'host', type: 'relationship', relationTo: 'users' },
        { name: 'from', type: 'date' },
        { name: 'to', type: 'date' },
        {
          name: 'status',
          type: 'select',
          options: ['scheduled', 'in-progress', 'completed', 'cancelled'],
          defaultValue: 'scheduled',
        },
      ],
    },
  ],
  plugins: [
    livekitPlugin({
      appointments: { slug: 'bookings', fields: { start: 'from', end: 'to', status: 'status' } },
      livekit: {
        url: process.env.LIVEKIT_URL ?? '',
        apiKey: process.env.LIVEKIT_API_KEY ?? '',
        apiSecret: process.env.LIVEKIT_API_SECRET ?? '',
        roomPrefix: process.env.LIVEKIT_ROOM_PREFIX,
      },
    }),
  ],
})
`,
  'app/(payload)/admin/importMap.js': 'export const importMap = {}\n',
}

/** The site's environment: the run's (LiveKit, secrets) with the site's own config and database. */
const siteEnv = (env: Record<string, string>): NodeJS.ProcessEnv => ({
  ...process.env,
  ...env,
  PAYLOAD_CONFIG_PATH: path.join(app, 'payload.config.ts'),
  NODE_ENV: 'production' as const,
  NEXT_TELEMETRY_DISABLED: '1',
})

/** Runs one of the site's commands (Payload's CLI, Next) with the database it is given. */
function inSite(args: string[], env: Record<string, string>, logName: string): void {
  try {
    execFileSync('npx', args, {
      cwd: app,
      env: siteEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
      timeout: 900_000,
      maxBuffer: 64 * 1024 * 1024,
    })
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string }
    writeFileSync(path.join(logs, `production-${logName}.log`), `${e.stdout}\n${e.stderr}`)
    throw new Error(`npx ${args.join(' ')} failed:\n${String(e.stderr ?? e.stdout).slice(-3000)}`)
  }
}

/** `next start` of the built site on one database, until stopped. */
async function startSite(env: Record<string, string>, logName: string) {
  const log = createWriteStream(path.join(logs, `production-${logName}-next-start.log`))
  const child: ChildProcess = spawn('npx', ['next', 'start', '--port', String(port)], {
    cwd: app,
    env: siteEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  child.stdout?.pipe(log)
  child.stderr?.pipe(log)
  const until = Date.now() + 120_000
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`next start exited with ${child.exitCode}; see ${logName}`)
    }
    const ready = await fetch(`${base}/api/users/me`).then(
      (r) => r.status < 500,
      () => false,
    )
    if (ready) {
      break
    }
    if (Date.now() > until) {
      throw new Error('next start did not answer within 120 s')
    }
    await new Promise((r) => setTimeout(r, 500))
  }
  return async () => {
    if (child.exitCode !== null) {
      return
    }
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve())
      process.kill(-child.pid!, 'SIGTERM')
    })
  }
}

async function api(
  method: string,
  route: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; json: Record<string, any> }> {
  const response = await fetch(`${base}/api/${route}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `JWT ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: response.status, json: (await response.json()) as Record<string, any> }
}

const roomExists = async (name: string) =>
  (await livekit.listRooms([name])).some((room) => room.name === name)

beforeAll(() => {
  if (!siteRoot || !existsSync(path.join(siteRoot, 'node_modules/payload-plugin-livekit'))) {
    throw new Error(
      'AGENCY_SITE_DIR must name the site the agency check installed the packed plugin into (npm test sets it).',
    )
  }
  mkdirSync(logs, { recursive: true })
  rmSync(app, { recursive: true, force: true })
  // Payload's CLI makes the migration folder itself, but not the folders above it.
  mkdirSync(path.join(app, 'migrations'), { recursive: true })
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(app, file)), { recursive: true })
    writeFileSync(path.join(app, file), text)
  }
  // The admin's import map, generated as a site does after adding a plugin with admin components.
  inSite(['payload', 'generate:importmap'], { DATABASE_URI: 'file:/tmp/unused.db' }, 'importmap')
  inSite(['next', 'build'], { DATABASE_URI: 'file:/tmp/unused.db' }, 'build')
}, 900_000)

/** A fresh database for each adapter on the run's servers. */
async function databaseFor(adapter: string): Promise<Record<string, string>> {
  const stamp = Date.now().toString(36)
  if (adapter === 'postgres') {
    const server = process.env.DATABASE_URI ?? 'postgres://postgres@127.0.0.1:54329/postgres'
    const admin = new pg.Client({ connectionString: server })
    await admin.connect()
    await admin.query(`CREATE DATABASE agency_${stamp}`)
    await admin.end()
    const url = new URL(server)
    url.pathname = `/agency_${stamp}`
    return { DATABASE_URI: url.toString() }
  }
  if (adapter === 'sqlite') {
    return { DATABASE_URI: `file:${path.join(app, `agency-${stamp}.db`)}` }
  }
  const server = process.env.TEST_MONGODB_URI
  if (!server) {
    throw new Error('TEST_MONGODB_URI must name the run’s MongoDB server (npm test sets it).')
  }
  return {
    DATABASE_URI: `${server.replace(/\/$/, '')}/agency_${stamp}`,
    MONGODB_COMPAT: process.env.MONGODB_COMPAT ?? '',
  }
}

describe.each(['postgres', 'sqlite', 'mongodb'])(
  'the packed plugin in production on %s',
  (adapter) => {
    let env: Record<string, string>
    let stop: () => Promise<void> = () => Promise.resolve()

    beforeAll(async () => {
      env = { ...(await databaseFor(adapter)), LIVEKIT_ROOM_PREFIX: `prod-${adapter}` }
      // Production pushes no schema: the site creates its migration after installing the plugin
      // and runs it before serving. MongoDB has no schema; the plugin builds its indexes at start.
      if (adapter !== 'mongodb') {
        inSite(
          ['payload', 'migrate:create', 'initial', '--skip-empty'],
          env,
          `${adapter}-migrate-create`,
        )
      }
      inSite(['payload', 'migrate'], env, `${adapter}-migrate`)
      stop = await startSite(env, adapter)
    }, 600_000)

    afterAll(() => stop())

    it('opens a room when a booking goes in progress and closes it when it is completed', async () => {
      const first = await api('POST', 'users/first-register', {
        email: 'admin@agency.test',
        password: 'agency-password',
        role: 'admin',
      })
      expect(first.status).toBe(200)
      const token = String(first.json.token)
      const host = await api(
        'POST',
        'users',
        { email: 'host@agency.test', password: 'agency-password', role: 'host' },
        token,
      )
      expect(host.status).toBe(201)
      const hour = 3_600_000
      const booking = await api(
        'POST',
        'bookings',
        {
          host: host.json.doc.id,
          from: new Date(Date.now() + hour).toISOString(),
          to: new Date(Date.now() + 2 * hour).toISOString(),
        },
        token,
      )
      expect(booking.status).toBe(201)
      const streamOf = async () => {
        const found = await api(
          'GET',
          `live-streams?where[appointment][equals]=${booking.json.doc.id}&depth=0`,
          undefined,
          token,
        )
        expect(found.status).toBe(200)
        expect(found.json.docs).toHaveLength(1)
        return found.json.docs[0] as { state: string; roomName: string }
      }
      expect((await streamOf()).state).toBe('scheduled')

      const started = await api(
        'PATCH',
        `bookings/${booking.json.doc.id}`,
        { status: 'in-progress' },
        token,
      )
      expect(started.status).toBe(200)
      const live = await streamOf()
      expect(live.state).toBe('live')
      expect(await roomExists(live.roomName)).toBe(true)

      const ended = await api(
        'PATCH',
        `bookings/${booking.json.doc.id}`,
        { status: 'completed' },
        token,
      )
      expect(ended.status).toBe(200)
      expect((await streamOf()).state).toBe('ended')
      expect(await roomExists(live.roomName)).toBe(false)
    }, 120_000)

    it('serves its admin panel', async () => {
      const login = await fetch(`${base}/admin/login`)
      expect(login.status).toBe(200)
      expect(await login.text()).toContain('payload')
    }, 120_000)
  },
)
