import type { Payload } from 'payload'

import type { DocId } from '../core/ids.js'

import { loadAppointment, pricingOf } from '../access/facts.js'
import { relationId } from '../core/relationId.js'
import { LIVE_STREAMS, STRIPE_EVENTS, TICKETS } from '../core/slugs.js'
import { hotPathsOf } from '../db/hotPaths.js'
import { idOfShape, idShapeOf } from '../db/idFormat.js'
import {
  perConfig,
  runPrepared,
  runPreparedCount,
  sqlTable,
  statement,
  type Statement,
} from '../db/sqlSchema.js'
import { insertUnique } from '../db/uniqueRows.js'
import { pluginOptionsOf } from '../runtime.js'
import { loadStream, type StreamRecord } from '../streams/streamStore.js'
import { inSeatOrder } from './seatQueue.js'

/*
 * The rows a Stripe delivery reads and writes on its way (its event row, the stream and its
 * appointment, the buyer, the ticket and its seat): on Payload's database API everywhere, and as
 * statements prepared once on PostgreSQL, where a flash sale delivers thousands of them at once. Both give the same results; the unique
 * indexes (event id, checkout session, seat per stream) decide every race either way.
 */

/** A Stripe event's row: which one it is, and whether an earlier delivery applied it. */
export interface StripeEventRow {
  id: DocId
  applied: boolean
}

/** What the row of a new Stripe event keeps: its id and type, and a refund's report. */
export interface NewStripeEvent {
  eventId: string
  type: string
  paymentIntentId?: null | string
  chargeId?: null | string
  amountRefunded?: null | number
}

/** A ticket as a sale reads it: its seat decides whether it is within the capacity. */
export interface SoldTicket {
  id: DocId
  seat: number
  status: string
}

/** What a sale reads of its live stream and of the stream's appointment. */
export interface SaleFacts {
  stream: Pick<StreamRecord, 'appointment' | 'id' | 'refundsDue'>
  /** The appointment's host and tenant; null without an appointment (deleted since) or value. */
  host: DocId | null
  tenant: DocId | null
  /** The appointment's capacity as a number, when it has one. */
  capacity: number | undefined
}

/** An active ticket about to be issued for a paid Checkout Session (its seat is taken then). */
export interface NewTicket {
  liveStream: DocId
  appointment: DocId | null
  /** The buyer; kept only while that user exists (one deleted since paying leaves it empty). */
  user: DocId | null
  amount: number
  currency: string
  stripeCheckoutSessionId: string
  stripePaymentIntentId: null | string
  transferDestination: string
}

/** The database work of applying a Stripe event (see the module comment). */
export interface SaleRows {
  /** The event's row: inserted by its first delivery, read by every later one. */
  eventRow: (event: NewStripeEvent) => Promise<StripeEventRow>
  /** Marks the event applied with what it did, clearing an earlier error. */
  eventApplied: (id: DocId, outcome: string) => Promise<void>
  /** Keeps why applying the event failed; Stripe's retry applies it again. */
  eventFailed: (id: DocId, error: string) => Promise<void>
  /** The stream's and its appointment's facts; null when the stream is gone. */
  saleFacts: (liveStream: DocId) => Promise<null | SaleFacts>
  /**
   * The ticket of a Checkout Session, created once: active, for its buyer if that user still
   * exists, on the seat after every seat taken before it (`issuedNow` when this call made it).
   */
  issueTicket: (ticket: NewTicket) => Promise<{ issuedNow: boolean } & SoldTicket>
  /**
   * The capacity decision of a ticket whose seat is past the capacity: while fewer than
   * `capacity` active tickets sit before its seat (a refund freed a place) it stays `active`;
   * otherwise the sale came after the last place went and an active ticket becomes `refunding`
   * (reason `sold_out`). The ticket's status afterwards, whoever moved it; null when it is gone.
   */
  placeOrSoldOut: (
    ticket: SoldTicket,
    liveStream: DocId,
    capacity: number,
    at: string,
  ) => Promise<null | string>
  /** A `refunding` ticket whose refund Stripe has: `refunded`. */
  markSoldOutRefunded: (id: DocId) => Promise<void>
}

const built = new WeakMap<Payload, SaleRows>()

/** The sale rows for this Payload's database (see hotPaths). */
export function saleRows(payload: Payload): SaleRows {
  let rows = built.get(payload)
  if (!rows) {
    rows =
      (hotPathsOf(payload) === 'postgres' && postgresSaleRows(payload)) || genericSaleRows(payload)
    built.set(payload, rows)
  }
  return rows
}

