'use client'
import { useEffect, useMemo, useState } from 'react'

import type { KitMessageKey } from './messages/index.js'

import { liveStreamApi, type LiveStreamDoc } from './api.js'
import { type KitLanguageProps, useKitText } from './LivekitKitProvider.js'
import { StreamStateBadge } from './StreamStateBadge.js'
import { KitStyles } from './styles.js'

/** Props of {@link StreamCard}. */
export interface StreamCardProps extends KitLanguageProps {
  /** The live stream, as Payload's REST API returns it (the host populated for its name). */
  stream: LiveStreamDoc
  /** Link of the card. Default `/streams/:id/watch`. */
  href?: string
}

/** One stream: live / scheduled / ended badge, title, host, start time and viewers. */
export function StreamCard(props: StreamCardProps) {
  const { stream, href } = props
  const { t, locale, messages } = useKitText(props)
  const host = typeof stream.host === 'object' && stream.host ? stream.host.name : null
  const start = stream.scheduledStart
    ? new Date(stream.scheduledStart).toLocaleString(locale, {
        dateStyle: 'medium',
        timeStyle: 'short',
      })
    : null
  const watching = t('watchingCount', { count: stream.currentViewers ?? 0 })
  return (
    <a
      className="plk-card"
      data-testid="plk-stream-card"
      href={href ?? `/streams/${stream.id}/watch`}
    >
      <span>
        <StreamStateBadge messages={messages} state={stream.state} />
      </span>
      <h3>{stream.title ?? t('liveStream')}</h3>
      {host ? <span className="plk-muted">{t('withHost', { host })}</span> : null}
      {start ? (
        <span className="plk-muted">
          {t(stream.state === 'ended' ? 'cardWas' : 'cardStarts', { time: start })}
        </span>
      ) : null}
      {stream.state === 'live' ? <span aria-label={watching}>👁 {watching}</span> : null}
    </a>
  )
}

/** Props of {@link StreamList}. */
export interface StreamListProps extends KitLanguageProps {
  /** Payload's API route. Default `/api`. */
  apiBase?: string
  /** Streams per page. Default 12. */
  pageSize?: number
  /** State shown first: `live`, `scheduled`, `ended` or `''` for all. Default `''`. */
  initialState?: string
  /** Link of a card. Default `/streams/:id/watch`. */
  hrefFor?: (stream: LiveStreamDoc) => string
}

const FILTERS: ReadonlyArray<readonly [string, KitMessageKey]> = [
  ['', 'filterAll'],
  ['live', 'filterLive'],
  ['scheduled', 'filterUpcoming'],
  ['ended', 'filterPast'],
]

/** Discovery: live streams from Payload's REST API with a state filter and pagination. */
export function StreamList(props: StreamListProps) {
  const api = useMemo(() => liveStreamApi(props.apiBase), [props.apiBase])
  const { t, errorText } = useKitText(props)
  const [state, setState] = useState(props.initialState ?? '')
  const [page, setPage] = useState(1)
  const [result, setResult] = useState<Awaited<ReturnType<typeof api.list>> | null>(null)
  const [error, setError] = useState<null | string>(null)

  useEffect(() => {
    let alive = true
    setError(null)
    api.list({ state: state || undefined, page, limit: props.pageSize }).then(
      (r) => alive && setResult(r),
      (e: Error) => alive && setError(errorText(e)),
    )
    return () => {
      alive = false
    }
  }, [api, state, page, props.pageSize, errorText])

  return (
    <section aria-label={t('streamList')} className="plk plk-list" style={{ padding: 12 }}>
      <KitStyles />
      <div aria-label={t('filterByState')} className="plk-controls" role="group">
        {FILTERS.map(([value, label]) => (
          <button
            aria-pressed={state === value}
            key={value}
            onClick={() => (setState(value), setPage(1))}
            type="button"
          >
            {t(label)}
          </button>
        ))}
      </div>
      {error ? (
        <p className="plk-error" role="alert">
          {error}
        </p>
      ) : null}
      {result && result.docs.length === 0 ? <p className="plk-muted">{t('noStreams')}</p> : null}
      <ul className="plk-cards">
        {result?.docs.map((stream) => (
          <li key={stream.id}>
            <StreamCard
              href={props.hrefFor?.(stream)}
              locale={props.locale}
              messages={props.messages}
              stream={stream}
            />
          </li>
        ))}
      </ul>
      {result && result.totalPages > 1 ? (
        <nav aria-label={t('pages')} className="plk-controls">
          <button
            disabled={!result.hasPrevPage}
            onClick={() => setPage((p) => p - 1)}
            type="button"
          >
            {t('previousPage')}
          </button>
          <span>{t('pageOf', { page: result.page, total: result.totalPages })}</span>
          <button
            disabled={!result.hasNextPage}
            onClick={() => setPage((p) => p + 1)}
            type="button"
          >
            {t('nextPage')}
          </button>
        </nav>
      ) : null}
    </section>
  )
}
