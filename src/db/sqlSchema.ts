import type { Payload, PayloadRequest } from 'payload'

import { createHash } from 'node:crypto'

/**
 * Names for the few hand-written SQL statements on hot paths (token route, webhook inbox), taken
 * from the schema Payload's Postgres adapter built, so a site's `dbName`s and schema are honoured.
 * Anything these helpers cannot name makes the caller fall back to Payload's own API.
 */

type QueryResult = { rows: Record<string, unknown>[]; rowCount: null | number }
interface PgClient {
  query: (
    config: { name?: string; text: string; values?: unknown[] } | string,
  ) => Promise<QueryResult>
}
interface PgPool extends PgClient {
  connect: () => Promise<{ release: (error?: Error) => void } & PgClient>
  ending?: boolean
  listenerCount?: (event: string) => number
  on?: (event: 'error', listener: (error: Error) => void) => unknown
}

interface PostgresLike {
  pool?: PgPool
  /** Payload's open transactions by id (drizzle transactions). */
  sessions?: Record<string, { db?: unknown }>
  execute?: (args: { drizzle: unknown; raw: string }) => Promise<unknown>
  tables?: Record<string, Record<string, unknown>>
  tableNameMap?: Map<string, string>
  schemaName?: string
}

/** `"name"`, with embedded quotes doubled. */
export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`

/** Payload's table key for a slug: kebab and camel case become snake case. */
const snake = (slug: string) =>
  slug
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[-\s]+/g, '_')
    .toLowerCase()

/** A table of the adapter's schema: its qualified name and its columns by Payload field key. */
export interface SqlTable {
  /** Schema-qualified, quoted: ready to put after FROM. */
  ref: string
  /** The quoted column for a field key (`host`, `_parentID`, `usersID`), or null if there is none. */
  column(key: string): null | string
  /** The column's SQL type for casts (`integer` for serial ids), or null if there is none. */
  type(key: string): null | string
}

function adapterOf(payload: Payload): null | PostgresLike {
  const db = payload.db as unknown as PostgresLike
  return db.pool && db.tables && db.tableNameMap ? db : null
}

/** The schema of a drizzle-based adapter (PostgreSQL or SQLite): tables and their names. */
function schemaOf(payload: Payload): null | PostgresLike {
  const db = payload.db as unknown as PostgresLike
  return db.tables && db.tableNameMap ? db : null
}

/**
 * Keeps the site running when the database goes away under idle connections (a restart, a
 * failover). `pg` reports an idle pooled connection the server closed as an `error` event of
 * the pool, and Node ends a process on an `error` event nobody listens to: without a listener,
 * a few seconds of database restart would take every Payload instance down with it. The pool
 * drops such a connection by itself and opens a new one for the next statement; the failure
 * is only logged. A listener the site added already is left alone.
 */
export function survivePoolErrors(payload: Payload): void {
  const pool = adapterOf(payload)?.pool
  if (!pool?.on || !pool.listenerCount || pool.listenerCount('error') > 0) {
    return
  }
  pool.on('error', (error) => {
    payload.logger.warn({
      msg: `payload-plugin-livekit: an idle database connection failed (${error.message}); the pool opens a new one`,
    })
  })
}

/** Whether this Payload's database connections are closing (Payload is shutting down). */
export const shuttingDown = (payload: Payload) => adapterOf(payload)?.pool?.ending === true

/** Whether this Payload runs on the Postgres adapter the plugin's SQL statements need. */
export const onPostgres = (payload: Payload) => adapterOf(payload) !== null

/**
 * The table of a collection (`suffix` for its `_rels`, `_texts`, `_sessions`… tables), or null
 * when this is not a drizzle adapter (PostgreSQL, SQLite) or the table is unknown.
 */
export function sqlTable(payload: Payload, slug: string, suffix = ''): null | SqlTable {
  const db = schemaOf(payload)
  if (!db) {
    return null
  }
  const collection = payload.collections[slug]?.config as { dbName?: unknown } | undefined
  const base =
    db.tableNameMap!.get(snake(slug)) ??
    (typeof collection?.dbName === 'string' ? collection.dbName : undefined)
  if (!base) {
    return null
  }
  const name = `${base}${suffix}`
  const table = db.tables![name]
  if (!table) {
    return null
  }
  const ref = db.schemaName ? `${quoteIdent(db.schemaName)}.${quoteIdent(name)}` : quoteIdent(name)
  return {
    ref,
    column(key) {
      const column = table[key] as { name?: unknown } | undefined
      return column && typeof column.name === 'string' ? quoteIdent(column.name) : null
    },
    type(key) {
      const column = table[key] as { getSQLType?: () => string } | undefined
      const type = column?.getSQLType?.()
      if (!type) {
        return null
      }
      return type === 'serial' ? 'integer' : type === 'bigserial' ? 'bigint' : type
    },
  }
}

/**
 * `build` run once per key object (a configuration), its result kept for as long as the key
 * lives: statements are built from the schema once, not per request.
 */
export function oncePer<K extends object, A extends unknown[], V>(
  build: (key: K, ...args: A) => V,
): (key: K, ...args: A) => V {
  const built = new WeakMap<K, V>()
  return (key, ...args) => {
    if (!built.has(key)) {
      built.set(key, build(key, ...args))
    }
    return built.get(key)!
  }
}

/** {@link oncePer} for what is built from one Payload's schema: once per configuration. */
export function perConfig<V>(build: (payload: Payload) => V): (payload: Payload) => V {
  const once = oncePer((_config: object, payload: Payload) => build(payload))
  return (payload) => once(payload.config, payload)
}

/**
 * `rows` as one array per key, in `keys` order: the parameters of an `unnest($n::type[], …)`
 * insert, which writes many rows with one statement.
 */
export function columnsOf<R extends object>(rows: R[], keys: Array<keyof R>): unknown[][] {
  return keys.map((key) => rows.map((row) => row[key]))
}

/** A statement with its prepared-statement name (derived from the text, so names never clash). */
export interface Statement {
  name: string
  text: string
}

export const statement = (text: string): Statement => ({
  name: `plk_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`,
  text,
})

/**
 * Runs a statement prepared on the adapter's pool: Postgres parses and plans it once per
 * connection, and no query builder runs per call.
 */
export async function runPrepared(
  payload: Payload,
  statement: Statement,
  values: unknown[],
): Promise<Record<string, unknown>[]> {
  return (await queryPrepared(payload, statement, values)).rows
}

/**
 * An error PostgreSQL answered with (a unique violation, a check, a cast): the statement failed,
 * the connection did not. Errors of the connection itself (reset, timeout) carry no severity.
 */
const isServerAnswer = (error: unknown) =>
  typeof (error as { severity?: unknown })?.severity === 'string' &&
  /^[0-9A-Z]{5}$/.test(String((error as { code?: unknown }).code))

/**
 * Runs a statement on a pooled connection. Not `pool.query`: that drops its connection after any
 * failed statement, and the refusals a race is decided by (a seat another instance took first, a
 * row inserted once) would then cost a new server process and its prepared statements each time.
 * A connection PostgreSQL closed (a fatal answer) is not queryable, and the pool drops it anyway.
 */
async function queryPrepared(
  payload: Payload,
  { name, text }: Statement,
  values: unknown[],
): Promise<QueryResult> {
  const db = adapterOf(payload)
  if (!db) {
    throw new Error('payload-plugin-livekit: prepared statements need the Postgres adapter.')
  }
  const client = await db.pool!.connect()
  try {
    const result = await client.query({ name, text, values })
    client.release()
    return result
  } catch (error) {
    client.release(isServerAnswer(error) ? undefined : (error as Error))
    throw error
  }
}

/** {@link runPrepared} for a statement whose answer is how many rows it changed (a DELETE, an UPDATE). */
export async function runPreparedCount(
  payload: Payload,
  statement: Statement,
  values: unknown[],
): Promise<{ rowCount: number }> {
  return { rowCount: (await queryPrepared(payload, statement, values)).rowCount ?? 0 }
}

/** Runs `statements` with `values` through {@link runPrepared}'s pool, on one connection. */
export type RunStatement = (
  statement: Statement,
  values: unknown[],
) => Promise<Record<string, unknown>[]>

/** `$n` of a statement written out as literals: for a transaction that only takes raw text. */
function inlined(text: string, values: unknown[]): string {
  return text.replace(/\$(\d+)\b/g, (_m, n: string) => {
    const value = values[Number(n) - 1]
    if (typeof value === 'number' && Number.isSafeInteger(value)) {
      return String(value)
    }
    if (typeof value === 'string') {
      return `'${value.replace(/'/g, "''")}'`
    }
    throw new Error(
      'payload-plugin-livekit: only integers and strings can be written into a statement.',
    )
  })
}

