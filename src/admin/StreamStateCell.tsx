'use client'

import { streamStateLabel } from '../i18n/translations.js'
import { StreamStateBadge } from '../react/StreamStateBadge.js'
import { usePluginT } from './usePluginT.js'

/**
 * List-view cell for the live stream `state` field (Payload passes the value as `cellData` and the
 * row as `rowData`): the badge, and while live the number of viewers.
 */
export function StreamStateCell({
  cellData,
  rowData,
}: {
  cellData?: unknown
  rowData?: { currentViewers?: null | number }
}) {
  const t = usePluginT()
  const state = typeof cellData === 'string' ? cellData : undefined
  return (
    <span style={{ display: 'inline-flex', gap: 6, alignItems: 'center' }}>
      <StreamStateBadge label={streamStateLabel(t, state)} state={state} />
      {state === 'live' ? (
        <span data-testid="lk-cell-viewers">👁 {rowData?.currentViewers ?? 0}</span>
      ) : null}
    </span>
  )
}
