import type { CollectionConfig, Config } from 'payload'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createAppointmentWorld, liveStreamOf } from '../helpers/fixtures.js'
import { callApi, login, serveSite, type SiteServer } from '../helpers/httpServer.js'
import { startTestSite, testDatabase, type TestSite } from '../helpers/testSite.js'

/*
 * The access holes a host, an attendee, a user of another auth collection and an anonymous
 * caller try on the demo site, through Payload's REST API and through the token route alike.
 */

let site: TestSite
/** The site as the dev app serves it (the token route mounted). */
let routed: SiteServer
/** The same site with every request through Payload's REST handler. */
let viaPayload: SiteServer
const auth: Record<string, string> = {}
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString()

type Id = number | string
let host: { id: Id; tenant: Id }
let attendee: { id: Id }
let admin: { id: Id }
let ticketed: { streamId: Id; appointmentId: Id }
let publicStream: { streamId: Id }
let recordingId: Id

/** A second auth collection, as a shop's customer accounts next to the site's staff users. */
const Customers: CollectionConfig = {
  slug: 'customers',
  auth: true,
  fields: [
    { name: 'name', type: 'text' },
    { name: 'role', type: 'text' },
  ],
}
const withCustomers = (config: Config): Config => ({
  ...config,
  collections: [...(config.collections ?? []), Customers],
})

const call = (server: SiteServer, method: string, path: string, who?: string, body?: unknown) =>
  callApi(server, method, path, who ? auth[who] : undefined, body)

