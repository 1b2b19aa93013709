import type { Payload } from 'payload'

import type { DocId } from '../core/ids.js'

import * as slugs from '../core/slugs.js'

/*
 * The MongoDB side of the hot paths: the driver's collections behind Payload's mongoose adapter.
 * The plugin does not depend on mongoose or the driver; it uses what the adapter already holds
 * (its models and its mongoose instance), so nothing here loads unless the site runs on MongoDB.
 */

/** The few driver operations the fast paths use, typed loosely (the driver is the site's). */
export interface MongoCollection {
  insertMany: (docs: object[], options: { ordered: boolean }) => Promise<unknown>
  find: (
    filter: object,
    options?: { projection?: object; sort?: object; limit?: number },
  ) => { toArray: () => Promise<Array<Record<string, unknown>>> }
  findOneAndUpdate: (
    filter: object,
    update: object,
    options: { returnDocument: 'after' },
  ) => Promise<null | Record<string, unknown>>
  updateMany: (filter: object, update: object) => Promise<unknown>
  updateOne: (filter: object, update: object) => Promise<unknown>
  bulkWrite: (operations: object[], options: { ordered: boolean }) => Promise<unknown>
  aggregate: (pipeline: object[]) => { toArray: () => Promise<Array<Record<string, unknown>>> }
  deleteMany: (filter: object) => Promise<{ deletedCount?: number }>
  distinct: (key: string, filter: object) => Promise<unknown[]>
  createIndex: (keys: object, options: { sparse?: boolean; name?: string }) => Promise<unknown>
}

interface MongooseAdapterShape {
  name?: unknown
  collections?: Record<string, { collection?: unknown }>
  /** The adapter's mongoose connection; `base` is the mongoose instance it belongs to. */
  connection?: {
    base?: { Types?: { ObjectId?: new (id?: string) => { toHexString: () => string } } }
  }
}

/** True on Payload's MongoDB adapter (`@payloadcms/db-mongodb`, which names itself mongoose). */
export function onMongo(payload: Payload): boolean {
  const db = payload.db as unknown as MongooseAdapterShape
  return (
    db.name === 'mongoose' && typeof db.collections === 'object' && !!db.connection?.base?.Types
  )
}

/** The driver collection behind one of Payload's collections. */
export function mongoCollection(payload: Payload, slug: string): MongoCollection {
  const collection = (payload.db as unknown as MongooseAdapterShape).collections?.[slug]?.collection
  if (!collection) {
    throw new Error(`payload-plugin-livekit: no MongoDB collection for ${slug}.`)
  }
  return collection as MongoCollection
}

/** Turns Payload's ids (hex strings) into the ObjectIds stored in `_id`, and back. */
export function objectIds(payload: Payload): {
  of: (id: DocId) => unknown
  fresh: () => unknown
  idOf: (value: unknown) => DocId
} {
  const ObjectId = (payload.db as unknown as MongooseAdapterShape).connection!.base!.Types!
    .ObjectId!
  return {
    of: (id) => new ObjectId(String(id)),
    fresh: () => new ObjectId(),
    idOf: (value) => String(value),
  }
}

/**
 * The value a relationship to `slug` stores for `id`: an ObjectId, or the id itself where the
 * collection has a custom id field (number or text ids are stored as they are).
 */
export function storedRef(payload: Payload, slug: string, id: DocId): unknown {
  return payload.collections[slug]?.customIDType ? id : objectIds(payload).of(id)
}

/**
 * Inserts `docs` with one unordered insert and returns the positions the collection's unique
 * indexes refused (already stored, by this instance or another); any other failure is thrown.
 */
export async function insertNew(collection: MongoCollection, docs: object[]): Promise<Set<number>> {
  if (!docs.length) {
    return new Set()
  }
  try {
    await collection.insertMany(docs, { ordered: false })
    return new Set()
  } catch (error) {
    const refused = duplicatePositions(error, docs.length)
    if (!refused) {
      throw error
    }
    return refused
  }
}

/**
 * Most update statements sent in one command. FerretDB (the MongoDB-wire server on PostgreSQL
 * or SQLite) holds a backend connection for every statement of a command until the command
 * ends, so a bulk update with more statements than its connection pool (50 by default) never
 * finishes and leaves the pool exhausted; measured here: 30 statements in 0.36 s, 40 with a pool
 * of 32 never. Small commands cost MongoDB itself a few round trips more.
 */
const STATEMENTS_PER_COMMAND = 8

/** Runs single-document updates (`{ updateOne: … }`) unordered, a few per command. */
export async function updateEach(collection: MongoCollection, updates: object[]): Promise<void> {
  for (let at = 0; at < updates.length; at += STATEMENTS_PER_COMMAND) {
    await collection.bulkWrite(updates.slice(at, at + STATEMENTS_PER_COMMAND), { ordered: false })
  }
}

/**
 * The positions of the `count` documents an unordered insert refused because their unique key
 * was taken (MongoDB's duplicate key error, 11000); null when anything else failed.
 */
export function duplicatePositions(error: unknown, count: number): null | Set<number> {
  const e = error as { code?: unknown; writeErrors?: unknown }
  const writeErrors = e?.writeErrors
  const list = (
    Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : []
  ) as Array<{
    code?: unknown
    index?: unknown
  }>
  if (!list.length) {
    return e?.code === 11000 && count === 1 ? new Set([0]) : null
  }
  if (list.some((w) => w.code !== 11000 || typeof w.index !== 'number')) {
    return null
  }
  return new Set(list.map((w) => w.index as number))
}

/** The plugin's collections (every slug it adds), whose unique indexes make its "exactly once" rows. */
const PLUGIN_COLLECTIONS: string[] = Object.values(slugs)

/**
 * Builds the indexes of the plugin's collections before the site serves a request. Mongoose
 * otherwise builds them in the background after start-up, and until a unique index exists two
 * deliveries of one event (or two sales of one Checkout Session) could both be inserted.
 */
export async function ensurePluginIndexes(payload: Payload): Promise<void> {
  const models = (payload.db as unknown as { collections?: Record<string, unknown> }).collections
  await Promise.all(
    PLUGIN_COLLECTIONS.map(async (slug) => {
      const model = models?.[slug] as { ensureIndexes?: () => Promise<unknown> } | undefined
      await model?.ensureIndexes?.()
    }),
  )
  // Waiting inbox events carry their room in a field of their own (see the MongoDB inbox): a
  // sparse index holds only those, so a claim reads the backlog however long the history.
  await mongoCollection(payload, slugs.WEBHOOK_EVENTS).createIndex(
    { _pending: 1 },
    { sparse: true, name: 'pending_room' },
  )
}
