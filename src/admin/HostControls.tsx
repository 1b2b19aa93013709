'use client'
import { Button, useDocumentInfo } from '@payloadcms/ui'
import { useCallback, useEffect, useState } from 'react'

import type { DocId } from '../core/ids.js'
import type { StreamStatus } from '../core/streamStatus.js'

import { maskStreamUrl } from '../core/egressPlan.js'
import { adminErrorText, roleLabel, streamStateLabel } from '../i18n/translations.js'
import { StreamStateBadge } from '../react/StreamStateBadge.js'
import { useAdminApi } from './adminApi.js'
import { ProductsPanel } from './ProductsPanel.js'
import { StreamAudience } from './StreamAudience.js'
import { StreamSales } from './StreamSales.js'
import { usePluginT } from './usePluginT.js'
import { useStreamShop } from './useStreamShop.js'

interface Destination {
  id: DocId
  name: string
  serverUrl: string
}

const time = (iso?: null | string) => (iso ? new Date(iso).toLocaleString() : '—')
// How the recording lists a saved destination's URL (the key masked), to tell which are streaming.
const masked = (serverUrl: string) => maskStreamUrl(`${serverUrl.replace(/\/+$/, '')}/key`)

/**
 * The control room in a live stream's edit view: state and timing, live viewers and peak,
 * participants with role and raised hand (mute, remove, bring on / take off stage), recording,
 * HLS, going live to saved destinations (also adding and removing them while live), and ending
 * the stream. Disabled buttons say why; a refusal shows in the admin's language (LiveKit's own
 * explanation when LiveKit failed). On a site with live shopping, also the products (pins and
 * their figures) and what the stream sold.
 */
