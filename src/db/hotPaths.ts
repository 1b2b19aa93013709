import type { Payload } from 'payload'

import { pluginOptionsOf } from '../runtime.js'
import { onMongo } from './mongo.js'
import { onSqlite } from './sqlite.js'
import { onPostgres } from './sqlSchema.js'

/*
 * Which implementation the hot paths use on this site's database.
 *
 * Each hot path (the webhook inbox, connections and attendance, audience counts, removals, the
 * token facts) has one implementation on Payload's own database API, correct on every adapter,
 * and fast ones written for an adapter where they pay. Both give the same results: exactly once,
 * in any order, with several instances on one database.
 */

/**
 * `generic`: Payload's database API. `postgres`: hand-written SQL on the Postgres adapter.
 * `sqlite`: hand-written SQL on the SQLite adapter's client, and `mongodb`: the driver's own
 * operations, where they pay (the inbox and the audience), Payload's API elsewhere.
 */
export type HotPaths = 'generic' | 'mongodb' | 'postgres' | 'sqlite'

/** The implementation of this Payload's hot paths (the `database.hotPaths` option, else by adapter). */
export function hotPathsOf(payload: Payload): HotPaths {
  if (pluginOptionsOf(payload).database.hotPaths === 'generic') {
    return 'generic'
  }
  return onPostgres(payload)
    ? 'postgres'
    : onSqlite(payload)
      ? 'sqlite'
      : onMongo(payload)
        ? 'mongodb'
        : 'generic'
}

/** The name Payload's adapter gives itself (`postgres`, `sqlite`, `mongoose`, …). */
export const adapterName = (payload: Payload): string =>
  String((payload.db as { name?: unknown }).name ?? 'unknown')

/**
 * One line for the start-up log when some hot paths run on Payload's API: which adapter, which
 * paths, and that they are correct but slower. Null when every hot path has its fast version.
 */
export function hotPathsNotice(payload: Payload): null | string {
  const paths = hotPathsOf(payload)
  if (paths === 'postgres') {
    return null
  }
  if (paths === 'mongodb') {
    return "payload-plugin-livekit: on MongoDB the webhook inbox and the audience use the driver's own operations; the token route uses Payload's database API (same results, slower)."
  }
  if (paths === 'sqlite') {
    return "payload-plugin-livekit: on SQLite the webhook inbox and the audience use the plugin's own statements; the token route uses Payload's database API (same results, slower)."
  }
  const why =
    pluginOptionsOf(payload).database.hotPaths === 'generic'
      ? '`database.hotPaths` is generic'
      : `no fast path is written for the ${adapterName(payload)} adapter`
  return `payload-plugin-livekit: ${why}; the webhook inbox, audience counts and token route use Payload's database API (same results, slower).`
}
