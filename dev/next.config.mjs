import { withPayload } from '@payloadcms/next/withPayload'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

// The demo app imports the plugin from ../src, so the bundler's root is the repository.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** @type {import('next').NextConfig} */
const nextConfig = {
  turbopack: { root },
  // Pages are also opened from inside the test network namespace (10.77.0.1).
  allowedDevOrigins: ['127.0.0.1', 'localhost', '10.77.0.1'],
  outputFileTracingRoot: root,
  webpack: (config) => {
    // Sources import each other with .js extensions (NodeNext); let webpack find the .ts files.
    config.resolve.extensionAlias = { '.js': ['.ts', '.tsx', '.js'], '.mjs': ['.mts', '.mjs'] }
    return config
  },
}

export default withPayload(nextConfig, { devBundleServerPackages: false })
