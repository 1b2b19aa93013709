import type { PayloadRequest } from 'payload'

import type { DocId } from '../../core/ids.js'
import type { TicketRow } from '../ticketRefunds.js'

import { pluginUser } from '../../access/pluginUser.js'
import { DomainError } from '../../core/domainError.js'
import { relationId } from '../../core/relationId.js'
import { TICKETS } from '../../core/slugs.js'
import { pluginOptionsOf } from '../../runtime.js'
import { loadStream } from '../../streams/streamStore.js'
import { selfCancelDeadline } from '../refundPolicy.js'
import { requestTicketRefund, sendDueRefunds } from '../ticketRefunds.js'

/** A ticket's refund as its holder or an admin reads it. */
export interface TicketRefundView {
  id: DocId
  status: string
  refundReason: null | string
  refundRequestedAt: null | string
  /** When Stripe accepted the refund; the ticket turns `refunded` when Stripe reports it done. */
  refundSentAt: null | string
  refundFailed: boolean
}

const viewOf = (ticket: TicketRow): TicketRefundView => ({
  id: ticket.id,
  status: ticket.status,
  refundReason: ticket.refundReason ?? null,
  refundRequestedAt: ticket.refundRequestedAt ?? null,
  refundSentAt: ticket.refundSentAt ?? null,
  refundFailed: ticket.refundFailed === true,
})

const readTicket = (req: PayloadRequest, id: DocId) =>
  req.payload.db.findOne<TicketRow>({ collection: TICKETS, where: { id: { equals: id } } })

const noTicket = () => new DomainError('not_found', 'not_found', 'No ticket with that id.')

/** States in which a stream is over: its tickets are used (or already being refunded). */
const OVER = new Set(['cancelled', 'ended', 'ending'])

/**
 * The holder of a ticket cancels it: refunded in full, up to `refunds.attendeeCancelMinutes`
 * before the scheduled start (`conflict` / `cancel_window_closed` afterwards, or once the stream
 * began). Only the ticket's own user may; anyone else is told there is no such ticket. The ticket
 * admits no one from now on; the refund is sent at once, and by the refund job if Stripe cannot
 * take it right now.
 */
export async function cancelTicket(
  req: PayloadRequest,
  ticketId: DocId,
): Promise<TicketRefundView> {
  const resolved = pluginOptionsOf(req.payload)
  const user = pluginUser(req, resolved.usersSlug)
  if (!user) {
    throw new DomainError('unauthenticated', 'login_required', 'Log in to cancel your ticket.')
  }
  const ticket = await readTicket(req, ticketId)
  if (!ticket || String(relationId(ticket.user)) !== String(user.id)) {
    throw noTicket()
  }
  if (ticket.status !== 'active') {
    throw new DomainError(
      'conflict',
      'ticket_not_active',
      `This ticket is ${ticket.status.replace('_', ' ')}; only an active ticket can be cancelled.`,
    )
  }
  const minutes = resolved.refunds.attendeeCancelMinutes
  if (minutes === false) {
    throw new DomainError(
      'forbidden',
      'cancel_not_offered',
      'Tickets to this site’s live streams cannot be cancelled.',
    )
  }
  const streamId = relationId(ticket.liveStream)
  const stream = streamId === undefined ? null : await loadStream(req.payload, streamId)
  const deadline = selfCancelDeadline(stream?.scheduledStart, minutes)
  if (!stream || OVER.has(stream.state) || !deadline || Date.now() >= deadline.getTime()) {
    throw new DomainError(
      'conflict',
      'cancel_window_closed',
      deadline
        ? `Tickets could be cancelled until ${deadline.toISOString()} (${minutes} minutes before the start).`
        : 'This live stream is over or has no start time; its tickets can no longer be cancelled.',
    )
  }
  if (!(await requestTicketRefund(req.payload, ticket.id, 'attendee_cancelled'))) {
    throw new DomainError(
      'conflict',
      'ticket_not_active',
      'This ticket was refunded or cancelled meanwhile.',
    )
  }
  await sendDueRefunds(req.payload, { ticketId: ticket.id })
  return viewOf((await readTicket(req, ticket.id)) ?? ticket)
}

/**
 * An admin sends again a refund the plugin gave up on (after fixing what its error said): its
 * tries start over and the first is made now. `conflict` / `refund_not_failed` for any other ticket.
 */
export async function retryRefund(req: PayloadRequest, ticketId: DocId): Promise<TicketRefundView> {
  const resolved = pluginOptionsOf(req.payload)
  if (!pluginUser(req, resolved.usersSlug)) {
    throw new DomainError('unauthenticated', 'login_required', 'Log in as an admin.')
  }
  if (!(await resolved.isAdmin({ req }))) {
    throw new DomainError('forbidden', 'admin_only', 'Only admins may retry refunds.')
  }
  const ticket = await readTicket(req, ticketId)
  if (!ticket) {
    throw noTicket()
  }
  if (ticket.status !== 'refund_pending' || ticket.refundFailed !== true) {
    throw new DomainError(
      'conflict',
      'refund_not_failed',
      'Only a pending refund the plugin gave up on can be retried.',
    )
  }
  const now = new Date().toISOString()
  await req.payload.db.updateMany({
    collection: TICKETS,
    where: { and: [{ id: { equals: ticket.id } }, { refundFailed: { equals: true } }] },
    data: { refundFailed: false, refundAttempts: 0, refundRetryAt: now, updatedAt: now },
  })
  await sendDueRefunds(req.payload, { ticketId: ticket.id })
  return viewOf((await readTicket(req, ticket.id)) ?? ticket)
}
