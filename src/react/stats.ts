/** One WebRTC stats entry, as far as the stats panel reads it. */
export interface StatsEntry {
  type: string
  timestamp: number
  kind?: string
  bytesSent?: number
  bytesReceived?: number
  packetsSent?: number
  packetsReceived?: number
  packetsLost?: number
  framesPerSecond?: number
  frameWidth?: number
  frameHeight?: number
  roundTripTime?: number
}

/** What the stats panel shows. */
export interface StatsSummary {
  /** Kilobits per second since the previous sample (null on the first). */
  bitrateKbps: null | number
  /** Share of packets lost, 0..100. */
  packetLossPercent: number
  framesPerSecond: null | number
  resolution: null | string
  roundTripMs: null | number
  /** Totals to compare the next sample against. */
  bytes: number
  at: number
}

/**
 * Sums a sender's or receiver's video stats (all simulcast layers) and turns byte counters into a
 * bitrate against the previous sample. Pure: fed by `getRTCStatsReport()` every few seconds.
 */
export function summarizeStats(
  entries: Iterable<StatsEntry>,
  previous: null | StatsSummary,
): StatsSummary {
  let bytes = 0
  let sent = 0
  let received = 0
  let lost = 0
  let remoteLost = 0
  let fps: null | number = null
  let width = 0
  let height = 0
  let rtt: null | number = null
  let at = 0
  for (const e of entries) {
    at = Math.max(at, e.timestamp)
    if (e.type === 'outbound-rtp' && e.kind !== 'audio') {
      bytes += e.bytesSent ?? 0
      sent += e.packetsSent ?? 0
      if (e.framesPerSecond !== undefined) {
        fps = Math.max(fps ?? 0, e.framesPerSecond)
      }
      if ((e.frameWidth ?? 0) * (e.frameHeight ?? 0) > width * height) {
        width = e.frameWidth ?? 0
        height = e.frameHeight ?? 0
      }
    } else if (e.type === 'inbound-rtp' && e.kind !== 'audio') {
      bytes += e.bytesReceived ?? 0
      received += e.packetsReceived ?? 0
      lost += e.packetsLost ?? 0
      if (e.framesPerSecond !== undefined) {
        fps = e.framesPerSecond
      }
      if (e.frameWidth) {
        width = e.frameWidth
        height = e.frameHeight ?? 0
      }
    } else if (e.type === 'remote-inbound-rtp' && e.kind !== 'audio') {
      remoteLost += e.packetsLost ?? 0
      if (e.roundTripTime !== undefined) {
        rtt = Math.round(e.roundTripTime * 1000)
      }
    }
  }
  const seconds = previous ? (at - previous.at) / 1000 : 0
  const bitrateKbps =
    previous && seconds > 0 && bytes >= previous.bytes
      ? Math.round(((bytes - previous.bytes) * 8) / 1000 / seconds)
      : null
  const totalLost = lost + remoteLost
  const expected = received + lost + sent
  return {
    bitrateKbps,
    packetLossPercent: expected > 0 ? Math.round((totalLost / expected) * 1000) / 10 : 0,
    framesPerSecond: fps === null ? null : Math.round(fps),
    resolution: width && height ? `${width}×${height}` : null,
    roundTripMs: rtt,
    bytes,
    at,
  }
}
