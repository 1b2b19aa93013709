import type { CSSProperties } from 'react'

import type { StreamState } from '../core/streamStates.js'

import { kitMessages, type KitMessages } from './messages/index.js'

const COLORS: Record<StreamState, string> = {
  scheduled: '#64748b',
  opening: '#b45309',
  live: '#dc2626',
  ending: '#b45309',
  ended: '#475569',
  cancelled: '#6b7280',
  failed: '#7f1d1d',
}

/** Props of {@link StreamStateBadge}. */
export interface StreamStateBadgeProps {
  /** The live stream's state; unknown values render as plain text. */
  state: null | string | undefined
  /** The text on the pill, when the page translates it itself (the admin panel does). */
  label?: string
  /** Language of the state's name (`en`, `de`, `fr`, `es`). Default English. */
  locale?: string
  /** The site's own state names (`state-live`, …), over the shipped ones. */
  messages?: Partial<KitMessages>
}

/**
 * A small pill with the live stream's state. Has no hooks, so it renders in server components,
 * client components and the site's own pages alike, so it takes its language as props rather than
 * from {@link LivekitKitProvider}. Colours can be themed with the `--lk-state-<state>` CSS variables.
 */
export function StreamStateBadge({ state, label, locale, messages }: StreamStateBadgeProps) {
  if (!state) {
    return null
  }
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
      {label ?? (known ? kitMessages(locale, messages)[`state-${known}`] : state)}
    </span>
  )
}