const stamp = () => new Date().toISOString()

/**
 * On Payload's database API, every ticket takes the seat after the highest one taken (unique per
 * stream), so a ticket sold later always sits behind every ticket sold before it and the capacity
 * check of an earlier sale never changes. Seats are taken one after the other within an instance
 * (a free-for-all of concurrent deliveries would collide on the same seat again and again); a
 * collision with another instance reads the highest seat again.
 */
const genericSaleRows = (payload: Payload): SaleRows => {
  const ticketWhere = (id: DocId) => ({ id: { equals: id } })
  const readTicket = (id: DocId) =>
    payload.db.findOne<SoldTicket>({ collection: TICKETS, where: ticketWhere(id) })
  const ticketOfSession = (sessionId: string) =>
    payload.db.findOne<SoldTicket>({
      collection: TICKETS,
      where: { stripeCheckoutSessionId: { equals: sessionId } },
    })
  // Throws when the session has a ticket already or the seat is taken.
  const insertTicket = async (ticket: { seat: number } & NewTicket) => {
    const now = stamp()
    const { usersSlug } = pluginOptionsOf(payload)
    const buyer =
      ticket.user !== null &&
      (await payload.db.findOne({
        collection: usersSlug,
        where: { id: { equals: ticket.user } },
      }))
    const created = await payload.db.create({
      collection: TICKETS,
      data: {
        ...ticket,
        user: buyer ? ticket.user : null,
        status: 'active',
        createdAt: now,
        updatedAt: now,
      },
    })
    return created.id as DocId
  }
  const highestSeat = async (liveStream: DocId) => {
    const { docs } = await payload.db.find<{ seat?: number }>({
      collection: TICKETS,
      where: { liveStream: { equals: liveStream } },
      sort: '-seat',
      limit: 1,
      pagination: false,
    })
    return Number(docs[0]?.seat ?? 0)
  }
  return {
    async eventRow(event) {
      const byId = { eventId: { equals: event.eventId } }
      const row =
        (await insertUnique(payload, STRIPE_EVENTS, byId, { ...event })) ??
        (await payload.db.findOne<{ id: DocId; appliedAt?: null | string }>({
          collection: STRIPE_EVENTS,
          where: byId,
        }))
      if (!row) {
        throw new Error(`the row of Stripe event ${event.eventId} vanished`)
      }
      return { id: row.id, applied: Boolean(row.appliedAt) }
    },
    async eventApplied(id, outcome) {
      await payload.db.updateOne({
        collection: STRIPE_EVENTS,
        id,
        data: { appliedAt: stamp(), outcome, error: null },
      })
    },
    async eventFailed(id, error) {
      await payload.db.updateOne({ collection: STRIPE_EVENTS, id, data: { error } })
    },
    async saleFacts(liveStream) {
      const stream = await loadStream(payload, liveStream)
      if (!stream) {
        return null
      }
      const resolved = pluginOptionsOf(payload)
      const appointment = await loadAppointment(payload, resolved, stream)
      const f = resolved.appointments.fields
      const capacity = appointment ? pricingOf(resolved, appointment).capacity : undefined
      return {
        stream,
        host: appointment ? (relationId(appointment[f.host]) ?? null) : null,
        tenant: f.tenant && appointment ? (relationId(appointment[f.tenant]) ?? null) : null,
        capacity: typeof capacity === 'number' ? capacity : undefined,
      }
    },
    issueTicket: (ticket) =>
      inSeatOrder(payload, ticket.liveStream, async (queue) => {
        for (let attempt = 0; attempt < 20; attempt++) {
          const seat =
            (attempt === 0 ? queue.next : null) ?? (await highestSeat(ticket.liveStream)) + 1
          try {
            // Inserted first, looked up only when the insert is refused: almost every delivery
            // is the session's first.
            const id = await insertTicket({ ...ticket, seat })
            queue.next = seat + 1
            return { id, seat, status: 'active', issuedNow: true }
          } catch {
            queue.next = null
            // This session has its ticket (an earlier or concurrent delivery made it), or
            // another instance took that seat: look again.
            const made = await ticketOfSession(ticket.stripeCheckoutSessionId)
            if (made) {
              return { ...made, issuedNow: false }
            }
          }
        }
        throw new Error(`could not issue a ticket for ${ticket.stripeCheckoutSessionId}`)
      }),
    async placeOrSoldOut(ticket, liveStream, capacity, at) {
      if (ticket.status === 'active') {
        const { totalDocs } = await payload.db.count({
          collection: TICKETS,
          where: {
            and: [
              { liveStream: { equals: liveStream } },
              { status: { equals: 'active' } },
              { seat: { less_than: ticket.seat } },
            ],
          },
        })
        if (totalDocs < capacity) {
          return 'active'
        }
      }
      await payload.db.updateMany({
        collection: TICKETS,
        where: { and: [ticketWhere(ticket.id), { status: { equals: 'active' } }] },
        data: { status: 'refunding', refundReason: 'sold_out', refundRequestedAt: at },
      })
      return (await readTicket(ticket.id))?.status ?? null
    },
    async markSoldOutRefunded(id) {
      await payload.db.updateMany({
        collection: TICKETS,
        where: { and: [ticketWhere(id), { status: { equals: 'refunding' } }] },
        data: { status: 'refunded' },
      })
    },
  }
}

