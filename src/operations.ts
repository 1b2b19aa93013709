/**
 * Every operation of the plugin, for sites that call them from their own hooks, jobs or Local API
 * code instead of over HTTP. They are the functions the plugin's endpoints run, with the same
 * access rules: those that act for a caller take Payload's request (`req.payload` and the caller
 * as `req.user`; in a hook, the hook's `req`; elsewhere, `createLocalReq({ user }, payload)` from
 * `payload`), the others take `{ payload, ... }`.
 *
 * A refusal is thrown as a {@link DomainError}: `kind` says what sort of refusal it is, `code`
 * is the stable code the endpoints answer with (`stream_not_live`, `sold_out`, …). LiveKit's
 * failures are thrown as `LivekitCallError`, Stripe's as Stripe's own errors.
 */
import {
  identifyCaller as identifyCallerOperation,
  identifyModerator as identifyModeratorOperation,
} from './access/identifyCaller.js'
import {
  listParticipants as listParticipantsOperation,
  moderateParticipant as moderateParticipantOperation,
} from './audience/operations/moderateParticipant.js'
import { raiseHand as raiseHandOperation } from './audience/operations/raiseHand.js'
import { sendDueEmails as sendDueEmailsOperation } from './emails/attendeeEmails.js'
import {
  createIngress as createIngressOperation,
  deleteIngress as deleteIngressOperation,
} from './ingress/operations/controlIngress.js'
import { readStatement as readStatementOperation } from './ledger/operations/statement.js'
import {
  cancelStream as cancelStreamOperation,
  closeStream as closeStreamOperation,
  openStream as openStreamOperation,
  reinstateStream as reinstateStreamOperation,
} from './lifecycle/operations/streamLifecycle.js'
import { applyStripeEvent as applyStripeEventOperation } from './payments/operations/applyStripeEvent.js'
import { createCheckout as createCheckoutOperation } from './payments/operations/checkout.js'
import { payDueHosts as payDueHostsOperation } from './payouts/hostPayouts.js'
import { retryPayout as retryPayoutOperation } from './payouts/operations/retryPayout.js'
import {
  startEgress as startEgressOperation,
  stopEgress as stopEgressOperation,
  updateEgress as updateEgressOperation,
} from './recordings/operations/controlEgress.js'
import { replayOf as replayOfOperation } from './recordings/operations/replay.js'
import {
  cancelTicket as cancelTicketOperation,
  retryRefund as retryRefundOperation,
} from './refunds/operations/cancelTicket.js'
import { settleRefunds as settleRefundsOperation } from './refunds/ticketRefunds.js'
import { endStream as endStreamOperation } from './streams/operations/endStream.js'
import { issueToken as issueTokenOperation } from './streams/operations/issueToken.js'
import { streamStatus as streamStatusOperation } from './streams/operations/streamStatus.js'
import { receiveLivekitDelivery as receiveLivekitDeliveryOperation } from './webhooks/receiveLivekitWebhook.js'

export type { CallerContext, IdentifyCallerInput } from './access/identifyCaller.js'
export { MODERATION_ACTIONS } from './audience/operations/moderateParticipant.js'
export type {
  ModerateParticipantInput,
  ModerationAction,
  ModerationBody,
  ModerationResult,
  ParticipantView,
} from './audience/operations/moderateParticipant.js'
export type { HandState, RaiseHandBody, RaiseHandInput } from './audience/operations/raiseHand.js'
export { DOMAIN_ERROR_KINDS, DomainError } from './core/domainError.js'
export type { DomainErrorKind } from './core/domainError.js'
export type { JoinToken } from './core/joinToken.js'
export type {
  CreatedIngress,
  CreateIngressBody,
  DeletedIngress,
} from './ingress/operations/controlIngress.js'
export type { Statement } from './ledger/operations/statement.js'
export type { OperationArgs, OperationResult } from './lifecycle/operations/streamLifecycle.js'
export type {
  StripeEventOutcome,
  StripeEventResult,
} from './payments/operations/applyStripeEvent.js'
export type { CheckoutBody, CheckoutSession } from './payments/operations/checkout.js'
export type {
  EgressOutput,
  StartedEgress,
  StartEgressBody,
  StoppingEgress,
  UpdatedEgress,
  UpdateEgressBody,
} from './recordings/operations/controlEgress.js'
export type { Replay } from './recordings/operations/replay.js'
export type { EndedStream } from './streams/operations/endStream.js'
export type { IssueTokenInput } from './streams/operations/issueToken.js'
export type { StreamStatus } from './streams/operations/streamStatus.js'

// The caller

