import type { CSSProperties } from 'react'

import type { StreamState } from '../core/streamStates.js'

const COLORS: Record<StreamState, string> = {
  scheduled: '#64748b',
  opening: '#b45309',
  live: '#dc2626',
  ending: '#b45309',
  ended: '#475569',
  cancelled: '#6b7280',
  failed: '#7f1d1d',
}

const LABELS: Record<StreamState, string> = {
  scheduled: 'Scheduled',
  opening: 'Opening',
  live: 'Live',
  ending: 'Ending',
  ended: 'Ended',
  cancelled: 'Cancelled',
  failed: 'Failed',
}

/** Props of {@link StreamStateBadge}. */
export interface StreamStateBadgeProps {
  /** The live stream's state; unknown values render as plain text. */
  state: string | null | undefined
}

/**
 * A small pill with the live stream's state. Has no hooks, so it renders in server components,
 * client components and the site's own pages alike. Colours can be themed with the
 * `--lk-state-<state>` CSS variables.
 */
export function StreamStateBadge({ state }: StreamStateBadgeProps) {
  if (!state) return null
  const known = state in COLORS ? (state as StreamState) : undefined
  const style: CSSProperties = {
    background: known ? `var(--lk-state-${known}, ${COLORS[known]})` : '#6b7280',
    borderRadius: '999px',
    color: '#fff',
    display: 'inline-block',
    fontSize: '0.75rem',
    fontWeight: 600,
    lineHeight: 1.6,
    padding: '0 0.6em',
  }
  return (
    <span data-stream-state={state} style={style}>
      {known ? LABELS[known] : state}
    </span>
  )
}
