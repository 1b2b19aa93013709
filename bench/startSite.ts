import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'

/** What bench/siteProcess.ts prints when its site is up. */
export interface BenchSite {
  url: string
  payloadUrl: string
  streamId: string | number
  roomName: string
  email: string
  adminEmail: string
  password: string
  /** Stops the site process and waits for it (before the scripts stop PostgreSQL under it). */
  stop: () => Promise<void>
}

/**
 * Starts bench/siteProcess.ts in its own Node process (no npx in between, so SIGTERM reaches it).
 * `BENCH_CPU_PROFILE=<dir>` writes the site process's CPU profile there when it stops.
 */
export async function startBenchSite(): Promise<BenchSite> {
  const profile = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : []
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'bench/siteProcess.ts'], { stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const ready = await new Promise<Omit<BenchSite, 'stop'>>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('{"url"')) resolve(JSON.parse(line))
    })
    child.once('exit', (code) => reject(new Error(`site process exited with ${code}`)))
  })
  return {
    ...ready,
    stop: async () => {
      child.kill('SIGTERM')
      await exited
    },
  }
}
