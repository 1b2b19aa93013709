import type { AddressInfo } from 'node:net'
import type { Browser, BrowserContext, Page } from 'playwright-core'

import { createServer } from 'node:http'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import { planEgress } from '../../src/core/egressPlan.js'
import { overlayPageUrl } from '../../src/recordings/operations/controlEgress.js'
import { pluginOptionsOf } from '../../src/runtime.js'
import {
  contextFor,
  expectVideoPlaying,
  launchChromium,
  screenshot,
  videoState,
} from '../helpers/browser.js'
import { createAppointmentWorld, liveStreamOf } from '../helpers/fixtures.js'
import { waitFor } from '../helpers/media.js'
import { startTestSite, type TestSite } from '../helpers/testSite.js'

const siteUrl = inject('siteUrl')
let site: TestSite
let browser: Browser
const contexts: BrowserContext[] = []
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString()

beforeAll(async () => {
  // A Payload of our own on the dev site's database, to set up the world and read figures.
  site = await startTestSite(
    {
      plugin: {
        lifecycle: { autoRun: false, reconcileCron: false },
        egress: { overlayUrl: `${siteUrl}/streams/{stream}/overlay` },
      },
    },
    undefined,
    {
      databaseUri: inject('siteDatabaseUri'),
      roomPrefix: inject('siteRoomPrefix'),
    },
  )
  browser = await launchChromium()
})
afterAll(async () => {
  for (const c of contexts) {
    await c.close().catch(() => undefined)
  }
  await browser?.close()
  await site?.close()
})

async function user(tenant: number | string, role: string, label: string) {
  const email = `${label}-${Math.random().toString(36).slice(2, 8)}@kit.test`
  const doc = await site.payload.create({
    collection: 'users',
    data: {
      email,
      password: 'pw-123456',
      role,
      tenant,
      name: label[0].toUpperCase() + label.slice(1),
    } as never,
  })
  return { id: doc.id, email }
}

async function open(email: string | undefined, path: string): Promise<Page> {
  const context = await contextFor(browser, siteUrl, email)
  contexts.push(context)
  const page = await context.newPage()
  page.on('pageerror', (error) => console.error(`[page error ${path}]`, error.message))
  page.on('console', (message) => {
    // livekit-client reports its data channels closing on disconnect as errors: noise, not failures.
    if (
      (message.type() === 'error' || message.type() === 'warning') &&
      !/data channel|DataChannel/.test(message.text())
    ) {
      console.error(`[console ${path}]`, message.text().slice(0, 300))
    }
  })
  await page.goto(path)
  return page
}

const viewerCount = (page: Page) =>
  page.locator('[data-testid=plk-viewer-count]').first().innerText()

