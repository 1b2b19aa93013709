import type { Payload } from 'payload'

import type { DocId } from '../core/ids.js'

import { STREAM_REMOVALS } from '../core/slugs.js'

/** Which of `identities` were removed from the stream. */
export async function removedAmong(
  payload: Payload,
  liveStreamId: DocId,
  identities: string[],
): Promise<Set<string>> {
  if (!identities.length) {
    return new Set()
  }
  const found = await payload.db.find<{ id: DocId; identity: string }>({
    collection: STREAM_REMOVALS,
    where: { and: [{ liveStream: { equals: liveStreamId } }, { identity: { in: identities } }] },
    limit: 0,
    pagination: false,
  })
  return new Set(found.docs.map((d) => d.identity))
}
