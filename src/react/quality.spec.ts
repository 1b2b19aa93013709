import { describe, expect, it } from 'vitest'

import { broadcastOptions } from './quality.js'
import { summarizeStats } from './stats.js'

describe('broadcast quality presets', () => {
  it('capture at the preset resolution and publish simulcast with its bitrate and codec', () => {
    const high = broadcastOptions('high')
    expect(high.videoCaptureDefaults.resolution).toEqual({
      width: 1920,
      height: 1080,
      frameRate: 30,
    })
    expect(high.publishDefaults).toMatchObject({
      simulcast: true,
      videoCodec: 'h264',
      videoEncoding: { maxBitrate: 3_000_000, maxFramerate: 30 },
    })
    expect(broadcastOptions('low').publishDefaults.screenShareEncoding.maxBitrate).toBe(1_500_000)
    expect(broadcastOptions('unknown' as never)).toEqual(broadcastOptions('medium'))
  })
})

describe('stats panel', () => {
  it('turns byte counters of all simulcast layers into a bitrate and reports loss, fps and size', () => {
    const first = summarizeStats(
      [
        {
          type: 'outbound-rtp',
          kind: 'video',
          timestamp: 1000,
          bytesSent: 100_000,
          packetsSent: 900,
          framesPerSecond: 30,
          frameWidth: 1280,
          frameHeight: 720,
        },
        {
          type: 'outbound-rtp',
          kind: 'video',
          timestamp: 1000,
          bytesSent: 20_000,
          packetsSent: 100,
          framesPerSecond: 15,
          frameWidth: 320,
          frameHeight: 180,
        },
        { type: 'outbound-rtp', kind: 'audio', timestamp: 1000, bytesSent: 9_999_999 },
        {
          type: 'remote-inbound-rtp',
          kind: 'video',
          timestamp: 1000,
          packetsLost: 10,
          roundTripTime: 0.042,
        },
      ],
      null,
    )
    expect(first).toMatchObject({
      bitrateKbps: null,
      packetLossPercent: 1,
      framesPerSecond: 30,
      resolution: '1280×720',
      roundTripMs: 42,
      bytes: 120_000,
    })
    const second = summarizeStats(
      [
        {
          type: 'outbound-rtp',
          kind: 'video',
          timestamp: 3000,
          bytesSent: 370_000,
          packetsSent: 3000,
        },
      ],
      first,
    )
    expect(second.bitrateKbps).toBe(1000)
    const viewer = summarizeStats(
      [
        {
          type: 'inbound-rtp',
          kind: 'video',
          timestamp: 5,
          bytesReceived: 10,
          packetsReceived: 95,
          packetsLost: 5,
          frameWidth: 640,
          frameHeight: 360,
        },
      ],
      null,
    )
    expect(viewer).toMatchObject({ packetLossPercent: 5, resolution: '640×360' })
  })
})
