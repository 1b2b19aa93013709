import { createClient } from '@libsql/client'
import { MongoClient } from 'mongodb'
import { createHash } from 'node:crypto'
import path from 'node:path'
import pg from 'pg'

/**
 * The test site's database read and held directly, below Payload, the way an auditor would look
 * at it: PostgreSQL through `pg`, a SQLite file through libSQL, MongoDB through its driver.
 */
export interface RawDatabase {
  /**
   * The stored rows (documents) of a collection whose `field` equals `value`, each as JSON, by id:
   * exactly what the database holds, column names and all.
   */
  rows: (collection: string, field: string, value: string) => Promise<string[]>
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
    : databaseUri.startsWith('mongodb:')
      ? mongoDatabase(databaseUri)
      : postgresDatabase(databaseUri)
}

/** The SQL adapters' names: a collection's table and a field's column (snake case). */
const tableOf = (collection: string) => collection.replace(/-/g, '_')
const columnOf = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)

async function postgresDatabase(uri: string): Promise<RawDatabase> {
  const db = new pg.Client({ connectionString: uri })
  await db.connect()
  let tables: string[] = []
  return {
    rows: async (collection, field, value) =>
      (
        await db.query<{ row: string }>(
          `SELECT row_to_json(r)::text AS row FROM "${tableOf(collection)}" r WHERE "${columnOf(field)}"::text = $1 ORDER BY id`,
          [value],
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
    rows: async (collection, field, value) =>
      (
        await db.execute({
          sql: `SELECT * FROM "${tableOf(collection)}" WHERE CAST("${columnOf(field)}" AS TEXT) = ? ORDER BY id`,
          args: [value],
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

async function mongoDatabase(uri: string): Promise<RawDatabase> {
  const client = new MongoClient(uri)
  await client.connect()
  const db = client.db()
  const json = (doc: unknown) => JSON.stringify(doc)
  // The adapter names a collection after its slug, in the plural (mongoose's pluralization).
  const named = async (slug: string) => {
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name)
    return [slug, `${slug}s`, `${slug}es`].find((n) => names.includes(n)) ?? slug
  }
  return {
    rows: async (collection, field, value) => {
      const docs = await db
        .collection(await named(collection))
        .find({})
        .sort({ _id: 1 })
        .toArray()
      // Ids and relations are ObjectIds, amounts numbers: matched on their text, as the SQL does.
      return docs.filter((d) => String((d as Record<string, unknown>)[field]) === value).map(json)
    },
    // Per collection, a hash of every document (the test world's collections are small).
    snapshot: async () => {
      const out = new Map<string, string>()
      const names = (await db.listCollections({}, { nameOnly: true }).toArray())
        .map((c) => c.name)
        .filter((n) => !n.startsWith('system.'))
        .sort()
      for (const name of names) {
        const docs = await db.collection(name).find({}).sort({ _id: 1 }).toArray()
        out.set(name, createHash('sha256').update(json(docs)).digest('hex'))
      }
      return out
    },
    stallInbox: () => stallMongo(uri),
    close: () => client.close(),
  }
}

/**
 * The PostgreSQL table behind the inbox collection of a FerretDB database (FerretDB keeps a
 * database as a schema of that name and a collection as a table named after it, documents in
 * its `_jsonb` column), quoted for a statement.
 */
export async function ferretdbInboxTable(client: pg.Client, database: string): Promise<string> {
  const { rows } = await client.query<{ t: string }>(
    `SELECT format('%I.%I', table_schema, table_name) AS t FROM information_schema.tables WHERE table_schema = $1 AND table_name LIKE 'livekit_webhook_events%'`,
    [database],
  )
  if (rows.length !== 1) {
    throw new Error(`no single FerretDB table for the inbox of ${database}`)
  }
  return rows[0].t
}

/**
 * Holds the inbox's writes. On the FerretDB stand-in on PostgreSQL (FERRETDB_POSTGRESQL_URL set by
 * the scripts): a lock on the table that backs the inbox collection. On FerretDB on SQLite
 * (FERRETDB_DATA_DIR): a write transaction on the database's file. On a real mongod: `fsyncLock`,
 * which blocks every write of the server until it is unlocked.
 */
async function stallMongo(uri: string): Promise<() => Promise<void>> {
  const name = new URL(uri).pathname.slice(1)
  const backend = process.env.FERRETDB_POSTGRESQL_URL
  if (backend) {
    const holder = new pg.Client({ connectionString: backend })
    await holder.connect()
    const table = await ferretdbInboxTable(holder, name)
    await holder.query('BEGIN')
    await holder.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`)
    return async () => {
      await holder.query('ROLLBACK').catch(() => undefined)
      await holder.end()
    }
  }
  const dataDir = process.env.FERRETDB_DATA_DIR
  if (dataDir) {
    const holder = createClient({ url: `file:${path.join(dataDir, `${name}.sqlite`)}` })
    const transaction = await holder.transaction('write')
    return async () => {
      await transaction.rollback().catch(() => undefined)
      holder.close()
    }
  }
  const admin = new MongoClient(uri)
  await admin.connect()
  await admin.db('admin').command({ fsync: 1, lock: true })
  return async () => {
    await admin
      .db('admin')
      .command({ fsyncUnlock: 1 })
      .catch(() => undefined)
    await admin.close()
  }
}
