import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'

// The way an agency gets the plugin: a tarball from `npm pack` installed into its own site,
// outside this repository, with nothing of ours on the module path.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const rootPkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>
  devDependencies: Record<string, string>
}
const pinned = (name: string) => rootPkg.devDependencies[name]

let site: string
const run = (cmd: string, args: string[], cwd = site) =>
  execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production' },
  })

beforeAll(() => {
  const out = mkdtempSync(path.join(tmpdir(), 'plk-pack-'))
  run('npm', ['pack', '--silent', '--pack-destination', out], root)
  const tarball = readdirSync(out).find((f) => f.endsWith('.tgz'))!
  // The production check (test/production) builds and serves this same installed site inside the
  // test network, where the npm registry is out of reach: the test command names the folder.
  site = process.env.AGENCY_SITE_DIR ?? mkdtempSync(path.join(tmpdir(), 'plk-site-'))
  mkdirSync(site, { recursive: true })
  writeFileSync(
    path.join(site, 'package.json'),
    JSON.stringify({
      name: 'agency-site',
      private: true,
      type: 'module',
      dependencies: {
        'payload-plugin-livekit': `file:${path.join(out, tarball)}`,
        payload: pinned('payload'),
        '@payloadcms/db-postgres': pinned('@payloadcms/db-postgres'),
        '@payloadcms/db-sqlite': pinned('@payloadcms/db-sqlite'),
        '@payloadcms/db-mongodb': pinned('@payloadcms/db-mongodb'),
        '@payloadcms/next': pinned('@payloadcms/next'),
        '@payloadcms/ui': pinned('@payloadcms/ui'),
        'livekit-server-sdk': rootPkg.dependencies['livekit-server-sdk'],
        next: pinned('next'),
        react: pinned('react'),
        'react-dom': pinned('react-dom'),
        graphql: pinned('graphql'),
        typescript: pinned('typescript'),
        '@types/node': pinned('@types/node'),
        '@types/react': pinned('@types/react'),
      },
    }),
  )
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'])
  writeFileSync(
    path.join(site, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        skipLibCheck: true,
        jsx: 'react-jsx',
        noEmit: true,
      },
      include: ['*.ts', '*.tsx'],
    }),
  )
  writeFileSync(
    path.join(site, 'payload.config.ts'),
    `import { postgresAdapter } from '@payloadcms/db-postgres'
import { buildConfig } from 'payload'
import { livekitPlugin, type LivekitPluginOptions } from 'payload-plugin-livekit'

const options: LivekitPluginOptions = {
  appointments: { slug: 'bookings', fields: { start: 'from', end: 'to' }, defaultCurrency: 'eur' },
  livekit: { url: 'wss://agency.livekit.cloud', apiKey: 'APIagency', apiSecret: 'agency-secret-agency-secret-0000' },
  commissionRateBps: 1500,
}

export default buildConfig({
  secret: 'agency-secret',
  db: postgresAdapter({ pool: { connectionString: 'postgres://nobody@127.0.0.1:1/none' } }),
  collections: [
    { slug: 'users', auth: true, fields: [] },
    {
      slug: 'bookings',
      fields: [
        { name: 'host', type: 'relationship', relationTo: 'users' },
        { name: 'from', type: 'date' },
        { name: 'to', type: 'date' },
      ],
    },
  ],
  plugins: [livekitPlugin(options)],
})
`,
  )
  // The token route file a site adds for many viewers joining at once (see the README).
  writeFileSync(
    path.join(site, 'route.ts'),
    `import config from './payload.config.js'
import { liveStreamTokenRoute } from 'payload-plugin-livekit'

export const POST: (request: Request) => Promise<Response> = liveStreamTokenRoute(config)
`,
  )
  writeFileSync(
    path.join(site, 'page.tsx'),
    `import { StreamStateBadge } from 'payload-plugin-livekit/react'
import { StreamStateCell } from 'payload-plugin-livekit/client'
import { StreamStateBadge as ServerBadge } from 'payload-plugin-livekit/rsc'

export const Page = () => (
  <div>
    <StreamStateBadge state="live" />
    <ServerBadge state="ended" />
    <StreamStateCell cellData="scheduled" />
  </div>
)
`,
  )
}, 600_000)

describe('an agency installs the packed plugin into its own site', () => {
  it('ships only the built package', () => {
    // (npm may nest a dependency under the package, e.g. its own jose next to Payload's older one:
    // that is the installer's layout, not something the tarball carries.)
    const files = readdirSync(path.join(site, 'node_modules/payload-plugin-livekit')).filter(
      (f) => f !== 'node_modules',
    )
    expect(files.sort()).toEqual(['LICENSE', 'README.md', 'dist', 'package.json'])
  })

  it('type-checks a site config, a token route file and a page that use every entry point', () => {
    expect(() => run('npx', ['tsc', '-p', 'tsconfig.json'])).not.toThrow()
  })

  it("builds the site's config at run time with the plugin's collections added", () => {
    writeFileSync(
      path.join(site, 'check.mjs'),
      `import config from './out/payload.config.js'
const built = await config
console.log(JSON.stringify(built.collections.map((c) => c.slug)))`,
    )
    run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit', 'false', '--outDir', 'out'])
    const slugs = JSON.parse(run('node', ['check.mjs']).trim().split('\n').pop()!) as string[]
    expect(slugs).toEqual(
      expect.arrayContaining(['bookings', 'live-streams', 'recordings', 'revenue-tracking']),
    )
  })

  it('fails the build with a message naming the option when the site gets it wrong', () => {
    writeFileSync(
      path.join(site, 'wrong.mjs'),
      `import { livekitPlugin } from 'payload-plugin-livekit'
try {
  livekitPlugin({ appointments: { slug: 'appointments' } })({ collections: [{ slug: 'bookings', fields: [] }] })
} catch (error) { console.log(error.message) }`,
    )
    expect(run('node', ['wrong.mjs'])).toMatch(
      /`appointments.slug` is 'appointments' but the config has no collection/,
    )
  })
})
