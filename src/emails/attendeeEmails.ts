import type { Payload, PayloadRequest, Where } from 'payload'

import type { DocId } from '../core/ids.js'
import type { AttendeeEmail } from '../options.js'

import { formatMoneyFor } from '../core/money.js'
import { relationId } from '../core/relationId.js'
import { EMAIL_DELIVERIES, PRODUCT_ORDERS, STREAM_PINS, TICKETS } from '../core/slugs.js'
import { claimRow } from '../db/claims.js'
import { storedIdOf } from '../db/idFormat.js'
import { insertUnique } from '../db/uniqueRows.js'
import { SEND_EMAILS_TASK } from '../lifecycle/taskSlugs.js'
import { pluginOptionsOf } from '../runtime.js'
import { loadStream, type StreamRecord } from '../streams/streamStore.js'
import {
  composeEmail,
  type EmailFacts,
  type EmailKind,
  type EmailLanguage,
  emailLanguageOf,
  REFUND_REASON_WORDS,
} from './emailTemplates.js'

type Doc = Record<string, unknown>

/** Which email is owed: a moment of a stream, for one ticket or for all its ticket holders. */
export interface EmailRequest {
  kind: EmailKind
  liveStreamId: string
  /** One ticket (purchase, refund); without it every active ticket of the stream. */
  ticketId?: string
  /** What makes a repeat of the moment a new email (the new start time, the recording). */
  version?: string
  /** A product order (product refunds): the email goes to its buyer, not to ticket holders. */
  productOrderId?: string
}

interface DeliveryRow {
  id: DocId
  key: string
  kind: EmailKind
  ticket?: null | string
  liveStream?: null | string
  productOrder?: null | string
  attempts?: null | number
}

/** How long one instance keeps an email to itself while it sends it. */
const CLAIM_MS = 2 * 60_000
/** Tries of a send before it is given up (the row keeps the error). */
const MAX_ATTEMPTS = 5
const SEND_LIMIT = 100

/**
 * Queues the emails of a moment. Nothing when emails are off; the job decides who gets one, so
 * the caller (a webhook, a lifecycle move) never waits for the mail server.
 */
export async function queueAttendeeEmails(
  payload: Payload,
  request: EmailRequest,
  req?: Partial<PayloadRequest>,
): Promise<void> {
  const resolved = pluginOptionsOf(payload)
  if (!resolved.emails.enabled || resolved.disabled) {
    return
  }
  await payload.jobs.queue({
    task: SEND_EMAILS_TASK as never,
    input: request as never,
    queue: resolved.lifecycle.queue,
    req: req as PayloadRequest | undefined,
  })
}

/** The tickets a moment is for: the one named, or the stream's active ones. */
async function ticketsFor(payload: Payload, request: EmailRequest, stream: StreamRecord) {
  const where: Where = request.ticketId
    ? { id: { equals: storedIdOf(payload, TICKETS, request.ticketId) } }
    : { and: [{ liveStream: { equals: stream.id } }, { status: { equals: 'active' } }] }
  return (
    await payload.db.find<{ id: DocId } & Doc>({
      collection: TICKETS,
      where,
      limit: 0,
      pagination: false,
    })
  ).docs
}

const keyOf = (kind: EmailKind, ticket: DocId, version?: string) =>
  `${kind}:${String(ticket)}${version ? `:${version}` : ''}`

/**
 * Makes the delivery rows a moment owes (one per ticket with a buyer, under a unique key, so a
 * repeated request or another instance adds nothing) and sends the ones due.
 */
export async function sendAttendeeEmails(
  payload: Payload,
  request: EmailRequest,
  now = new Date(),
): Promise<EmailRun> {
  const stream = await loadStream(
    payload,
    storedIdOf(payload, 'live-streams', request.liveStreamId),
  )
  // One row per email owed, under its unique key: a repeat of the moment adds nothing.
  const owe = (key: string, about: { productOrder: string } | { ticket: string }) =>
    insertUnique(
      payload,
      EMAIL_DELIVERIES,
      { key: { equals: key } },
      {
        key,
        kind: request.kind,
        ...about,
        liveStream: String(stream!.id),
        attempts: 0,
        retryAt: now.toISOString(),
      },
    )
  if (stream && request.productOrderId) {
    await owe(`${request.kind}:order:${request.productOrderId}`, {
      productOrder: request.productOrderId,
    })
  } else if (stream) {
    for (const ticket of await ticketsFor(payload, request, stream)) {
      if (relationId(ticket.user) !== undefined) {
        await owe(keyOf(request.kind, ticket.id, request.version), { ticket: String(ticket.id) })
      }
    }
  }
  return sendDueEmails(payload, now)
}

