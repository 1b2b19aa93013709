import { type ChildProcess, spawn } from 'node:child_process'
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
/** Logs of the site and the servers of a run (printed in part when one fails). */
export const LOG_DIR = path.join(ROOT, 'artifacts', 'bench')
const NEXT_BIN = path.join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next')

/** Variables added to the environment of a child process. */
export type Env = Record<string, string | undefined>

export interface Service {
  /** What the process printed as its JSON ready line, if it prints one. */
  ready: Record<string, unknown>
  stop: () => Promise<void>
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-40).join('\n')
  } catch {
    return ''
  }
}

function start(name: string, args: string[], env: Env): { child: ChildProcess; log: string } {
  mkdirSync(LOG_DIR, { recursive: true })
  const log = path.join(LOG_DIR, `${name}.log`)
  const out = createWriteStream(log)
  // node itself, no npx in between: SIGTERM reaches the server, and its group is ours to end.
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  child.stderr.pipe(out)
  return { child, log }
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) {
      return
    }
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve())
      const signal = (s: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, s)
        } catch {
          resolve()
        }
      }
      signal('SIGTERM')
      // Long enough for a CPU profile to be written.
      setTimeout(() => signal('SIGKILL'), 20_000).unref()
    })
  }
}

/**
 * `BENCH_CPU_PROFILE=<dir>`: each server writes its CPU profiles to `<dir>/<name>/` when it stops
 * (Node's own file names: one per thread, the loader's worker apart from the server's main thread).
 */
function cpuProfile(name: string): string[] {
  const dir = process.env.BENCH_CPU_PROFILE
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(dir, name)}`] : []
}

/** Runs a TypeScript file with tsx until it prints a JSON line (then it keeps running, or has exited). */
export async function startScript(name: string, file: string, env: Env = {}): Promise<Service> {
  const { child, log } = start(name, [...cpuProfile(name), '--import', 'tsx', file], env)
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('{')) {
        resolve(JSON.parse(line))
      }
    })
    child.once('exit', (code) =>
      reject(new Error(`${name} exited with ${code} before it was ready:\n${tail(log)}`)),
    )
  })
  return { ready, stop: stopper(child) }
}

/** `next build` of the dev site, output to artifacts/bench/next-build.log. */
export async function nextBuild(env: Env): Promise<void> {
  const { child, log } = start('next-build', [NEXT_BIN, 'build', 'dev'], env)
  child.stdout!.pipe(createWriteStream(path.join(LOG_DIR, 'next-build.out.log')))
  const code = await new Promise<null | number>((resolve) => child.once('exit', resolve))
  if (code !== 0) {
    throw new Error(
      `next build failed (${code}):\n${tail(log)}\n${tail(path.join(LOG_DIR, 'next-build.out.log'))}`,
    )
  }
}

/**
 * `next start` of the built dev site; ready once `probe` answers below 500. `name` names its logs
 * and profiles (one per site when a benchmark starts several in turn).
 */
export async function nextStart(
  port: number,
  env: Env,
  probe: string,
  name = 'next-start',
): Promise<{ url: string } & Service> {
  const { child, log } = start(
    name,
    [
      ...cpuProfile(name),
      NEXT_BIN,
      'start',
      'dev',
      '--port',
      String(port),
      '--hostname',
      '127.0.0.1',
    ],
    env,
  )
  child.stdout!.pipe(createWriteStream(path.join(LOG_DIR, `${name}.out.log`)))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 120_000
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`next start exited (${child.exitCode}):\n${tail(log)}`)
    }
    const status = await fetch(`${url}${probe}`).then(
      (r) => r.status,
      () => 0,
    )
    if (status > 0 && status < 500) {
      break
    }
    if (Date.now() > deadline) {
      throw new Error(`next start did not answer ${probe} within 2 minutes:\n${tail(log)}`)
    }
    await new Promise((r) => setTimeout(r, 500))
  }
  return { url, ready: {}, stop: stopper(child) }
}
