import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'

/** Where screenshots go (CI keeps the directory as the run's artifacts). */
export const ARTIFACTS = path.resolve(process.env.ARTIFACTS_DIR ?? 'artifacts', 'screens')

/** Debian's Chromium with a fake camera and microphone that it may use without asking. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--autoplay-policy=no-user-gesture-required',
      // Screen share picks the whole (virtual) screen without a picker.
      '--auto-select-desktop-capture-source=Entire screen',
      '--enable-usermedia-screen-capturing',
    ],
  })
}

/** A browser context logged in to the site as `email` (Payload's cookie), or anonymous. */
export async function contextFor(
  browser: Browser,
  siteUrl: string,
  email?: string,
  password = 'pw-123456',
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: siteUrl,
    viewport: { width: 1280, height: 800 },
    permissions: ['camera', 'microphone'],
  })
  if (email) {
    const response = await context.request.post('/api/users/login', { data: { email, password } })
    if (!response.ok()) {
      throw new Error(`login as ${email} failed: ${response.status()}`)
    }
  }
  return context
}

/** Saves a full-page screenshot under artifacts/screens. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true })
  const file = path.join(ARTIFACTS, `${name}.png`)
  await page.screenshot({ path: file, fullPage: true })
  return file
}

/**
 * What a video element inside `selector` is doing: its playback time, and how varied its current
 * frame is (standard deviation of luminance over a 64×36 sample; a black or blank frame is ~0).
 */
export async function videoState(
  page: Page,
  selector: string,
): Promise<{ time: number; spread: number; width: number } | null> {
  return page.evaluate((sel) => {
    const video = document.querySelector<HTMLVideoElement>(`${sel} video`)
    if (!video || video.videoWidth === 0) {
      return null
    }
    const canvas = document.createElement('canvas')
    canvas.width = 64
    canvas.height = 36
    const g = canvas.getContext('2d')!
    g.drawImage(video, 0, 0, 64, 36)
    const data = g.getImageData(0, 0, 64, 36).data
    let sum = 0
    let sq = 0
    const n = data.length / 4
    for (let i = 0; i < data.length; i += 4) {
      const y = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2]
      sum += y
      sq += y * y
    }
    const mean = sum / n
    return {
      time: video.currentTime,
      spread: Math.sqrt(Math.max(0, sq / n - mean * mean)),
      width: video.videoWidth,
    }
  }, selector)
}

/** Waits until the video inside `selector` plays (time advances) and shows a picture (not blank). */
export async function expectVideoPlaying(
  page: Page,
  selector: string,
  timeoutMs = 60_000,
): Promise<{ time: number; spread: number; width: number }> {
  const deadline = Date.now() + timeoutMs
  let first: { time: number } | null = null
  let last: Awaited<ReturnType<typeof videoState>> = null
  while (Date.now() < deadline) {
    last = await videoState(page, selector)
    if (last && last.spread > 3) {
      if (first && last.time > first.time + 0.5) {
        return last
      }
      first ??= last
    }
    await page.waitForTimeout(500)
  }
  await screenshot(page, `failed-video-${Date.now()}`).catch(() => undefined)
  throw new Error(
    `video in ${selector} did not play with a picture within ${timeoutMs} ms (last: ${JSON.stringify(last)})`,
  )
}
