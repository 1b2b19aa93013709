import type { Payload } from 'payload'

import type { DocId } from '../core/ids.js'

import { onPostgres, perConfig, sqlTable } from './sqlSchema.js'

/**
 * What an id of one collection can look like in this database, so an id that cannot exist is
 * answered "not found" before any query (Postgres refuses `2147483648` for a serial column with
 * an error, not an empty result). Read from the adapter, never guessed per site.
 */
export type IdShape =
  { kind: 'integer'; max: bigint } | { kind: 'objectId' } | { kind: 'text' } | { kind: 'uuid' }

/** Largest integer JavaScript holds exactly: the ceiling of 64-bit and numeric id columns. */
const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER)
const INTEGER_COLUMNS: Record<string, bigint> = {
  smallint: 32_767n,
  integer: 2_147_483_647n,
  bigint: SAFE_MAX,
  numeric: SAFE_MAX,
}

/** What the adapter tells about a collection's ids (see {@link idShapeOf}). */
export interface IdFacts {
  /** The adapter's name: `postgres`, `sqlite`, `mongoose`. */
  adapter: string
  /** The SQL type of the id column (`integer` for serial, `uuid`, `varchar`…), when the adapter has one. */
  columnType: null | string
  /** The adapter's `idType` option (`serial`, `uuid`), when it has one. */
  idType?: string
  /** Payload's id type for the collection: a custom id field's, or the adapter's default. */
  payloadType: 'number' | 'text'
}

/** The shape of ids given what the adapter says; pure, so every adapter's case is unit-tested. */
export function idShapeFrom(facts: IdFacts): IdShape {
  if (facts.columnType) {
    const max = INTEGER_COLUMNS[facts.columnType]
    if (max) {
      return { kind: 'integer', max }
    }
    if (facts.columnType === 'uuid') {
      return { kind: 'uuid' }
    }
    return { kind: 'text' }
  }
  if (facts.payloadType === 'number') {
    return { kind: 'integer', max: SAFE_MAX }
  }
  if (facts.idType === 'uuid') {
    return { kind: 'uuid' }
  }
  // MongoDB's own ids; a custom text id there is a text id like any other.
  if (facts.adapter === 'mongoose' && facts.idType !== 'text') {
    return { kind: 'objectId' }
  }
  return { kind: 'text' }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const OBJECT_ID = /^[0-9a-f]{24}$/i
const TEXT_ID = /^[\w-]{1,64}$/

/** `raw` as an id of that shape, or null when no row can have it. */
export function idOfShape(shape: IdShape, raw: string): DocId | null {
  switch (shape.kind) {
    case 'integer':
      return /^\d{1,20}$/.test(raw) && BigInt(raw) <= shape.max ? Number(raw) : null
    case 'uuid':
      return UUID.test(raw) ? raw.toLowerCase() : null
    case 'objectId':
      return OBJECT_ID.test(raw) ? raw.toLowerCase() : null
    case 'text':
      return TEXT_ID.test(raw) ? raw : null
  }
}

/**
 * An id the plugin itself wrote down as text (a job input, a participant identity, a totals row),
 * back in the type of the collection's ids: a number where the id column is an integer, else the
 * text as it is. Unlike {@link idOfShape} nothing is refused: the text came from a real id.
 */
export function idFromText(shape: IdShape, text: string): DocId {
  return shape.kind === 'integer' && /^\d{1,20}$/.test(text) ? Number(text) : text
}

/** {@link idFromText} for a collection of this Payload's database. */
export const storedIdOf = (payload: Payload, slug: string, text: string): DocId =>
  idFromText(idShapeOf(payload, slug), text)

const shapes = perConfig(() => new Map<string, IdShape>())

/** The id shape of a collection on this Payload's database (computed once per configuration). */
export function idShapeOf(payload: Payload, slug: string): IdShape {
  const known = shapes(payload)
  let shape = known.get(slug)
  if (!shape) {
    const db = payload.db as unknown as {
      name?: string
      idType?: string
      defaultIDType: 'number' | 'text'
    }
    const custom = (payload.collections[slug] as { customIDType?: 'number' | 'text' } | undefined)
      ?.customIDType
    shape = idShapeFrom({
      adapter: String(db.name ?? ''),
      // PostgreSQL's column types bound an id; SQLite's `integer` holds any 64-bit value.
      columnType: onPostgres(payload) ? (sqlTable(payload, slug)?.type('id') ?? null) : null,
      idType: custom ?? db.idType,
      payloadType: custom ?? db.defaultIDType,
    })
    known.set(slug, shape)
  }
  return shape
}
