/**
 * Prepares the benchmark's database the way a developer's first `npm run dev` does: Payload in
 * development mode pushes the schema (production, under `next start`, never does), then the demo
 * data and what the load needs: a live stream, a ticket holder of it and an admin. Prints one
 * JSON line `{ streamId, roomName, nodeStreamId, nodeRoomName, email, adminEmail, password }`
 * (the ids are numbers on PostgreSQL and SQLite, ObjectId strings on MongoDB). Runs on whichever
 * database DATABASE_URI names, as the site does.
 */
import { getPayload } from 'payload'

import config from '../../dev/payload.config.js'
import { createAppointmentWorld, liveStreamOf } from '../../test/helpers/fixtures.js'

const password = 'pw-123456'
const payload = await getPayload({ config })
const world = await createAppointmentWorld(payload, {
  startsAt: new Date(Date.now() + 60_000).toISOString(),
  endsAt: new Date(Date.now() + 4 * 3600_000).toISOString(),
})
const viewer = await payload.create({
  collection: 'users',
  data: {
    email: 'bench-viewer@example.test',
    password,
    role: 'attendee',
    tenant: world.tenant.id,
    name: 'Bench viewer',
  } as never,
})
// In progress: the room is open and the ticket holder may join, as at the start of a class.
await payload.update({
  collection: 'appointments',
  id: world.appointment.id,
  data: { attendees: [viewer.id], status: 'in-progress' } as never,
})
await payload.create({
  collection: 'users',
  data: {
    email: 'bench-admin@example.test',
    password,
    role: 'admin',
    name: 'Bench admin',
  } as never,
})
const [stream] = await liveStreamOf(payload, world.appointment.id)
// A second class in progress: its room takes the webhooks sent to the plain Node server, so each
// room's audience figures can be checked against the events it got.
const second = await createAppointmentWorld(payload, {
  startsAt: new Date(Date.now() + 60_000).toISOString(),
  endsAt: new Date(Date.now() + 4 * 3600_000).toISOString(),
})
await payload.update({
  collection: 'appointments',
  id: second.appointment.id,
  data: { status: 'in-progress' } as never,
})
const [nodeStream] = await liveStreamOf(payload, second.appointment.id)
console.log(
  JSON.stringify({
    streamId: stream.id,
    roomName: stream.roomName,
    nodeStreamId: nodeStream.id,
    nodeRoomName: nodeStream.roomName,
    email: 'bench-viewer@example.test',
    adminEmail: 'bench-admin@example.test',
    password,
  }),
)
await payload.destroy()
process.exit(0)