interface SaleStatements {
  saleFacts: Statement
  insertEvent: Statement
  readEvent: Statement
  eventApplied: Statement
  eventFailed: Statement
  ticketOfSession: Statement
  issueTicket: Statement
  placeOrSoldOut: Statement
  markSoldOutRefunded: Statement
}

/** The ticket columns an insert writes, in its parameter order. */
const TICKET_FIELDS = [
  'liveStream',
  'appointment',
  'user',
  'amount',
  'currency',
  'stripeCheckoutSessionId',
  'stripePaymentIntentId',
  'transferDestination',
] as const satisfies ReadonlyArray<keyof NewTicket>

const EVENT_FIELDS = [
  'eventId',
  'type',
  'paymentIntentId',
  'chargeId',
  'amountRefunded',
] as const satisfies ReadonlyArray<keyof NewStripeEvent>

/**
 * The statements, built from the adapter's schema once per configuration; null when the schema
 * lacks a column they name (a site that renamed something), and Payload's API is used instead.
 */
const saleStatements = perConfig((payload: Payload): null | SaleStatements => {
  const resolved = pluginOptionsOf(payload)
  const events = sqlTable(payload, STRIPE_EVENTS)
  const tickets = sqlTable(payload, TICKETS)
  const users = sqlTable(payload, resolved.usersSlug)
  const streams = sqlTable(payload, LIVE_STREAMS)
  const facts = saleFactsStatement(payload)
  const streamId = streams?.column('id')
  const seatsTaken = streams?.column('seatsTaken')
  if (
    !events ||
    !tickets ||
    !streams ||
    !users?.column('id') ||
    !facts ||
    !streamId ||
    !seatsTaken
  ) {
    return null
  }
  const e = (key: string) => events.column(key)
  const t = (key: string) => tickets.column(key)
  const eventColumns = [...EVENT_FIELDS, 'appliedAt', 'outcome', 'error', 'createdAt', 'updatedAt']
  const ticketColumns = [
    ...TICKET_FIELDS,
    'seat',
    'id',
    'status',
    'refundReason',
    'refundRequestedAt',
    'createdAt',
    'updatedAt',
  ]
  if ([...eventColumns.map(e), ...ticketColumns.map(t), e('id')].some((c) => !c)) {
    return null
  }
  const E = (key: string) => e(key)!
  const T = (key: string) => t(key)!
  const eventInsertColumns = [...EVENT_FIELDS.map(E), E('createdAt'), E('updatedAt')].join(', ')
  const ticketInsertColumns = [
    ...TICKET_FIELDS.map(T),
    T('seat'),
    T('status'),
    T('createdAt'),
    T('updatedAt'),
  ].join(', ')
  const params = (n: number) => Array.from({ length: n }, (_, i) => `$${i + 1}`).join(', ')
  const ticketRow = `${T('id')} AS id, ${T('seat')} AS seat, ${T('status')} AS status`
  // The buyer's id only while that user exists: one subquery instead of a read of its own.
  const ticketValues = TICKET_FIELDS.map((f, i) =>
    f === 'user'
      ? `(SELECT ${users.column('id')} FROM ${users.ref} WHERE ${users.column('id')} = $${i + 1})`
      : `$${i + 1}`,
  ).join(', ')
  return {
    saleFacts: facts,
    // ON CONFLICT waits for a concurrent insert of the same id to commit and then returns
    // nothing; the read after it (a statement of its own, so a newer snapshot) finds that row.
    insertEvent: statement(
      `INSERT INTO ${events.ref} (${eventInsertColumns}) VALUES (${params(EVENT_FIELDS.length)}, now(), now()) ` +
        `ON CONFLICT (${E('eventId')}) DO NOTHING RETURNING ${E('id')} AS id`,
    ),
    readEvent: statement(
      `SELECT ${E('id')} AS id, ${E('appliedAt')} IS NOT NULL AS applied FROM ${events.ref} WHERE ${E('eventId')} = $1`,
    ),
    eventApplied: statement(
      `UPDATE ${events.ref} SET ${E('appliedAt')} = now(), ${E('outcome')} = $2, ${E('error')} = NULL, ` +
        `${E('updatedAt')} = now() WHERE ${E('id')} = $1`,
    ),
    eventFailed: statement(
      `UPDATE ${events.ref} SET ${E('error')} = $2, ${E('updatedAt')} = now() WHERE ${E('id')} = $1`,
    ),
    ticketOfSession: statement(
      `SELECT ${ticketRow} FROM ${tickets.ref} WHERE ${T('stripeCheckoutSessionId')} = $1`,
    ),
    // The seat and the ticket in one statement. The stream row's lock is held until the ticket is
    // committed, so the next sale of the stream (on any instance) waits for it, then reads the
    // count this one left (READ COMMITTED reads a locked row again once it is free): seat after
    // seat in the order of the sales, never a collision, and every lower seat committed before
    // a higher one exists. A session that has its ticket already inserts nothing (its seat is
    // left unused) and is read back instead.
    issueTicket: statement(
      `WITH taken AS (UPDATE ${streams.ref} SET ${seatsTaken} = greatest(coalesce(${seatsTaken}, 0), ` +
        `(SELECT coalesce(max(${T('seat')}), 0) FROM ${tickets.ref} WHERE ${T('liveStream')} = $1)) + 1 ` +
        `WHERE ${streamId} = $1 RETURNING ${seatsTaken} AS seat) ` +
        `INSERT INTO ${tickets.ref} (${ticketInsertColumns}) ` +
        `VALUES (${ticketValues}, (SELECT seat FROM taken), 'active', now(), now()) ` +
        `ON CONFLICT (${T('stripeCheckoutSessionId')}) DO NOTHING ` +
        `RETURNING ${T('id')} AS id, ${T('seat')} AS seat`,
    ),
    // The count and the move in one statement. The row as this statement left it: the moved
    // one, else the one no move applied to (its status is the current one, `active` when a
    // place was free, since nothing here changed it).
    placeOrSoldOut: statement(
      `WITH moved AS (UPDATE ${tickets.ref} SET ${T('status')} = 'refunding', ${T('refundReason')} = 'sold_out', ` +
        `${T('refundRequestedAt')} = $2, ${T('updatedAt')} = now() ` +
        `WHERE ${T('id')} = $1 AND ${T('status')} = 'active' AND ` +
        `(SELECT count(*) FROM ${tickets.ref} AS before WHERE before.${T('liveStream')} = $3 ` +
        `AND before.${T('status')} = 'active' AND before.${T('seat')} < $4) >= $5 ` +
        `RETURNING ${T('status')} AS status) ` +
        `SELECT status FROM moved UNION ALL ` +
        `SELECT ${T('status')} AS status FROM ${tickets.ref} WHERE ${T('id')} = $1 AND NOT EXISTS (SELECT 1 FROM moved)`,
    ),
    markSoldOutRefunded: statement(
      `UPDATE ${tickets.ref} SET ${T('status')} = 'refunded', ${T('updatedAt')} = now() ` +
        `WHERE ${T('id')} = $1 AND ${T('status')} = 'refunding'`,
    ),
  }
})

