import type { PayloadRequest } from 'payload'

import { identifyCaller } from '../../access/identifyCaller.js'
import { DomainError } from '../../core/domainError.js'
import { livekitFor } from '../../runtime.js'

/**
 * An attendee raises or lowers its own hand. No client may write its own attributes (else it
 * could write its role too), so the server writes the `hand` attribute for it, and only for the
 * caller's own identity: the body names no one.
 */
export async function raiseHand(args: {
  req: PayloadRequest
  liveStreamId: number | string
  body: Record<string, unknown>
}): Promise<{ identity: string; handRaised: boolean }> {
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
  return { identity: caller.identity, handRaised: raised }
}
