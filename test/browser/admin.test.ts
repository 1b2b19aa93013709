import type { Browser, BrowserContext, Page } from 'playwright-core'

import { AudioSource, LocalAudioTrack, TrackPublishOptions, TrackSource } from '@livekit/rtc-node'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import { openStream } from '../../src/lifecycle/operations/streamLifecycle.js'
import { contextFor, launchChromium, screenshot } from '../helpers/browser.js'
import { createAppointmentWorld, grantTicket, liveStreamOf } from '../helpers/fixtures.js'
import { joinRoom, testLivekit } from '../helpers/livekit.js'
import { startTestSite, type TestSite } from '../helpers/testSite.js'
import { connectionEvents, deliver, livekitEvent, webhooksApplied } from '../helpers/webhooks.js'

const siteUrl = inject('siteUrl')
let site: TestSite
let browser: Browser
const contexts: BrowserContext[] = []
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString()
let adminEmail: string

beforeAll(async () => {
  site = await startTestSite(
    { plugin: { lifecycle: { autoRun: false, reconcileCron: false } } },
    undefined,
    {
      databaseUri: inject('siteDatabaseUri'),
      roomPrefix: inject('siteRoomPrefix'),
    },
  )
  browser = await launchChromium()
  adminEmail = `admin-${Date.now()}@control.test`
  await site.payload.create({
    collection: 'users',
    data: { email: adminEmail, password: 'pw-123456', role: 'admin', name: 'Ada' } as never,
  })
})
afterAll(async () => {
  for (const c of contexts) {
    await c.close().catch(() => undefined)
  }
  await browser?.close()
  await site?.close()
})

async function open(
  email: string,
  path: string,
  look: { language?: string; theme?: 'dark' | 'light' } = {},
): Promise<Page> {
  const context = await contextFor(browser, siteUrl, email)
  contexts.push(context)
  // Payload's own cookies for the admin's language and theme (what its account menu sets).
  await context.addCookies(
    Object.entries({ 'payload-lng': look.language, 'payload-theme': look.theme })
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([name, value]) => ({ name, value, url: siteUrl })),
  )
  const page = await context.newPage()
  page.on('pageerror', (error) => console.error(`[page error ${path}]`, error.message))
  await page.goto(path)
  return page
}

describe('the control room in the admin panel', () => {
  it('lists a participant LiveKit has, mutes and removes it (LiveKit confirms), and shows why recording cannot start', async () => {
    const w = await createAppointmentWorld(site.payload, {
      startsAt: inMinutes(2),
      endsAt: inMinutes(60),
      status: 'in-progress',
      title: 'Admin class',
    })
    const [stream] = await liveStreamOf(site.payload, w.appointment.id)
    const roomName = String(stream.roomName)
    const guest = await joinRoom(roomName, 'user-90001', process.env.LIVEKIT_URL, {
      canPublish: true,
    })
    const source = new AudioSource(48000, 1)
    const options = new TrackPublishOptions()
    options.source = TrackSource.SOURCE_MICROPHONE
    await guest.localParticipant!.publishTrack(
      LocalAudioTrack.createAudioTrack('mic', source),
      options,
    )
    try {
      // A saved destination with a stream key: shown by name, its key never on any admin page.
      const secretKey = 'live_admin_scan_secret_31337'
      const destination = await site.payload.create({
        collection: 'stream-destinations',
        data: {
          name: 'Main YouTube',
          platform: 'youtube',
          serverUrl: 'rtmp://a.rtmp.youtube.com/live2',
          streamKey: secretKey,
          host: w.host.id,
        } as never,
      })

      const page = await open(adminEmail, `/admin/collections/live-streams/${stream.id}`)
      const row = page.locator('[data-identity="user-90001"]')
      await row.waitFor({ timeout: 60_000 })
      await page.getByText('Main YouTube').first().waitFor({ timeout: 15_000 })
      await screenshot(page, 'admin-control-room')

      // The dashboard's Live now panel lists the stream; the destination's own page hides the key.
      const dashboard = await open(adminEmail, '/admin')
      await expect
        .poll(() => dashboard.locator('[data-testid=lk-live-now]').innerText(), { timeout: 60_000 })
        .toContain('Admin class')
      await screenshot(dashboard, 'admin-dashboard')
      const destinationPage = await open(
        adminEmail,
        `/admin/collections/stream-destinations/${destination.id}`,
      )
      await destinationPage.getByText('Main YouTube').first().waitFor({ timeout: 60_000 })
      for (const p of [page, dashboard, destinationPage]) {
        const html = await p.content()
        for (const secret of [
          secretKey,
          process.env.LIVEKIT_API_SECRET!,
          process.env.STRIPE_SECRET_KEY!,
          process.env.STRIPE_WEBHOOK_SECRET!,
        ]) {
          expect(html).not.toContain(secret)
        }
      }

      await row.getByRole('button', { name: 'Mute' }).click()
      await expect
        .poll(
          async () =>
            (await testLivekit().listParticipants(roomName))
              .find((p) => p.identity === 'user-90001')
              ?.tracks.every((t) => t.muted),
          { timeout: 15_000 },
        )
        .toBe(true)

      page.once('dialog', (dialog) => void dialog.accept())
      await row.getByRole('button', { name: 'Remove' }).click()
      await expect
        .poll(
          async () =>
            (await testLivekit().listParticipants(roomName)).some(
              (p) => p.identity === 'user-90001',
            ),
          { timeout: 15_000 },
        )
        .toBe(false)
      await expect
        .poll(() => page.locator('[data-identity="user-90001"]').count(), { timeout: 15_000 })
        .toBe(0)

      // No egress worker can run here: the admin reads the API's own explanation.
      await page.getByRole('button', { name: 'Start recording' }).click()
      await expect
        .poll(() => page.locator('[data-testid=lk-message]').innerText(), { timeout: 90_000 })
        .toMatch(/No LiveKit egress worker answered/)
      await screenshot(page, 'admin-recording-refused')
    } finally {
      await guest.disconnect()
    }
  })
})

