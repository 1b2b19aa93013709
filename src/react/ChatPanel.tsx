'use client'
import {
  useDataChannel,
  useLocalParticipant,
  useParticipantAttribute,
} from '@livekit/components-react'
import { useCallback, useMemo, useState } from 'react'

import type { DocId } from '../core/ids.js'

import { liveStreamApi } from './api.js'
import { type KitLanguageProps, useKitText } from './LivekitKitProvider.js'

/** The reactions viewers can send; a site may pass its own. */
export const DEFAULT_REACTIONS = ['👏', '❤️', '🎉', '😂', '🔥'] as const

/** One chat message as the panel lists it. */
export interface ChatMessage {
  id: string
  /** The sender's name (or identity); "You" for one's own, in the kit's language. */
  from: string
  text: string
  /** When it arrived, in milliseconds since the epoch. */
  at: number
  /** Sent from this page. */
  own: boolean
}

/** One reaction floating over the stage. */
export interface Reaction {
  id: string
  emoji: string
  /** Who sent it. */
  from: string
}

const decoder = new TextDecoder()
const newId = () => Math.random().toString(36).slice(2, 10)

/** Where the chat of {@link useChatAndReactions} goes: the stream, and how to reach the plugin. */
export interface ChatOptions extends KitLanguageProps {
  /** The live stream whose room this is. */
  liveStreamId: DocId
  /** Where the plugin's API is. Default `/api`. */
  apiBase?: string
  /** A guest's credential, as its token answer gave it. */
  guestCredential?: string
}

/** The sender the server wrote on a message: a participant's own data is not read as one. */
const senderOf = (body: { from?: unknown }) => {
  const from = body.from as { identity?: unknown; name?: unknown } | undefined
  return typeof from?.identity === 'string'
    ? { identity: from.identity, name: typeof from.name === 'string' ? from.name : '' }
    : null
}

/**
 * Chat and reactions of the room (topics `chat` and `reactions`), for the viewer and the host
 * alike; raise hand for attendees (the `hand` participant attribute moderators see). Messages are
 * sent through the plugin, which counts them and sends them to the room from the server with who
 * wrote them: only those are shown (data a participant sent itself is not one of them).
 * Names it makes up ("Someone", "You") follow the nearest {@link LivekitKitProvider} or `language`.
 */
export function useChatAndReactions(options: ChatOptions) {
  const { liveStreamId, apiBase, guestCredential, ...language } = options
  const { t } = useKitText(language)
  const { localParticipant } = useLocalParticipant()
  const api = useMemo(() => liveStreamApi(apiBase), [apiBase])
  const [messages, setMessages] = useState<ChatMessage[]>([])
  const [reactions, setReactions] = useState<Reaction[]>([])
  // The last 200 messages are kept.
  const append = useCallback((from: string, text: string, own: boolean) => {
    setMessages((list) => [...list.slice(-199), { id: newId(), from, text, at: Date.now(), own }])
  }, [])
  // A reaction floats for four seconds, at most twenty at once.
  const show = useCallback((emoji: string, from: string) => {
    const reaction = { id: newId(), emoji, from }
    setReactions((list) => [...list.slice(-19), reaction])
    setTimeout(() => setReactions((list) => list.filter((r) => r.id !== reaction.id)), 4000)
  }, [])

  useDataChannel('chat', (msg) => {
    try {
      const body = JSON.parse(decoder.decode(msg.payload)) as { text?: unknown; from?: unknown }
      const from = msg.from ? null : senderOf(body)
      if (!from || typeof body.text !== 'string' || !body.text.trim()) {
        return
      }
      const own = from.identity === localParticipant.identity
      append(own ? t('you') : from.name || from.identity || t('someone'), body.text, own)
    } catch {
      // Not one of ours: ignored.
    }
  })
  useDataChannel('reactions', (msg) => {
    try {
      const body = JSON.parse(decoder.decode(msg.payload)) as { emoji?: unknown; from?: unknown }
      const from = msg.from ? null : senderOf(body)
      if (!from || typeof body.emoji !== 'string' || body.emoji.length > 16) {
        return
      }
      const own = from.identity === localParticipant.identity
      show(body.emoji, own ? t('you') : from.name || t('someone'))
    } catch {
      // Ignored, as above.
    }
  })

  // What one sends comes back from the room like everyone else's: it is shown once, when the
  // room has it.
  const sendMessage = useCallback(
    async (text: string) => {
      const clean = text.trim().slice(0, 500)
      if (!clean) {
        return
      }
      await api.chat(liveStreamId, clean, guestCredential)
    },
    [api, liveStreamId, guestCredential],
  )
  const sendReaction = useCallback(
    async (emoji: string) => {
      await api.react(liveStreamId, emoji, guestCredential)
    },
    [api, liveStreamId, guestCredential],
  )
  return { messages, reactions, sendMessage, sendReaction }
}

