import type { ServerProps } from 'payload'

import { LIVE_STREAMS, TICKETS } from '../core/slugs.js'
import { streamStateLabel, type TFunction, tr } from '../i18n/translations.js'
import { StreamStateBadge } from '../react/StreamStateBadge.js'
import { pluginOptionsOf } from '../runtime.js'

/**
 * Dashboard panel: the streams live right now with their viewers, linking to each control room.
 * Hosts see their own; admins all, and the refunds the plugin gave up on (linked to that list).
 */
export async function LiveNowPanel(props: ServerProps) {
  const { payload, i18n, user } = props
  if (!user) {
    return null
  }
  const t = i18n.t as unknown as TFunction
  const resolved = pluginOptionsOf(payload)
  const isAdmin = await resolved.isAdmin({ req: { user, payload } as never })
  const live = await payload.find({
    collection: LIVE_STREAMS as never,
    where: {
      and: [
        { state: { equals: 'live' } },
        ...(isAdmin ? [] : [{ host: { equals: (user as { id: unknown }).id } }]),
      ],
    } as never,
    sort: '-currentViewers',
    limit: 20,
    depth: 0,
    overrideAccess: true,
  })
  const admin = payload.config.routes.admin
  const failedRefunds = isAdmin
    ? (
        await payload.db.count({
          collection: TICKETS,
          where: {
            and: [{ status: { equals: 'refund_pending' } }, { refundFailed: { equals: true } }],
          },
        })
      ).totalDocs
    : 0
  return (
    <section
      aria-label={tr(t, 'liveNow')}
      data-testid="lk-live-now"
      style={{
        marginBottom: 32,
        border: '1px solid var(--theme-elevation-150)',
        borderRadius: 6,
        padding: 16,
      }}
    >
      <h2 style={{ marginTop: 0 }}>{tr(t, 'liveNow')}</h2>
      {live.docs.length === 0 ? (
        <p>{tr(t, 'nothingLive')}</p>
      ) : (
        <ul style={{ listStyle: 'none', padding: 0, margin: 0, display: 'grid', gap: 8 }}>
          {(live.docs as Array<Record<string, unknown>>).map((stream) => (
            <li key={String(stream.id)}>
              <StreamStateBadge
                label={streamStateLabel((key) => tr(t, key), 'live')}
                state="live"
              />{' '}
              <a href={`${admin}/collections/${LIVE_STREAMS}/${String(stream.id)}`}>
                {String(stream.title ?? stream.roomName)}
              </a>{' '}
              — 👁 {Number(stream.currentViewers ?? 0)} {tr(t, 'watching')}
            </li>
          ))}
        </ul>
      )}
      {failedRefunds > 0 ? (
        <p data-testid="lk-failed-refunds" role="alert">
          <a
            href={`${admin}/collections/${TICKETS}?where[refundFailed][equals]=true&where[status][equals]=refund_pending`}
          >
            {tr(t, 'refundsFailed', { count: failedRefunds })}
          </a>
        </p>
      ) : null}
    </section>
  )
}
