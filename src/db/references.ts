import type { Payload, PayloadRequest } from 'payload'

import type { DocId } from '../core/ids.js'

import { mongoCollection, onMongo, storedRef } from './mongo.js'

/**
 * Clears a row's reference to a document that was deleted. SQL databases do it themselves with
 * the delete (the foreign key's ON DELETE SET NULL); MongoDB keeps the dangling id, so the plugin
 * removes it. On MongoDB the field is removed rather than set to null: a unique index skips a
 * missing key but counts null as a value, so a second cleared row would be refused. Elsewhere
 * the reference is set to null inside `req`'s transaction (the delete's own, on SQL, where the
 * row is locked by it), which changes nothing where the database already cleared it.
 */
export async function clearReference(
  payload: Payload,
  collection: string,
  id: DocId,
  field: string,
  req?: Partial<PayloadRequest>,
): Promise<void> {
  if (onMongo(payload)) {
    await mongoCollection(payload, collection).updateOne(
      { _id: storedRef(payload, collection, id) },
      { $unset: { [field]: '' } },
    )
    return
  }
  await payload.db.updateOne({ collection, id, data: { [field]: null }, req })
}