/**
 * Runs `work` in one transaction (committed, or rolled back on a throw), for the places where a
 * lock must be held across statements: on one pooled connection of its own, or — when `req`
 * carries a Payload transaction — inside that one, since it may already hold the same locks
 * (a closing stream's transaction has the stream row).
 */
export async function inTransaction<T>(
  payload: Payload,
  work: (run: RunStatement) => Promise<T>,
  req?: Partial<PayloadRequest>,
): Promise<T> {
  const db = adapterOf(payload)
  if (!db) {
    throw new Error('payload-plugin-livekit: transactions need the Postgres adapter.')
  }
  const transaction = req?.transactionID
    ? db.sessions?.[String(await req.transactionID)]?.db
    : undefined
  if (transaction) {
    // Payload's adapter runs raw text in its transaction, without parameters.
    return work(
      async ({ text }, values) =>
        ((await db.execute!({ drizzle: transaction, raw: inlined(text, values) })) as QueryResult)
          .rows,
    )
  }
  const client = await db.pool!.connect()
  try {
    await client.query('BEGIN')
    const result = await work(
      async ({ name, text }, values) => (await client.query({ name, text, values })).rows,
    )
    await client.query('COMMIT')
    client.release()
    return result
  } catch (error) {
    // A connection that cannot even roll back is broken: the pool drops it instead of reusing it.
    const rolledBack = await client.query('ROLLBACK').then(
      () => true,
      () => false,
    )
    client.release(rolledBack ? undefined : (error as Error))
    throw error
  }
}