describe('going live and watching in a real browser', () => {
  it('the host goes live; viewers see and hear it, counts rise, chat and reactions reach the host, a screen share replaces the camera', async () => {
    const w = await createAppointmentWorld(site.payload, {
      startsAt: inMinutes(2),
      endsAt: inMinutes(60),
      status: 'in-progress',
      title: 'Browser class',
    })
    const [stream] = await liveStreamOf(site.payload, w.appointment.id)
    expect(stream.state).toBe('live')
    const viewers = [
      await user(w.tenant.id, 'attendee', 'vera'),
      await user(w.tenant.id, 'attendee', 'walt'),
    ]
    await site.payload.update({
      collection: 'appointments',
      id: w.appointment.id,
      data: { attendees: viewers.map((v) => v.id) } as never,
    })

    // The host: pre-join (device preview), then live.
    const host = await open(String(w.host.email), `/streams/${stream.id}/host`)
    await host.getByRole('button', { name: 'Go live' }).click({ timeout: 60_000 })
    await expectVideoPlaying(host, '[data-testid=plk-main-video]')

    // First viewer: the host's camera plays with a picture.
    const first = await open(viewers[0].email, `/streams/${stream.id}/watch`)
    const playing = await expectVideoPlaying(first, '[data-testid=plk-main-video]')
    expect(playing.width).toBeGreaterThan(0)
    await waitFor(
      async () =>
        (await viewerCount(first)).includes('1') && (await viewerCount(host)).includes('1'),
      30_000,
    )
    await waitFor(
      async () =>
        (await site.payload.findByID({ collection: 'live-streams', id: stream.id, depth: 0 }))
          .currentViewers === 1,
      30_000,
    )

    // Discovery: the stream is listed as live, with its viewer, and the filter keeps it.
    const discovery = await open(undefined, '/streams')
    await discovery.getByRole('button', { name: 'Live now' }).click()
    const card = discovery.locator('[data-testid=plk-stream-card]', { hasText: 'Browser class' })
    await card.waitFor({ timeout: 30_000 })
    expect(await card.innerText()).toMatch(/Live[\s\S]*1 watching/)
    await screenshot(discovery, 'streams')

    // The host's stats panel reads WebRTC's own figures.
    await host.getByRole('button', { name: 'Stats' }).click()
    await expect
      .poll(() => host.locator('[data-testid=plk-stats]').innerText(), { timeout: 20_000 })
      .toMatch(/\d+ kbps/)

    // Second viewer: 2 everywhere, Payload included (from LiveKit's webhooks).
    const second = await open(viewers[1].email, `/streams/${stream.id}/watch`)
    await expectVideoPlaying(second, '[data-testid=plk-main-video]')
    // Quality "Low" switches this viewer to a lower simulcast layer: fewer pixels arrive. (The
    // server starts every subscriber on a low layer and climbs as bandwidth allows: wait for that.)
    const width = async () => (await videoState(second, '[data-testid=plk-main-video]'))?.width ?? 0
    await expect.poll(width, { timeout: 45_000 }).toBeGreaterThanOrEqual(640)
    const top = await width()
    await second.getByLabel('Quality').selectOption('low')
    await expect.poll(width, { timeout: 30_000 }).toBeLessThan(top)
    await second.getByLabel('Quality').selectOption('auto')
    await waitFor(
      async () =>
        (await viewerCount(first)).includes('2') &&
        (await viewerCount(host)).includes('2') &&
        (await viewerCount(second)).includes('2'),
      30_000,
    )
    await waitFor(async () => {
      const doc = await site.payload.findByID({
        collection: 'live-streams',
        id: stream.id,
        depth: 0,
      })
      return doc.currentViewers === 2
    }, 30_000)
    const figures = await site.payload.findByID({
      collection: 'live-streams',
      id: stream.id,
      depth: 0,
    })
    expect(figures).toMatchObject({
      currentViewers: 2,
      peakViewers: 2,
      uniqueViewers: 2,
      hostPresent: true,
    })

    // Chat and a reaction from a viewer reach the host.
    // Keyboard only: focus the message box, type, Enter.
    await first.getByLabel('Message').focus()
    await first.keyboard.type('Hello from the audience')
    await first.keyboard.press('Enter')
    await expect
      .poll(() => host.locator('[data-testid=plk-chat-log]').innerText(), { timeout: 15_000 })
      .toContain('Hello from the audience')
    await first.getByRole('button', { name: 'React 👏' }).click()
    await expect
      .poll(() => host.locator('[data-testid=plk-reactions]').innerText(), { timeout: 15_000 })
      .toContain('👏')
    await first.hover('[data-testid=plk-main-video]')
    await screenshot(host, 'host-live')
    await screenshot(first, 'watch-camera')

    // Screen share: the viewer's stage switches to it, the camera moves to the corner.
    await host.getByRole('button', { name: 'Share screen' }).click()
    await expect
      .poll(() => first.locator('[data-testid=plk-main-video]').getAttribute('data-source'), {
        timeout: 30_000,
      })
      .toBe('screen_share')
    await expectVideoPlaying(first, '[data-testid=plk-main-video]')
    await expect
      .poll(() => first.locator('[data-testid=plk-pip-video]').count(), { timeout: 15_000 })
      .toBe(1)
    await first.hover('[data-testid=plk-main-video]')
    await screenshot(host, 'host-screen-share')
    await screenshot(first, 'watch-screen-share')

    // Phone width: the page fits without sideways scrolling and the video still plays.
    await first.setViewportSize({ width: 390, height: 844 })
    expect(
      await first.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    ).toBe(true)
    await expectVideoPlaying(first, '[data-testid=plk-main-video]')
    await screenshot(first, 'watch-phone')

    // The host ends the stream (after confirming): viewers are told, Payload has it ended.
    host.once('dialog', (dialog) => void dialog.accept())
    await host.getByRole('button', { name: 'End stream' }).click()
    await expect
      .poll(() => first.getByText('This live stream has ended').count(), { timeout: 30_000 })
      .toBe(1)
    await expect
      .poll(
        async () =>
          (await site.payload.findByID({ collection: 'live-streams', id: stream.id, depth: 0 }))
            .state,
        { timeout: 15_000 },
      )
      .toBe('ended')
    expect(
      (await site.payload.findByID({ collection: 'appointments', id: w.appointment.id, depth: 0 }))
        .status,
    ).toBe('completed')
  })

  it('someone without a ticket sees the paywall, not the video', async () => {
    const w = await createAppointmentWorld(site.payload, {
      startsAt: inMinutes(2),
      endsAt: inMinutes(60),
      status: 'in-progress',
      title: 'Paid class',
    })
    const [stream] = await liveStreamOf(site.payload, w.appointment.id)
    const outsider = await user(w.tenant.id, 'attendee', 'olga')
    const page = await open(outsider.email, `/streams/${stream.id}/watch`)
    await expect
      .poll(() => page.locator('[data-testid=plk-paywall]').count(), { timeout: 30_000 })
      .toBe(1)
    await expect(page.getByRole('button', { name: 'Buy a ticket' }).isVisible()).resolves.toBe(true)
    expect(await page.locator('video').count()).toBe(0)
    await screenshot(page, 'watch-paywall')
  })
})

