import type { PayloadRequest } from 'payload'

import type { DocId } from '../../core/ids.js'
import type { ParticipantView } from '../../core/streamStatus.js'
import type { ParticipantSummary } from '../../livekit/adapter.js'

import { identifyModerator } from '../../access/identifyCaller.js'
import { DomainError } from '../../core/domainError.js'
import { participantRole, permissionFor } from '../../core/roles.js'
import { livekitFor } from '../../runtime.js'
import { audienceStore } from '../audienceStore.js'

export const MODERATION_ACTIONS = ['remove', 'mute', 'promote', 'demote'] as const
export type ModerationAction = (typeof MODERATION_ACTIONS)[number]

export type { ParticipantView }

/**
 * One moderation action on one participant: the route of
 * `POST /api/live-streams/:id/participants/:identity/:action` and its body. The operation checks
 * `action` (`unknown_action`) and the body (`invalid_kinds`) itself.
 */
export interface ModerateParticipantInput {
  req: PayloadRequest
  liveStreamId: DocId
  /** The participant's identity in the room. */
  identity: string
  action: ModerationAction
  /** `mute` only: which of its tracks, `['audio']` by default. */
  body: ModerationBody
}

/** The body of a moderation action. */
export interface ModerationBody {
  kinds?: Array<'audio' | 'video'>
}

/**
 * What an action changed: `remove` the identity sent away, `mute` how many tracks were muted,
 * `promote` and `demote` whether the attendee is now on stage.
 */
export type ModerationResult =
  { identity: string; onStage: boolean } | { muted: number } | { removed: string }

/** A LiveKit participant as hosts see it in the list. */
export function toView(p: ParticipantSummary): ParticipantView {
  return {
    identity: p.identity,
    name: p.name,
    role: participantRole(p.attributes),
    handRaised: p.attributes.hand === 'raised',
    onStage: p.attributes.stage === 'on',
    publishing: p.publishing,
    tracks: p.tracks,
    joinedAt: p.joinedAt?.toISOString() ?? null,
  }
}

const moderator = (req: PayloadRequest, liveStreamId: DocId) =>
  identifyModerator(
    req,
    liveStreamId,
    'not_a_moderator',
    'Only the host, co-hosts and admins can do that.',
  )

/** Everyone in the room with role, raised hand and stage; hidden observers only for admins. */
export async function listParticipants(
  req: PayloadRequest,
  liveStreamId: DocId,
): Promise<ParticipantView[]> {
  const caller = await moderator(req, liveStreamId)
  const participants = await livekitFor(req.payload).listParticipants(caller.stream.roomName)
  return participants.filter((p) => caller.role === 'admin' || !p.hidden).map(toView)
}

/**
 * One moderation action on one participant. Permissions are always sent whole (LiveKit replaces
 * the set); removal also revokes the participant's tokens and keeps it out of new ones.
 */
export async function moderateParticipant(
  args: ModerateParticipantInput,
): Promise<ModerationResult> {
  const { req, identity } = args
  // A route names any action; one that is none of them is not there.
  if (!(MODERATION_ACTIONS as readonly string[]).includes(args.action)) {
    throw new DomainError(
      'not_found',
      'unknown_action',
      `Unknown action '${args.action}'. Use one of: ${MODERATION_ACTIONS.join(', ')}.`,
    )
  }
  const action = args.action
  const caller = await moderator(req, args.liveStreamId)
  if (caller.stream.state !== 'live') {
    throw new DomainError(
      'conflict',
      'stream_not_live',
      'The live stream is not live, so nobody is in the room.',
    )
  }
  const livekit = livekitFor(req.payload)
  const room = caller.stream.roomName
  const target = (await livekit.listParticipants(room)).find((p) => p.identity === identity)
  if (!target) {
    throw new DomainError(
      'not_found',
      'participant_not_found',
      `No participant '${identity}' is in the room.`,
    )
  }
  const targetRole = participantRole(target.attributes)
  if ((targetRole === 'host' || targetRole === 'admin') && caller.role !== 'admin') {
    throw new DomainError(
      'forbidden',
      'protected_participant',
      'Only an admin can moderate the host or an admin.',
    )
  }
  if (identity === caller.identity) {
    throw new DomainError('invalid', 'self_moderation', 'You cannot moderate yourself.')
  }

  switch (action) {
    case 'remove': {
      // Recorded first, so it is kept out of new tokens (and sent away if it comes back) even
      // when it reconnects before the disconnect below lands.
      // Recorded once, however often and by however many moderators at once.
      await audienceStore(req.payload).recordRemoval(caller.stream.id, identity, caller.identity)
      await livekit.removeParticipant(room, identity)
      return { removed: identity }
    }
    case 'mute': {
      const kinds = args.body.kinds ?? ['audio']
      if (
        !Array.isArray(kinds) ||
        !kinds.length ||
        kinds.some((k) => k !== 'audio' && k !== 'video')
      ) {
        throw new DomainError(
          'invalid',
          'invalid_kinds',
          "kinds must be a list of 'audio' and/or 'video'.",
        )
      }
      return { muted: await livekit.muteTracks(room, identity, kinds) }
    }
    case 'promote':
    case 'demote': {
      if (targetRole !== 'attendee') {
        throw new DomainError(
          'invalid',
          'not_an_attendee',
          'Only attendees are brought on or off stage; hosts and co-hosts are always on it.',
        )
      }
      const onStage = action === 'promote'
      await livekit.setPermission(room, identity, permissionFor('attendee', onStage), {
        stage: onStage ? 'on' : '',
        hand: '',
      })
      return { identity, onStage }
    }
  }
}
