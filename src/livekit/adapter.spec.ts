import { EncodedFileType, StreamProtocol } from 'livekit-server-sdk'
import { describe, expect, it } from 'vitest'

import { planEgress } from '../core/egressPlan.js'
import { encodedOutputs } from './adapter.js'

const context = {
  roomName: 'acme-7',
  streamId: 7,
  appointmentId: 3,
  now: new Date('2026-11-25T10:00:00Z'),
  hostIdentity: 'user-1',
}
const paths = { filePath: 'recordings/{room}/{time}.mp4', hlsPath: 'hls/{room}/{time}' }

describe('the egress requests sent to LiveKit', () => {
  it('MP4 to S3-compatible storage with path-style addressing', () => {
    const outputs = encodedOutputs(
      planEgress({ kind: 'recording' }, context, {
        ...paths,
        storage: {
          s3: {
            bucket: 'rec',
            endpoint: 'https://minio.example',
            forcePathStyle: true,
            accessKey: 'a',
            secret: 's',
          },
        },
      }),
    )
    expect(outputs.file).toMatchObject({
      fileType: EncodedFileType.MP4,
      filepath: 'recordings/acme-7/20261125T100000Z.mp4',
      output: {
        case: 's3',
        value: { bucket: 'rec', endpoint: 'https://minio.example', forcePathStyle: true },
      },
    })
    expect(outputs.segments).toBeUndefined()
  })

  it('HLS segments of 6 s with a playlist, to GCS', () => {
    const outputs = encodedOutputs(
      planEgress({ kind: 'hls' }, context, {
        ...paths,
        storage: { gcs: { bucket: 'g', credentials: '{}' } },
      }),
    )
    expect(outputs.segments).toMatchObject({
      filenamePrefix: 'hls/acme-7/20261125T100000Z',
      playlistName: 'hls/acme-7/20261125T100000Z/index.m3u8',
      segmentDuration: 6,
      output: { case: 'gcp', value: { bucket: 'g' } },
    })
  })

  it('RTMP streams, and web / track composite to Azure', () => {
    expect(
      encodedOutputs(
        planEgress({ kind: 'rtmp', urls: ['rtmp://x.example/live/k'] }, context, paths),
      ).stream,
    ).toMatchObject({ protocol: StreamProtocol.RTMP, urls: ['rtmp://x.example/live/k'] })
    const azure = { azure: { accountName: 'acct', accountKey: 'key', container: 'c' } }
    const web = encodedOutputs(
      planEgress({ kind: 'web' }, context, {
        ...paths,
        storage: azure,
        overlayUrl: 'https://site.example/streams/{stream}/overlay',
      }),
    )
    expect(web.file).toMatchObject({
      output: { case: 'azure', value: { accountName: 'acct', containerName: 'c' } },
    })
    expect(
      encodedOutputs(planEgress({ kind: 'track-composite' }, context, paths)).file,
    ).toMatchObject({ filepath: 'recordings/acme-7/20261125T100000Z.mp4' })
  })
})