describe('recordings in the admin panel', () => {
  it('list duration and size, and a finished one plays in its edit view', async () => {
    const w = await createAppointmentWorld(site.payload, {
      startsAt: inMinutes(2),
      endsAt: inMinutes(60),
      title: 'Recorded class',
    })
    const [stream] = await liveStreamOf(site.payload, w.appointment.id)
    const recording = await site.payload.create({
      collection: 'recordings',
      data: {
        liveStream: stream.id,
        egressId: `EG_adm${Date.now()}`,
        kind: 'recording',
        status: 'complete',
        durationSeconds: 3725,
        sizeBytes: 7340032,
        fileLocation: 'http://127.0.0.1:3100/replay-fixture.mp4',
        objectKey: 'recordings/x/final.mp4',
      } as never,
    })
    const list = await open(adminEmail, '/admin/collections/recordings')
    await list.getByText('1:02:05').first().waitFor({ timeout: 60_000 })
    await list.getByText('7.0 MB').first().waitFor({ timeout: 15_000 })
    const edit = await open(adminEmail, `/admin/collections/recordings/${recording.id}`)
    const video = edit.locator('[data-testid=lk-replay]')
    await video.waitFor({ timeout: 60_000 })
    expect(await video.getAttribute('src')).toBe('http://127.0.0.1:3100/replay-fixture.mp4')
    await screenshot(edit, 'admin-recording')
  })
})