export function HostControls() {
  const { id } = useDocumentInfo()
  const t = usePluginT()
  const api = useAdminApi()
  const [status, setStatus] = useState<null | StreamStatus>(null)
  const [destinations, setDestinations] = useState<Destination[]>([])
  const [chosen, setChosen] = useState<DocId[]>([])
  const [busy, setBusy] = useState<null | string>(null)
  const [message, setMessage] = useState<{ kind: 'error' | 'ok'; text: string } | null>(null)
  const shop = useStreamShop(id, status?.state === 'live')

  const refresh = useCallback(async () => {
    if (!id) {
      return
    }
    try {
      setStatus(await api<StreamStatus>('GET', `/live-streams/${id}/status`))
    } catch (error) {
      setMessage({ kind: 'error', text: adminErrorText(t, error) })
    }
  }, [api, id, t])

  useEffect(() => {
    void refresh()
    const timer = setInterval(() => void refresh(), 3000)
    api<{ docs: Destination[] }>('GET', '/stream-destinations?limit=50&depth=0').then(
      (r) => setDestinations(r.docs),
      () => setDestinations([]),
    )
    return () => clearInterval(timer)
  }, [refresh, api])

  if (!id) {
    return null
  }
  const live = status?.state === 'live'
  const reason = live ? undefined : t('notLive')
  const running = (kind: string) => status?.activeEgress?.find((e) => e.kind === kind)

  async function act(name: string, run: () => Promise<unknown>) {
    setBusy(name)
    setMessage(null)
    try {
      await run()
      setMessage({ kind: 'ok', text: t('done') })
    } catch (error) {
      setMessage({ kind: 'error', text: adminErrorText(t, error) })
    } finally {
      setBusy(null)
      void refresh()
    }
  }
  const egressToggle = (
    kind: 'hls' | 'recording',
    start: 'startHls' | 'startRecording',
    stop: 'stopHls' | 'stopRecording',
  ) => {
    const current = running(kind)
    return current ? (
      <Button
        buttonStyle="secondary"
        disabled={busy !== null}
        onClick={() =>
          void act(kind, () => api('DELETE', `/live-streams/${id}/egress/${current.egressId}`))
        }
        size="small"
      >
        {t(stop)}
      </Button>
    ) : (
      <Button
        buttonStyle="secondary"
        disabled={!live || busy !== null}
        onClick={() => void act(kind, () => api('POST', `/live-streams/${id}/egress`, { kind }))}
        size="small"
        tooltip={reason}
      >
        {busy === kind ? t('working') : t(start)}
      </Button>
    )
  }
  const rtmp = running('rtmp')

  return (
    <section
      aria-label={t('controlRoom')}
      data-testid="lk-host-controls"
      style={{
        border: '1px solid var(--theme-elevation-150)',
        borderRadius: 6,
        padding: 16,
        marginBottom: 24,
      }}
    >
      <h3 style={{ marginTop: 0 }}>{t('controlRoom')}</h3>
      <p style={{ display: 'flex', gap: 16, flexWrap: 'wrap', alignItems: 'center' }}>
        <span>
          {t('state')}:{' '}
          <StreamStateBadge label={streamStateLabel(t, status?.state)} state={status?.state} />
        </span>
        <span>
          {t('scheduled')}: {time(status?.scheduledStart)} – {time(status?.scheduledEnd)}
        </span>
        {status?.opensAt && status.state === 'scheduled' ? (
          <span>
            {t('opensAt')}: {time(status.opensAt)}
          </span>
        ) : null}
        <span data-testid="lk-viewers">
          {t('viewers')}: {status?.viewerCount ?? 0}
        </span>
        <span>
          {t('peak')}: {status?.peakViewers ?? 0}
        </span>
        <span>{status?.hostPresent ? t('hostPresent') : t('hostAbsent')}</span>
      </p>

      <h4>{t('participants')}</h4>
      {status?.participants?.length ? (
        <table data-testid="lk-participants" style={{ width: '100%', borderCollapse: 'collapse' }}>
          <thead>
            <tr>
              <th align="left">{t('participants')}</th>
              <th align="left">{t('role')}</th>
              <th align="left" />
              <th align="left" />
            </tr>
          </thead>
          <tbody>
            {status.participants.map((p) => (
              <tr data-identity={p.identity} key={p.identity}>
                <td>
                  {p.name || p.identity} <small style={{ opacity: 0.6 }}>{p.identity}</small>
                </td>
                <td>{roleLabel(t, p.role)}</td>
                <td>
                  {p.handRaised ? `✋ ${t('handRaised')}` : ''} {p.onStage ? t('onStage') : ''}
                </td>
                <td style={{ display: 'flex', gap: 6, flexWrap: 'wrap' }}>
                  <Button
                    buttonStyle="secondary"
                    disabled={busy !== null || !p.publishing}
                    onClick={() =>
                      void act(`mute-${p.identity}`, () =>
                        api(
                          'POST',
                          `/live-streams/${id}/participants/${encodeURIComponent(p.identity)}/mute`,
                          { kinds: ['audio', 'video'] },
                        ),
                      )
                    }
                    size="small"
                    tooltip={p.publishing ? undefined : t('notPublishing')}
                  >
                    {t('mute')}
                  </Button>
                  {p.role === 'attendee' ? (
                    p.onStage ? (
                      <Button
                        buttonStyle="secondary"
                        disabled={busy !== null}
                        onClick={() =>
                          void act(`demote-${p.identity}`, () =>
                            api(
                              'POST',
                              `/live-streams/${id}/participants/${encodeURIComponent(p.identity)}/demote`,
                              {},
                            ),
                          )
                        }
                        size="small"
                      >
                        {t('demote')}
                      </Button>
                    ) : (
                      <Button
                        buttonStyle="secondary"
                        disabled={busy !== null}
                        onClick={() =>
                          void act(`promote-${p.identity}`, () =>
                            api(
                              'POST',
                              `/live-streams/${id}/participants/${encodeURIComponent(p.identity)}/promote`,
                              {},
                            ),
                          )
                        }
                        size="small"
                      >
                        {t('promote')}
                      </Button>
                    )
                  ) : null}
                  <Button
                    buttonStyle="error"
                    disabled={busy !== null || p.role === 'host'}
                    onClick={() => {
                      if (!window.confirm(t('confirmRemove', { name: p.name || p.identity }))) {
                        return
                      }
                      void act(`remove-${p.identity}`, () =>
                        api(
                          'POST',
                          `/live-streams/${id}/participants/${encodeURIComponent(p.identity)}/remove`,
                          {},
                        ),
                      )
                    }}
                    size="small"
                    tooltip={p.role === 'host' ? t('hostNotRemovable') : undefined}
                  >
                    {t('remove')}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t('noParticipants')}</p>
      )}

      <h4>
        {t('recording')} · {t('hls')}
      </h4>
      <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', alignItems: 'center' }}>
        {egressToggle('recording', 'startRecording', 'stopRecording')}
        {egressToggle('hls', 'startHls', 'stopHls')}
        {!live ? <small>{reason}</small> : null}
      </div>

      <h4>{t('destinations')}</h4>
      {destinations.length === 0 ? <p>{t('noDestinations')}</p> : null}
      {destinations.map((d) => {
        const inStream = Boolean(rtmp?.outputs.some((o) => o.destination === masked(d.serverUrl)))
        return (
          <div
            key={d.id}
            style={{ display: 'flex', gap: 8, alignItems: 'center', marginBottom: 6 }}
          >
            {rtmp ? (
              <>
                <span>
                  {d.name} {inStream ? t('destinationLive') : ''}
                </span>
                <Button
                  buttonStyle="secondary"
                  disabled={busy !== null}
                  onClick={() =>
                    void act(`dest-${d.id}`, () =>
                      api(
                        'PATCH',
                        `/live-streams/${id}/egress/${rtmp.egressId}`,
                        inStream ? { removeDestinations: [d.id] } : { addDestinations: [d.id] },
                      ),
                    )
                  }
                  size="small"
                >
                  {inStream ? t('removeDestination') : t('addDestination')}
                </Button>
              </>
            ) : (
              <label>
                <input
                  checked={chosen.includes(d.id)}
                  onChange={(e) =>
                    setChosen((list) =>
                      e.target.checked ? [...list, d.id] : list.filter((x) => x !== d.id),
                    )
                  }
                  type="checkbox"
                />{' '}
                {d.name}
              </label>
            )}
          </div>
        )
      })}
      <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', marginTop: 8 }}>
        {rtmp ? (
          <Button
            buttonStyle="secondary"
            disabled={busy !== null}
            onClick={() =>
              void act('rtmp', () => api('DELETE', `/live-streams/${id}/egress/${rtmp.egressId}`))
            }
            size="small"
          >
            {t('stopGoLive')}
          </Button>
        ) : (
          <Button
            buttonStyle="secondary"
            disabled={!live || busy !== null || chosen.length === 0}
            onClick={() =>
              void act('rtmp', () =>
                api('POST', `/live-streams/${id}/egress`, { kind: 'rtmp', destinations: chosen }),
              )
            }
            size="small"
            tooltip={!live ? reason : chosen.length === 0 ? t('destinations') : undefined}
          >
            {t('goLive')}
          </Button>
        )}
        <Button
          buttonStyle="error"
          disabled={!live || busy !== null}
          onClick={() => {
            if (!window.confirm(t('confirmEnd'))) {
              return
            }
            void act('end', () => api('POST', `/live-streams/${id}/end`, {}))
          }}
          size="small"
          tooltip={reason}
        >
          {t('endStream')}
        </Button>
      </div>
      {shop.view && !shop.off ? (
        <>
          <ProductsPanel id={id} live={live} refresh={shop.refresh} view={shop.view} />
          <StreamSales id={id} live={live} moments={shop.view.moments} />
        </>
      ) : null}
      <StreamAudience id={id} live={live} />
      {shop.problem && !shop.off ? (
        <p role="alert" style={{ color: 'var(--theme-error-500)' }}>
          {shop.problem}
        </p>
      ) : null}
      {busy ? <p role="status">{t('working')}</p> : null}
      {message ? (
        <p
          data-testid="lk-message"
          role={message.kind === 'error' ? 'alert' : 'status'}
          style={{ color: message.kind === 'error' ? 'var(--theme-error-500)' : undefined }}
        >
          {message.text}
        </p>
      ) : null}
    </section>
  )
}
