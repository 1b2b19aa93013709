import type { Payload } from 'payload'

/** Logins of the demo data; scripts/dev.sh prints the same list. Development only. */
export const DEMO_PASSWORD = 'demo-password'
export const DEMO_USERS = [
  { email: 'admin@example.test', name: 'Ada Admin', role: 'admin', tenant: null },
  { email: 'host@acme.test', name: 'Hana Host', role: 'host', tenant: 'acme' },
  { email: 'cohost@acme.test', name: 'Cole Cohost', role: 'host', tenant: 'acme' },
  { email: 'viewer@acme.test', name: 'Vera Viewer', role: 'attendee', tenant: 'acme' },
  { email: 'host@bright.test', name: 'Bo Host', role: 'host', tenant: 'bright' },
  { email: 'viewer@bright.test', name: 'Bea Viewer', role: 'attendee', tenant: 'bright' },
] as const

const minutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString()

/** Fills an empty database with tenants, users, upcoming appointments and products. Does nothing otherwise. */
export async function seed(payload: Payload): Promise<void> {
  const { totalDocs } = await payload.count({ collection: 'users' })
  if (totalDocs > 0) {
    return
  }
  payload.logger.info('Seeding demo data')

  const tenants: Record<string, number | string> = {}
  for (const [slug, name] of [
    ['acme', 'Acme Fitness'],
    ['bright', 'Bright Academy'],
  ] as const) {
    const tenant = await payload.create({ collection: 'tenants', data: { name, slug } })
    tenants[slug] = tenant.id
  }
  const users: Record<string, number | string> = {}
  for (const user of DEMO_USERS) {
    const created = await payload.create({
      collection: 'users',
      data: {
        email: user.email,
        name: user.name,
        password: DEMO_PASSWORD,
        role: user.role,
        tenant: user.tenant ? tenants[user.tenant] : null,
      },
    })
    users[user.email] = created.id
  }
  const appointments = [
    {
      title: 'Morning mobility (live class)',
      host: users['host@acme.test'],
      coHosts: [users['cohost@acme.test']],
      attendees: [users['viewer@acme.test']],
      startsAt: minutes(15),
      endsAt: minutes(75),
      status: 'confirmed',
      tenant: tenants.acme,
      visibility: 'ticketed',
      price: 1500,
    },
    {
      title: 'Open studio Q&A',
      host: users['host@acme.test'],
      startsAt: minutes(24 * 60),
      endsAt: minutes(24 * 60 + 45),
      status: 'confirmed',
      tenant: tenants.acme,
      visibility: 'public',
      price: 0,
    },
    {
      title: 'Intro to watercolour',
      host: users['host@bright.test'],
      attendees: [users['viewer@bright.test']],
      startsAt: minutes(2 * 24 * 60),
      endsAt: minutes(2 * 24 * 60 + 90),
      status: 'pending',
      tenant: tenants.bright,
      visibility: 'ticketed',
      price: 2500,
      currency: 'eur',
    },
  ]
  for (const data of appointments) {
    await payload.create({ collection: 'appointments', data: data as never })
  }
  // What hosts spotlight during their streams (Live shopping in the README); prices in cents.
  const products = [
    { title: 'Cork yoga block', price: 1800, stock: 25 },
    { title: 'Resistance band set', price: 2400, stock: 3 },
    { title: 'Studio water bottle', price: 1200 },
  ]
  for (const data of products) {
    await payload.create({ collection: 'products', data: { ...data, currency: 'usd' } as never })
  }
}