describe('the composite overlay that web egress records', () => {
  it('shows the screen share full and the camera in a corner, unseen by the audience, and signals start and end', async () => {
    const w = await createAppointmentWorld(site.payload, {
      startsAt: inMinutes(2),
      endsAt: inMinutes(60),
      status: 'in-progress',
      title: 'Overlay class',
    })
    const [stream] = await liveStreamOf(site.payload, w.appointment.id)
    const host = await open(String(w.host.email), `/streams/${stream.id}/host`)
    await host.getByRole('button', { name: 'Go live' }).click({ timeout: 60_000 })
    await expectVideoPlaying(host, '[data-testid=plk-main-video]')
    await host.getByRole('button', { name: 'Share screen' }).click()

    // The address the plugin hands LiveKit's web egress: the overlay page with a hidden watch-only token.
    const plan = planEgress(
      { kind: 'web' },
      {
        roomName: String(stream.roomName),
        streamId: stream.id,
        appointmentId: w.appointment.id,
        now: new Date(),
      },
      pluginOptionsOf(site.payload).egress,
    )
    const url = await overlayPageUrl(site.payload, stream.id, plan)
    const context = await contextFor(browser, siteUrl)
    contexts.push(context)
    const overlay = await context.newPage()
    const signals: string[] = []
    overlay.on(
      'console',
      (m) => void (/^(?:START|END)_RECORDING$/.test(m.text()) && signals.push(m.text())),
    )
    await overlay.goto(url.replace(siteUrl, ''))
    await expect
      .poll(() => overlay.locator('[data-testid=plk-main-video]').getAttribute('data-source'), {
        timeout: 30_000,
      })
      .toBe('screen_share')
    await expectVideoPlaying(overlay, '[data-testid=plk-main-video]')
    await expect
      .poll(() => overlay.locator('[data-testid=plk-pip-video]').count(), { timeout: 15_000 })
      .toBe(1)
    await expect.poll(() => overlay.getByText('Overlay class').count()).toBe(1)
    expect(signals).toEqual(['START_RECORDING'])
    // The recorder is hidden: the host still counts no viewers.
    expect(await viewerCount(host)).toContain('0')
    await screenshot(overlay, 'overlay-composite')

    // The studio's recording button calls the plugin; with no egress worker the host reads why.
    await host.getByRole('button', { name: 'Start recording' }).click()
    await expect
      .poll(() => host.locator('[data-testid=plk-problem]').count(), { timeout: 90_000 })
      .toBe(1)
    expect(await host.locator('[data-testid=plk-problem]').innerText()).toMatch(
      /No LiveKit egress worker answered/,
    )

    host.once('dialog', (dialog) => void dialog.accept())
    await host.getByRole('button', { name: 'End stream' }).click()
    await expect
      .poll(() => signals, { timeout: 30_000 })
      .toEqual(['START_RECORDING', 'END_RECORDING'])
  })
})

