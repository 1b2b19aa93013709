import type { Payload } from 'payload'

/** Runs the plugin's job queue, as the autoRun cron would, until `done` holds or time runs out. */
export async function runJobsUntil(
  payload: Payload,
  done: () => Promise<boolean>,
  timeoutMs = 15_000,
  queue = 'livekit',
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    await payload.jobs.run({ queue, limit: 100, silent: true })
    if (await done()) {
      return
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`condition not reached within ${timeoutMs} ms`)
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
