import type { DocId } from './ids.js'

/** The id of a relationship value, whether Payload handed it over populated or as a bare id. */
export function relationId(value: unknown): DocId | undefined {
  if (value === null || value === undefined) {
    return undefined
  }
  if (typeof value === 'string' || typeof value === 'number') {
    return value
  }
  if (typeof value === 'object' && 'id' in value) {
    const id = (value as { id: unknown }).id
    if (typeof id === 'string' || typeof id === 'number') {
      return id
    }
  }
  return undefined
}
