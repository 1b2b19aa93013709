import { createClient } from '@libsql/client'
import { createHash } from 'node:crypto'
import pg from 'pg'

/**
 * The test site's database read and held directly, below Payload, the way an auditor would look
 * at it: PostgreSQL through `pg`, a SQLite file through libSQL.
 */
export interface RawDatabase {
  /** The rows of `table` matching `where` (SQL with `$1`, `$2`, … for `params`), each as JSON, by id. */
  rows: (table: string, where: string, params: unknown[]) => Promise<string[]>
  /**
   * Per table, a value that changes with any committed insert, update or delete (and not with
   * a write that was rolled back).
   */
  snapshot: () => Promise<Map<string, string>>
  /** Holds every write to the webhook inbox until the returned function lets them through. */
  stallInbox: () => Promise<() => Promise<void>>
  close: () => Promise<void>
}

export async function rawDatabase(databaseUri: string): Promise<RawDatabase> {
  return databaseUri.startsWith('file:')
    ? sqliteDatabase(databaseUri)
    : postgresDatabase(databaseUri)
}

async function postgresDatabase(uri: string): Promise<RawDatabase> {
  const db = new pg.Client({ connectionString: uri })
  await db.connect()
  let tables: string[] = []
  return {
    rows: async (table, where, params) =>
      (
        await db.query<{ row: string }>(
          `SELECT row_to_json(r)::text AS row FROM "${table}" r WHERE ${where} ORDER BY id`,
          params,
        )
      ).rows.map((r) => r.row),
    // Per table: how many rows, and the newest row version (`xmin`, the id of the transaction
    // that wrote it), which moves with every committed write whether or not it touched updatedAt.
    snapshot: async () => {
      if (!tables.length) {
        const { rows } = await db.query<{ tablename: string }>(
          `select tablename from pg_tables where schemaname = 'public' order by tablename`,
        )
        tables = rows.map((r) => r.tablename)
      }
      const sql = tables
        .map(
          (t) =>
            `select '${t}' as t, count(*)::text || '/' || coalesce(max(xmin::text::bigint), 0)::text as v from "${t}"`,
        )
        .join(' union all ')
      const { rows } = await db.query<{ t: string; v: string }>(sql)
      return new Map(rows.map((r) => [r.t, r.v]))
    },
    stallInbox: async () => {
      const holder = new pg.Client({ connectionString: uri })
      await holder.connect()
      await holder.query('BEGIN')
      await holder.query('LOCK TABLE livekit_webhook_events IN ACCESS EXCLUSIVE MODE')
      return async () => {
        await holder.query('ROLLBACK').catch(() => undefined)
        await holder.end()
      }
    },
    close: () => db.end(),
  }
}

async function sqliteDatabase(uri: string): Promise<RawDatabase> {
  const db = createClient({ url: uri })
  await db.execute('PRAGMA busy_timeout = 15000')
  let tables: string[] = []
  const json = (row: Record<string, unknown>) =>
    JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
  return {
    rows: async (table, where, params) =>
      (
        await db.execute({
          sql: `SELECT * FROM "${table}" WHERE ${where.replace(/\$(\d+)/g, '?$1')} ORDER BY id`,
          args: params as never,
        })
      ).rows.map((r) => json({ ...r })),
    // No row versions in SQLite: per table, a hash of every row (the test world's tables are small).
    snapshot: async () => {
      if (!tables.length) {
        const { rows } = await db.execute(
          `select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`,
        )
        tables = rows.map((r) => String(r.name))
      }
      const out = new Map<string, string>()
      for (const t of tables) {
        const { rows } = await db.execute(`select * from "${t}"`)
        out.set(
          t,
          createHash('sha256')
            .update(json({ rows: rows.map((r) => ({ ...r })) }))
            .digest('hex'),
        )
      }
      return out
    },
    // A write transaction of another connection holds SQLite's one write lock: every writer waits.
    stallInbox: async () => {
      const holder = createClient({ url: uri })
      const transaction = await holder.transaction('write')
      return async () => {
        await transaction.rollback().catch(() => undefined)
        holder.close()
      }
    },
    close: () => Promise.resolve(db.close()),
  }
}
