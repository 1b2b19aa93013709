import type { Payload } from 'payload'

import { pluginOptionsOf } from '../runtime.js'
import { onPostgres } from './sqlSchema.js'

/*
 * Which implementation the hot paths use on this site's database.
 *
 * Each hot path (the webhook inbox, connections and attendance, audience counts, removals, the
 * token facts) has one implementation on Payload's own database API, correct on every adapter,
 * and fast ones written for an adapter where they pay. Both give the same results: exactly once,
 * in any order, with several instances on one database.
 */

/** `generic`: Payload's database API. `postgres`: hand-written SQL on the Postgres adapter. */
export type HotPaths = 'generic' | 'postgres'

/** The implementation of this Payload's hot paths (the `database.hotPaths` option, else by adapter). */
export function hotPathsOf(payload: Payload): HotPaths {
  if (pluginOptionsOf(payload).database.hotPaths === 'generic') {
    return 'generic'
  }
  return onPostgres(payload) ? 'postgres' : 'generic'
}

/** The name Payload's adapter gives itself (`postgres`, `sqlite`, `mongoose`, …). */
export const adapterName = (payload: Payload): string =>
  String((payload.db as { name?: unknown }).name ?? 'unknown')

/**
 * One line for the start-up log when the hot paths run on Payload's API: which adapter, and that
 * it is correct but slower. Null on an adapter with fast paths.
 */
export function hotPathsNotice(payload: Payload): null | string {
  if (hotPathsOf(payload) !== 'generic') {
    return null
  }
  const why =
    pluginOptionsOf(payload).database.hotPaths === 'generic'
      ? '`database.hotPaths` is generic'
      : `no fast path is written for the ${adapterName(payload)} adapter`
  return `payload-plugin-livekit: ${why}; the webhook inbox, audience counts and token route use Payload's database API (same results, slower).`
}
