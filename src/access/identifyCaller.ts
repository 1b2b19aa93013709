import type { PayloadRequest } from 'payload'

import type { DocId } from '../core/ids.js'
import type { ResolvedOptions } from '../resolveOptions.js'

import { DomainError } from '../core/domainError.js'
import { canModerate, decideRole, refusalError, type Role } from '../core/roles.js'
import { pluginOptionsOf } from '../runtime.js'
import { loadStream, type StreamRecord } from '../streams/streamStore.js'
import { gatherFacts, loadAppointment, userIdentity } from './facts.js'
import { guestOf, newGuest } from './guestCredential.js'
import { pluginUser } from './pluginUser.js'
import { showUpstreamErrors } from './upstreamReaders.js'

type Doc = Record<string, unknown>

export interface CallerContext {
  resolved: ResolvedOptions
  stream: StreamRecord
  appointment: Doc
  identity: string
  /** Set when the caller is a guest: the credential that proves its identity. */
  guestCredential?: string
  name: string
  role: Role
}

/** Whose role, in which stream. */
export interface IdentifyCallerInput {
  req: PayloadRequest
  liveStreamId: DocId
  /** A guest's credential as its token answer gave it (anything else is `invalid_guest_credential`). */
  guestCredential?: unknown
  /** Decide the role alone, whatever the stream's state. */
  ignoreState?: boolean
}

/**
 * Works out who the caller is in a stream, or throws the refusal. `ignoreState` decides the role
 * alone (for the status endpoint and moderation, which do not need the room to be open).
 */
export async function identifyCaller(args: IdentifyCallerInput): Promise<CallerContext> {
  const { req } = args
  const resolved = pluginOptionsOf(req.payload)
  const stream = await loadStream(req.payload, args.liveStreamId)
  if (!stream) {
    throw new DomainError('not_found', 'not_found', 'No live stream with that id.')
  }
  const appointment = await loadAppointment(req.payload, resolved, stream)
  if (!appointment) {
    throw new DomainError(
      'not_found',
      'not_found',
      'The appointment of this live stream no longer exists.',
    )
  }

  const user = pluginUser(req, resolved.usersSlug)
  const { identity, guestCredential } = callerIdentity(
    req.payload.secret,
    user,
    args.guestCredential,
  )

  const facts = await gatherFacts({ req, resolved, stream, appointment, identity })
  const decision = decideRole(
    args.ignoreState ? { ...facts, stream: { state: 'live', opensAt: null } } : facts,
  )
  let role: null | Role = 'role' in decision ? decision.role : null

  if (resolved.access.resolveRole && !facts.removed) {
    const override = await resolved.access.resolveRole({
      req,
      user: user ?? null,
      appointment,
      liveStream: stream as unknown as Doc,
      decision: role,
    })
    if (override === null) {
      throw new DomainError('forbidden', 'forbidden', 'You may not join this live stream.')
    }
    if (override !== undefined) {
      // The site's choice replaces the role; the stream must still be open to join it.
      const refusal = 'refusal' in decision ? refusalError(decision.refusal) : null
      if (!args.ignoreState && (refusal?.kind === 'conflict' || refusal?.kind === 'gone')) {
        throw refusal
      }
      role = override
    }
  }
  if (role === null && 'refusal' in decision) {
    throw refusalError(decision.refusal)
  }
  // Moderators and admins may read what LiveKit and Stripe say when a call for them fails.
  if (canModerate(role!)) {
    showUpstreamErrors(req)
  }
  const name = user ? resolved.access.displayName(user) : 'Guest'
  return {
    resolved,
    stream,
    appointment,
    identity,
    ...(guestCredential ? { guestCredential } : {}),
    name,
    role: role!,
  }
}

/**
 * The caller, when it may run the stream (host, co-host or admin); otherwise the 403 with `code`
 * and `message`. Whatever the stream's state: moderating is not joining.
 */
export async function identifyModerator(
  req: PayloadRequest,
  liveStreamId: DocId,
  code: string,
  message: string,
): Promise<CallerContext> {
  const caller = await identifyCaller({ req, liveStreamId, ignoreState: true })
  if (!canModerate(caller.role)) {
    throw new DomainError('forbidden', code, message)
  }
  return caller
}

/**
 * The participant identity of the caller: its user's, the guest identity its `guestCredential`
 * proves, or a fresh guest identity with its credential. A bare guest id (as anyone in the room
 * sees it) proves nothing, so it is not read at all: an old client sending one gets a new identity.
 */
export function callerIdentity(
  secret: string,
  user: { id: DocId } | null | undefined,
  guestCredential: unknown,
): { identity: string; guestCredential?: string } {
  if (user) {
    return { identity: userIdentity(user.id) }
  }
  if (guestCredential === undefined || guestCredential === null) {
    return newGuest(secret)
  }
  const guest = typeof guestCredential === 'string' ? guestOf(secret, guestCredential) : null
  if (!guest) {
    throw new DomainError(
      'invalid',
      'invalid_guest_credential',
      'That guest credential was not issued by this site. Ask again without it for a new guest identity.',
    )
  }
  return guest
}