async function loginAs(collection: string, email: string): Promise<string> {
  const response = await fetch(`${routed.url}/api/${collection}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'pw-123456' }),
  })
  const json = (await response.json()) as { token?: string }
  if (!json.token) {
    throw new Error(`login failed for ${collection} ${email}: ${response.status}`)
  }
  return `JWT ${json.token}`
}

beforeAll(async () => {
  site = await startTestSite(
    { plugin: { lifecycle: { autoRun: false, reconcileCron: false } } },
    withCustomers,
  )
  routed = await serveSite(site)
  viaPayload = await serveSite(site, 0, '127.0.0.1', { routes: false })
  const { payload } = site
  // Customers first, so their ids are the ids of the users created next (customers#1 = users#1).
  // ObjectIds never coincide: on MongoDB the customers are given the users' ids afterwards.
  const sameIds = testDatabase() !== 'mongodb'
  const customerData = [
    { email: 'mallory@shop.test', password: 'pw-123456', role: 'admin', name: 'Mallory' },
    { email: 'eve@shop.test', password: 'pw-123456', role: 'admin', name: 'Eve' },
  ]
  const customer = async (data: (typeof customerData)[number], id?: number | string) => {
    if (id === undefined) {
      return payload.create({ collection: 'customers' as never, data: data as never })
    }
    const now = new Date().toISOString()
    const { password, ...rest } = data
    await payload.db.create({
      collection: 'customers',
      customID: id,
      data: { ...rest, createdAt: now, updatedAt: now },
    })
    // Payload hashes the password on update, as on create.
    return payload.update({ collection: 'customers' as never, id, data: { password } as never })
  }
  const [mallory, eve] = sameIds
    ? [await customer(customerData[0]), await customer(customerData[1])]
    : [null, null]

  const world = await createAppointmentWorld(payload, {
    startsAt: inMinutes(5),
    endsAt: inMinutes(60),
  })
  host = { id: world.host.id, tenant: world.tenant.id }
  const viewer = await payload.create({
    collection: 'users',
    data: {
      email: 'viewer@a.test',
      password: 'pw-123456',
      role: 'attendee',
      tenant: world.tenant.id,
      name: 'Vera',
    } as never,
  })
  attendee = { id: viewer.id }
  const customers = sameIds
    ? [mallory!, eve!]
    : [await customer(customerData[0], host.id), await customer(customerData[1], attendee.id)]
  expect(customers.map((c) => c.id)).toEqual([host.id, attendee.id])
  const adminUser = await payload.create({
    collection: 'users',
    data: { email: 'admin@x.test', password: 'pw-123456', role: 'admin', name: 'Ada' } as never,
  })
  admin = { id: adminUser.id }
  const cohost = await payload.create({
    collection: 'users',
    data: {
      email: 'cohost@a.test',
      password: 'pw-123456',
      role: 'host',
      tenant: world.tenant.id,
      name: 'Cole',
    } as never,
  })
  await payload.update({
    collection: 'appointments',
    id: world.appointment.id,
    data: { attendees: [viewer.id], coHosts: [cohost.id], status: 'in-progress' } as never,
  })
  ticketed = {
    streamId: (await liveStreamOf(payload, world.appointment.id))[0].id,
    appointmentId: world.appointment.id,
  }
  const pub = await createAppointmentWorld(payload, {
    startsAt: inMinutes(5),
    endsAt: inMinutes(60),
    host: host.id,
    tenant: host.tenant,
    visibility: 'public',
    status: 'in-progress',
  })
  publicStream = { streamId: (await liveStreamOf(payload, pub.appointment.id))[0].id }
  // The admin set the host's terms: a negotiated rate and its connected account.
  await payload.update({
    collection: 'users',
    id: host.id,
    data: { commissionRateBps: 1500, stripeAccountId: 'acct_negotiated1' } as never,
  })
  await payload.update({
    collection: 'tenants',
    id: host.tenant,
    data: { commissionRateBps: 1800 } as never,
  })
  // Something the host's stream left behind: a recording, a saved destination, internals.
  const recording = await payload.create({
    collection: 'recordings',
    data: {
      liveStream: ticketed.streamId,
      egressId: `EG_adv_${Date.now()}`,
      kind: 'recording',
      status: 'complete',
    } as never,
  })
  recordingId = recording.id
  await payload
    .create({
      collection: 'stream-destinations',
      data: {
        name: 'YouTube',
        platform: 'youtube',
        serverUrl: 'rtmp://a.rtmp.youtube.com/live2',
        host: host.id,
      } as never,
    })
    .catch(() => undefined)
  await payload.update({
    collection: 'live-streams',
    id: ticketed.streamId,
    data: { lastError: 'LiveKit at http://10.0.0.5:7880 refused key devkey', attempts: 3 } as never,
  })

  auth.host = await login(routed, String(world.host.email), 'pw-123456')
  auth.attendee = await login(routed, 'viewer@a.test', 'pw-123456')
  auth.admin = await login(routed, 'admin@x.test', 'pw-123456')
  auth.cohost = await login(routed, 'cohost@a.test', 'pw-123456')
  auth.mallory = await loginAs('customers', 'mallory@shop.test')
  auth.eve = await loginAs('customers', 'eve@shop.test')
}, 180_000)

afterAll(async () => {
  await routed?.close()
  await viaPayload?.close()
  await site?.close()
})

const usersRow = async (id: Id) =>
  (await site.payload.db.findOne<{ id: Id } & Record<string, unknown>>({
    collection: 'users',
    where: { id: { equals: id } },
  }))!

describe('a host cannot set its own commission or payout account', () => {
  it("a host who PATCHes its own commission rate and connected account keeps the admin's", async () => {
    const answer = await call(viaPayload, 'PATCH', `/users/${host.id}`, 'host', {
      commissionRateBps: 0,
      stripeAccountId: 'acct_attacker1',
      name: 'Hana',
    })
    expect(answer.status).toBeLessThan(500)
    const row = await usersRow(host.id)
    expect(row.commissionRateBps).toBe(1500)
    expect(row.stripeAccountId).toBe('acct_negotiated1')
  })

  it("a host who PATCHes its tenant's commission rate keeps the admin's", async () => {
    const answer = await call(viaPayload, 'PATCH', `/tenants/${host.tenant}`, 'host', {
      commissionRateBps: 0,
    })
    expect(answer.status).toBeLessThan(500)
    const tenant = await site.payload.db.findOne<{ id: Id } & Record<string, unknown>>({
      collection: 'tenants',
      where: { id: { equals: host.tenant } },
    })
    expect(tenant!.commissionRateBps).toBe(1800)
  })

  it('the host reads its own rate and account; an admin writes them', async () => {
    const own = await call(viaPayload, 'GET', `/users/${host.id}?depth=0`, 'host')
    expect(own.status).toBe(200)
    expect(own.json).toMatchObject({ commissionRateBps: 1500, stripeAccountId: 'acct_negotiated1' })
    const set = await call(viaPayload, 'PATCH', `/users/${host.id}`, 'admin', {
      commissionRateBps: 1400,
    })
    expect(set.status).toBe(200)
    expect((await usersRow(host.id)).commissionRateBps).toBe(1400)
    await site.payload.update({
      collection: 'users',
      id: host.id,
      data: { commissionRateBps: 1500 } as never,
    })
  })

  it("an attendee or an anonymous caller reading users, tenants and appointments never sees a host's rate or account", async () => {
    for (const who of ['attendee', undefined]) {
      for (const path of [
        `/users/${host.id}?depth=0`,
        '/users?depth=0&limit=100',
        `/tenants/${host.tenant}`,
        '/tenants?limit=100',
        `/appointments/${ticketed.appointmentId}?depth=2`,
        '/appointments?depth=2',
      ]) {
        const answer = await call(viaPayload, 'GET', path, who)
        expect(answer.status, `${who ?? 'anonymous'} ${path}`).toBeLessThan(500)
        // Its own (empty) fields a caller may see; the host's values never.
        expect(answer.text, `${who ?? 'anonymous'} ${path}`).not.toMatch(
          /acct_negotiated1|"commissionRateBps":1[58]00/,
        )
      }
    }
  })
})

describe('a user of another auth collection is nobody to the plugin', () => {
  const servers = () => ({ route: routed, payload: viaPayload })

  it('customers#1 (role admin, the id of the host users#1) gets no host token, through the route and the endpoint', async () => {
    for (const [name, server] of Object.entries(servers())) {
      const ticketedAnswer = await call(
        server,
        'POST',
        `/live-streams/${ticketed.streamId}/token`,
        'mallory',
        {},
      )
      expect(ticketedAnswer, name).toMatchObject({
        status: 401,
        json: { error: { code: 'login_required' } },
      })
      const publicAnswer = await call(
        server,
        'POST',
        `/live-streams/${publicStream.streamId}/token`,
        'mallory',
        {},
      )
      expect(publicAnswer.status, name).toBe(200)
      expect(publicAnswer.json.role, name).toBe('guest')
      expect(publicAnswer.json.identity, name).toMatch(/^guest-/)
    }
  })

  it('customers#2 does not hold the ticket of users#2', async () => {
    for (const [name, server] of Object.entries(servers())) {
      const answer = await call(
        server,
        'POST',
        `/live-streams/${ticketed.streamId}/token`,
        'eve',
        {},
      )
      expect(answer, name).toMatchObject({
        status: 401,
        json: { error: { code: 'login_required' } },
      })
    }
  })

  it('customers#1 gets no statement, no recordings, no tickets, no destinations and cannot moderate', async () => {
    expect((await call(viaPayload, 'GET', '/revenue-tracking/statement', 'mallory')).status).toBe(
      401,
    )
    const recordings = await call(viaPayload, 'GET', '/recordings?depth=0', 'mallory')
    expect(recordings.json.docs ?? []).toEqual([])
    expect([401, 403, 404]).toContain(
      (await call(viaPayload, 'GET', `/recordings/${recordingId}`, 'mallory')).status,
    )
    expect([401, 403]).toContain(
      (await call(viaPayload, 'GET', `/recordings/${recordingId}/playback`, 'mallory')).status,
    )
    expect((await call(viaPayload, 'GET', '/tickets?depth=0', 'eve')).json.docs ?? []).toEqual([])
    expect(
      (await call(viaPayload, 'GET', '/revenue-tracking?depth=0', 'mallory')).json.docs ?? [],
    ).toEqual([])
    expect(
      (await call(viaPayload, 'GET', '/stream-destinations?depth=0', 'mallory')).json.docs ?? [],
    ).toEqual([])
    const saved = await call(viaPayload, 'POST', '/stream-destinations', 'mallory', {
      name: 'Mine',
      platform: 'custom',
      serverUrl: 'rtmp://evil.test/live',
    })
    expect(saved.status).toBe(403)
    const status = await call(
      viaPayload,
      'GET',
      `/live-streams/${ticketed.streamId}/participants`,
      'mallory',
    )
    expect([401, 403]).toContain(status.status)
    const remove = await call(
      viaPayload,
      'POST',
      `/live-streams/${ticketed.streamId}/participants/user-${attendee.id}/remove`,
      'mallory',
      {},
    )
    expect([401, 403]).toContain(remove.status)
    const checkout = await call(
      viaPayload,
      'POST',
      `/live-streams/${ticketed.streamId}/checkout`,
      'mallory',
      {},
    )
    expect(checkout).toMatchObject({ status: 401, json: { error: { code: 'login_required' } } })
  })
})

describe("a stream's internals are for its moderators", () => {
  const internals = ['lastError', 'attempts', 'openJobId', 'closeJobId']

  it('an anonymous caller, an attendee and customers#1 reading a stream see none of them', async () => {
    for (const who of [undefined, 'attendee', 'mallory']) {
      for (const path of [
        `/live-streams/${ticketed.streamId}?depth=0`,
        '/live-streams?depth=0&limit=100',
        `/appointments/${ticketed.appointmentId}?depth=1`,
      ]) {
        const answer = await call(viaPayload, 'GET', path, who)
        expect(answer.status, `${who ?? 'anonymous'} ${path}`).toBe(200)
        for (const field of internals) {
          expect(answer.text, `${who ?? 'anonymous'} ${path}: ${field}`).not.toContain(`"${field}"`)
        }
        expect(answer.text).not.toContain('devkey')
      }
    }
  })

  it('the host, a co-host and an admin see them', async () => {
    for (const who of ['host', 'cohost', 'admin']) {
      const answer = await call(
        viaPayload,
        'GET',
        `/live-streams/${ticketed.streamId}?depth=0`,
        who,
      )
      expect(answer.json.lastError, who).toContain('refused')
      expect(answer.json.attempts, who).toBe(3)
    }
  })

  it("nobody writes a stream's state version over the API, an admin neither", async () => {
    const before = await site.payload.findByID({
      collection: 'live-streams',
      id: publicStream.streamId,
      depth: 0,
    })
    for (const stateVersion of [0, 1, 99]) {
      const answer = await call(
        viaPayload,
        'PATCH',
        `/live-streams/${publicStream.streamId}`,
        'admin',
        {
          stateVersion,
        },
      )
      expect(answer.status).toBeLessThan(500)
    }
    const after = await site.payload.findByID({
      collection: 'live-streams',
      id: publicStream.streamId,
      depth: 0,
    })
    expect((after as { stateVersion?: unknown }).stateVersion).toBe(
      (before as { stateVersion?: unknown }).stateVersion,
    )
    expect((before as { stateVersion?: unknown }).stateVersion).toBeGreaterThan(0)
  })
})

describe("the demo site's own rules", () => {
  it("a host who PATCHes another user's role gets 403 and the role stays", async () => {
    const answer = await call(viaPayload, 'PATCH', `/users/${attendee.id}`, 'host', {
      role: 'admin',
    })
    expect(answer.status).toBe(403)
    expect((await usersRow(attendee.id)).role).toBe('attendee')
    expect((await call(viaPayload, 'DELETE', `/users/${attendee.id}`, 'host')).status).toBe(403)
  })

  it('an attendee who PATCHes its own role and tenant stays an attendee of its tenant; its name changes', async () => {
    const answer = await call(viaPayload, 'PATCH', `/users/${attendee.id}`, 'attendee', {
      role: 'admin',
      tenant: null,
      name: 'Vera V.',
    })
    expect(answer.status).toBeLessThan(500)
    const row = await usersRow(attendee.id)
    expect(row).toMatchObject({ role: 'attendee', name: 'Vera V.' })
    expect(row.tenant).toBe(host.tenant)
    // And the plugin does not take it for an admin either.
    const token = await call(
      routed,
      'POST',
      `/live-streams/${ticketed.streamId}/token`,
      'attendee',
      {},
    )
    expect(token.json.role).toBe('attendee')
  })

  it('an anonymous visitor cannot create an account, let alone an admin', async () => {
    const answer = await call(viaPayload, 'POST', '/users', undefined, {
      email: 'new@evil.test',
      password: 'pw-123456',
      role: 'admin',
    })
    expect(answer.status).toBe(403)
    const signedIn = await call(viaPayload, 'POST', '/users', 'attendee', {
      email: 'new2@evil.test',
      password: 'pw-123456',
      role: 'admin',
    })
    expect(signedIn.status).toBe(403)
    expect(
      (
        await site.payload.find({
          collection: 'users',
          where: { email: { in: ['new@evil.test', 'new2@evil.test'] } },
        })
      ).totalDocs,
    ).toBe(0)
  })

  it('an attendee reading another user gets nothing', async () => {
    expect([403, 404]).toContain(
      (await call(viaPayload, 'GET', `/users/${host.id}`, 'attendee')).status,
    )
    const list = await call(viaPayload, 'GET', '/users?depth=0&limit=100', 'attendee')
    expect((list.json.docs as Array<{ id: Id }>).map((d) => d.id)).toEqual([attendee.id])
  })

  it('an anonymous reader of appointments does not learn who bought tickets; the host does', async () => {
    for (const who of [undefined, 'mallory']) {
      const one = await call(
        viaPayload,
        'GET',
        `/appointments/${ticketed.appointmentId}?depth=0`,
        who,
      )
      expect(one.status).toBe(200)
      expect(one.json.title).toBeTruthy()
      expect(one.json).not.toHaveProperty('attendees')
      const list = await call(viaPayload, 'GET', '/appointments?depth=0', who)
      for (const doc of list.json.docs as Array<Record<string, unknown>>) {
        expect(doc).not.toHaveProperty('attendees')
      }
    }
    const hosts = await call(
      viaPayload,
      'GET',
      `/appointments/${ticketed.appointmentId}?depth=0`,
      'host',
    )
    expect(hosts.json.attendees).toEqual([attendee.id])
  })

  it('a host edits its own appointment but cannot hand it to another host or tenant', async () => {
    const other = await createAppointmentWorld(site.payload)
    const answer = await call(
      viaPayload,
      'PATCH',
      `/appointments/${ticketed.appointmentId}`,
      'host',
      { title: 'Renamed class', host: other.host.id, tenant: other.tenant.id },
    )
    expect(answer.status).toBe(200)
    const row = await site.payload.findByID({
      collection: 'appointments',
      id: ticketed.appointmentId,
      depth: 0,
    })
    expect(row).toMatchObject({ title: 'Renamed class', host: host.id, tenant: host.tenant })
    const created = await call(viaPayload, 'POST', '/appointments?depth=0', 'host', {
      title: 'Mine',
      host: other.host.id,
      tenant: other.tenant.id,
      startsAt: inMinutes(900),
      endsAt: inMinutes(960),
    })
    expect(created.status).toBe(201)
    expect(created.json.doc).toMatchObject({ host: host.id, tenant: host.tenant })
  })

  it("a host cannot edit tenants or another host's appointment", async () => {
    expect(
      (await call(viaPayload, 'PATCH', `/tenants/${host.tenant}`, 'host', { name: 'Mine now' }))
        .status,
    ).toBe(403)
    const other = await createAppointmentWorld(site.payload)
    expect(
      (
        await call(viaPayload, 'PATCH', `/appointments/${other.appointment.id}`, 'host', {
          title: 'Hijacked',
        })
      ).status,
    ).toBe(403)
  })
})

describe("a site's own commission and account fields get the plugin's guard on top of the site's", () => {
  it("a host PATCHing a site field that lets anyone write it still keeps the admin's rate; the site's stricter read still holds for admins", async () => {
    // The site brought both fields itself, inside a row: a rate anyone may read and write, and an
    // account id nobody may read through the API.
    const own = await startTestSite(
      { plugin: { lifecycle: { autoRun: false, reconcileCron: false } } },
      (config) => ({
        ...config,
        collections: config.collections!.map((c) =>
          c.slug === 'users'
            ? {
                ...c,
                fields: [
                  ...c.fields,
                  {
                    type: 'row',
                    fields: [
                      {
                        name: 'commissionRateBps',
                        type: 'number',
                        access: { read: () => true, create: () => true, update: () => true },
                      },
                      { name: 'stripeAccountId', type: 'text', access: { read: () => false } },
                    ],
                  },
                ],
              }
            : c,
        ),
      }),
    )
    const server = await serveSite(own, 0, '127.0.0.1', { routes: false })
    try {
      const world = await createAppointmentWorld(own.payload)
      await own.payload.update({
        collection: 'users',
        id: world.host.id,
        data: { commissionRateBps: 1500, stripeAccountId: 'acct_negotiated1' } as never,
      })
      await own.payload.create({
        collection: 'users',
        data: { email: 'admin@x.test', password: 'pw-123456', role: 'admin' } as never,
      })
      await own.payload.create({
        collection: 'users',
        data: {
          email: 'viewer@a.test',
          password: 'pw-123456',
          role: 'attendee',
          tenant: world.tenant.id,
        } as never,
      })
      const hostAuth = await login(server, String(world.host.email), 'pw-123456')
      const adminAuth = await login(server, 'admin@x.test', 'pw-123456')

      await callApi(server, 'PATCH', `/users/${world.host.id}`, hostAuth, {
        commissionRateBps: 0,
        stripeAccountId: 'acct_attacker1',
      })
      const row = await own.payload.db.findOne<{ id: Id } & Record<string, unknown>>({
        collection: 'users',
        where: { id: { equals: world.host.id } },
      })
      expect(row).toMatchObject({ commissionRateBps: 1500, stripeAccountId: 'acct_negotiated1' })
      // The host reads its own rate (both rules allow it); the account id nobody reads, admins included.
      expect(
        (await callApi(server, 'GET', `/users/${world.host.id}?depth=0`, hostAuth)).json
          .commissionRateBps,
      ).toBe(1500)
      const asAdmin = await callApi(server, 'GET', `/users/${world.host.id}?depth=0`, adminAuth)
      expect(asAdmin.json.commissionRateBps).toBe(1500)
      expect(asAdmin.json).not.toHaveProperty('stripeAccountId')
      // An admin still sets the rate.
      expect(
        (
          await callApi(server, 'PATCH', `/users/${world.host.id}`, adminAuth, {
            commissionRateBps: 1200,
          })
        ).status,
      ).toBe(200)
      expect(
        (await own.payload.db.findOne<{ id: Id } & Record<string, unknown>>({
          collection: 'users',
          where: { id: { equals: world.host.id } },
        }))!.commissionRateBps,
      ).toBe(1200)
    } finally {
      await server.close()
      await own.close()
    }
  })
})
