import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const root = path.dirname(fileURLToPath(import.meta.url))
const alias = {
  '@payload-config': path.resolve(root, 'dev/payload.config.ts'),
}

export default defineConfig({
  test: {
    // Console output of a passing test is noise; a failing test shows its own.
    silent: 'passed-only',
    projects: [
      {
        // Pure logic: no sockets, no services.
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['src/**/*.spec.ts'],
          environment: 'node',
          sequence: { groupOrder: 0 },
        },
      },
      {
        // Real PostgreSQL, livekit-server and stripe-mock, started by scripts/inside-netns.sh.
        resolve: { alias },
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          globalSetup: ['test/helpers/mongoSetup.ts'],
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          maxWorkers: 2,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The attacker's side: every abuse the plugin must withstand, a fuzz pass over its endpoints
        // and the money property test, against the same real services as the integration suite.
        resolve: { alias },
        test: {
          name: 'adversarial',
          sequence: { groupOrder: 1 },
          globalSetup: ['test/helpers/mongoSetup.ts'],
          include: ['test/adversarial/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          maxWorkers: 2,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Load tests that assume the machine to themselves: one file at a time, after the
        // integration and adversarial suites, against the same services.
        resolve: { alias },
        test: {
          name: 'solo',
          sequence: { groupOrder: 2 },
          globalSetup: ['test/helpers/mongoSetup.ts'],
          include: ['test/solo/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          maxWorkers: 1,
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Chromium (Debian) with fake camera and microphone against the dev site (next dev), real
        // PostgreSQL and livekit-server, inside the test network namespace.
        resolve: { alias },
        test: {
          name: 'browser',
          sequence: { groupOrder: 3 },
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          maxWorkers: 1,
          fileParallelism: false,
          globalSetup: ['test/browser/globalSetup.ts'],
          testTimeout: 180_000,
          hookTimeout: 600_000,
        },
      },
      {
        // The site the agency check installed (AGENCY_SITE_DIR), built and served with next start on
        // each adapter inside the test network namespace, against the real livekit-server.
        test: {
          name: 'production',
          sequence: { groupOrder: 4 },
          include: ['test/production/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          maxWorkers: 1,
          testTimeout: 120_000,
          hookTimeout: 900_000,
        },
      },
      {
        // Needs the npm registry (installs the packed tarball), so it runs outside the namespace.
        test: {
          name: 'agency',
          include: ['test/agency/**/*.test.ts'],
          environment: 'node',
          testTimeout: 600_000,
        },
      },
    ],
  },
})