/** What a run of the email job did. */
export interface EmailRun {
  sent: number
  suppressed: number
  retrying: number
  failed: number
}

/** Sends every delivery not sent yet whose (next) try is due. Safe on several instances: each is claimed. */
export async function sendDueEmails(payload: Payload, now = new Date()): Promise<EmailRun> {
  const due = await payload.db.find<DeliveryRow>({
    collection: EMAIL_DELIVERIES,
    where: {
      and: [{ sentAt: { equals: null } }, { retryAt: { less_than_equal: now.toISOString() } }],
    },
    sort: 'retryAt',
    limit: SEND_LIMIT,
    pagination: false,
  })
  const run: EmailRun = { sent: 0, suppressed: 0, retrying: 0, failed: 0 }
  for (const row of due.docs) {
    const outcome = await deliver(payload, row, now)
    if (outcome !== 'taken') {
      run[outcome] += 1
    }
  }
  return run
}

/** Start time written for the reader, with the time zone named. */
const startFor = (iso: null | string, language: EmailLanguage, timeZone: string) =>
  iso
    ? new Intl.DateTimeFormat(language, {
        weekday: 'long',
        year: 'numeric',
        month: 'long',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        timeZone,
        timeZoneName: 'short',
      }).format(new Date(iso))
    : ''

/** Where the attendee watches: the site's hook, else the kit's watch page on the site. */
function watchUrlOf(payload: Payload, stream: StreamRecord): string {
  const resolved = pluginOptionsOf(payload)
  if (resolved.emails.watchUrl) {
    return resolved.emails.watchUrl({ id: stream.id, roomName: stream.roomName })
  }
  const site = resolved.stripe.siteUrl || payload.config.serverURL || 'http://localhost:3000'
  return `${new URL(site).origin}/streams/${String(stream.id)}/watch`
}

/** Claims, composes and sends one delivery; a failure is written on the row for a later try. */
async function deliver(
  payload: Payload,
  row: DeliveryRow,
  now: Date,
): Promise<'taken' | keyof EmailRun> {
  const claimed = await claimRow(payload, {
    collection: EMAIL_DELIVERIES,
    id: row.id,
    field: 'claimedUntil',
    where: [{ sentAt: { equals: null } }],
    now,
    forMs: CLAIM_MS,
  })
  if (!claimed) {
    return 'taken'
  }
  const finish = (data: Doc) => claimed.release(data)
  try {
    const message = await compose(payload, row)
    if (!message) {
      // Nothing to say any more (the ticket or its buyer is gone), or the site suppressed it.
      await finish({ sentAt: now.toISOString(), retryAt: null, error: 'not sent: suppressed' })
      return 'suppressed'
    }
    await payload.sendEmail({
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
    })
    await finish({
      sentAt: new Date().toISOString(),
      retryAt: null,
      recipient: message.to,
      error: null,
    })
    return 'sent'
  } catch (error) {
    const attempts = (row.attempts ?? 0) + 1
    const giveUp = attempts >= MAX_ATTEMPTS
    const message = String((error as Error)?.message ?? error).slice(0, 500)
    payload.logger.warn({
      msg: `payload-plugin-livekit: an attendee email (${row.kind}) failed (try ${attempts}${giveUp ? ', given up' : ''}): ${message}`,
    })
    await finish({
      attempts,
      error: message,
      retryAt: giveUp ? null : new Date(now.getTime() + 60_000 * 2 ** (attempts - 1)).toISOString(),
    })
    return giveUp ? 'failed' : 'retrying'
  }
}

/** The email a delivery row stands for, as the site's hook leaves it; null to send nothing. */
async function compose(payload: Payload, row: DeliveryRow): Promise<AttendeeEmail | null> {
  const resolved = pluginOptionsOf(payload)
  if (row.productOrder && row.liveStream) {
    return composeOrderEmail(payload, row)
  }
  if (!row.ticket || !row.liveStream) {
    return null
  }
  const ticket = await payload.db.findOne<{ id: DocId } & Doc>({
    collection: TICKETS,
    where: { id: { equals: storedIdOf(payload, TICKETS, row.ticket) } },
  })
  const stream = await loadStream(payload, storedIdOf(payload, 'live-streams', row.liveStream))
  const userId = relationId(ticket?.user)
  if (!ticket || !stream || userId === undefined) {
    return null
  }
  const user = await payload.db.findOne<{ id: DocId } & Doc>({
    collection: resolved.usersSlug,
    where: { id: { equals: userId } },
  })
  if (!user || typeof user.email !== 'string' || !user.email) {
    return null
  }
  return streamEmail(payload, row, stream, user, user.email, { ticket }, (language) => ({
    amount: amountFor(ticket, language),
    reason: REFUND_REASON_WORDS[language][String(ticket.refundReason ?? 'stripe')],
  }))
}

