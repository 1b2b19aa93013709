import type { CollectionBeforeOperationHook, Where } from 'payload'

/** Operators whose value is an id (or a list of ids) to compare with. */
const ID_OPERATORS = new Set(['equals', 'not_equals', 'in', 'not_in'])

const asText = (value: unknown): unknown =>
  typeof value === 'number' ? String(value) : Array.isArray(value) ? value.map(asText) : value

/** `where` with numbers compared to `fields` (text columns holding ids) turned into their text. */
export function withTextReferences(where: Where, fields: ReadonlySet<string>): Where {
  const out: Where = {}
  for (const [key, value] of Object.entries(where)) {
    if ((key === 'and' || key === 'or') && Array.isArray(value)) {
      out[key] = value.map((w) => withTextReferences(w, fields))
    } else if (fields.has(key) && value && typeof value === 'object' && !Array.isArray(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([op, v]) => [op, ID_OPERATORS.has(op) ? asText(v) : v]),
      ) as Where[string]
    } else {
      out[key] = value
    }
  }
  return out
}

/**
 * The ledger keeps its references (host, stream, appointment, tenant) as plain text ids, so that
 * nothing deleted elsewhere rewrites or blocks an entry. A site that queries them with a number
 * id (`where: { liveStream: { equals: stream.id } }`) finds the same entries on every database:
 * PostgreSQL compares the two alike, SQLite and MongoDB would match nothing.
 */
export const textReferencesHook =
  (fields: string[]): CollectionBeforeOperationHook =>
  ({ args, operation }) => {
    const query = args as { where?: Where }
    if ((operation === 'read' || operation === 'count') && query.where) {
      return { ...args, where: withTextReferences(query.where, new Set(fields)) }
    }
    return args
  }
