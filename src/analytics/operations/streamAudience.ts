import type { PayloadRequest } from 'payload'

import type { DocId } from '../../core/ids.js'

import { userIdentity } from '../../access/facts.js'
import { identifyModerator } from '../../access/identifyCaller.js'
import { VIEWER_ROLES } from '../../audience/audienceCounts.js'
import { relationId } from '../../core/relationId.js'
import { RECORDINGS, TRACK_PERIODS } from '../../core/slugs.js'
import { pluginOptionsOf } from '../../runtime.js'
import { pinFiguresOf } from '../../shopping/operations/shopView.js'
import {
  type AttendanceFunnel,
  attendanceFunnel,
  audienceCurve,
  type AudiencePoint,
  type Connection,
  type FigureWindow,
  stepFor,
  type WatchBin,
  watchDistribution,
  watchTimes,
} from '../audienceFigures.js'
import { engagementCurve, type EngagementPoint } from '../engagementFigures.js'
import { engagementCounts } from '../engagementStore.js'
import { connectionsOf, heldTicketsOf } from '../streamRows.js'
import { mergePeriods, type Period, periodInside } from '../timeline.js'

/** A stream's audience as its host and admins read it, live or afterwards. */
export interface StreamAudience {
  liveStream: string
  state: string
  /** True while the stream is open: the figures run to now and change. */
  live: boolean
  /** The span the figures cover (the stream's start to its end, or now); null before it began. */
  window: { from: string; to: string } | null
  /** Seconds per point of the curve. */
  stepSeconds: number
  curve: AudiencePoint[]
  watch: {
    bins: WatchBin[]
    /** Distinct viewers (identities) who connected. */
    viewers: number
    averageSeconds: number
    medianSeconds: number
  }
  funnel: AttendanceFunnel
  /** Chat messages, reactions and raised hands per step, on the curve's steps. */
  engagement: EngagementPoint[]
  /** The same over the whole stream. */
  engagementTotals: { chat: number; reactions: number; hands: number }
  /** What happened when, inside the window. */
  timeline: {
    /** When the host or a co-host was on camera (merged over them). */
    camera: Period[]
    /** When the host or a co-host shared a screen. */
    screenShare: Period[]
    /** Recordings, HLS and simulcasts, each with its kind. */
    egress: Array<{ kind: string } & Period>
    /** Pinned products, with the purchases and revenue of each pin. */
    pins: Array<{ title: string; purchases: number; revenue: number; currency: string } & Period>
  }
  /** Read at, ISO 8601. */
  readAt: string
}

const timeOf = (value: unknown): null | number => {
  if (typeof value !== 'string' && !(value instanceof Date)) {
    return null
  }
  const ms = new Date(value).getTime()
  return Number.isFinite(ms) ? ms : null
}

/** From the stream's start (else its opening) to its end (else its closing, else now). */
function windowOf(
  stream: {
    actualStart?: null | string
    openedAt?: null | string
    actualEnd?: null | string
    closedAt?: null | string
  },
  now: number,
): FigureWindow | null {
  const from = timeOf(stream.actualStart) ?? timeOf(stream.openedAt)
  if (from === null) {
    return null
  }
  const to = timeOf(stream.actualEnd) ?? timeOf(stream.closedAt) ?? now
  return to > from ? { from, to } : null
}

