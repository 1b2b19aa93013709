'use client'
import { useConfig, useDocumentInfo, useTranslation } from '@payloadcms/ui'
import { useEffect, useState } from 'react'

import { tr, type TFunction } from '../i18n/translations.js'
import { useAdminApi } from './adminApi.js'
import { StreamStateBadge } from './StreamStateBadge.js'

/** Sidebar of an appointment: its live stream's state and viewers, and a link to the control room. */
export function AppointmentLiveLink() {
  const { id } = useDocumentInfo()
  const { config } = useConfig()
  const { t: rawT } = useTranslation()
  const t = rawT as unknown as TFunction
  const api = useAdminApi()
  const [stream, setStream] = useState<{ id: string | number; state: string; currentViewers?: number | null } | null | undefined>(undefined)
  useEffect(() => {
    if (!id) return
    api<{ docs: Array<{ id: string | number; state: string; currentViewers?: number | null }> }>('GET', `/live-streams?where[appointment][equals]=${id}&depth=0&limit=1`).then(
      (r) => setStream(r.docs[0] ?? null),
      () => setStream(null),
    )
  }, [api, id])
  if (!id || stream === undefined) return null
  if (stream === null) return <p style={{ opacity: 0.7 }}>{tr(t, 'noLiveStream')}</p>
  return (
    <div style={{ marginBottom: 16 }}>
      <StreamStateBadge state={stream.state} /> {stream.state === 'live' ? `👁 ${stream.currentViewers ?? 0} ${tr(t, 'watching')}` : null}
      <p>
        <a href={`${config.routes?.admin ?? '/admin'}/collections/live-streams/${stream.id}`}>{tr(t, 'openControlRoom')} →</a>
      </p>
    </div>
  )
}
