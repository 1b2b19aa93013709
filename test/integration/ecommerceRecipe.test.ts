import type { Config } from 'payload'

import { ecommercePlugin } from '@payloadcms/plugin-ecommerce'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { Appointments } from '../../dev/collections/Appointments.js'
import { Tenants } from '../../dev/collections/Tenants.js'
import { Users } from '../../dev/collections/Users.js'
import { openStream } from '../../src/lifecycle/operations/streamLifecycle.js'
import { createAppointmentWorld, liveStreamOf } from '../helpers/fixtures.js'
import { callApi, login, serveSite, type SiteServer } from '../helpers/httpServer.js'
import { deliverStripe, sessionCompleted } from '../helpers/stripeEvents.js'
import { recordStripe } from '../helpers/stripeRecorder.js'
import { startTestSite, type TestSite } from '../helpers/testSite.js'

// The README's recipe for a site on Payload's ecommerce plugin: that plugin's products collection
// (price in an unnamed group, stock as `inventory`, drafts) with the title the site adds.
let site: TestSite
let server: SiteServer
let recorder: Awaited<ReturnType<typeof recordStripe>>
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString()
const isAdmin = ({ req }: { req: { user?: unknown } }) =>
  (req.user as { role?: string } | null | undefined)?.role === 'admin'

function withEcommerce(config: Config): Config {
  const ecommerce = ecommercePlugin({
    access: {
      adminOnlyFieldAccess: isAdmin,
      adminOrPublishedStatus: ({ req }) =>
        isAdmin({ req }) ? true : { _status: { equals: 'published' } },
      customerOnlyFieldAccess: ({ req }) => Boolean(req.user),
      isAdmin,
      isCustomer: ({ req }) => Boolean(req.user),
      isDocumentOwner: ({ req }) => (req.user ? { customer: { equals: req.user.id } } : false),
    },
    customers: { slug: 'users' },
    carts: false,
    orders: false,
    transactions: false,
    products: {
      variants: false,
      productsCollectionOverride: ({ defaultCollection }) => ({
        ...defaultCollection,
        fields: [{ name: 'title', type: 'text', required: true }, ...defaultCollection.fields],
      }),
    },
  })
  // Before the live-stream plugin, so the products collection exists when its options are checked.
  return { ...config, plugins: [ecommerce, ...(config.plugins ?? [])] }
}

beforeAll(async () => {
  recorder = await recordStripe()
  site = await startTestSite(
    {
      collections: [Users, Tenants, Appointments],
      plugin: {
        lifecycle: { autoRun: false, reconcileCron: false },
        stripe: { apiBase: recorder.url },
        shopping: {
          products: 'products',
          fields: { title: 'title', price: 'priceInUSD', stock: 'inventory' },
          currency: 'usd',
        },
      },
    },
    withEcommerce,
  )
  server = await serveSite(site)
}, 180_000)
afterAll(async () => {
  await server?.close()
  await recorder?.close()
  await site?.close()
})

describe("a site on Payload's ecommerce plugin", () => {
  it('pins an ecommerce product, sells it at its USD price and takes a unit of its inventory', async () => {
    const w = await createAppointmentWorld(site.payload, {
      startsAt: inMinutes(2),
      endsAt: inMinutes(60),
      visibility: 'public',
      price: 0,
    })
    const [stream] = await liveStreamOf(site.payload, w.appointment.id)
    await openStream({ payload: site.payload, liveStreamId: stream.id, reason: 'test' })
    const product = (await site.payload.create({
      collection: 'products' as never,
      data: {
        title: 'Meditation cushion',
        priceInUSDEnabled: true,
        priceInUSD: 4200,
        inventory: 2,
        _status: 'published',
      } as never,
    })) as unknown as { id: number | string }
    const hostAuth = await login(server, String(w.host.email), 'pw-123456')

    const pickable = await callApi(
      server,
      'GET',
      `/live-streams/${stream.id}/products?search=Meditation`,
      hostAuth,
    )
    expect(pickable.json.products).toEqual([
      expect.objectContaining({
        title: 'Meditation cushion',
        price: 4200,
        currency: 'usd',
        stock: 2,
      }),
    ])
    const pinned = await callApi(server, 'POST', `/live-streams/${stream.id}/pins`, hostAuth, {
      product: product.id,
    })
    expect(pinned.status).toBe(200)
    expect(pinned.json.shop.spotlight).toMatchObject({ title: 'Meditation cushion', stock: 2 })

    const checkout = await callApi(
      server,
      'POST',
      `/live-streams/${stream.id}/pins/${pinned.json.pinId}/checkout`,
      undefined,
      {},
    )
    expect(checkout.status).toBe(200)
    const sent = recorder.requests.filter((r) => r.path === '/v1/checkout/sessions').at(-1)!
    expect(sent.params.get('line_items[0][price_data][unit_amount]')).toBe('4200')
    expect(sent.params.get('line_items[0][price_data][currency]')).toBe('usd')
    const metadata: Record<string, string> = {}
    for (const [k, v] of sent.params) {
      const m = /^metadata\[(\w+)\]$/.exec(k)
      if (m) {
        metadata[m[1]] = v
      }
    }
    const completed = sessionCompleted(metadata, {
      amount_total: 4200,
      currency: 'usd',
      customer_details: { email: 'cushion@buyers.test' },
    })
    expect((await deliverStripe(server.url, completed)).json).toMatchObject({
      outcome: 'product sold',
    })
    const after = (await site.payload.findByID({
      collection: 'products' as never,
      id: product.id,
      draft: false,
    })) as unknown as { inventory: number }
    expect(after.inventory).toBe(1)
    const entries = (
      await site.payload.find({
        collection: 'revenue-tracking',
        where: { liveStream: { equals: String(stream.id) } },
      })
    ).docs as unknown as Array<Record<string, unknown>>
    expect(entries).toEqual([
      expect.objectContaining({
        kind: 'product_sale',
        product: String(product.id),
        grossAmount: 4200,
        commissionAmount: 840,
      }),
    ])
  }, 120_000)
})