/**
 * The stream with its appointment's host, tenant and capacity, in one read; null when a field
 * the sale reads is not a column of its own (a hasMany or localized field, say).
 */
function saleFactsStatement(payload: Payload): null | Statement {
  const { fields: f, slug } = pluginOptionsOf(payload).appointments
  const streams = sqlTable(payload, LIVE_STREAMS)
  const appointments = sqlTable(payload, slug)
  if (!streams || !appointments) {
    return null
  }
  const columns = {
    id: streams.column('id'),
    appointment: streams.column('appointment'),
    refundsDue: streams.column('refundsDue'),
    appointmentId: appointments.column('id'),
    host: appointments.column(f.host),
  }
  if (Object.values(columns).some((c) => !c)) {
    return null
  }
  // Optional fields: NULL when the site has none; refused when it has one that is no column.
  const optional = (field: string | undefined) => {
    const column = field ? appointments.column(field) : 'NULL'
    return column && (field ? `a.${column}` : column)
  }
  const tenant = optional(f.tenant)
  const capacity = optional(f.capacity)
  if (!tenant || !capacity) {
    return null
  }
  return statement(
    `SELECT s.${columns.id} AS id, s.${columns.appointment} AS appointment, ` +
      `s.${columns.refundsDue} AS "refundsDue", a.${columns.host} AS host, ${tenant} AS tenant, ` +
      `${capacity} AS capacity FROM ${streams.ref} s ` +
      `LEFT JOIN ${appointments.ref} a ON a.${columns.appointmentId} = s.${columns.appointment} ` +
      `WHERE s.${columns.id} = $1`,
  )
}

