/**
 * Prepares the flash-sale benchmark's database: a ticketed class with `FLASH_SEATS` places and
 * `FLASH_BUYERS` buyers, each with the sealed metadata the site's checkout would give its Checkout
 * Session. Buyers are written straight to the database (no password hashing: they never log in).
 * The metadata goes to a file (`FLASH_METADATA_FILE`); prints one JSON line `{ streamId, price, currency }`.
 */
import { writeFileSync } from 'node:fs'
import { getPayload } from 'payload'

import config from '../../dev/payload.config.js'
import { sealedMetadata } from '../../src/payments/checkoutSeal.js'
import { pluginOptionsOf } from '../../src/runtime.js'
import { createAppointmentWorld, liveStreamOf } from '../../test/helpers/fixtures.js'

const seats = Number(process.env.FLASH_SEATS ?? 1000)
const buyers = Number(process.env.FLASH_BUYERS ?? 3000)
const price = 1500

const payload = await getPayload({ config })
const world = await createAppointmentWorld(payload, {
  startsAt: new Date(Date.now() + 2 * 3600_000).toISOString(),
  endsAt: new Date(Date.now() + 3 * 3600_000).toISOString(),
  capacity: seats,
  price,
})
const [stream] = await liveStreamOf(payload, world.appointment.id)
const { siteId } = pluginOptionsOf(payload).stripe
const metadata: Array<Record<string, string>> = []
for (let i = 0; i < buyers; i++) {
  const at = new Date().toISOString()
  const buyer = await payload.db.create({
    collection: 'users',
    data: {
      email: `flash-${i}@example.test`,
      role: 'attendee',
      tenant: world.tenant.id,
      createdAt: at,
      updatedAt: at,
    },
  })
  metadata.push(
    sealedMetadata(
      {
        site: siteId,
        liveStreamId: String(stream.id),
        appointmentId: String(world.appointment.id),
        userId: String(buyer.id),
        rateBps: '2000',
        amount: String(price),
        currency: 'usd',
      },
      payload.secret,
    ),
  )
}
// A file, not stdout: a pipe may not be flushed of a megabyte before the process exits.
writeFileSync(String(process.env.FLASH_METADATA_FILE), JSON.stringify(metadata))
console.log(JSON.stringify({ streamId: stream.id, price, currency: 'usd' }))
process.exit(0)