describe('live shopping in the player and the overlay', () => {
  it('a pinned product reaches two viewer pages within a second, a later viewer and the overlay page show it too', async () => {
    const w = await createAppointmentWorld(site.payload, {
      startsAt: inMinutes(2),
      endsAt: inMinutes(60),
      status: 'in-progress',
      title: 'Shopping class',
      visibility: 'public',
      price: 0,
    })
    const [stream] = await liveStreamOf(site.payload, w.appointment.id)
    const product = (await site.payload.create({
      collection: 'products' as never,
      data: { title: 'Cork block', price: 1800, currency: 'usd', stock: 7 } as never,
    })) as unknown as { id: number | string }
    // Guests of the public stream, connected before the pin.
    const viewers = [
      await open(undefined, `/streams/${stream.id}/watch`),
      await open(undefined, `/streams/${stream.id}/watch`),
    ]
    for (const page of viewers) {
      await page.locator('[data-testid=plk-viewer-count]').waitFor({ timeout: 60_000 })
    }
    const hostContext = await contextFor(browser, siteUrl, String(w.host.email))
    contexts.push(hostContext)
    const pinned = await hostContext.request.post(`${siteUrl}/api/live-streams/${stream.id}/pins`, {
      data: { product: product.id },
    })
    expect(pinned.status()).toBe(200)
    const answeredAt = Date.now()
    for (const page of viewers) {
      await page.locator('[data-testid=plk-product-card]').waitFor({ timeout: 1000 })
    }
    expect(Date.now() - answeredAt).toBeLessThan(1000)
    await expect(viewers[0].locator('[data-testid=plk-product-price]').textContent()).resolves.toBe(
      '$18.00',
    )
    await expect(viewers[0].locator('[data-testid=plk-product-stock]').textContent()).resolves.toBe(
      '7 left',
    )
    await expect(viewers[0].getByRole('button', { name: 'Buy' }).isEnabled()).resolves.toBe(true)
    await screenshot(viewers[0], 'watch-product-card')

    const late = await open(undefined, `/streams/${stream.id}/watch`)
    await late.locator('[data-testid=plk-product-card]').waitFor({ timeout: 30_000 })

    const plan = planEgress(
      { kind: 'web' },
      {
        roomName: String(stream.roomName),
        streamId: stream.id,
        appointmentId: w.appointment.id,
        now: new Date(),
      },
      pluginOptionsOf(site.payload).egress,
    )
    const url = await overlayPageUrl(site.payload, stream.id, plan)
    const context = await contextFor(browser, siteUrl)
    contexts.push(context)
    const overlay = await context.newPage()
    await overlay.goto(url.replace(siteUrl, ''))
    await overlay.locator('[data-testid=plk-product-card]').waitFor({ timeout: 30_000 })
    // The overlay shows the card as recordings will, without a Buy button.
    expect(await overlay.getByRole('button', { name: 'Buy' }).count()).toBe(0)
    await screenshot(overlay, 'overlay-product-card')

    // Taken down: it leaves every screen.
    const pinId = ((await pinned.json()) as { pinId: string }).pinId
    const down = await hostContext.request.delete(
      `${siteUrl}/api/live-streams/${stream.id}/pins/${pinId}`,
    )
    expect(down.status()).toBe(200)
    await expect
      .poll(() => viewers[1].locator('[data-testid=plk-product-card]').count(), { timeout: 5000 })
      .toBe(0)
  }, 180_000)
})

describe('the studio product picker', () => {
  it('a host pins from the studio: a viewer sees the card within a second, the studio lists it, unpinning takes it down', async () => {
    const w = await createAppointmentWorld(site.payload, {
      startsAt: inMinutes(2),
      endsAt: inMinutes(60),
      status: 'in-progress',
      title: 'Studio shopping',
      visibility: 'public',
      price: 0,
    })
    const [stream] = await liveStreamOf(site.payload, w.appointment.id)
    const title = `Yoga strap ${Math.random().toString(36).slice(2, 6)}`
    await site.payload.create({
      collection: 'products' as never,
      data: { title, price: 1250, currency: 'usd', stock: 3 } as never,
    })
    const host = await open(String(w.host.email), `/streams/${stream.id}/host`)
    await host.getByRole('button', { name: 'Go live' }).click({ timeout: 60_000 })
    const picker = host.locator('[data-testid=plk-product-picker]')
    await picker.getByRole('searchbox', { name: 'Search products' }).fill(title)
    const pick = picker.locator('[data-testid=plk-pick]', { hasText: title })
    await pick.waitFor({ timeout: 30_000 })
    expect(await pick.innerText()).toContain('$12.50')

    const viewer = await open(undefined, `/streams/${stream.id}/watch`)
    await viewer.locator('[data-testid=plk-viewer-count]').waitFor({ timeout: 60_000 })
    await pick.getByRole('button', { name: 'Spotlight' }).click()
    const clickedAt = Date.now()
    await viewer.locator('[data-testid=plk-product-card]', { hasText: title }).waitFor({
      timeout: 1000,
    })
    expect(Date.now() - clickedAt).toBeLessThan(1000)
    // The studio shows what the audience sees, from the room's metadata.
    const pinned = picker.locator('[data-testid=plk-pinned]', { hasText: title })
    await pinned.waitFor({ timeout: 5000 })
    expect(await pinned.getAttribute('data-place')).toBe('spotlight')
    const stored = await site.payload.find({
      collection: 'stream-pins' as never,
      where: { liveStream: { equals: stream.id } },
    })
    expect(stored.docs.map((d) => (d as unknown as { title: string }).title)).toEqual([title])
    await screenshot(host, 'studio-product-picker')

    await pinned.getByRole('button', { name: 'Unpin' }).click()
    await expect
      .poll(() => viewer.locator('[data-testid=plk-product-card]').count(), { timeout: 5000 })
      .toBe(0)
  }, 180_000)
})