/** PostgreSQL's code for a row refused by a unique index. */
const UNIQUE_VIOLATION = '23505'

const postgresSaleRows = (payload: Payload): null | SaleRows => {
  const s = saleStatements(payload)
  if (!s) {
    return null
  }
  const run = (st: Statement, values: unknown[]) => runPrepared(payload, st, values)
  const asTicket = (row: Record<string, unknown> | undefined): null | SoldTicket =>
    row ? { id: row.id as DocId, seat: Number(row.seat), status: String(row.status) } : null
  return {
    async eventRow(event) {
      const [inserted] = await run(
        s.insertEvent,
        EVENT_FIELDS.map((f) => event[f] ?? null),
      )
      if (inserted) {
        return { id: inserted.id as DocId, applied: false }
      }
      const [row] = await run(s.readEvent, [event.eventId])
      if (!row) {
        throw new Error(`the row of Stripe event ${event.eventId} vanished`)
      }
      return { id: row.id as DocId, applied: row.applied === true }
    },
    async eventApplied(id, outcome) {
      await run(s.eventApplied, [id, outcome])
    },
    async eventFailed(id, error) {
      await run(s.eventFailed, [id, error])
    },
    async saleFacts(liveStream) {
      // An id no stream can have names no stream (and could not be cast for the query).
      if (idOfShape(idShapeOf(payload, LIVE_STREAMS), String(liveStream)) === null) {
        return null
      }
      const [row] = await run(s.saleFacts, [liveStream])
      if (!row) {
        return null
      }
      const id = (value: unknown) =>
        value === null || value === undefined ? null : (value as DocId)
      // A number column comes back as text (numeric); a capacity is a whole number of places.
      const capacity = row.capacity === null ? undefined : Number(row.capacity)
      return {
        stream: {
          id: row.id as DocId,
          appointment: id(row.appointment),
          refundsDue: (row.refundsDue ?? null) as StreamRecord['refundsDue'],
        },
        host: id(row.host),
        tenant: id(row.tenant),
        capacity: Number.isFinite(capacity) ? capacity : undefined,
      }
    },
    async issueTicket(ticket) {
      const values = TICKET_FIELDS.map((f) => ticket[f])
      // Refused only when a seat the statement took is held by a ticket that did not come
      // through it (one issued over Payload's API by an instance set to it): the next try
      // takes the seat after that one.
      let inserted: Record<string, unknown> | undefined
      for (let attempt = 0; ; attempt++) {
        try {
          ;[inserted] = await run(s.issueTicket, values)
          break
        } catch (error) {
          if (attempt >= 5 || (error as { code?: unknown }).code !== UNIQUE_VIOLATION) {
            throw error
          }
        }
      }
      if (inserted) {
        return {
          id: inserted.id as DocId,
          seat: Number(inserted.seat),
          status: 'active',
          issuedNow: true,
        }
      }
      const made = asTicket((await run(s.ticketOfSession, [ticket.stripeCheckoutSessionId]))[0])
      if (!made) {
        throw new Error(`the ticket of ${ticket.stripeCheckoutSessionId} vanished`)
      }
      return { ...made, issuedNow: false }
    },
    async placeOrSoldOut(ticket, liveStream, capacity, at) {
      const [row] = await run(s.placeOrSoldOut, [ticket.id, at, liveStream, ticket.seat, capacity])
      return row ? String(row.status) : null
    },
    async markSoldOutRefunded(id) {
      await runPreparedCount(payload, s.markSoldOutRefunded, [id])
    },
  }
}
