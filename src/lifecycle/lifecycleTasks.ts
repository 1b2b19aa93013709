import type { Payload, TaskConfig } from 'payload'

import type { DocId } from '../core/ids.js'
import type { ResolvedOptions } from '../resolveOptions.js'

import { LIVE_STREAMS } from '../core/slugs.js'
import { storedIdOf } from '../db/idFormat.js'
import { type EmailRequest, sendAttendeeEmails, sendDueEmails } from '../emails/attendeeEmails.js'
import { payDueHosts } from '../payouts/hostPayouts.js'
import { settleRefunds } from '../refunds/ticketRefunds.js'
import { reapplyStoredEvent } from '../webhooks/applyStoredEvent.js'
import { pruneAppliedEvents } from '../webhooks/inbox.js'
import {
  cancelStream,
  closeStream,
  openStream,
  type OperationArgs,
  type OperationResult,
} from './operations/streamLifecycle.js'
import { reconcile } from './reconcile.js'
import {
  APPLY_WEBHOOK_TASK,
  CANCEL_STREAM_TASK,
  CLOSE_STREAM_TASK,
  OPEN_STREAM_TASK,
  PAY_HOSTS_TASK,
  RECONCILE_TASK,
  SEND_EMAILS_TASK,
  SETTLE_REFUNDS_TASK,
} from './taskSlugs.js'

const streamInput: TaskConfig['inputSchema'] = [
  { name: 'liveStreamId', type: 'text', required: true },
  { name: 'reason', type: 'text' },
]
const resultOutput: TaskConfig['outputSchema'] = [
  { name: 'outcome', type: 'text' },
  { name: 'detail', type: 'text' },
]

type Input = { liveStreamId: string; reason?: string }
const output = (result: OperationResult) => ({
  output: { outcome: result.outcome, detail: result.detail ?? '' },
})
// Job inputs store ids as text; they go back to the type of the live streams' id column.
const streamId = (payload: Payload, input: Input): DocId =>
  storedIdOf(payload, LIVE_STREAMS, input.liveStreamId)

/**
 * The plugin's jobs. Handlers are idempotent (guarded transitions, upserting LiveKit calls),
 * because Payload's runner can hand one job to two workers. LiveKit failures do not throw: the
 * operation records them on the stream and queues its own retry with backoff.
 */
export function lifecycleTasks(resolved: ResolvedOptions): TaskConfig[] {
  const { queue, reconcileCron } = resolved.lifecycle
  const { retentionDays } = resolved.webhooks
  // The three stream tasks differ only in the operation they run.
  const streamTask = (
    slug: string,
    label: string,
    run: (args: OperationArgs) => Promise<OperationResult>,
  ): TaskConfig => ({
    slug,
    label,
    inputSchema: streamInput,
    outputSchema: resultOutput,
    retries: 2,
    handler: async ({ input, req }) => {
      const i = input as Input
      // Clock jobs carry the reason 'clock' and skip work whose time a reschedule moved.
      return output(
        await run({
          payload: req.payload,
          liveStreamId: streamId(req.payload, i),
          reason: i.reason ?? 'job',
          due: i.reason === 'clock',
        }),
      )
    },
  })
  return [
    streamTask(OPEN_STREAM_TASK, 'Open live stream room', openStream),
    streamTask(CLOSE_STREAM_TASK, 'Close live stream room', closeStream),
    streamTask(CANCEL_STREAM_TASK, 'Cancel live stream', cancelStream),
    {
      slug: APPLY_WEBHOOK_TASK,
      label: 'Apply a stored LiveKit webhook event',
      inputSchema: [{ name: 'eventId', type: 'text', required: true }],
      outputSchema: resultOutput,
      retries: 3,
      handler: async ({ input, req }) => ({
        output: {
          outcome: await reapplyStoredEvent(req.payload, (input as { eventId: string }).eventId),
          detail: '',
        },
      }),
    },
    {
      slug: SETTLE_REFUNDS_TASK,
      label: 'Send ticket refunds',
      outputSchema: [
        { name: 'sent', type: 'number' },
        { name: 'retrying', type: 'number' },
        { name: 'failed', type: 'number' },
      ],
      // Runs with reconcile, so refunds Stripe refused for a passing reason are tried again and a
      // decision a crash interrupted is finished; a cancel or a no-show also queues it at once.
      ...(reconcileCron ? { schedule: [{ cron: reconcileCron, queue }] } : {}),
      handler: async ({ req }) => ({ output: { ...(await settleRefunds(req.payload)) } }),
    },
    {
      slug: SEND_EMAILS_TASK,
      label: 'Send attendee emails',
      inputSchema: [
        { name: 'kind', type: 'text' },
        { name: 'liveStreamId', type: 'text' },
        { name: 'ticketId', type: 'text' },
        { name: 'version', type: 'text' },
        { name: 'productOrderId', type: 'text' },
      ],
      outputSchema: [
        { name: 'sent', type: 'number' },
        { name: 'suppressed', type: 'number' },
        { name: 'retrying', type: 'number' },
        { name: 'failed', type: 'number' },
      ],
      // Queued with a moment to announce; run with reconcile (no input) it retries failed sends.
      ...(reconcileCron ? { schedule: [{ cron: reconcileCron, queue }] } : {}),
      handler: async ({ input, req }) => {
        const request = input as Partial<EmailRequest> | undefined
        const run =
          request?.kind && request.liveStreamId
            ? await sendAttendeeEmails(req.payload, request as EmailRequest)
            : await sendDueEmails(req.payload)
        return { output: { ...run } }
      },
    },
    {
      slug: PAY_HOSTS_TASK,
      label: 'Pay hosts their held share',
      outputSchema: [
        { name: 'paid', type: 'number' },
        { name: 'held', type: 'number' },
        { name: 'none', type: 'number' },
        { name: 'retrying', type: 'number' },
        { name: 'failed', type: 'number' },
      ],
      // Runs with reconcile: streams whose hold passed since the last run are paid; a refund after
      // a payout also queues it at once.
      ...(reconcileCron ? { schedule: [{ cron: reconcileCron, queue }] } : {}),
      handler: async ({ req }) => ({ output: { ...(await payDueHosts(req.payload)) } }),
    },
    {
      slug: RECONCILE_TASK,
      label: 'Reconcile LiveKit rooms with live streams',
      outputSchema: [
        { name: 'report', type: 'json' },
        { name: 'prunedWebhookEvents', type: 'number' },
      ],
      ...(reconcileCron ? { schedule: [{ cron: reconcileCron, queue }] } : {}),
      handler: async ({ req }) => {
        const report = await reconcile({ payload: req.payload })
        // The inbox would otherwise keep every delivery forever; one indexed delete per run.
        const prunedWebhookEvents =
          retentionDays === false ? 0 : await pruneAppliedEvents(req.payload, retentionDays)
        return { output: { report, prunedWebhookEvents } }
      },
    },
  ]
}
