/**
 * What an egress request asks LiveKit for, as plain data (the adapter turns it into the SDK's
 * request). Pure, so every kind's request is checked by unit tests.
 */

import type { DocId } from './ids.js'

/** Layouts of LiveKit's room composite template: the active speaker large, a grid, or one speaker alone. */
export const LAYOUTS = ['speaker', 'grid', 'single-speaker'] as const
export type Layout = (typeof LAYOUTS)[number]
export const isLayout = (value: unknown): value is Layout =>
  typeof value === 'string' && (LAYOUTS as readonly string[]).includes(value)

/** Quality names mapped to LiveKit's encoding presets. */
export const QUALITIES = {
  low: 'H264_720P_30',
  medium: 'H264_1080P_30',
  high: 'H264_1080P_60',
} as const
export type Quality = keyof typeof QUALITIES

/** Where files go. Credentials stay on the server; they are sent to LiveKit only. */
export type StorageConfig =
  | { azure: { accountName: string; accountKey: string; container: string } }
  | { gcs: { bucket: string; credentials?: string } }
  | {
      s3: {
        bucket: string
        region?: string
        endpoint?: string
        forcePathStyle?: boolean
        accessKey?: string
        secret?: string
      }
    }

/** Kinds of egress the API starts. */
export const EGRESS_KINDS = ['recording', 'hls', 'rtmp', 'web', 'track-composite'] as const
export type EgressKind = (typeof EGRESS_KINDS)[number]

export interface EgressPlan {
  kind: EgressKind
  roomName: string
  layout: Layout
  preset: (typeof QUALITIES)[Quality]
  audioOnly: boolean
  file?: { filepath: string; storage?: StorageConfig }
  segments?: { prefix: string; playlist: string; storage?: StorageConfig }
  stream?: { urls: string[] }
  /** `web`: the page the egress opens (the site's composite overlay, token appended by the adapter caller). */
  web?: { url: string }
  /** `track-composite`: whose tracks are recorded (screen share or camera, and microphone). */
  participant?: { identity: string }
}

/** A request field that is wrong, with a message naming it. */
export class EgressInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message)
    this.name = 'EgressInputError'
  }
}

/**
 * Fills a path template: `{room}`, `{stream}`, `{appointment}`, `{time}` (UTC, `20261125T221500Z`).
 * Anything else in braces is left for LiveKit's own template variables.
 */
export function fillPath(
  template: string,
  values: { room: string; stream: DocId; appointment: DocId | null; now: Date },
): string {
  const time = values.now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
  return template
    .replace(/\{room\}/g, values.room)
    .replace(/\{stream\}/g, String(values.stream))
    .replace(/\{appointment\}/g, String(values.appointment ?? 'none'))
    .replace(/\{time\}/g, time)
}

/** An RTMP(S) destination as shown anywhere after it was given: the stream key hidden. */
export function maskStreamUrl(url: string): string {
  const cut = url.lastIndexOf('/')
  return cut > url.indexOf('://') + 2 ? `${url.slice(0, cut + 1)}••••` : '••••'
}

/**
 * Checks a request body and builds the plan. Every refusal names the field.
 * `paths` are the configured templates; `storage` the configured storage (optional: without one
 * the egress service's own default storage is used).
 */
