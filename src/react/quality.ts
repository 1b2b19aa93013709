/**
 * Broadcast quality presets (livekit-client's `publishDefaults` per preset): capture resolution and frame rate,
 * the top simulcast layer's bitrate and the codec. Pure data, so the choice is unit-tested. Their
 * names on screen are the kit's messages (`broadcastQuality-<preset>`), in the viewer's language.
 */
export const BROADCAST_QUALITIES = {
  low: {
    width: 640,
    height: 360,
    frameRate: 24,
    maxBitrate: 600_000,
    codec: 'vp8',
  },
  medium: {
    width: 1280,
    height: 720,
    frameRate: 30,
    maxBitrate: 1_700_000,
    codec: 'vp8',
  },
  high: {
    width: 1920,
    height: 1080,
    frameRate: 30,
    maxBitrate: 3_000_000,
    codec: 'h264',
  },
} as const

export type BroadcastQuality = keyof typeof BROADCAST_QUALITIES

/** What livekit-client's RoomOptions get for a preset: capture defaults and publish defaults. */
export interface BroadcastRoomOptions {
  adaptiveStream: boolean
  dynacast: boolean
  videoCaptureDefaults: { resolution: { width: number; height: number; frameRate: number } }
  publishDefaults: {
    simulcast: boolean
    videoCodec: 'h264' | 'vp8'
    videoEncoding: { maxBitrate: number; maxFramerate: number }
    screenShareEncoding: { maxBitrate: number; maxFramerate: number }
    dtx: boolean
    red: boolean
  }
}

/**
 * Room options for a broadcaster: simulcast on (viewers on weak links get a lower layer), dynacast
 * (layers nobody watches are paused), screen share at a steady 15 fps with more bits for text.
 */
export function broadcastOptions(quality: BroadcastQuality): BroadcastRoomOptions {
  const preset = BROADCAST_QUALITIES[quality] ?? BROADCAST_QUALITIES.medium
  return {
    adaptiveStream: true,
    dynacast: true,
    videoCaptureDefaults: {
      resolution: { width: preset.width, height: preset.height, frameRate: preset.frameRate },
    },
    publishDefaults: {
      simulcast: true,
      videoCodec: preset.codec,
      videoEncoding: { maxBitrate: preset.maxBitrate, maxFramerate: preset.frameRate },
      screenShareEncoding: { maxBitrate: Math.max(preset.maxBitrate, 1_500_000), maxFramerate: 15 },
      dtx: true,
      red: true,
    },
  }
}

/** Viewer-side quality choice: `auto` lets adaptive streaming pick the simulcast layer. */
export const VIEWER_QUALITIES = ['auto', 'high', 'medium', 'low'] as const
export type ViewerQuality = (typeof VIEWER_QUALITIES)[number]
