import type { PayloadRequest } from 'payload'

import type { DocId } from '../../core/ids.js'

import { type CallerContext, identifyCaller } from '../../access/identifyCaller.js'
import { DomainError } from '../../core/domainError.js'
import { livekitFor, pluginOptionsOf } from '../../runtime.js'
import { type EngagementEvent, forgetEngagement, recordEngagement } from '../engagementStore.js'

/** The body of `POST /api/live-streams/:id/chat`: the message, and a guest's credential. */
export interface ChatBody {
  text: string
  guestCredential?: string
}

/** The body of `POST /api/live-streams/:id/reactions`: one reaction, and a guest's credential. */
export interface ReactionBody {
  emoji: string
  guestCredential?: string
}

/** Who sends what to which stream. */
export interface SendEngagementInput<B> {
  req: PayloadRequest
  liveStreamId: DocId
  body: B
}

/** Who a message is from, as the room's participants receive it with the message. */
export interface Sender {
  identity: string
  name: string
  role: string
}

/** What the room received: the message's time and its sender as the server wrote it. */
export interface SentMessage {
  at: string
  from: Sender
}

/** The longest chat message, in characters. */
export const CHAT_MAX_LENGTH = 500
/** The longest reaction (an emoji with its modifiers, or a short word a site offers). */
export const REACTION_MAX_LENGTH = 16

// Control characters other than line breaks and tabs: nothing a person types.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\v\f\u000e-\u001f\u007f]/

const encoder = new TextEncoder()

/**
 * The caller as a sender: whoever may be in the open room (host, co-hosts, attendees, guests),
 * decided as for its token, so a removed, ticketless or late caller is refused alike. Admins
 * watch hidden and do not write.
 */
async function senderOf(
  req: PayloadRequest,
  liveStreamId: DocId,
  guestCredential: unknown,
): Promise<CallerContext> {
  // A guest writes under the identity its token has: without its credential it would be a new
  // guest at every message, someone nobody in the room has seen.
  if (!req.user && (guestCredential === undefined || guestCredential === null)) {
    throw new DomainError(
      'unauthenticated',
      'guest_credential_required',
      'Log in, or send the guest credential your token answer gave you.',
    )
  }
  const caller = await identifyCaller({ req, liveStreamId, guestCredential })
  if (caller.role === 'admin') {
    throw new DomainError(
      'forbidden',
      'not_a_participant',
      'Admins watch hidden and do not write in the chat.',
    )
  }
  return caller
}

/**
 * Counts the event, then hands the message to LiveKit for the room. A message LiveKit did not
 * take is taken back out of the count, so the count is what the room received.
 */
async function deliver(
  req: PayloadRequest,
  caller: CallerContext,
  event: Omit<EngagementEvent, 'identity' | 'liveStream' | 'occurredAt'>,
  topic: string,
  message: Record<string, unknown>,
): Promise<SentMessage> {
  const { payload } = req
  const at = new Date().toISOString()
  const from: Sender = { identity: caller.identity, name: caller.name, role: caller.role }
  const id = await recordEngagement(payload, {
    ...event,
    liveStream: caller.stream.id,
    identity: caller.identity,
    occurredAt: at,
  })
  try {
    await livekitFor(payload).sendToRoom(
      caller.stream.roomName,
      topic,
      encoder.encode(JSON.stringify({ ...message, from, at })),
      topic === 'chat',
    )
  } catch (error) {
    await forgetEngagement(payload, id).catch(() => undefined)
    if ((error as { code?: string }).code === 'livekit_not_found') {
      throw new DomainError('conflict', 'not_in_room', 'The live stream has no open room now.')
    }
    throw error
  }
  return { at, from }
}

const onlyFields = (body: unknown, allowed: string[]) =>
  typeof body === 'object' &&
  body !== null &&
  Object.keys(body).every((key) => allowed.includes(key))

/**
 * A chat message to everyone in the stream's room, from the caller (the server writes who it is
 * from: the body names no one). Counted in the stream's engagement figures; its text is kept only
 * when the site opts in (`analytics.keepChatText`). 1 to 500 characters of text
 * (`invalid_message` otherwise).
 */
export async function sendChat(args: SendEngagementInput<ChatBody>): Promise<SentMessage> {
  const { req, body } = args
  const text = typeof body?.text === 'string' ? body.text.trim() : ''
  if (
    !text ||
    [...text].length > CHAT_MAX_LENGTH ||
    CONTROL.test(text) ||
    !onlyFields(body, ['text', 'guestCredential'])
  ) {
    throw new DomainError(
      'invalid',
      'invalid_message',
      `The body is { "text": "…" } with 1 to ${CHAT_MAX_LENGTH} characters (and a guest's credential).`,
    )
  }
  const caller = await senderOf(req, args.liveStreamId, body.guestCredential)
  const keep = pluginOptionsOf(req.payload).analytics.keepChatText
  return deliver(req, caller, { kind: 'chat', ...(keep ? { text } : {}) }, 'chat', { text })
}

/**
 * A reaction floating over everyone's stage, from the caller. Counted in the stream's engagement
 * figures. One emoji or short word of at most 16 characters, no spaces (`invalid_reaction`).
 */
export async function sendReaction(args: SendEngagementInput<ReactionBody>): Promise<SentMessage> {
  const { req, body } = args
  const emoji = typeof body?.emoji === 'string' ? body.emoji : ''
  if (
    !emoji ||
    emoji.length > REACTION_MAX_LENGTH ||
    /\s/.test(emoji) ||
    CONTROL.test(emoji) ||
    !onlyFields(body, ['emoji', 'guestCredential'])
  ) {
    throw new DomainError(
      'invalid',
      'invalid_reaction',
      `The body is { "emoji": "👏" }: one reaction of at most ${REACTION_MAX_LENGTH} characters.`,
    )
  }
  const caller = await senderOf(req, args.liveStreamId, body.guestCredential)
  return deliver(req, caller, { kind: 'reaction', emoji }, 'reactions', { emoji })
}
