import type { Payload, Where } from 'payload'

import type { DocId } from '../core/ids.js'

type Row = { id: DocId } & Record<string, unknown>

/**
 * Inserts a row that a unique index guards, as the one way the plugin makes "exactly once" rows
 * (inbox events, sessions, attendance, totals, recordings). Returns the new row, or null when the
 * row (found by `where`) already exists, for instance because another instance inserted it a
 * moment ago. Not for use inside a request transaction: Postgres aborts a transaction on a unique
 * violation, so these writes run on their own.
 */
export async function insertUnique<T extends Row = Row>(
  payload: Payload,
  collection: string,
  where: Where,
  data: Record<string, unknown>,
): Promise<null | T> {
  const now = new Date().toISOString()
  try {
    return (await payload.db.create({
      collection,
      data: { createdAt: now, updatedAt: now, ...data },
    })) as T
  } catch (error) {
    if (await payload.db.findOne({ collection, where })) {
      return null
    }
    throw error
  }
}

/** The row matching `where`, created from `data` when there is none yet. */
export async function findOrCreate<T extends Row = Row>(
  payload: Payload,
  collection: string,
  where: Where,
  data: Record<string, unknown>,
): Promise<{ doc: T; created: boolean }> {
  const existing = await payload.db.findOne<T>({ collection, where })
  if (existing) {
    return { doc: existing, created: false }
  }
  const inserted = await insertUnique<T>(payload, collection, where, data)
  if (inserted) {
    return { doc: inserted, created: true }
  }
  return { doc: (await payload.db.findOne<T>({ collection, where }))!, created: false }
}
