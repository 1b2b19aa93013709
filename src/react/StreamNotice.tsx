'use client'
import { useState } from 'react'

import { liveStreamApi } from './api.js'
import type { LiveStreamState } from './useLiveStream.js'

const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : null)

/**
 * Everything shown instead of the player: loading, "starts at", ended, login, the paywall with a
 * buy button, refusals and errors, each in words a viewer understands.
 */
export function StreamNotice(props: { live: LiveStreamState; liveStreamId: string | number; apiBase?: string; loginUrl?: string }) {
  const { live } = props
  const [buying, setBuying] = useState(false)
  const [buyError, setBuyError] = useState<string | null>(null)
  const title = live.stream?.title ?? 'Live stream'
  const loginUrl = props.loginUrl ?? '/login'
  const login = `${loginUrl}${loginUrl.includes('?') ? '&' : '?'}next=${encodeURIComponent(typeof window === 'undefined' ? '' : window.location.pathname)}`
  switch (live.phase) {
    case 'loading':
      return <div className="plk-notice" role="status">Loading…</div>
    case 'not-open':
      return (
        <div className="plk-notice" role="status">
          <h2>{title}</h2>
          <p>{live.stream?.scheduledStart ? `Starts at ${when(live.stream.scheduledStart)}.` : 'This live stream has not started yet.'}</p>
          <p className="plk-muted">This page connects by itself when it opens.</p>
        </div>
      )
    case 'ended':
      return (
        <div className="plk-notice" role="status">
          <h2>{title}</h2>
          <p>{live.error?.code === 'stream_cancelled' ? 'This live stream was cancelled.' : 'This live stream has ended.'}</p>
        </div>
      )
    case 'login-required':
      return (
        <div className="plk-notice">
          <h2>{title}</h2>
          <p>Log in to watch this live stream.</p>
          <a href={login}>Log in</a>
        </div>
      )
    case 'paywall':
      return (
        <div className="plk-notice" data-testid="plk-paywall">
          <h2>{title}</h2>
          <p>You need a ticket to watch this live stream.</p>
          <button
            type="button"
            disabled={buying}
            onClick={() => {
              setBuying(true)
              setBuyError(null)
              const here = window.location.href
              liveStreamApi(props.apiBase)
                .checkout(props.liveStreamId, { successUrl: here, cancelUrl: here })
                .then(({ url }) => window.location.assign(url))
                .catch((e: Error) => {
                  setBuying(false)
                  setBuyError(e.message)
                })
            }}
          >
            {buying ? 'Opening checkout…' : 'Buy a ticket'}
          </button>
          {buyError ? <p className="plk-error" role="alert">{buyError}</p> : null}
        </div>
      )
    default:
      return (
        <div className="plk-notice" role="alert">
          <h2>{title}</h2>
          <p className="plk-error">{live.error?.message ?? 'Something went wrong.'}</p>
          <button type="button" onClick={live.refresh}>
            Try again
          </button>
        </div>
      )
  }
}