describe('the commission ledger view', () => {
  it('totals match the entries, the CSV has the same numbers, and a host sees only its own streams and entries', async () => {
    const a = await createAppointmentWorld(site.payload, {
      startsAt: inMinutes(5),
      endsAt: inMinutes(60),
      title: 'Ledger A',
    })
    const b = await createAppointmentWorld(site.payload, {
      startsAt: inMinutes(5),
      endsAt: inMinutes(60),
      title: 'Ledger B',
    })
    const [sa] = await liveStreamOf(site.payload, a.appointment.id)
    const [sb] = await liveStreamOf(site.payload, b.appointment.id)
    const entries = [
      { w: a, s: sa, gross: 1500, when: '2026-09-03T10:00:00Z' },
      { w: a, s: sa, gross: 2500, when: '2026-09-21T10:00:00Z' },
      { w: b, s: sb, gross: 999, when: '2026-10-02T10:00:00Z' },
    ]
    for (const e of entries) {
      const commission = Math.round((e.gross * 2000) / 10000)
      await site.payload.create({
        collection: 'revenue-tracking',
        data: {
          kind: 'sale',
          source: 'manual',
          liveStream: e.s.id,
          tenant: e.w.tenant.id,
          host: e.w.host.id,
          grossAmount: e.gross,
          commissionAmount: commission,
          hostShareAmount: e.gross - commission,
          currency: 'eur',
          rateBps: 2000,
          occurredAt: e.when,
        } as never,
      })
    }
    const range = 'from=2026-09&to=2026-10'
    const admin = await open(adminEmail, `/admin/ledger?${range}`)
    const total = admin.locator('[data-testid=lk-ledger-total][data-currency=eur]')
    await total.waitFor({ timeout: 60_000 })
    // Other tests' entries may share the months; the view must equal the database, entry for entry.
    const all = await site.payload.find({
      collection: 'revenue-tracking',
      where: {
        and: [
          { currency: { equals: 'eur' } },
          { occurredAt: { greater_than_equal: '2026-09-01T00:00:00Z' } },
          { occurredAt: { less_than: '2026-11-01T00:00:00Z' } },
        ],
      },
      limit: 0,
      pagination: false,
    })
    const sum = (k: string) =>
      all.docs.reduce((n, d) => n + Number((d as Record<string, unknown>)[k]), 0)
    expect(Number(await total.getAttribute('data-gross'))).toBe(sum('grossAmount'))
    expect(Number(await total.getAttribute('data-commission'))).toBe(sum('commissionAmount'))
    expect(Number(await total.getAttribute('data-host-share'))).toBe(sum('hostShareAmount'))
    // Written as the admin's language (English) writes euros.
    expect(await total.innerText()).toContain(
      new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' }).format(
        sum('grossAmount') / 100,
      ),
    )
    await screenshot(admin, 'admin-ledger')

    const csvHref = await admin.locator('[data-testid=lk-ledger-csv]').getAttribute('href')
    const csv = await (await admin.context().request.get(csvHref!)).text()
    const rows = csv
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','))
    const csvSum = (col: number) =>
      rows.filter((r) => r[3] === 'eur').reduce((n, r) => n + Number(r[col]), 0)
    expect([csvSum(4), csvSum(5), csvSum(6)]).toEqual([
      sum('grossAmount'),
      sum('commissionAmount'),
      sum('hostShareAmount'),
    ])

    // Host A: its own stream in the list, not B's; its own ledger lines only.
    const host = await open(String(a.host.email), '/admin/collections/live-streams')
    await host.getByText('Ledger A').first().waitFor({ timeout: 60_000 })
    expect(await host.getByText('Ledger B').count()).toBe(0)
    await screenshot(host, 'host-streams')
    await host.goto(`/admin/ledger?${range}`)
    const hostTotal = host.locator('[data-testid=lk-ledger-total][data-currency=eur]')
    await hostTotal.waitFor({ timeout: 60_000 })
    expect(Number(await hostTotal.getAttribute('data-gross'))).toBe(4000)
    expect(await host.locator('[data-testid=lk-ledger-line]').count()).toBe(1)
    await screenshot(host, 'host-ledger')
    // And the REST API agrees: B's entries are not A's to read.
    const rest = await host.context().request.get('/api/revenue-tracking?limit=100&depth=0')
    const docs = ((await rest.json()) as { docs: Array<{ host: unknown }> }).docs
    expect(docs.length).toBe(2)
    expect(docs.every((d) => String(d.host) === String(a.host.id))).toBe(true)
  })
})

