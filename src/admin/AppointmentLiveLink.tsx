'use client'
import { useConfig, useDocumentInfo } from '@payloadcms/ui'
import { useEffect, useState } from 'react'

import type { DocId } from '../core/ids.js'

import { streamStateLabel } from '../i18n/translations.js'
import { StreamStateBadge } from '../react/StreamStateBadge.js'
import { useAdminApi } from './adminApi.js'
import { usePluginT } from './usePluginT.js'

/** Sidebar of an appointment: its live stream's state and viewers, and a link to the control room. */
export function AppointmentLiveLink() {
  const { id } = useDocumentInfo()
  const { config } = useConfig()
  const t = usePluginT()
  const api = useAdminApi()
  const [stream, setStream] = useState<
    { id: DocId; state: string; currentViewers?: null | number } | null | undefined
  >(undefined)
  useEffect(() => {
    if (!id) {
      return
    }
    api<{ docs: Array<{ id: DocId; state: string; currentViewers?: null | number }> }>(
      'GET',
      `/live-streams?where[appointment][equals]=${id}&depth=0&limit=1`,
    ).then(
      (r) => setStream(r.docs[0] ?? null),
      () => setStream(null),
    )
  }, [api, id])
  if (!id || stream === undefined) {
    return null
  }
  if (stream === null) {
    return <p style={{ opacity: 0.7 }}>{t('noLiveStream')}</p>
  }
  return (
    <div style={{ marginBottom: 16 }}>
      <StreamStateBadge label={streamStateLabel(t, stream.state)} state={stream.state} />{' '}
      {stream.state === 'live' ? `👁 ${stream.currentViewers ?? 0} ${t('watching')}` : null}
      <p>
        <a href={`${config.routes?.admin ?? '/admin'}/collections/live-streams/${stream.id}`}>
          {t('openControlRoom')} →
        </a>
      </p>
    </div>
  )
}