describe('replay chapters', () => {
  it('list the product moments of the recording and seek the replay to each', async () => {
    const w = await createAppointmentWorld(site.payload, {
      startsAt: inMinutes(2),
      endsAt: inMinutes(60),
      title: 'Replayed shopping',
      visibility: 'public',
      price: 0,
    })
    const [stream] = await liveStreamOf(site.payload, w.appointment.id)
    const media = await serveSilence(90)
    try {
      const startedAt = Date.now() - 3_600_000
      const at = (s: number) => new Date(startedAt + s * 1000).toISOString()
      const product = (await site.payload.create({
        collection: 'products' as never,
        data: { title: 'Cork block', price: 1800, currency: 'usd' } as never,
      })) as unknown as { id: number | string }
      for (const [title, up, down] of [
        ['Foam roller', 42, 60],
        ['Cork block', 12, 30],
        ['Before the recording', -600, -500],
      ] as const) {
        await site.payload.create({
          collection: 'stream-pins' as never,
          data: {
            liveStream: stream.id,
            product: product.id,
            place: 'spotlight',
            title,
            price: 1800,
            currency: 'usd',
            pinnedAt: at(up),
            unpinnedAt: at(down),
          } as never,
        })
      }
      const recording = await site.payload.create({
        collection: 'recordings',
        data: {
          liveStream: stream.id,
          egressId: `EG_rep${Date.now()}`,
          kind: 'recording',
          status: 'complete',
          startedAt: at(0),
          endedAt: at(90),
          durationSeconds: 90,
          fileLocation: media.url,
          objectKey: 'recordings/replay/final.mp4',
        } as never,
      })
      const page = await open(undefined, `/replays/${recording.id}`)
      const chapters = page.locator('[data-testid=plk-replay-chapter]')
      await chapters.first().waitFor({ timeout: 60_000 })
      expect(await chapters.allTextContents()).toEqual(['0:12 Cork block', '0:42 Foam roller'])
      const video = page.locator('[data-testid=plk-replay-video]')
      await page.waitForFunction(
        () =>
          (document.querySelector('[data-testid=plk-replay-video]') as HTMLVideoElement)
            ?.readyState >= 1,
        undefined,
        { timeout: 30_000 },
      )
      await chapters.nth(1).click()
      await expect
        .poll(() => video.evaluate((el: HTMLVideoElement) => el.currentTime), { timeout: 5000 })
        .toBeGreaterThanOrEqual(42)
      await chapters.nth(0).click()
      const position = await video.evaluate((el: HTMLVideoElement) => el.currentTime)
      expect(position).toBeGreaterThanOrEqual(12)
      expect(position).toBeLessThan(20)
      await screenshot(page, 'replay-chapters')
    } finally {
      await media.close()
    }
  }, 180_000)
})

/** A silent WAV of `seconds` served with byte ranges, as storage serves a replay file. */
async function serveSilence(seconds: number) {
  const rate = 8000
  const data = Buffer.alloc(rate * seconds, 0x80)
  const header = Buffer.alloc(44)
  header.write('RIFF', 0)
  header.writeUInt32LE(36 + data.length, 4)
  header.write('WAVEfmt ', 8)
  header.writeUInt32LE(16, 16)
  header.writeUInt16LE(1, 20)
  header.writeUInt16LE(1, 22)
  header.writeUInt32LE(rate, 24)
  header.writeUInt32LE(rate, 28)
  header.writeUInt16LE(1, 32)
  header.writeUInt16LE(8, 34)
  header.write('data', 36)
  header.writeUInt32LE(data.length, 40)
  const file = Buffer.concat([header, data])
  const server = createServer((req, res) => {
    const range = /bytes=(\d+)-(\d*)/.exec(req.headers.range ?? '')
    const start = range ? Number(range[1]) : 0
    const end = range && range[2] ? Number(range[2]) : file.length - 1
    res.writeHead(range ? 206 : 200, {
      'Accept-Ranges': 'bytes',
      'Access-Control-Allow-Origin': '*',
      'Content-Length': end - start + 1,
      'Content-Type': 'audio/wav',
      ...(range ? { 'Content-Range': `bytes ${start}-${end}/${file.length}` } : {}),
    })
    res.end(file.subarray(start, end + 1))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/replay.wav`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