/**
 * Who the caller of `req` is in a live stream: takes {@link IdentifyCallerInput} (`{ req,
 * liveStreamId, guestCredential?, ignoreState? }`), returns the {@link CallerContext} (role, identity, name, the stream and its
 * appointment). Throws the token's refusals (`login_required`, `ticket_required`, `other_tenant`,
 * `removed`, `stream_not_open`, `stream_ended`, …); `ignoreState: true` decides the role alone.
 */
export const identifyCaller: typeof identifyCallerOperation = identifyCallerOperation

/**
 * The caller of `req` when it may run the stream (host, co-host, admin), whatever the stream's
 * state: takes `(req, liveStreamId, code, message)`, returns the {@link CallerContext}; anyone
 * else is refused as `forbidden` with your `code` and `message`.
 */
export const identifyModerator: typeof identifyModeratorOperation = identifyModeratorOperation

// Joining and watching

/**
 * A LiveKit token for the caller of `req`, with the grants of its role: takes
 * {@link IssueTokenInput} (`{ req, liveStreamId, guestCredential? }`), returns the {@link JoinToken}. Refused as the token endpoint
 * refuses (see {@link identifyCaller}).
 */
export const issueToken: typeof issueTokenOperation = issueTokenOperation

/**
 * The live picture of a stream (state, viewers, publishers, egress; participants for
 * moderators): takes `(req, liveStreamId)`, returns {@link StreamStatus}. Same access as the token,
 * whatever the stream's state.
 */
export const streamStatus: typeof streamStatusOperation = streamStatusOperation

/**
 * The replay of a finished recording: takes `(req, recordingId)`, returns {@link Replay} (a
 * signed URL when the storage allows). `not_found`, the token's refusals, or `conflict`
 * (`recording_not_ready`, `no_replay`).
 */
export const replayOf: typeof replayOfOperation = replayOfOperation

/**
 * The caller (an attendee) raises or lowers its own hand: takes {@link RaiseHandInput} (`{ req,
 * liveStreamId, body: { raised } }`), returns {@link HandState} (`{ identity, handRaised }`). `invalid_hand`, `not_an_attendee`, `not_in_room`,
 * or the token's refusals.
 */
export const raiseHand: typeof raiseHandOperation = raiseHandOperation

// Running a stream (hosts, co-hosts, admins)

/**
 * Ends a live stream now: takes `(req, liveStreamId)`, returns {@link EndedStream} (`{ state }`). Where the appointment
 * has a status, it moves to the first close status and the lifecycle closes the room.
 * `not_a_host`, `stream_not_live`.
 */
export const endStream: typeof endStreamOperation = endStreamOperation

/**
 * Everyone in the room: takes `(req, liveStreamId)`, returns {@link ParticipantView}s (hidden
 * observers for admins only). `not_a_moderator`.
 */
export const listParticipants: typeof listParticipantsOperation = listParticipantsOperation

/**
 * One moderation action (`remove`, `mute`, `promote`, `demote`) on one participant: takes
 * {@link ModerateParticipantInput} (`{ req, liveStreamId, identity, action, body }`, `body.kinds`
 * for mute), returns the {@link ModerationResult}: what changed.
 * `unknown_action`, `not_a_moderator`, `stream_not_live`, `participant_not_found`,
 * `protected_participant`, `self_moderation`, `invalid_kinds`, `not_an_attendee`.
 */
export const moderateParticipant: typeof moderateParticipantOperation = moderateParticipantOperation

/**
 * Starts a recording, HLS, RTMP, web or track-composite egress: takes `(req, liveStreamId, body)`
 * with the {@link StartEgressBody} of `POST /api/live-streams/:id/egress`, returns
 * {@link StartedEgress} (`{ egressId, kind, status }`).
 * `not_a_moderator`, `stream_not_live`, `no_tracks`, `invalid_<field>`, `stream_key_unreadable`,
 * or LiveKit's `egress_unavailable`.
 */
export const startEgress: typeof startEgressOperation = startEgressOperation

/**
 * Changes a running egress (layout, RTMP destinations): takes `(req, liveStreamId, egressId,
 * body)` with the {@link UpdateEgressBody}, returns {@link UpdatedEgress} (`{ egressId, layout,
 * outputs }`) with stream keys masked. `egress_not_found`,
 * `egress_not_running`, `nothing_to_change`, `invalid_<field>`.
 */
export const updateEgress: typeof updateEgressOperation = updateEgressOperation

/** Stops one egress of the stream: takes `(req, liveStreamId, egressId)`, returns {@link StoppingEgress} (`{ egressId, stopping }`). `egress_not_found`. */
export const stopEgress: typeof stopEgressOperation = stopEgressOperation

