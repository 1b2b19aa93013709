'use client'
import { Button, useDocumentInfo, useTranslation } from '@payloadcms/ui'
import { useCallback, useEffect, useState } from 'react'

import { tr, type TFunction } from '../i18n/translations.js'
import type { ParticipantView } from '../operations/moderateParticipant.js'
import { useAdminApi } from './adminApi.js'
import { StreamStateBadge } from './StreamStateBadge.js'

interface Egress {
  egressId: string
  kind: string
  status: string
  outputs: Array<{ type: string; destination?: string | null }>
}
interface Status {
  state: string
  opensAt: string | null
  viewerCount: number
  hostPresent: boolean
  participants?: ParticipantView[]
  activeEgress?: Egress[]
}
interface StreamDoc {
  title?: string
  scheduledStart?: string | null
  scheduledEnd?: string | null
  actualStart?: string | null
  peakViewers?: number | null
  currentViewers?: number | null
}
interface Destination {
  id: string | number
  name: string
  serverUrl: string
}

const time = (iso?: string | null) => (iso ? new Date(iso).toLocaleString() : '—')
const masked = (serverUrl: string) => `${serverUrl.replace(/\/+$/, '')}/••••`

/**
 * The control room in a live stream's edit view: state and timing, live viewers and peak,
 * participants with role and raised hand (mute, remove, bring on / take off stage), recording,
 * HLS, going live to saved destinations (also adding and removing them while live), and ending
 * the stream. Disabled buttons say why; failures show the API's own message.
 */
