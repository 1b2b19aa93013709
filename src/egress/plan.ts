/**
 * What an egress request asks LiveKit for, as plain data (the adapter turns it into the SDK's
 * request). Pure, so every kind's request is checked by unit tests.
 */

/** Layouts of LiveKit's room composite template (seed 002's speaker / grid / custom). */
export const LAYOUTS = ['speaker', 'grid', 'single-speaker'] as const
export type Layout = (typeof LAYOUTS)[number]

/** Quality names mapped to LiveKit's encoding presets. */
export const QUALITIES = { low: 'H264_720P_30', medium: 'H264_1080P_30', high: 'H264_1080P_60' } as const
export type Quality = keyof typeof QUALITIES

/** Where files go. Credentials stay on the server; they are sent to LiveKit only. */
export type StorageConfig =
  | { s3: { bucket: string; region?: string; endpoint?: string; forcePathStyle?: boolean; accessKey?: string; secret?: string } }
  | { gcs: { bucket: string; credentials?: string } }
  | { azure: { accountName: string; accountKey: string; container: string } }

export interface EgressPlan {
  kind: 'recording' | 'hls' | 'rtmp'
  roomName: string
  layout: Layout
  preset: (typeof QUALITIES)[Quality]
  audioOnly: boolean
  file?: { filepath: string; storage?: StorageConfig }
  segments?: { prefix: string; playlist: string; storage?: StorageConfig }
  stream?: { urls: string[] }
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
export function fillPath(template: string, values: { room: string; stream: string | number; appointment: string | number | null; now: Date }): string {
  const time = values.now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
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
  context: { roomName: string; streamId: string | number; appointmentId: string | number | null; now: Date },
  config: { storage?: StorageConfig; filePath: string; hlsPath: string },
): EgressPlan {
  const kind = body.kind
  if (kind !== 'recording' && kind !== 'hls' && kind !== 'rtmp') {
    throw new EgressInputError('kind', "kind must be 'recording', 'hls' or 'rtmp'.")
  }
  const layout = (body.layout ?? 'speaker') as Layout
  if (!(LAYOUTS as readonly string[]).includes(layout)) throw new EgressInputError('layout', `layout must be one of: ${LAYOUTS.join(', ')}.`)
  const quality = (body.quality ?? 'medium') as Quality
  if (!(quality in QUALITIES)) throw new EgressInputError('quality', 'quality must be low, medium or high.')
  if (body.audioOnly !== undefined && typeof body.audioOnly !== 'boolean') throw new EgressInputError('audioOnly', 'audioOnly must be true or false.')
  const values = { room: context.roomName, stream: context.streamId, appointment: context.appointmentId, now: context.now }
  const plan: EgressPlan = { kind, roomName: context.roomName, layout, preset: QUALITIES[quality], audioOnly: body.audioOnly === true }
  if (kind === 'recording') plan.file = { filepath: fillPath(config.filePath, values), storage: config.storage }
  if (kind === 'hls') {
    const prefix = fillPath(config.hlsPath, values)
    plan.segments = { prefix, playlist: `${prefix}/index.m3u8`, storage: config.storage }
  }
  if (kind === 'rtmp') {
    const urls = body.urls
    if (!Array.isArray(urls) || urls.length === 0 || urls.length > 5) throw new EgressInputError('urls', 'urls must list 1 to 5 rtmp:// or rtmps:// destinations.')
    for (const url of urls) {
      if (typeof url !== 'string' || !/^rtmps?:\/\/[^\s/]+\/\S+$/.test(url)) {
        throw new EgressInputError('urls', `each destination must be an rtmp:// or rtmps:// URL with a path (got ${typeof url === 'string' ? maskStreamUrl(url) : typeof url}).`)
      }
    }
    plan.stream = { urls: urls as string[] }
  }
  return plan
}