/** An amount a ticket or an order carries, formatted for the reader. */
const amountFor = (doc: Doc, language: EmailLanguage): string | undefined =>
  typeof doc.amount === 'number' && typeof doc.currency === 'string'
    ? formatMoneyFor(doc.amount, doc.currency, language)
    : undefined

/**
 * What every email about a stream's moment shares: the appointment's title, the start and the
 * watch link in the reader's language, then the site's `beforeSend` hook (false sends nothing).
 */
async function streamEmail(
  payload: Payload,
  row: DeliveryRow,
  stream: StreamRecord,
  user: Doc | null,
  to: string,
  about: { ticket: Doc | null; productOrder?: Doc },
  facts: (language: EmailLanguage) => Pick<EmailFacts, 'amount' | 'product' | 'reason'>,
): Promise<AttendeeEmail | null> {
  const resolved = pluginOptionsOf(payload)
  const appointment =
    stream.appointment === null
      ? null
      : await payload.db.findOne<{ id: DocId } & Doc>({
          collection: resolved.appointments.slug,
          where: { id: { equals: stream.appointment } },
        })
  const language = languageFor(payload, user)
  const watchUrl = watchUrlOf(payload, stream)
  const title = String(appointment?.title ?? (stream as unknown as Doc).title ?? stream.roomName)
  const email: AttendeeEmail = {
    to,
    ...composeEmail(row.kind, language, {
      title,
      startsAt: startFor(stream.scheduledStart, language, resolved.emails.timeZone),
      watchUrl,
      ...facts(language),
    }),
  }
  if (!resolved.emails.beforeSend) {
    return email
  }
  const changed = await resolved.emails.beforeSend(email, {
    kind: row.kind,
    language,
    ...about,
    liveStream: stream as unknown as Doc,
    appointment,
    user,
    watchUrl,
  })
  return changed === false ? null : changed
}

/** The buyer's language: the site's rule, the user's own, the admin's fallback. */
function languageFor(payload: Payload, user: Doc | null): EmailLanguage {
  return emailLanguageOf(
    (user ? pluginOptionsOf(payload).emails.language?.(user) : undefined) ??
      (typeof user?.language === 'string' ? user.language : undefined) ??
      (payload.config.i18n?.fallbackLanguage as string | undefined),
  )
}

/**
 * A product order's email (a sold-out refund) to the address its buyer gave Checkout, else to
 * the buyer's account; a guest without either gets none.
 */
async function composeOrderEmail(
  payload: Payload,
  row: DeliveryRow,
): Promise<AttendeeEmail | null> {
  const resolved = pluginOptionsOf(payload)
  const order = await payload.db.findOne<{ id: DocId } & Doc>({
    collection: PRODUCT_ORDERS,
    where: { id: { equals: storedIdOf(payload, PRODUCT_ORDERS, row.productOrder!) } },
  })
  const stream = await loadStream(payload, storedIdOf(payload, 'live-streams', row.liveStream!))
  if (!order || !stream) {
    return null
  }
  const userId = relationId(order.user)
  const user =
    userId === undefined
      ? null
      : await payload.db.findOne<{ id: DocId } & Doc>({
          collection: resolved.usersSlug,
          where: { id: { equals: userId } },
        })
  const to =
    typeof order.email === 'string' && order.email
      ? order.email
      : typeof user?.email === 'string'
        ? user.email
        : ''
  if (!to) {
    return null
  }
  const pinId = relationId(order.pin)
  const pin =
    pinId === undefined
      ? null
      : await payload.db.findOne<{ id: DocId } & Doc>({
          collection: STREAM_PINS,
          where: { id: { equals: pinId } },
        })
  return streamEmail(
    payload,
    row,
    stream,
    user,
    to,
    { ticket: null, productOrder: order },
    (language) => ({
      // The title as the buyer saw it on the card.
      product: String(pin?.title ?? ''),
      amount: amountFor(order, language),
    }),
  )
}
