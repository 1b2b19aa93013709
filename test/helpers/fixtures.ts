import type { Payload } from 'payload'

type Id = number | string

/** A tenant, a host of it and an upcoming appointment: the smallest world most tests need. */
export async function createAppointmentWorld(
  payload: Payload,
  overrides: Record<string, unknown> = {},
) {
  const suffix = Math.random().toString(36).slice(2, 8)
  const tenant = await payload.create({
    collection: 'tenants',
    data: { name: `Tenant ${suffix}`, slug: `t-${suffix}` },
  })
  const host = await payload.create({
    collection: 'users',
    data: {
      email: `host-${suffix}@example.test`,
      password: 'pw-123456',
      role: 'host',
      tenant: tenant.id,
    },
  })
  const start = new Date(Date.now() + 60 * 60_000)
  const appointment = await payload.create({
    collection: 'appointments',
    data: {
      title: `Class ${suffix}`,
      host: host.id,
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 45 * 60_000).toISOString(),
      status: 'confirmed',
      tenant: tenant.id,
      visibility: 'ticketed',
      price: 1500,
      ...overrides,
    } as never,
  })
  return {
    tenant,
    host,
    appointment: appointment as unknown as { id: Id } & Record<string, unknown>,
  }
}

/** The live stream of an appointment, read back from the database. */
export async function liveStreamOf(payload: Payload, appointmentId: Id) {
  const found = await payload.find({
    collection: 'live-streams',
    where: { appointment: { equals: appointmentId } },
    depth: 0,
  })
  return found.docs as unknown as Array<{ id: Id } & Record<string, unknown>>
}

/**
 * An active ticket of a stream for a user, as a paid checkout leaves it (15.00 USD), written
 * through the Local API; the seat is the caller's to keep distinct per stream.
 */
export function grantTicket(
  payload: Payload,
  ticket: { liveStream: Id; appointment: Id; user: Id; seat: number },
) {
  return payload.create({
    collection: 'tickets',
    data: {
      ...ticket,
      status: 'active',
      amount: 1500,
      currency: 'usd',
      stripeCheckoutSessionId: `cs_test_grant_${ticket.seat}_${Math.random().toString(36).slice(2, 12)}`,
    } as never,
  })
}
