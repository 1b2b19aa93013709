'use client'
import { useCallback, useEffect, useMemo, useState } from 'react'

import type { DocId } from '../core/ids.js'

import { type JoinToken, liveStreamApi, LiveStreamApiError, type LiveStreamDoc } from './api.js'

/** Where a viewer or host stands with a live stream. */
export type LiveStreamPhase =
  | 'ended'
  /** Token in hand: connect. */
  | 'error'
  /** Ticketed stream, not logged in. */
  | 'forbidden'
  /** Logged in, no ticket: show the paywall. */
  | 'loading'
  /** Another tenant's stream, or removed by a moderator. */
  | 'login-required'
  /** The room does not open yet; `stream.scheduledStart` says when. Checked again periodically. */
  | 'not-open'
  | 'paywall'
  | 'ready'

export interface LiveStreamState {
  phase: LiveStreamPhase
  stream: LiveStreamDoc | null
  join: JoinToken | null
  error: { code: string; message: string } | null
  /** Asks for a token again (after logging in, buying a ticket, or when it should be open). */
  refresh: () => void
}

/** Options of {@link useLiveStream}. */
export interface UseLiveStreamOptions {
  /** Payload's API route. Default `/api`. */
  apiBase?: string
  /** Seconds between checks while the stream is not open yet. Default 15. */
  recheckSeconds?: number
}

const GUEST_KEY = 'payload-plugin-livekit:guest-credential'

/**
 * The guest credential the server gave this browser, so a guest who reloads stays one viewer. The
 * server issues it (a bare id would let anyone who saw it in the room take the identity).
 */
const guestCredential = {
  get(): string | undefined {
    try {
      return (typeof window !== 'undefined' && window.localStorage.getItem(GUEST_KEY)) || undefined
    } catch {
      return undefined
    }
  },
  set(value: string | undefined) {
    try {
      if (typeof window === 'undefined') {
        return
      }
      if (value) {
        window.localStorage.setItem(GUEST_KEY, value)
      } else {
        window.localStorage.removeItem(GUEST_KEY)
      }
    } catch {
      // Private mode: the guest gets a new identity on reload.
    }
  },
}

/** A token; a credential the server no longer accepts (another site's, a rotated secret) is dropped once. */
async function tokenFor(
  api: ReturnType<typeof liveStreamApi>,
  liveStreamId: DocId,
): Promise<JoinToken> {
  const held = guestCredential.get()
  try {
    const join = await api.token(liveStreamId, held)
    if (join.guestCredential) {
      guestCredential.set(join.guestCredential)
    }
    return join
  } catch (error) {
    if (
      !held ||
      !(error instanceof LiveStreamApiError) ||
      error.code !== 'invalid_guest_credential'
    ) {
      throw error
    }
    guestCredential.set(undefined)
    return tokenFor(api, liveStreamId)
  }
}

function phaseOf(error: LiveStreamApiError): LiveStreamPhase {
  if (error.status === 401) {
    return 'login-required'
  }
  if (error.status === 403) {
    return error.code === 'ticket_required' ? 'paywall' : 'forbidden'
  }
  if (error.status === 409) {
    return 'not-open'
  }
  if (error.status === 410) {
    return 'ended'
  }
  return 'error'
}

/**
 * Fetches a live stream and a LiveKit token for the current user from the plugin, and says what to
 * show: the player, a paywall, "starts at …", or "ended". For custom UIs; the kit's components use it.
 */
export function useLiveStream(
  liveStreamId: DocId,
  options: UseLiveStreamOptions = {},
): LiveStreamState {
  const api = useMemo(() => liveStreamApi(options.apiBase), [options.apiBase])
  const [state, setState] = useState<Omit<LiveStreamState, 'refresh'>>({
    phase: 'loading',
    stream: null,
    join: null,
    error: null,
  })
  const [attempt, setAttempt] = useState(0)
  const refresh = useCallback(() => setAttempt((n) => n + 1), [])

  useEffect(() => {
    // Per run: an answer that arrives after the id changed (or the page left) is dropped.
    let alive = true
    let timer: ReturnType<typeof setTimeout> | undefined
    void (async () => {
      const stream = await api.stream(liveStreamId).catch(() => null)
      try {
        const join = await tokenFor(api, liveStreamId)
        if (alive) {
          setState({ phase: 'ready', stream, join, error: null })
        }
      } catch (error) {
        if (!alive) {
          return
        }
        const failure =
          error instanceof LiveStreamApiError
            ? error
            : new LiveStreamApiError(0, 'network', (error as Error).message)
        const phase = phaseOf(failure)
        setState({
          phase,
          stream,
          join: null,
          error: { code: failure.code, message: failure.message },
        })
        if (phase === 'not-open') {
          timer = setTimeout(refresh, (options.recheckSeconds ?? 15) * 1000)
        }
      }
    })()
    return () => {
      alive = false
      if (timer) {
        clearTimeout(timer)
      }
    }
  }, [api, liveStreamId, attempt, refresh, options.recheckSeconds])

  return { ...state, refresh }
}