const median = (values: number[]) => {
  if (values.length === 0) {
    return 0
  }
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/**
 * The audience figures of a stream for its host, co-hosts and admins (403 `not_a_moderator` for
 * anyone else): computed from every stored connection and the stream's tickets on each read, so
 * they are exact whichever instance applied the webhooks, and nothing is kept beside them.
 */
export async function streamAudienceOf(
  req: PayloadRequest,
  liveStreamId: DocId,
): Promise<StreamAudience> {
  const caller = await identifyModerator(
    req,
    liveStreamId,
    'not_a_moderator',
    "Only the stream's host, co-hosts and admins can read its audience figures.",
  )
  const { stream } = caller
  const { payload } = req
  const now = Date.now()
  const window = windowOf(stream, now)
  const [sessions, tickets, counts, tracks, egress, pins] = await Promise.all([
    connectionsOf(payload, stream.id),
    heldTicketsOf(payload, stream.id),
    window ? engagementCounts(payload, stream.id, window) : Promise.resolve([]),
    payload.db.find<{ role?: null | string; source: string; startedAt?: string; endedAt?: string }>(
      {
        collection: TRACK_PERIODS,
        where: { liveStream: { equals: stream.id } },
        select: { role: true, source: true, startedAt: true, endedAt: true },
        limit: 0,
        pagination: false,
      },
    ),
    payload.db.find<{ kind: string; startedAt?: string; endedAt?: string }>({
      collection: RECORDINGS,
      where: { liveStream: { equals: stream.id } },
      select: { kind: true, startedAt: true, endedAt: true },
      limit: 0,
      pagination: false,
    }),
    pluginOptionsOf(payload).shopping ? pinFiguresOf(req, stream.id) : Promise.resolve([]),
  ])
  const connections: Connection[] = []
  for (const s of sessions) {
    const joinedAt = timeOf(s.joinedAt)
    if (joinedAt !== null) {
      connections.push({ identity: s.identity, role: s.role, joinedAt, leftAt: timeOf(s.leftAt) })
    }
  }
  const viewers = connections.filter((c) => (VIEWER_ROLES as readonly string[]).includes(c.role))
  // A ticket whose buyer was deleted still counts as sold; it cannot join under that identity.
  const holders = tickets.map((t) => {
    const user = relationId(t.user)
    return user === undefined || user === null
      ? `ticket-without-user:${String(t.id)}`
      : userIdentity(user)
  })
  const live = stream.state === 'live'
  const empty = { from: now, to: now }
  const watched = watchTimes(viewers, window ?? empty)
  const span = window ?? empty
  const engagement = window ? engagementCurve(counts, window) : []
  const onStage = (source: string) =>
    mergePeriods(
      tracks.docs
        .filter((t) => t.source === source && (t.role === 'host' || t.role === 'co-host'))
        .map((t) => periodInside(t.startedAt, t.endedAt, span))
        .filter((p): p is Period => p !== null),
    )
  const seconds = [...watched.values()].map((ms) => Math.round(ms / 1000))
  return {
    liveStream: String(stream.id),
    state: stream.state,
    live,
    window: window && {
      from: new Date(window.from).toISOString(),
      to: new Date(window.to).toISOString(),
    },
    stepSeconds: window ? stepFor(window) / 1000 : 60,
    curve: window ? audienceCurve(viewers, window) : [],
    watch: {
      bins: watchDistribution(watched, window ?? empty),
      viewers: watched.size,
      averageSeconds:
        seconds.length === 0 ? 0 : Math.round(seconds.reduce((a, b) => a + b, 0) / seconds.length),
      medianSeconds: Math.round(median(seconds)),
    },
    funnel: attendanceFunnel(holders, connections, window ?? empty),
    engagement,
    engagementTotals: {
      chat: engagement.reduce((a, p) => a + p.chat, 0),
      reactions: engagement.reduce((a, p) => a + p.reactions, 0),
      hands: engagement.reduce((a, p) => a + p.hands, 0),
    },
    timeline: {
      camera: onStage('camera'),
      screenShare: onStage('screen_share'),
      egress: egress.docs.flatMap((e) => {
        const period = periodInside(e.startedAt, e.endedAt, span)
        return period ? [{ kind: e.kind, ...period }] : []
      }),
      pins: pins.flatMap((p) => {
        const period = periodInside(p.pinnedAt, p.unpinnedAt, span)
        return period
          ? [
              {
                title: p.title,
                purchases: p.purchases,
                revenue: p.revenue,
                currency: p.currency,
                ...period,
              },
            ]
          : []
      }),
    },
    readAt: new Date(now).toISOString(),
  }
}
