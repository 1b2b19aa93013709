import type { Payload } from 'payload'

import { LIVE_STREAMS } from '../collections/slugs.js'

type Id = string | number
const now = () => new Date().toISOString()

/**
 * Adds `by` to a top-level number in one statement (`SET n = n + by`), so instances receiving
 * events at the same time never lose an update. Returns the new value.
 */
export async function bump(payload: Payload, collection: string, id: Id, field: string, by: number): Promise<number | undefined> {
  const doc = (await payload.db.updateOne({ collection, id, data: { [field]: { $inc: by }, updatedAt: now() } })) as Record<string, unknown> | null
  return typeof doc?.[field] === 'number' ? (doc[field] as number) : undefined
}

/** Raises a number to `value` only if it is lower (a monotone max, e.g. peak viewers). */
export async function raiseTo(payload: Payload, collection: string, id: Id, field: string, value: number): Promise<void> {
  await payload.db.updateOne({
    collection,
    where: { and: [{ id: { equals: id } }, { or: [{ [field]: { less_than: value } }, { [field]: { exists: false } }] }] },
    data: { [field]: value },
    options: { atomic: true },
  })
}

/** Sets a field only while it is empty (first join time, actual start). */
export async function setIfEmpty(payload: Payload, collection: string, id: Id, field: string, value: unknown): Promise<void> {
  await payload.db.updateOne({
    collection,
    where: { and: [{ id: { equals: id } }, { [field]: { exists: false } }] },
    data: { [field]: value },
    options: { atomic: true },
  })
}

/** A counter that went below zero (a leave whose join was lost) goes back to zero. */
export async function floorAtZero(payload: Payload, id: Id, field: string): Promise<void> {
  await payload.db.updateOne({
    collection: LIVE_STREAMS,
    where: { and: [{ id: { equals: id } }, { [field]: { less_than: 0 } }] },
    data: { [field]: 0 },
    options: { atomic: true },
  })
}
