'use client'
import { useEffect, useMemo, useState } from 'react'

import { StreamStateBadge } from './StreamStateBadge.js'
import { liveStreamApi, type LiveStreamDoc } from './api.js'
import { KitStyles } from './styles.js'

/** Props of {@link StreamCard}. */
export interface StreamCardProps {
  stream: LiveStreamDoc
  /** Link of the card. Default `/streams/:id/watch`. */
  href?: string
}

/** One stream: live / scheduled / ended badge, title, host, start time and viewers. */
export function StreamCard({ stream, href }: StreamCardProps) {
  const host = typeof stream.host === 'object' && stream.host ? stream.host.name : null
  const start = stream.scheduledStart ? new Date(stream.scheduledStart).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : null
  return (
    <a className="plk-card" href={href ?? `/streams/${stream.id}/watch`} data-testid="plk-stream-card">
      <span>
        <StreamStateBadge state={stream.state} />
      </span>
      <h3>{stream.title ?? 'Live stream'}</h3>
      {host ? <span className="plk-muted">with {host}</span> : null}
      {start ? <span className="plk-muted">{stream.state === 'ended' ? 'Was' : 'Starts'} {start}</span> : null}
      {stream.state === 'live' ? <span aria-label={`${stream.currentViewers ?? 0} watching`}>👁 {stream.currentViewers ?? 0} watching</span> : null}
    </a>
  )
}

/** Props of {@link StreamList}. */
export interface StreamListProps {
  /** Payload's API route. Default `/api`. */
  apiBase?: string
  /** Streams per page. Default 12. */
  pageSize?: number
  /** State shown first: `live`, `scheduled`, `ended` or `''` for all. Default `''`. */
  initialState?: string
  /** Link of a card. Default `/streams/:id/watch`. */
  hrefFor?: (stream: LiveStreamDoc) => string
}

const FILTERS = [
  ['', 'All'],
  ['live', 'Live now'],
  ['scheduled', 'Upcoming'],
  ['ended', 'Past'],
] as const

/** Discovery: live streams from Payload's REST API with a state filter and pagination. */
export function StreamList(props: StreamListProps) {
  const api = useMemo(() => liveStreamApi(props.apiBase), [props.apiBase])
  const [state, setState] = useState(props.initialState ?? '')
  const [page, setPage] = useState(1)
  const [result, setResult] = useState<Awaited<ReturnType<typeof api.list>> | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let alive = true
    setError(null)
    api.list({ state: state || undefined, page, limit: props.pageSize }).then(
      (r) => alive && setResult(r),
      (e: Error) => alive && setError(e.message),
    )
    return () => {
      alive = false
    }
  }, [api, state, page, props.pageSize])

  return (
    <section className="plk plk-list" style={{ padding: 12 }} aria-label="Live streams">
      <KitStyles />
      <div className="plk-controls" role="group" aria-label="Filter by state">
        {FILTERS.map(([value, label]) => (
          <button key={value} type="button" aria-pressed={state === value} onClick={() => (setState(value), setPage(1))}>
            {label}
          </button>
        ))}
      </div>
      {error ? <p className="plk-error" role="alert">{error}</p> : null}
      {result && result.docs.length === 0 ? <p className="plk-muted">No live streams here.</p> : null}
      <ul className="plk-cards">
        {result?.docs.map((stream) => (
          <li key={stream.id}>
            <StreamCard stream={stream} href={props.hrefFor?.(stream)} />
          </li>
        ))}
      </ul>
      {result && result.totalPages > 1 ? (
        <nav className="plk-controls" aria-label="Pages">
          <button type="button" disabled={!result.hasPrevPage} onClick={() => setPage((p) => p - 1)}>
            Previous
          </button>
          <span>
            Page {result.page} of {result.totalPages}
          </span>
          <button type="button" disabled={!result.hasNextPage} onClick={() => setPage((p) => p + 1)}>
            Next
          </button>
        </nav>
      ) : null}
    </section>
  )
}