describe('money in the admin panel', () => {
  it('a price is typed in the currency’s units, stored in minor units and listed for the reader', async () => {
    const w = await createAppointmentWorld(site.payload, {
      startsAt: inMinutes(3 * 24 * 60),
      endsAt: inMinutes(3 * 24 * 60 + 60),
      title: `Priced class ${Date.now()}`,
    })
    const edit = await open(adminEmail, `/admin/collections/appointments/${w.appointment.id}`)
    const input = edit.locator('[data-testid="lk-money-price"] input')
    await input.waitFor({ timeout: 60_000 })
    // The stored 1500 cents shows as 15.00.
    expect(await input.inputValue()).toBe('15.00')
    await input.fill('1,234.5')
    await edit.locator('[data-testid="lk-money-preview"]').getByText('$1,234.50').waitFor()
    await edit.locator('#action-save').click()
    const deadline = Date.now() + 30_000
    let stored: unknown
    while (Date.now() < deadline) {
      stored = (
        await site.payload.findByID({ collection: 'appointments', id: w.appointment.id, depth: 0 })
      ).price
      if (stored === 123450) {
        break
      }
      await new Promise((r) => setTimeout(r, 250))
    }
    expect(stored).toBe(123450)
    await edit.getByText('Updated successfully').first().waitFor({ timeout: 15_000 })
    await edit.reload()
    await input.waitFor({ timeout: 60_000 })
    expect(await input.inputValue()).toBe('1234.50')
    // What is no amount is refused, and the stored price stays.
    await input.fill('twelve')
    await edit
      .locator('[data-testid="lk-money-invalid"]')
      .getByText('$1,234.50')
      .waitFor({ timeout: 15_000 })
    await screenshot(edit, 'admin-money-refused')
    // Nothing changed, so there is nothing to save.
    expect(await edit.locator('#action-save').isDisabled()).toBe(true)
    expect(
      (await site.payload.findByID({ collection: 'appointments', id: w.appointment.id, depth: 0 }))
        .price,
    ).toBe(123450)
    await screenshot(edit, 'admin-money-field')

    const list = await open(
      adminEmail,
      `/admin/collections/appointments?where[id][equals]=${w.appointment.id}&columns=["title","price"]`,
    )
    await list.getByText('$1,234.50').first().waitFor({ timeout: 60_000 })
  })
})

describe('live shopping in the control room', () => {
  it('a host who is not an admin pins from the admin panel, the room gets the card, the figures and the sales list show, and unpinning takes it down', async () => {
    const w = await createAppointmentWorld(site.payload, {
      startsAt: inMinutes(2),
      endsAt: inMinutes(60),
      visibility: 'public',
      price: 0,
      title: 'Shop class',
    })
    const [stream] = await liveStreamOf(site.payload, w.appointment.id)
    expect(
      await openStream({ payload: site.payload, liveStreamId: stream.id, reason: 'test' }),
    ).toMatchObject({ outcome: 'opened' })
    const title = `Cork block ${Date.now().toString(36)}`
    await site.payload.create({
      collection: 'products' as never,
      data: { title, price: 1800, currency: 'usd', stock: 7 } as never,
    })
    const shopOfRoom = async () => {
      const [room] = await testLivekit().listRooms([String(stream.roomName)])
      return (room?.metadata as { shop?: any } | null | undefined)?.shop
    }

    const page = await open(String(w.host.email), `/admin/collections/live-streams/${stream.id}`)
    const panel = page.getByTestId('plk-admin-products')
    await panel.waitFor({ timeout: 60_000 })
    await panel.getByTestId('plk-admin-product-search').fill(title)
    const pick = panel.getByTestId('plk-admin-product-pick').filter({ hasText: title })
    await pick.waitFor({ timeout: 15_000 })
    await expect.poll(() => pick.innerText()).toContain('$18.00')
    await pick.getByRole('button', { name: 'Spotlight' }).click()

    const pinned = panel.getByTestId('plk-admin-pinned')
    await pinned.waitFor({ timeout: 15_000 })
    expect(await pinned.getAttribute('data-place')).toBe('spotlight')
    await expect.poll(async () => (await shopOfRoom())?.spotlight?.title).toBe(title)
    await panel.getByTestId('plk-admin-pin-figures').waitFor({ timeout: 15_000 })
    // A buyer's paid order: the host, who may not read product orders in general, sees it in
    // the stream's sales, without the buyer's address.
    const sales = page.getByTestId('plk-admin-stream-sales')
    await expect.poll(() => sales.innerText(), { timeout: 15_000 }).toContain('No product orders.')
    const product = await site.payload.find({
      collection: 'products' as never,
      where: { title: { equals: title } },
    })
    await site.payload.db.create({
      collection: 'product-orders',
      data: {
        liveStream: stream.id,
        product: product.docs[0].id,
        pin: (await shopOfRoom()).spotlight.pinId,
        email: 'private-buyer@a.test',
        status: 'paid',
        amount: 1800,
        currency: 'usd',
        stripeCheckoutSessionId: `cs_admin_${Date.now()}`,
      },
    })
    await page.reload()
    const order = page.getByTestId('plk-admin-order')
    await order.waitFor({ timeout: 30_000 })
    expect(await order.getAttribute('data-status')).toBe('paid')
    expect(await order.innerText()).toContain('$18.00')
    expect(await page.getByTestId('plk-admin-stream-sales').innerText()).not.toContain(
      'private-buyer@a.test',
    )
    expect(await sales.getByRole('alert').count()).toBe(0)
    await screenshot(page, 'admin-products')

    await pinned.getByRole('button', { name: 'Unpin' }).click()
    await expect.poll(() => panel.innerText(), { timeout: 15_000 }).toContain('Nothing is pinned.')
    await expect.poll(async () => (await shopOfRoom())?.spotlight ?? null).toBeNull()
  }, 180_000)
})