export function HostControls() {
  const { id } = useDocumentInfo()
  const { t: rawT } = useTranslation()
  const t = rawT as unknown as TFunction
  const api = useAdminApi()
  const [status, setStatus] = useState<Status | null>(null)
  const [doc, setDoc] = useState<StreamDoc | null>(null)
  const [destinations, setDestinations] = useState<Destination[]>([])
  const [chosen, setChosen] = useState<Array<string | number>>([])
  const [busy, setBusy] = useState<string | null>(null)
  const [message, setMessage] = useState<{ kind: 'error' | 'ok'; text: string } | null>(null)

  const refresh = useCallback(async () => {
    if (!id) return
    try {
      const [s, d] = await Promise.all([api<Status>('GET', `/live-streams/${id}/status`), api<StreamDoc>('GET', `/live-streams/${id}?depth=0`)])
      setStatus(s)
      setDoc(d)
    } catch (error) {
      setMessage({ kind: 'error', text: (error as Error).message })
    }
  }, [api, id])

  useEffect(() => {
    void refresh()
    const timer = setInterval(() => void refresh(), 3000)
    api<{ docs: Destination[] }>('GET', '/stream-destinations?limit=50&depth=0').then((r) => setDestinations(r.docs), () => setDestinations([]))
    return () => clearInterval(timer)
  }, [refresh, api])

  if (!id) return null
  const live = status?.state === 'live'
  const reason = live ? undefined : tr(t, 'notLive')
  const running = (kind: string) => status?.activeEgress?.find((e) => e.kind === kind)

  async function act(name: string, run: () => Promise<unknown>) {
    setBusy(name)
    setMessage(null)
    try {
      await run()
      setMessage({ kind: 'ok', text: tr(t, 'done') })
    } catch (error) {
      setMessage({ kind: 'error', text: (error as Error).message })
    } finally {
      setBusy(null)
      void refresh()
    }
  }
  const egressToggle = (kind: 'recording' | 'hls', start: 'startRecording' | 'startHls', stop: 'stopRecording' | 'stopHls') => {
    const current = running(kind)
    return current ? (
      <Button buttonStyle="secondary" size="small" disabled={busy !== null} onClick={() => void act(kind, () => api('DELETE', `/live-streams/${id}/egress/${current.egressId}`))}>
        {tr(t, stop)}
      </Button>
    ) : (
      <Button buttonStyle="secondary" size="small" disabled={!live || busy !== null} tooltip={reason} onClick={() => void act(kind, () => api('POST', `/live-streams/${id}/egress`, { kind }))}>
        {busy === kind ? tr(t, 'working') : tr(t, start)}
      </Button>
    )
  }
  const rtmp = running('rtmp')

  return (
    <section aria-label={tr(t, 'controlRoom')} data-testid="lk-host-controls" style={{ border: '1px solid var(--theme-elevation-150)', borderRadius: 6, padding: 16, marginBottom: 24 }}>
      <h3 style={{ marginTop: 0 }}>{tr(t, 'controlRoom')}</h3>
      <p style={{ display: 'flex', gap: 16, flexWrap: 'wrap', alignItems: 'center' }}>
        <span>
          {tr(t, 'state')}: <StreamStateBadge state={status?.state} />
        </span>
        <span>
          {tr(t, 'scheduled')}: {time(doc?.scheduledStart)} – {time(doc?.scheduledEnd)}
        </span>
        {status?.opensAt && status.state === 'scheduled' ? (
          <span>
            {tr(t, 'opensAt')}: {time(status.opensAt)}
          </span>
        ) : null}
        <span data-testid="lk-viewers">
          {tr(t, 'viewers')}: {status?.viewerCount ?? 0}
        </span>
        <span>
          {tr(t, 'peak')}: {doc?.peakViewers ?? 0}
        </span>
        <span>{status?.hostPresent ? tr(t, 'hostPresent') : tr(t, 'hostAbsent')}</span>
      </p>

      <h4>{tr(t, 'participants')}</h4>
      {status?.participants?.length ? (
        <table style={{ width: '100%', borderCollapse: 'collapse' }} data-testid="lk-participants">
          <thead>
            <tr>
              <th align="left">{tr(t, 'participants')}</th>
              <th align="left">{tr(t, 'role')}</th>
              <th align="left" />
              <th align="left" />
            </tr>
          </thead>
          <tbody>
            {status.participants.map((p) => (
              <tr key={p.identity} data-identity={p.identity}>
                <td>
                  {p.name || p.identity} <small style={{ opacity: 0.6 }}>{p.identity}</small>
                </td>
                <td>{p.role}</td>
                <td>
                  {p.handRaised ? `✋ ${tr(t, 'handRaised')}` : ''} {p.onStage ? tr(t, 'onStage') : ''}
                </td>
                <td style={{ display: 'flex', gap: 6, flexWrap: 'wrap' }}>
                  <Button buttonStyle="secondary" size="small" disabled={busy !== null || !p.publishing} tooltip={p.publishing ? undefined : tr(t, 'notPublishing')} onClick={() => void act(`mute-${p.identity}`, () => api('POST', `/live-streams/${id}/participants/${encodeURIComponent(p.identity)}/mute`, { kinds: ['audio', 'video'] }))}>
                    {tr(t, 'mute')}
                  </Button>
                  {p.role === 'attendee' ? (
                    p.onStage ? (
                      <Button buttonStyle="secondary" size="small" disabled={busy !== null} onClick={() => void act(`demote-${p.identity}`, () => api('POST', `/live-streams/${id}/participants/${encodeURIComponent(p.identity)}/demote`, {}))}>
                        {tr(t, 'demote')}
                      </Button>
                    ) : (
                      <Button buttonStyle="secondary" size="small" disabled={busy !== null} onClick={() => void act(`promote-${p.identity}`, () => api('POST', `/live-streams/${id}/participants/${encodeURIComponent(p.identity)}/promote`, {}))}>
                        {tr(t, 'promote')}
                      </Button>
                    )
                  ) : null}
                  <Button
                    buttonStyle="error"
                    size="small"
                    disabled={busy !== null || p.role === 'host'}
                    tooltip={p.role === 'host' ? tr(t, 'hostNotRemovable') : undefined}
                    onClick={() => {
                      if (!window.confirm(tr(t, 'confirmRemove', { name: p.name || p.identity }))) return
                      void act(`remove-${p.identity}`, () => api('POST', `/live-streams/${id}/participants/${encodeURIComponent(p.identity)}/remove`, {}))
                    }}
                  >
                    {tr(t, 'remove')}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{tr(t, 'noParticipants')}</p>
      )}

      <h4>
        {tr(t, 'recording')} · {tr(t, 'hls')}
      </h4>
      <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', alignItems: 'center' }}>
        {egressToggle('recording', 'startRecording', 'stopRecording')}
        {egressToggle('hls', 'startHls', 'stopHls')}
        {!live ? <small>{reason}</small> : null}
      </div>

      <h4>{tr(t, 'destinations')}</h4>
      {destinations.length === 0 ? <p>{tr(t, 'noDestinations')}</p> : null}
      {destinations.map((d) => {
        const inStream = Boolean(rtmp?.outputs.some((o) => o.destination === masked(d.serverUrl)))
        return (
          <div key={d.id} style={{ display: 'flex', gap: 8, alignItems: 'center', marginBottom: 6 }}>
            {rtmp ? (
              <>
                <span>
                  {d.name} {inStream ? '● LIVE' : ''}
                </span>
                <Button
                  buttonStyle="secondary"
                  size="small"
                  disabled={busy !== null}
                  onClick={() => void act(`dest-${d.id}`, () => api('PATCH', `/live-streams/${id}/egress/${rtmp.egressId}`, inStream ? { removeDestinations: [d.id] } : { addDestinations: [d.id] }))}
                >
                  {inStream ? tr(t, 'removeDestination') : tr(t, 'addDestination')}
                </Button>
              </>
            ) : (
              <label>
                <input type="checkbox" checked={chosen.includes(d.id)} onChange={(e) => setChosen((list) => (e.target.checked ? [...list, d.id] : list.filter((x) => x !== d.id)))} /> {d.name}
              </label>
            )}
          </div>
        )
      })}
      <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', marginTop: 8 }}>
        {rtmp ? (
          <Button buttonStyle="secondary" size="small" disabled={busy !== null} onClick={() => void act('rtmp', () => api('DELETE', `/live-streams/${id}/egress/${rtmp.egressId}`))}>
            {tr(t, 'stopGoLive')}
          </Button>
        ) : (
          <Button
            buttonStyle="secondary"
            size="small"
            disabled={!live || busy !== null || chosen.length === 0}
            tooltip={!live ? reason : chosen.length === 0 ? tr(t, 'destinations') : undefined}
            onClick={() => void act('rtmp', () => api('POST', `/live-streams/${id}/egress`, { kind: 'rtmp', destinations: chosen }))}
          >
            {tr(t, 'goLive')}
          </Button>
        )}
        <Button
          buttonStyle="error"
          size="small"
          disabled={!live || busy !== null}
          tooltip={reason}
          onClick={() => {
            if (!window.confirm(tr(t, 'confirmEnd'))) return
            void act('end', () => api('POST', `/live-streams/${id}/end`, {}))
          }}
        >
          {tr(t, 'endStream')}
        </Button>
      </div>
      {busy ? <p role="status">{tr(t, 'working')}</p> : null}
      {message ? (
        <p role={message.kind === 'error' ? 'alert' : 'status'} data-testid="lk-message" style={{ color: message.kind === 'error' ? 'var(--theme-error-500)' : undefined }}>
          {message.text}
        </p>
      ) : null}
    </section>
  )
}
