import type { Payload } from 'payload'

import type { DocId } from '../core/ids.js'

import { STREAM_REMOVALS } from '../core/slugs.js'
import { perConfig, runPrepared, sqlTable, statement } from '../db/sqlSchema.js'

const insertStatement = perConfig((payload: Payload) => {
  const t = sqlTable(payload, STREAM_REMOVALS)
  if (!t) {
    throw new Error('payload-plugin-livekit: removals need the Postgres adapter.')
  }
  const c = (key: string) => t.column(key)!
  return statement(
    `INSERT INTO ${t.ref} (${c('liveStream')}, ${c('identity')}, ${c('removedBy')}, ${c('removedAt')}, ${c('createdAt')}, ${c('updatedAt')}) ` +
      `VALUES ($1, $2, $3, now(), now(), now()) ON CONFLICT (${c('liveStream')}, ${c('identity')}) DO NOTHING`,
  )
})

/**
 * Records that `identity` was removed from the stream: one insert, which a removal already
 * recorded (the same one twice, or by two moderators at once) leaves as it was.
 */
export async function recordRemoval(
  payload: Payload,
  liveStreamId: DocId,
  identity: string,
  removedBy: string,
): Promise<void> {
  await runPrepared(payload, insertStatement(payload), [liveStreamId, identity, removedBy])
}

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