/**
 * Creates (or replaces) the stream's OBS feed: takes `(req, liveStreamId, body)` with the
 * {@link CreateIngressBody} (`{ type?: 'rtmp' | 'whip' }`), returns {@link CreatedIngress} with the stream key, which is not stored anywhere.
 * `not_a_host`, `invalid_type`, `stream_over`, `ingress_changed`.
 */
export const createIngress: typeof createIngressOperation = createIngressOperation

/** Deletes the stream's OBS feed: takes `(req, liveStreamId)`, returns {@link DeletedIngress} (`{ deleted }`). `not_a_host`. */
export const deleteIngress: typeof deleteIngressOperation = deleteIngressOperation

// Tickets and money

/**
 * A Stripe Checkout Session for one ticket, bought by the caller of `req`: takes `(req,
 * liveStreamId, body)` with the {@link CheckoutBody} (`{ successUrl?, cancelUrl? }`), returns the
 * {@link CheckoutSession} (`{ sessionId, url }`). `login_required`,
 * `not_found`, `stream_over`, `free_stream`, `no_price`, `other_tenant`, `already_has_ticket`,
 * `sold_out`, `invalid_url`, `invalid_return_url`, `stripe_not_configured`.
 */
export const createCheckout: typeof createCheckoutOperation = createCheckoutOperation

/**
 * Applies one Stripe event whose signature you verified (a paid checkout: ticket and sale; a
 * refund: its reversal): takes `(payload, event)`, returns {@link StripeEventResult}, `{
 * duplicate: true }` for an event id already applied. `invalid_event` for a body of no Stripe
 * event's shape.
 */
export const applyStripeEvent: typeof applyStripeEventOperation = applyStripeEventOperation

/**
 * One LiveKit webhook delivery as LiveKit sent it: takes `(payload, rawBody, authorization)`,
 * verifies it through the adapter, stores it once by event id and applies it; returns `{
 * duplicate }`. `invalid_signature`, `invalid_event`, `inbox_unavailable` (the inbox is full or
 * the database too slow: LiveKit retries).
 */
export const receiveLivekitDelivery: typeof receiveLivekitDeliveryOperation =
  receiveLivekitDeliveryOperation

// The ledger

/**
 * The ledger statement the caller of `req` may read (admins: any; a host: its own lines): takes
 * `(req, query)` where `query(key)` reads the filters `tenant`, `host`, `from`, `to`, returns
 * `{ lines, totals }` in minor units. `login_required`, `invalid_filter`.
 */
export const readStatement: typeof readStatementOperation = readStatementOperation

// Refunds and payouts

/**
 * The ticket's holder cancels it and is refunded in full: takes `(req, ticketId)`, returns the
 * ticket's refund. `login_required`, `not_found`, `ticket_not_active`, `cancel_window_closed`,
 * `cancel_not_offered`.
 */
export const cancelTicket: typeof cancelTicketOperation = cancelTicketOperation

/** An admin sends again a refund the plugin gave up on: `(req, ticketId)`. `admin_only`, `refund_not_failed`. */
export const retryRefund: typeof retryRefundOperation = retryRefundOperation

/** An admin settles again a host payout the plugin gave up on: `(req, liveStreamId)`. `admin_only`, `payout_not_failed`. */
export const retryPayout: typeof retryPayoutOperation = retryPayoutOperation

// The lifecycle (what the plugin's jobs run; no caller, every one idempotent)

/** The refund job's run: `(payload)`, returns how many refunds it sent, left for later and gave up on. */
export const settleRefunds: typeof settleRefundsOperation = settleRefundsOperation

/** The payout job's run (separate charges): `(payload)`, returns how many streams it paid, held, … */
export const payDueHosts: typeof payDueHostsOperation = payDueHostsOperation

/** The email job's sweep: `(payload)`, sends the attendee emails due, returns what it sent. */
export const sendDueEmails: typeof sendDueEmailsOperation = sendDueEmailsOperation

/** Opens the stream's room and moves it to `live`: takes {@link OperationArgs} (`{ payload, liveStreamId, reason }`), returns {@link OperationResult}. */
export const openStream: typeof openStreamOperation = openStreamOperation

/** Closes the stream (egress stopped, room deleted, figures frozen): takes {@link OperationArgs}, returns {@link OperationResult}. */
export const closeStream: typeof closeStreamOperation = closeStreamOperation

/** Cancels the stream, closing its room if one may be open: takes {@link OperationArgs}, returns {@link OperationResult}. */
export const cancelStream: typeof cancelStreamOperation = cancelStreamOperation

/** Brings a cancelled stream back to `scheduled`: takes {@link OperationArgs}, returns {@link OperationResult}. */
export const reinstateStream: typeof reinstateStreamOperation = reinstateStreamOperation
