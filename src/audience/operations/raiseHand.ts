import type { PayloadRequest } from 'payload'

import type { DocId } from '../../core/ids.js'

import { identifyCaller } from '../../access/identifyCaller.js'
import { recordEngagement } from '../../analytics/engagementStore.js'
import { DomainError } from '../../core/domainError.js'
import { livekitFor } from '../../runtime.js'

/**
 * The body of `POST /api/live-streams/:id/hand`: the caller's own hand, and a guest's credential.
 * Nothing else: the operation refuses any other field, or a `raised` that is not a boolean, as
 * `invalid_hand`.
 */
export interface RaiseHandBody {
  raised: boolean
  /** A guest's credential, as its token answer gave it. */
  guestCredential?: string
}

/** Who raises or lowers a hand, for which stream, and how. */
export interface RaiseHandInput {
  req: PayloadRequest
  liveStreamId: DocId
  body: RaiseHandBody
}

/** The caller's identity in the room and its hand as it now is. */
export interface HandState {
  identity: string
  handRaised: boolean
}

/**
 * An attendee raises or lowers its own hand. No client may write its own attributes (else it
 * could write its role too), so the server writes the `hand` attribute for it, and only for the
 * caller's own identity: the body names no one.
 */
export async function raiseHand(args: RaiseHandInput): Promise<HandState> {
  const { req, body } = args
  const { raised, guestCredential, ...rest } = body
  if (typeof raised !== 'boolean' || Object.keys(rest).length) {
    throw new DomainError(
      'invalid',
      'invalid_hand',
      'The body is { "raised": true } or { "raised": false } (your own hand; nothing else).',
    )
  }
  // The same decision as the token: a removed, ticketless or late caller is refused alike.
  const caller = await identifyCaller({ req, liveStreamId: args.liveStreamId, guestCredential })
  if (caller.role !== 'attendee') {
    throw new DomainError(
      'forbidden',
      'not_an_attendee',
      'Only attendees raise their hands; hosts and co-hosts are on stage already.',
    )
  }
  try {
    // Attributes alone: LiveKit keeps the participant's permissions (an attendee on stage stays on it).
    await livekitFor(req.payload).setAttributes(caller.stream.roomName, caller.identity, {
      hand: raised ? 'raised' : '',
    })
  } catch (error) {
    if ((error as { code?: string }).code === 'livekit_not_found') {
      throw new DomainError(
        'conflict',
        'not_in_room',
        'Join the live stream first, then raise your hand.',
      )
    }
    throw error
  }
  if (raised) {
    // Counted once LiveKit shows it: the stream's engagement figures count raised hands.
    await recordEngagement(req.payload, {
      liveStream: caller.stream.id,
      kind: 'hand',
      identity: caller.identity,
      occurredAt: new Date().toISOString(),
    })
  }
  return { identity: caller.identity, handRaised: raised }
}
