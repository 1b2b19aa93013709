/**
 * A demo site served over HTTP in a process of its own, so load from the benchmark process does
 * not share its event loop. Prints one JSON line when ready:
 * `{ url, payloadUrl, streamId, roomName, email, adminEmail, password }` — `url` serves the API as the dev
 * site's Next app does (with the plugin's token route mounted), `payloadUrl` everything through
 * Payload's REST handler (a site without the route file).
 */
import { createAppointmentWorld, liveStreamOf } from '../test/helpers/fixtures.js'
import { serveSite } from '../test/helpers/httpServer.js'
import { startTestSite } from '../test/helpers/testSite.js'

const site = await startTestSite({ plugin: { lifecycle: { autoRun: false, reconcileCron: false } } })
const server = await serveSite(site)
const payloadOnly = await serveSite(site, 0, '127.0.0.1', { routes: false })
const { payload } = site
const world = await createAppointmentWorld(payload, { startsAt: new Date(Date.now() + 60_000).toISOString(), endsAt: new Date(Date.now() + 3600_000).toISOString() })
const viewer = await payload.create({ collection: 'users', data: { email: 'bench-viewer@example.test', password: 'pw-123456', role: 'attendee', tenant: world.tenant.id, name: 'Bench' } as never })
await payload.update({ collection: 'appointments', id: world.appointment.id, data: { attendees: [viewer.id], status: 'in-progress' } as never })
await payload.create({ collection: 'users', data: { email: 'bench-admin@example.test', password: 'pw-123456', role: 'admin', name: 'Bench admin' } as never })
const [stream] = await liveStreamOf(payload, world.appointment.id)
console.log(
  JSON.stringify({
    url: server.url,
    payloadUrl: payloadOnly.url,
    streamId: stream!.id,
    roomName: stream!.roomName,
    email: 'bench-viewer@example.test',
    adminEmail: 'bench-admin@example.test',
    password: 'pw-123456',
  }),
)
process.on('SIGTERM', async () => {
  await server.close()
  await payloadOnly.close()
  await site.close()
  process.exit(0)
})
