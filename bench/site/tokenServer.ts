/**
 * The plugin's token route on a plain Node server next to the site (as the README's "More joins
 * per second than one Next.js process" describes), on the site's config and database. Prints
 * `{"url":…}` when listening. It takes LiveKit's webhook too (`livekitWebhook: true`).
 */
import config from '../../dev/payload.config.js'
import { serveTokenRoute } from '../../src/index.js'

const server = await serveTokenRoute(config, {
  port: Number(process.env.PORT ?? 0),
  livekitWebhook: true,
})
console.log(JSON.stringify({ url: server.url }))
process.on('SIGTERM', () => process.exit(0))
