import type { PayloadRequest } from 'payload'

import type { DocId } from '../../core/ids.js'
import type { PayoutStatus } from '../payoutFields.js'

import { pluginUser } from '../../access/pluginUser.js'
import { DomainError } from '../../core/domainError.js'
import { LIVE_STREAMS } from '../../core/slugs.js'
import { pluginOptionsOf } from '../../runtime.js'
import { settleStreamPayout } from '../hostPayouts.js'

/** Where a stream's payout stands after an admin's retry. */
export interface PayoutView {
  id: DocId
  payoutStatus: null | PayoutStatus
  payoutError: null | string
}

/**
 * An admin settles again a payout the plugin gave up on (after fixing what its error says: a
 * connected account that could not receive, a transfer Stripe refused): it is tried at once, and
 * later by the job as usual. 401 not logged in, 403 `admin_only`, 404 no such stream, 409
 * `payout_not_failed` for a payout that did not fail.
 */
export async function retryPayout(req: PayloadRequest, liveStreamId: DocId): Promise<PayoutView> {
  const resolved = pluginOptionsOf(req.payload)
  if (!pluginUser(req, resolved.usersSlug)) {
    throw new DomainError('unauthenticated', 'login_required', 'Log in as an admin.')
  }
  if (!(await resolved.isAdmin({ req }))) {
    throw new DomainError('forbidden', 'admin_only', 'Only admins may retry payouts.')
  }
  const read = () =>
    req.payload.db.findOne<{
      id: DocId
      payoutStatus?: null | PayoutStatus
      payoutError?: null | string
    }>({
      collection: LIVE_STREAMS,
      where: { id: { equals: liveStreamId } },
    })
  const stream = await read()
  if (!stream) {
    throw new DomainError('not_found', 'not_found', 'No live stream with that id.')
  }
  if (stream.payoutStatus !== 'failed') {
    throw new DomainError(
      'conflict',
      'payout_not_failed',
      'Only a payout the plugin gave up on can be retried.',
    )
  }
  await req.payload.db.updateMany({
    collection: LIVE_STREAMS,
    where: { and: [{ id: { equals: stream.id } }, { payoutStatus: { equals: 'failed' } }] },
    data: { payoutStatus: 'due', payoutAttempts: 0, payoutRetryAt: null },
  })
  await settleStreamPayout(req.payload, stream.id)
  const after = (await read()) ?? stream
  return {
    id: after.id,
    payoutStatus: after.payoutStatus ?? null,
    payoutError: after.payoutError ?? null,
  }
}
