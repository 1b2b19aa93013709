import type { Payload, PayloadRequest } from 'payload'

import type { DocId } from '../core/ids.js'
import type { AccessFacts } from '../core/roles.js'
import type { ResolvedOptions } from '../resolveOptions.js'
import type { StreamRecord } from '../streams/streamStore.js'

import { removedAmong } from '../audience/removals.js'
import { relationId } from '../core/relationId.js'
import { openAt } from '../core/schedule.js'
import { TICKETS } from '../core/slugs.js'
import { pluginUser } from './pluginUser.js'

type Doc = Record<string, unknown>

const ids = (value: unknown): DocId[] =>
  Array.isArray(value) ? value.map(relationId).filter((v): v is DocId => v !== undefined) : []

/** The tenants a user belongs to: `tenant` (one) or `tenants[].tenant` (multi-tenant plugin). */
export function defaultUserTenants(user: Doc): DocId[] {
  const one = relationId(user.tenant)
  const many = Array.isArray(user.tenants)
    ? user.tenants.map((t) => relationId((t as Doc)?.tenant ?? t))
    : []
  return [one, ...many].filter((v): v is DocId => v !== undefined)
}

/** The site's appointment behind a stream, read raw (no hooks, no access: the plugin decides). */
export async function loadAppointment(
  payload: Payload,
  resolved: ResolvedOptions,
  stream: StreamRecord,
): Promise<Doc | null> {
  if (stream.appointment === null) {
    return null
  }
  // Only the fields the plugin reads (access, pricing): on the token path every skipped join
  // counts (see bench/tokens).
  const f = resolved.appointments.fields
  const select = Object.fromEntries(
    [
      f.host,
      f.coHosts,
      f.attendees,
      f.tenant,
      f.visibility,
      f.start,
      f.end,
      f.status,
      f.price,
      f.currency,
      f.capacity,
      'title',
    ]
      .filter(Boolean)
      .map((name) => [name, true]),
  )
  return (await payload.db.findOne<{ id: DocId } & Doc>({
    collection: resolved.appointments.slug,
    where: { id: { equals: stream.appointment } },
    select,
  })) as Doc | null
}

/** An appointment's ticket price (minor units, if any), currency and capacity (if any). */
export function pricingOf(
  resolved: ResolvedOptions,
  appointment: Doc,
): { price: unknown; currency: string; capacity: unknown } {
  const f = resolved.appointments.fields
  return {
    price: f.price ? appointment[f.price] : undefined,
    currency: String(
      (f.currency ? appointment[f.currency] : undefined) || resolved.appointments.defaultCurrency,
    ).toLowerCase(),
    capacity: f.capacity ? appointment[f.capacity] : undefined,
  }
}

/** Being listed in the appointment's attendees counts as holding a ticket (comp tickets, site-managed lists). */
export function holdsTicket(resolved: ResolvedOptions, appointment: Doc, userId: DocId): boolean {
  const field = resolved.appointments.fields.attendees
  return field ? ids(appointment[field]).some((id) => String(id) === String(userId)) : false
}

/** An active ticket bought through Stripe. */
async function hasPaidTicket(
  req: PayloadRequest,
  liveStreamId: DocId,
  userId: DocId,
): Promise<boolean> {
  const found = await req.payload.db.count({
    collection: TICKETS,
    where: {
      and: [
        { liveStream: { equals: liveStreamId } },
        { user: { equals: userId } },
        { status: { equals: 'active' } },
      ],
    },
  })
  return found.totalDocs > 0
}

/** The participant identity of a user: stable, so a reconnect replaces rather than duplicates. */
export const userIdentity = (userId: DocId) => `user-${userId}`

/** What a role is decided from about the caller: its id, whether it is an admin, its tenants. */
export async function userFacts(
  resolved: ResolvedOptions,
  req: PayloadRequest,
  user: Doc | null | undefined,
): Promise<AccessFacts['user']> {
  return user
    ? {
        id: user.id as DocId,
        isAdmin: Boolean(await resolved.isAdmin({ req })),
        tenants: resolved.access.userTenants(user),
      }
    : null
}

/** Gathers what {@link decideRole} needs about the caller, the appointment and the stream. */
export async function gatherFacts(args: {
  req: PayloadRequest
  resolved: ResolvedOptions
  stream: StreamRecord
  appointment: Doc
  identity: null | string
}): Promise<AccessFacts> {
  const { req, resolved, stream, appointment } = args
  const f = resolved.appointments.fields
  const user = pluginUser(req, resolved.usersSlug)
  const visibility = f.visibility && appointment[f.visibility] === 'public' ? 'public' : 'ticketed'
  const removed =
    args.identity !== null && (await removedAmong(req.payload, stream.id, [args.identity])).size > 0
  return {
    user: await userFacts(resolved, req, user),
    appointment: {
      hostId: relationId(appointment[f.host]) ?? null,
      coHostIds: f.coHosts ? ids(appointment[f.coHosts]) : [],
      tenantId: f.tenant ? (relationId(appointment[f.tenant]) ?? null) : null,
      visibility,
    },
    hasTicket: user
      ? holdsTicket(resolved, appointment, user.id) ||
        (await hasPaidTicket(req, stream.id, user.id))
      : false,
    removed,
    stream: {
      state: stream.state,
      opensAt: stream.scheduledStart
        ? openAt(new Date(stream.scheduledStart), resolved.lifecycle)
        : null,
    },
  }
}