export function planEgress(
  body: Record<string, unknown>,
  context: {
    roomName: string
    streamId: DocId
    appointmentId: DocId | null
    now: Date
    hostIdentity?: string
  },
  config: { storage?: StorageConfig; filePath: string; hlsPath: string; overlayUrl?: string },
): EgressPlan {
  const kind = body.kind as EgressKind
  if (!(EGRESS_KINDS as readonly string[]).includes(kind)) {
    throw new EgressInputError('kind', `kind must be one of: ${EGRESS_KINDS.join(', ')}.`)
  }
  const layout = (body.layout ?? 'speaker') as Layout
  if (!isLayout(layout)) {
    throw new EgressInputError('layout', `layout must be one of: ${LAYOUTS.join(', ')}.`)
  }
  const quality = (body.quality ?? 'medium') as Quality
  // Own names only: `toString` or `__proto__` are in every object, and no quality.
  if (typeof quality !== 'string' || !Object.hasOwn(QUALITIES, quality)) {
    throw new EgressInputError('quality', 'quality must be low, medium or high.')
  }
  if (body.audioOnly !== undefined && typeof body.audioOnly !== 'boolean') {
    throw new EgressInputError('audioOnly', 'audioOnly must be true or false.')
  }
  const values = {
    room: context.roomName,
    stream: context.streamId,
    appointment: context.appointmentId,
    now: context.now,
  }
  const plan: EgressPlan = {
    kind,
    roomName: context.roomName,
    layout,
    preset: QUALITIES[quality],
    audioOnly: body.audioOnly === true,
  }
  // `web` and `track-composite` record to MP4 unless given RTMP destinations.
  const wantsStream =
    kind === 'rtmp' || ((kind === 'web' || kind === 'track-composite') && body.urls !== undefined)
  if (kind === 'recording' || (!wantsStream && (kind === 'web' || kind === 'track-composite'))) {
    plan.file = { filepath: fillPath(config.filePath, values), storage: config.storage }
  }
  if (kind === 'web') {
    if (!config.overlayUrl) {
      throw new EgressInputError(
        'kind',
        'web egress needs `egress.overlayUrl` in the plugin options: the public URL of the composite overlay page.',
      )
    }
    plan.web = { url: fillPath(config.overlayUrl, values) }
  }
  if (kind === 'track-composite') {
    const identity = body.identity ?? context.hostIdentity
    if (typeof identity !== 'string' || !/^[\w.:@-]{1,128}$/.test(identity)) {
      throw new EgressInputError(
        'identity',
        'identity must be the identity of a participant in the room.',
      )
    }
    plan.participant = { identity }
  }
  if (kind === 'hls') {
    const prefix = fillPath(config.hlsPath, values)
    plan.segments = { prefix, playlist: `${prefix}/index.m3u8`, storage: config.storage }
  }
  if (wantsStream) {
    const urls = checkStreamUrls('urls', body.urls)
    if (urls.length === 0) {
      throw new EgressInputError('urls', 'urls must list 1 to 5 rtmp:// or rtmps:// destinations.')
    }
    plan.stream = { urls }
  }
  return plan
}

/** A published track as the composite choice sees it. */
export interface TrackChoice {
  sid: string
  kind: 'audio' | 'video'
  source: string
}

/**
 * The track composite: one participant's screen share when it shares (its camera otherwise) with its
 * microphone. LiveKit's track composite takes one video and one audio track, so the camera corner
 * over a screen share is the `web` kind's overlay.
 */
export function pickCompositeTracks(tracks: TrackChoice[]): {
  videoTrackId?: string
  audioTrackId?: string
} {
  const video =
    tracks.find((t) => t.kind === 'video' && t.source === 'screen_share') ??
    tracks.find((t) => t.kind === 'video' && t.source === 'camera') ??
    tracks.find((t) => t.kind === 'video')
  const audio =
    tracks.find((t) => t.kind === 'audio' && t.source === 'microphone') ??
    tracks.find((t) => t.kind === 'audio')
  return {
    ...(video ? { videoTrackId: video.sid } : {}),
    ...(audio ? { audioTrackId: audio.sid } : {}),
  }
}

/** What can change on a running egress: room composite layout, RTMP destinations. */
export interface EgressChange {
  layout?: Layout
  addUrls: string[]
  removeUrls: string[]
}

/** Checks the raw URLs of an update (added or removed) the same way a start does. */
export function checkStreamUrls(field: string, urls: unknown): string[] {
  if (urls === undefined) {
    return []
  }
  if (!Array.isArray(urls) || urls.length > 5) {
    throw new EgressInputError(
      field,
      `${field} must list up to 5 rtmp:// or rtmps:// destinations.`,
    )
  }
  for (const url of urls) {
    if (typeof url !== 'string' || !/^rtmps?:\/\/[^\s/]+\/\S+$/.test(url)) {
      throw new EgressInputError(
        field,
        `each of ${field} must be an rtmp:// or rtmps:// URL with a path (got ${typeof url === 'string' ? maskStreamUrl(url) : typeof url}).`,
      )
    }
  }
  return urls as string[]
}
