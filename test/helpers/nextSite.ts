import { type ChildProcess, spawn } from 'node:child_process'
import { createWriteStream, mkdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/** The dev site (Next.js: Payload admin + demo pages) running for the browser tests. */
export interface NextSite {
  url: string
  stop: () => Promise<void>
}

/**
 * Starts `next dev` on the dev site with its own database and room prefix, and waits until the
 * pages the tests open are compiled (the first compile of each takes a while on two cores).
 */
export async function startNextSite(opts: {
  port: number
  databaseUri: string
  roomPrefix: string
  logFile: string
  warm: string[]
}): Promise<NextSite> {
  // Loopback is a secure context, where browsers allow camera, microphone and screen capture.
  const url = `http://127.0.0.1:${opts.port}`
  mkdirSync(path.dirname(opts.logFile), { recursive: true })
  const log = createWriteStream(opts.logFile)
  const child: ChildProcess = spawn(
    'npx',
    ['next', 'dev', 'dev', '--port', String(opts.port), '--hostname', '0.0.0.0'],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URI: opts.databaseUri,
        LIVEKIT_ROOM_PREFIX: opts.roomPrefix,
        // Browsers in the namespace reach LiveKit on the veth address, as a phone would reach a real server.
        LIVEKIT_URL: `ws://10.77.0.1:7880`,
        SITE_URL: url,
        PORT: String(opts.port),
        NEXT_TELEMETRY_DISABLED: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  )
  child.stdout?.pipe(log)
  child.stderr?.pipe(log)
  const stop = async () => {
    if (child.exitCode !== null) {
      return
    }
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve())
      try {
        process.kill(-child.pid!, 'SIGTERM')
      } catch {
        resolve()
      }
      setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL')
        } catch {
          // already gone
        }
      }, 5000)
    })
  }
  const deadline = Date.now() + 300_000
  for (const page of opts.warm) {
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(`next dev exited (${child.exitCode}); see ${opts.logFile}`)
      }
      const status = await fetch(`${url}${page}`, {
        method: page.includes('/webhook') ? 'POST' : 'GET',
        signal: AbortSignal.timeout(180_000),
      }).then(
        (r) => r.status,
        () => 0,
      )
      if (status > 0 && status < 500) {
        break
      }
      if (Date.now() > deadline) {
        await stop()
        throw new Error(`the dev site did not serve ${page} within 5 minutes; see ${opts.logFile}`)
      }
      await new Promise((r) => setTimeout(r, 1000))
    }
  }
  return { url, stop }
}