describe("a stream's audience in its edit view", () => {
  it('draws the curve, the watch times and the funnel of what LiveKit reported, with tables and CSV, in two languages and both themes, and live', async () => {
    const w = await createAppointmentWorld(site.payload, {
      startsAt: inMinutes(-70),
      endsAt: inMinutes(-10),
      title: 'Watched class',
    })
    const [stream] = await liveStreamOf(site.payload, w.appointment.id)
    const t0 = Math.floor((Date.now() - 70 * 60_000) / 60_000) * 60_000
    const at = (m: number) => t0 + m * 60_000
    // Finished before the webhooks arrive, as late deliveries do (and the lifecycle leaves an
    // ended stream alone).
    await site.payload.db.updateOne({
      collection: 'live-streams',
      id: stream.id,
      data: {
        state: 'ended',
        actualStart: new Date(t0).toISOString(),
        actualEnd: new Date(at(60)).toISOString(),
      },
    })
    const holder = await site.payload.create({
      collection: 'users',
      data: { email: `aud-${Date.now()}@a.test`, password: 'pw-123456', role: 'attendee' } as never,
    })
    await grantTicket(site.payload, {
      liveStream: stream.id,
      appointment: w.appointment.id,
      user: holder.id,
      seat: 1,
    })
    // Ten guests arriving a minute apart and leaving in turn, the holder for the whole hour.
    const sent = [
      { identity: `user-${w.host.id}`, role: 'host', joinedAt: at(0), leftAt: at(60) },
      { identity: `user-${holder.id}`, role: 'attendee', joinedAt: at(0), leftAt: at(60) },
      ...Array.from({ length: 10 }, (_, i) => ({
        identity: `guest-view-${i}`,
        role: 'guest',
        joinedAt: at(2 + i),
        leftAt: at(20 + 3 * i),
      })),
    ]
    for (const event of connectionEvents(String(stream.roomName), sent)) {
      expect((await deliver(siteUrl, event)).status).toBe(200)
    }
    // The host's camera for the first half hour, a screen share from 10 to 20 minutes in.
    const host = { sid: 'PA_h', identity: `user-${w.host.id}`, attributes: { role: 'host' } }
    const track = (event: string, sid: string, source: string, time: number) => ({
      ...livekitEvent(event, { room: { name: String(stream.roomName) }, participant: host }),
      track: { sid, source, type: 'VIDEO' },
      createdAt: String(Math.floor(time / 1000)),
    })
    for (const event of [
      track('track_published', 'TR_c', 'CAMERA', at(0)),
      track('track_unpublished', 'TR_c', 'CAMERA', at(30)),
      track('track_published', 'TR_s', 'SCREEN_SHARE', at(10)),
      track('track_unpublished', 'TR_s', 'SCREEN_SHARE', at(20)),
    ]) {
      expect((await deliver(siteUrl, event)).status).toBe(200)
    }
    await webhooksApplied(site.payload)
    // Chat, reactions and a hand as the plugin counted them (the integration tests send them
    // through the room; here only what the view draws matters).
    for (const [kind, minute, n] of [
      ['chat', 5, 3],
      ['reaction', 5, 4],
      ['hand', 12, 1],
      ['chat', 30, 2],
    ] as const) {
      for (let i = 0; i < n; i++) {
        await site.payload.db.create({
          collection: 'stream-engagement',
          data: {
            liveStream: stream.id,
            kind,
            identity: `user-${holder.id}`,
            occurredAt: new Date(at(minute) + i * 1000).toISOString(),
          },
        })
      }
    }

    const path = `/admin/collections/live-streams/${stream.id}`
    const page = await open(String(w.host.email), path, { theme: 'light' })
    const section = page.getByTestId('plk-admin-audience')
    await section.waitFor({ timeout: 60_000 })
    await expect
      .poll(() => section.locator('.recharts-surface').count(), { timeout: 30_000 })
      .toBe(5)
    expect(await section.innerText()).toContain('Viewers over time')
    expect(await page.getByTestId('plk-audience-watch-summary').innerText()).toContain('11 people')
    expect(await page.getByTestId('plk-audience-engagement-summary').innerText()).toBe(
      '5 chat messages, 4 reactions, 1 raised hands',
    )
    const engagement = section.locator('[data-figure=engagement]')
    await engagement.getByRole('button', { name: 'Show as table' }).click()
    const perMinute = engagement.getByTestId('plk-audience-table').locator('tbody tr')
    expect(await perMinute.count()).toBe(60)
    expect(await perMinute.nth(5).locator('td').allInnerTexts()).toEqual([
      expect.any(String),
      '3',
      '4',
      '0',
    ])
    expect(await perMinute.nth(12).locator('td').nth(3).innerText()).toBe('1')
    await engagement.getByRole('button', { name: 'Show as chart' }).click()
    const timeline = section.locator('[data-figure=timeline]')
    await timeline.getByRole('button', { name: 'Show as table' }).click()
    expect(
      await timeline.getByTestId('plk-audience-table').locator('tbody tr').allInnerTexts(),
    ).toEqual([expect.stringContaining('Host on camera'), expect.stringContaining('Screen share')])
    await timeline.getByRole('button', { name: 'Show as chart' }).click()
    await screenshot(page, 'admin-audience-ended-en-light')
    // The same numbers as a table: eleven at once from 11 to 20 minutes in.
    const curve = section.locator('[data-figure=curve]')
    await curve.getByRole('button', { name: 'Show as table' }).click()
    const rows = curve.getByTestId('plk-audience-table').locator('tbody tr')
    expect(await rows.count()).toBe(60)
    expect(await rows.nth(15).locator('td').nth(1).innerText()).toBe('11')
    expect(await rows.nth(0).locator('td').nth(1).innerText()).toBe('1')
    const funnel = section.locator('[data-figure=funnel]')
    await funnel.getByRole('button', { name: 'Show as table' }).click()
    expect(await funnel.getByTestId('plk-audience-table').innerText()).toMatch(
      /Tickets held\s+1[\s\S]*Stayed to the end\s+1/,
    )
    const href = await funnel.getByRole('link', { name: 'Download CSV' }).getAttribute('href')
    const csv = await page.context().request.get(String(href))
    expect(await csv.text()).toContain('stayed_to_end,1')

    const german = await open(String(w.host.email), path, { language: 'de', theme: 'dark' })
    const teil = german.getByTestId('plk-admin-audience')
    await teil.waitFor({ timeout: 60_000 })
    await expect.poll(() => teil.locator('.recharts-surface').count(), { timeout: 30_000 }).toBe(5)
    expect(await german.locator('html').getAttribute('data-theme')).toBe('dark')
    expect(await teil.innerText()).toContain('Zuschauer im Verlauf')
    expect(await teil.innerText()).toContain('Vom Ticket bis zum Ende')
    expect(await teil.innerText()).toContain('Was wann geschah')
    await screenshot(german, 'admin-audience-ended-de-dark')

    // Live: the curve runs from the opening to now and says it refreshes.
    const next = await createAppointmentWorld(site.payload, {
      startsAt: inMinutes(2),
      endsAt: inMinutes(60),
      title: 'Class on now',
    })
    const [onNow] = await liveStreamOf(site.payload, next.appointment.id)
    expect(
      await openStream({ payload: site.payload, liveStreamId: onNow.id, reason: 'test' }),
    ).toMatchObject({ outcome: 'opened' })
    const live = await open(
      String(next.host.email),
      `/admin/collections/live-streams/${onNow.id}`,
      { theme: 'dark' },
    )
    const now = live.getByTestId('plk-admin-audience')
    await now.waitFor({ timeout: 60_000 })
    await expect
      .poll(() => now.innerText(), { timeout: 30_000 })
      .toContain('Live: refreshed every 15 seconds')
    await screenshot(live, 'admin-audience-live-en-dark')
  })
})
