'use client'

import { StreamStateBadge } from './StreamStateBadge.js'

/** List-view cell for the live stream `state` field (Payload passes the value as `cellData`). */
export function StreamStateCell({ cellData }: { cellData?: unknown }) {
  return <StreamStateBadge state={typeof cellData === 'string' ? cellData : undefined} />
}