/** Floating reactions over the stage. */
export function FloatingReactions({
  reactions,
  ...language
}: { reactions: Reaction[] } & KitLanguageProps) {
  const { t } = useKitText(language)
  return (
    <div aria-live="polite" className="plk-floating" data-testid="plk-reactions">
      {reactions.map((r) => (
        <span aria-label={t('reacted', { name: r.from, emoji: r.emoji })} key={r.id} role="img">
          {r.emoji}
        </span>
      ))}
    </div>
  )
}

/**
 * The chat column: messages, a form to write, reactions and (for attendees) raise hand. The hand
 * goes up through the plugin (`onRaiseHand`), which writes the `hand` attribute: participants may
 * not write their own attributes.
 */
export function ChatPanel(
  props: {
    /** Messages and reactions of the room, from {@link useChatAndReactions}. */
    chat: ReturnType<typeof useChatAndReactions>
    /** Whether this participant may write and react. */
    canChat: boolean
    /** Reactions offered. Default {@link DEFAULT_REACTIONS}. */
    reactions?: readonly string[]
    /** Show the raise-hand button (attendees). */
    showRaiseHand?: boolean
    /** Raises or lowers the local participant's hand (e.g. `liveStreamApi().hand(id, raised)`). */
    onRaiseHand?: (raised: boolean) => Promise<unknown>
  } & KitLanguageProps,
) {
  const { t, errorText } = useKitText(props)
  const [draft, setDraft] = useState('')
  const [error, setError] = useState<null | string>(null)
  const { localParticipant } = useLocalParticipant()
  const hand = useParticipantAttribute('hand', { participant: localParticipant })
  const raised = hand === 'raised'
  return (
    <section aria-label={t('chat')} className="plk-panel">
      <ul aria-live="polite" className="plk-chat-log" data-testid="plk-chat-log">
        {props.chat.messages.length === 0 ? <li className="plk-muted">{t('noMessages')}</li> : null}
        {props.chat.messages.map((m) => (
          <li key={m.id}>
            <b>{m.from}</b>
            <span>{m.text}</span>
          </li>
        ))}
      </ul>
      {props.canChat ? (
        <form
          className="plk-chat-form"
          onSubmit={(event) => {
            event.preventDefault()
            props.chat.sendMessage(draft).then(
              () => (setDraft(''), setError(null)),
              (e: Error) => setError(t('notSent', { error: e.message })),
            )
          }}
        >
          <label className="plk-sr" htmlFor="plk-chat-input">
            {t('message')}
          </label>
          <input
            autoComplete="off"
            id="plk-chat-input"
            maxLength={500}
            onChange={(e) => setDraft(e.target.value)}
            placeholder={t('messagePlaceholder')}
            value={draft}
          />
          <button disabled={!draft.trim()} type="submit">
            {t('send')}
          </button>
        </form>
      ) : null}
      {error ? (
        <p className="plk-error" role="alert">
          {error}
        </p>
      ) : null}
      {props.canChat ? (
        <div aria-label={t('reactions')} className="plk-reactions" role="group">
          {(props.reactions ?? DEFAULT_REACTIONS).map((emoji) => (
            <button
              aria-label={t('react', { emoji })}
              key={emoji}
              onClick={() => void props.chat.sendReaction(emoji)}
              type="button"
            >
              {emoji}
            </button>
          ))}
          {props.showRaiseHand && props.onRaiseHand ? (
            <button
              aria-pressed={raised}
              onClick={() =>
                void props.onRaiseHand!(!raised).catch((e: Error) => setError(errorText(e)))
              }
              type="button"
            >
              {raised ? t('lowerHand') : t('raiseHand')}
            </button>
          ) : null}
        </div>
      ) : null}
    </section>
  )
}
