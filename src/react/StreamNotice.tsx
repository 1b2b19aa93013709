'use client'
import { useState } from 'react'

import type { DocId } from '../core/ids.js'
import type { LiveStreamState } from './useLiveStream.js'

import { liveStreamApi } from './api.js'
import { type KitLanguageProps, useKitText } from './LivekitKitProvider.js'

const when = (iso: string, locale: string | undefined) =>
  new Date(iso).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' })

/**
 * Everything shown instead of the player: loading, "starts at", ended, login, the paywall with a
 * buy button, refusals and errors, each in words a viewer understands.
 */
export function StreamNotice(
  props: {
    live: LiveStreamState
    liveStreamId: DocId
    apiBase?: string
    loginUrl?: string
  } & KitLanguageProps,
) {
  const { live } = props
  const { t, locale, errorText } = useKitText(props)
  const [buying, setBuying] = useState(false)
  const [buyError, setBuyError] = useState<null | string>(null)
  const title = live.stream?.title ?? t('liveStream')
  const loginUrl = props.loginUrl ?? '/login'
  const login = `${loginUrl}${loginUrl.includes('?') ? '&' : '?'}next=${encodeURIComponent(typeof window === 'undefined' ? '' : window.location.pathname)}`
  switch (live.phase) {
    case 'loading':
      return (
        <div className="plk-notice" role="status">
          {t('loading')}
        </div>
      )
    case 'not-open':
      return (
        <div className="plk-notice" role="status">
          <h2>{title}</h2>
          <p>
            {live.stream?.scheduledStart
              ? t('startsAt', { time: when(live.stream.scheduledStart, locale) })
              : t('notStartedYet')}
          </p>
          <p className="plk-muted">{t('connectsWhenOpen')}</p>
        </div>
      )
    case 'ended':
      return (
        <div className="plk-notice" role="status">
          <h2>{title}</h2>
          <p>{live.error?.code === 'stream_cancelled' ? t('wasCancelled') : t('hasEnded')}</p>
        </div>
      )
    case 'login-required':
      return (
        <div className="plk-notice">
          <h2>{title}</h2>
          <p>{t('loginToWatch')}</p>
          <a href={login}>{t('logIn')}</a>
        </div>
      )
    case 'paywall':
      return (
        <div className="plk-notice" data-testid="plk-paywall">
          <h2>{title}</h2>
          <p>{t('ticketNeeded')}</p>
          <button
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
                  setBuyError(errorText(e))
                })
            }}
            type="button"
          >
            {buying ? t('openingCheckout') : t('buyTicket')}
          </button>
          {buyError ? (
            <p className="plk-error" role="alert">
              {buyError}
            </p>
          ) : null}
        </div>
      )
    default:
      return (
        <div className="plk-notice" role="alert">
          <h2>{title}</h2>
          <p className="plk-error">
            {live.error ? errorText(live.error) : t('somethingWentWrong')}
          </p>
          <button onClick={live.refresh} type="button">
            {t('tryAgain')}
          </button>
        </div>
      )
  }
}
