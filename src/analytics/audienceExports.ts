import type { StreamAudience } from './operations/streamAudience.js'

import { csvOf } from '../core/csv.js'

/** The figures of a stream's audience one can download, each as its own table. */
export const AUDIENCE_FIGURES = ['curve', 'watch', 'funnel', 'engagement', 'timeline'] as const
export type AudienceFigure = (typeof AUDIENCE_FIGURES)[number]

/** One figure of the audience as CSV, the same numbers the JSON answer and the charts show. Pure. */
export function audienceCsv(audience: StreamAudience, figure: AudienceFigure): string {
  switch (figure) {
    case 'curve':
      return csvOf(
        ['at', 'viewers', 'peak', 'joins', 'leaves'],
        audience.curve.map((p) => [p.at, p.viewers, p.peak, p.joins, p.leaves]),
      )
    case 'watch':
      return csvOf(
        ['from_share', 'to_share', 'viewers'],
        audience.watch.bins.map((b) => [b.fromShare, b.toShare, b.viewers]),
      )
    case 'funnel': {
      const f = audience.funnel
      return csvOf(
        ['step', 'people'],
        [
          ['tickets_sold', f.ticketsSold],
          ['joined', f.joined],
          ['stayed_half', f.stayedHalf],
          ['stayed_to_end', f.stayedToEnd],
        ],
      )
    }
    case 'engagement':
      return csvOf(
        ['at', 'chat', 'reactions', 'hands'],
        audience.engagement.map((p) => [p.at, p.chat, p.reactions, p.hands]),
      )
    case 'timeline': {
      // One row per period, whatever its kind: what, from, to, and a pin's sales.
      const t = audience.timeline
      return csvOf(
        ['what', 'label', 'from', 'to', 'purchases', 'revenue', 'currency'],
        [
          ...t.camera.map((p) => ['camera', '', p.from, p.to, '', '', '']),
          ...t.screenShare.map((p) => ['screen_share', '', p.from, p.to, '', '', '']),
          ...t.egress.map((p) => ['egress', p.kind, p.from, p.to, '', '', '']),
          ...t.pins.map((p) => ['pin', p.title, p.from, p.to, p.purchases, p.revenue, p.currency]),
        ],
      )
    }
  }
}
