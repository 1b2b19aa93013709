import autocannon, { type Result } from 'autocannon'

/** The load of every benchmark of the site: autocannon at this many connections. */
export const CONNECTIONS = 50

/** One target's figures: requests per second, latency percentiles and what did not answer 200. */
export interface Figure {
  rate: number
  p50: number
  p99: number
  failed: number
}

/** The figures of several rounds: means, and every failure counted. */
export const mean = (list: Figure[]): Figure => ({
  rate: list.reduce((s, x) => s + x.rate, 0) / list.length,
  p50: list.reduce((s, x) => s + x.p50, 0) / list.length,
  p99: list.reduce((s, x) => s + x.p99, 0) / list.length,
  failed: list.reduce((s, x) => s + x.failed, 0),
})

/** What autocannon measured, as requests over `seconds` (its own duration unless given). */
export const figureOf = (result: Result, seconds = result.duration): Figure => ({
  rate: (result['2xx'] + result.non2xx) / seconds,
  p50: result.latency.p50,
  p99: result.latency.p99,
  failed: result.non2xx + result.errors + result.timeouts,
})

export interface Target {
  url: string
  method?: string
  headers?: Record<string, string>
  body?: string
}

/** `seconds` of load on one target. */
export async function load(target: Target, seconds: number): Promise<Figure> {
  return figureOf(
    await autocannon({ ...target, connections: CONNECTIONS, duration: seconds, timeout: 30 }),
  )
}

/**
 * One request to `target`, which must answer 200 (and carry `expect` when given) before anything
 * is timed: a floor that 404s measures nothing.
 */
export async function expectOk(name: string, target: Target, expect?: string): Promise<void> {
  const response = await fetch(target.url, {
    method: target.method ?? 'GET',
    headers: target.headers,
    body: target.body,
  })
  const text = await response.text()
  if (response.status !== 200) {
    throw new Error(`${name} answered ${response.status}: ${text.slice(0, 300)}`)
  }
  if (expect && !text.includes(expect)) {
    throw new Error(`${name} answered without ${expect}: ${text.slice(0, 300)}`)
  }
}

/** The ratio `a / b` to two places, or `-` without a floor to divide by. */
export const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : '-')

/** Logs a seeded user into the site through Payload's REST API; its `Authorization` header. */
export async function loginHeader(siteUrl: string, email: string, password: string) {
  const response = await fetch(`${siteUrl}/api/users/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  if (!response.ok) {
    throw new Error(`login of ${email} failed: ${response.status} ${await response.text()}`)
  }
  return `JWT ${((await response.json()) as { token: string }).token}`
}
