import type { DocId } from './ids.js'
import type { StreamState } from './streamStates.js'

import { DomainError, type DomainErrorKind } from './domainError.js'

/** What a participant may be in a room. */
export const ROLES = ['host', 'co-host', 'attendee', 'guest', 'admin'] as const
export type Role = (typeof ROLES)[number]

/**
 * Why the decision refuses a caller: the kind of refusal (the HTTP layer alone turns it into a
 * status), a stable code and a sentence for people.
 */
export interface Refusal {
  kind: Extract<DomainErrorKind, 'conflict' | 'forbidden' | 'gone' | 'unauthenticated'>
  code: string
  message: string
}

/** The refusal as the error the plugin's operations throw. */
export function refusalError(refusal: Refusal): DomainError {
  return new DomainError(refusal.kind, refusal.code, refusal.message)
}

/** Everything the decision needs, already read from the database. */
export interface AccessFacts {
  user: { id: DocId; isAdmin: boolean; tenants: DocId[] } | null
  appointment: {
    hostId: DocId | null
    coHostIds: DocId[]
    tenantId: DocId | null
    visibility: 'public' | 'ticketed'
  }
  /** The user holds a valid ticket (or is listed as an attendee). */
  hasTicket: boolean
  /** The identity was removed from this stream by a moderator. */
  removed: boolean
  stream: { state: StreamState; opensAt: Date | null }
}

const same = (a: unknown, b: unknown) => a !== null && a !== undefined && String(a) === String(b)

/**
 * Who the caller is in this stream, or why not. Pure: the endpoint gathers the facts, this decides.
 * Order matters: identity first (401/403), then the stream's state (409/410), so nobody learns
 * about a stream they may not see.
 */
export function decideRole(facts: AccessFacts): { refusal: Refusal } | { role: Role } {
  const role = roleOf(facts)
  if ('refusal' in role) {
    return role
  }
  if (facts.removed) {
    return {
      refusal: {
        kind: 'forbidden',
        code: 'removed',
        message: 'A moderator removed you from this live stream.',
      },
    }
  }
  const state = facts.stream.state
  if (state === 'ended' || state === 'ending') {
    return {
      refusal: { kind: 'gone', code: 'stream_ended', message: 'This live stream has ended.' },
    }
  }
  if (state === 'cancelled') {
    return {
      refusal: {
        kind: 'gone',
        code: 'stream_cancelled',
        message: 'This live stream was cancelled.',
      },
    }
  }
  if (state !== 'live') {
    const when = facts.stream.opensAt ? ` It opens at ${facts.stream.opensAt.toISOString()}.` : ''
    return {
      refusal: {
        kind: 'conflict',
        code: 'stream_not_open',
        message: `This live stream is not open yet.${when}`,
      },
    }
  }
  return role
}

function roleOf({
  user,
  appointment,
  hasTicket,
}: AccessFacts): { refusal: Refusal } | { role: Role } {
  const isPublic = appointment.visibility === 'public'
  if (!user) {
    if (isPublic) {
      return { role: 'guest' }
    }
    return {
      refusal: {
        kind: 'unauthenticated',
        code: 'login_required',
        message: 'Log in to join this live stream.',
      },
    }
  }
  if (user.isAdmin) {
    return { role: 'admin' }
  }
  if (same(appointment.hostId, user.id)) {
    return { role: 'host' }
  }
  if (appointment.coHostIds.some((id) => same(id, user.id))) {
    return { role: 'co-host' }
  }
  if (
    !isPublic &&
    appointment.tenantId !== null &&
    !user.tenants.some((t) => same(t, appointment.tenantId))
  ) {
    return {
      refusal: {
        kind: 'forbidden',
        code: 'other_tenant',
        message: 'This live stream belongs to another organisation.',
      },
    }
  }
  if (hasTicket || isPublic) {
    return { role: 'attendee' }
  }
  return {
    refusal: {
      kind: 'forbidden',
      code: 'ticket_required',
      message:
        'You need a ticket to watch this live stream. Buy one with POST /api/live-streams/:id/checkout.',
    },
  }
}

/** Sources LiveKit lets a role publish (names as in LiveKit's TrackSource). */
export type Source = 'camera' | 'microphone' | 'screen_share' | 'screen_share_audio'

/**
 * The complete permission set of a role. LiveKit's updateParticipant replaces the whole set, so
 * moderation always sends all of it; tokens carry the same values. Nothing here ever grants
 * recording or room administration, and no role may update its own metadata, name or attributes:
 * the role, the stage and the raised hand live in attributes that only the server writes (a
 * participant that could rewrite them could pass for the host). No role publishes data either:
 * chat and reactions go through the plugin, which counts them and sends them to the room from
 * the server, so what the room reads as a message was counted and carries who wrote it.
 */
export interface Permission {
  canSubscribe: boolean
  canPublish: boolean
  canPublishData: boolean
  canPublishSources: Source[]
  hidden: boolean
}

const STAGE_SOURCES: Source[] = ['camera', 'microphone', 'screen_share', 'screen_share_audio']

/** The permission set of `role`; `onStage` puts an attendee on stage (camera and microphone). */
export function permissionFor(role: Role, onStage = false): Permission {
  switch (role) {
    case 'host':
    case 'co-host':
      return {
        canSubscribe: true,
        canPublish: true,
        canPublishData: false,
        canPublishSources: STAGE_SOURCES,
        hidden: false,
      }
    case 'attendee':
      return onStage
        ? {
            canSubscribe: true,
            canPublish: true,
            canPublishData: false,
            canPublishSources: ['camera', 'microphone'],
            hidden: false,
          }
        : {
            canSubscribe: true,
            canPublish: false,
            canPublishData: false,
            canPublishSources: [],
            hidden: false,
          }
    case 'guest':
      return {
        canSubscribe: true,
        canPublish: false,
        canPublishData: false,
        canPublishSources: [],
        hidden: false,
      }
    case 'admin':
      return {
        canSubscribe: true,
        canPublish: false,
        canPublishData: false,
        canPublishSources: [],
        hidden: true,
      }
  }
}

/** Roles that may moderate (remove, mute, promote, demote) and see the participant list. */
export const canModerate = (role: Role) => role === 'host' || role === 'co-host' || role === 'admin'

/**
 * A participant's role as the plugin minted it into its token (the `role` attribute, which no
 * client may rewrite). Anything that is not one of ours (an ingress feed, a participant of the
 * site's own making) counts as an attendee: never as someone moderation must not touch.
 */
export function participantRole(attributes: null | Record<string, string> | undefined): Role {
  const role = attributes?.role
  return role && (ROLES as readonly string[]).includes(role) ? (role as Role) : 'attendee'
}

/** Roles that watch (the viewer count): attendees and guests. */
export const isViewer = (role: Role) => role === 'attendee' || role === 'guest'
