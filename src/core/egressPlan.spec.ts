import { describe, expect, it } from 'vitest'

import {
  checkStreamUrls,
  fillPath,
  maskStreamUrl,
  pickCompositeTracks,
  planEgress,
} from './egressPlan.js'

const context = {
  roomName: 'acme-7-0badc0de',
  streamId: 3,
  appointmentId: 7,
  now: new Date('2026-11-25T22:15:00.123Z'),
}
const config = {
  filePath: 'recordings/{room}/{time}.mp4',
  hlsPath: 'hls/{room}/{time}',
  storage: { s3: { bucket: 'b', endpoint: 'https://minio.local', forcePathStyle: true } },
}

describe('egress requests', () => {
  it('a recording is a room composite to MP4 at the template path, with layout and preset', () => {
    expect(
      planEgress({ kind: 'recording', layout: 'grid', quality: 'high' }, context, config),
    ).toEqual({
      kind: 'recording',
      roomName: 'acme-7-0badc0de',
      layout: 'grid',
      preset: 'H264_1080P_60',
      audioOnly: false,
      file: {
        filepath: 'recordings/acme-7-0badc0de/20261125T221500Z.mp4',
        storage: config.storage,
      },
    })
    expect(planEgress({ kind: 'recording', audioOnly: true }, context, config)).toMatchObject({
      layout: 'speaker',
      preset: 'H264_1080P_30',
      audioOnly: true,
    })
  })

  it('HLS writes segments and a playlist under the template prefix', () => {
    expect(planEgress({ kind: 'hls', quality: 'low' }, context, config).segments).toEqual({
      prefix: 'hls/acme-7-0badc0de/20261125T221500Z',
      playlist: 'hls/acme-7-0badc0de/20261125T221500Z/index.m3u8',
      storage: config.storage,
    })
  })

  it('RTMP takes 1 to 5 rtmp(s) destinations', () => {
    const urls = [
      'rtmp://a.rtmp.youtube.com/live2/abcd-efgh',
      'rtmps://live.twitch.tv/app/live_123',
    ]
    expect(planEgress({ kind: 'rtmp', urls }, context, config).stream).toEqual({ urls })
  })

  it('web egress opens the overlay page of this stream and records it (or streams it when given destinations)', () => {
    const overlay = { ...config, overlayUrl: 'https://site.example/streams/{stream}/overlay' }
    expect(planEgress({ kind: 'web' }, context, overlay)).toMatchObject({
      kind: 'web',
      web: { url: 'https://site.example/streams/3/overlay' },
      file: { filepath: 'recordings/acme-7-0badc0de/20261125T221500Z.mp4' },
    })
    const streamed = planEgress(
      { kind: 'web', urls: ['rtmp://a.example/live/k'] },
      context,
      overlay,
    )
    expect(streamed).toMatchObject({ stream: { urls: ['rtmp://a.example/live/k'] } })
    expect(streamed.file).toBeUndefined()
    expect(() => planEgress({ kind: 'web' }, context, config)).toThrow(/overlayUrl/)
  })

  it('track composite records one participant, the host unless told otherwise', () => {
    expect(
      planEgress({ kind: 'track-composite' }, { ...context, hostIdentity: 'user-9' }, config),
    ).toMatchObject({ participant: { identity: 'user-9' }, file: {} })
    expect(
      planEgress(
        { kind: 'track-composite', identity: 'user-12' },
        { ...context, hostIdentity: 'user-9' },
        config,
      ).participant,
    ).toEqual({ identity: 'user-12' })
    expect(() => planEgress({ kind: 'track-composite', identity: 'x y' }, context, config)).toThrow(
      expect.objectContaining({ field: 'identity' }),
    )
  })

  it('track composite takes the screen share over the camera, and the microphone', () => {
    const camera = { sid: 'TR_cam', kind: 'video' as const, source: 'camera' }
    const screen = { sid: 'TR_scr', kind: 'video' as const, source: 'screen_share' }
    const mic = { sid: 'TR_mic', kind: 'audio' as const, source: 'microphone' }
    const screenAudio = { sid: 'TR_sa', kind: 'audio' as const, source: 'screen_share_audio' }
    expect(pickCompositeTracks([camera, screenAudio, mic, screen])).toEqual({
      videoTrackId: 'TR_scr',
      audioTrackId: 'TR_mic',
    })
    expect(pickCompositeTracks([camera])).toEqual({ videoTrackId: 'TR_cam' })
    expect(pickCompositeTracks([])).toEqual({})
  })

  it('destinations added or removed while live are checked like new ones', () => {
    expect(checkStreamUrls('addUrls', undefined)).toEqual([])
    expect(checkStreamUrls('addUrls', ['rtmps://x.example/app/k'])).toEqual([
      'rtmps://x.example/app/k',
    ])
    expect(() => checkStreamUrls('removeUrls', ['ftp://x/y'])).toThrow(
      expect.objectContaining({ field: 'removeUrls' }),
    )
    expect(() => checkStreamUrls('addUrls', 'rtmp://x/y')).toThrow(
      expect.objectContaining({ field: 'addUrls' }),
    )
  })

  it.each<[Record<string, unknown>, string]>([
    [{ kind: 'tape' }, 'kind'],
    [{ kind: 'recording', layout: 'mosaic' }, 'layout'],
    [{ kind: 'recording', quality: 'ultra' }, 'quality'],
    [{ kind: 'recording', audioOnly: 'yes' }, 'audioOnly'],
    [{ kind: 'rtmp', urls: [] }, 'urls'],
    [{ kind: 'rtmp', urls: ['https://example.com/live/key'] }, 'urls'],
    ...['__proto__', 'constructor', 'toString', 'hasOwnProperty'].flatMap((name) => [
      [{ kind: 'recording', quality: name }, 'quality'] as [Record<string, unknown>, string],
      [{ kind: 'recording', layout: name }, 'layout'] as [Record<string, unknown>, string],
    ]),
    [{ kind: 'recording', quality: ['low'] }, 'quality'],
  ])('refuses %j naming %s', (body, field) => {
    expect(() => planEgress(body, context, config)).toThrow(expect.objectContaining({ field }))
  })

  it('never repeats a stream key in an error or a stored destination', () => {
    expect(maskStreamUrl('rtmp://a.rtmp.youtube.com/live2/secret-key-123')).toBe(
      'rtmp://a.rtmp.youtube.com/live2/••••',
    )
    let message = ''
    try {
      planEgress({ kind: 'rtmp', urls: ['http://x.example/live/secret-key-123'] }, context, config)
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toContain('rtmp://')
    expect(message).not.toContain('secret-key-123')
  })

  it('fills room, stream, appointment and time', () => {
    expect(
      fillPath('{stream}/{appointment}/{room}-{time}-{unknown}', {
        room: context.roomName,
        stream: 3,
        appointment: 7,
        now: context.now,
      }),
    ).toBe('3/7/acme-7-0badc0de-20261125T221500Z-{unknown}')
  })
})
