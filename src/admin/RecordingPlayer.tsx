'use client'
import { useDocumentInfo } from '@payloadcms/ui'
import { useEffect, useState } from 'react'

import { adminErrorText } from '../i18n/translations.js'
import { useAdminApi } from './adminApi.js'
import { usePluginT } from './usePluginT.js'

/** The replay of a finished recording in its edit view (MP4 plays inline; HLS gets a link). */
export function RecordingPlayer() {
  const { id } = useDocumentInfo()
  const t = usePluginT()
  const api = useAdminApi()
  const [replay, setReplay] = useState<{ url: string; format: string } | null>(null)
  const [problem, setProblem] = useState<null | string>(null)
  useEffect(() => {
    if (!id) {
      return
    }
    api<{ url: string; format: string }>('GET', `/recordings/${id}/playback`).then(
      setReplay,
      (error: unknown) => setProblem(adminErrorText(t, error)),
    )
  }, [api, id, t])
  if (!id) {
    return null
  }
  return (
    <section aria-label={t('play')} style={{ marginBottom: 24 }}>
      <h3>{t('play')}</h3>
      {replay ? (
        replay.format === 'mp4' ? (
          // Recordings carry no caption track: LiveKit's egress writes none.
          // eslint-disable-next-line jsx-a11y/media-has-caption
          <video
            controls
            data-testid="lk-replay"
            preload="metadata"
            src={replay.url}
            style={{ width: '100%', maxWidth: 720, background: '#000' }}
          />
        ) : (
          <a href={replay.url} rel="noreferrer" target="_blank">
            {t('hlsPlaylist')}
          </a>
        )
      ) : (
        <p>{problem ?? t('loading')}</p>
      )}
    </section>
  )
}

/** List cell: a byte count as KB/MB/GB. */
export function BytesCell({ cellData }: { cellData?: unknown }) {
  const n = typeof cellData === 'number' ? cellData : null
  if (n === null) {
    return <span>—</span>
  }
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let value = n
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return <span>{`${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`}</span>
}

/** List cell: seconds as h:mm:ss. */
export function DurationCell({ cellData }: { cellData?: unknown }) {
  const s = typeof cellData === 'number' ? Math.round(cellData) : null
  if (s === null) {
    return <span>—</span>
  }
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = s % 60
  return <span>{`${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`}</span>
}
