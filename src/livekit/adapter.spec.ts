import {
  AccessToken,
  EncodedFileType,
  StreamProtocol,
  TokenVerifier,
  TrackSource,
} from 'livekit-server-sdk'
import { describe, expect, it } from 'vitest'

import { planEgress } from '../core/egressPlan.js'
import { permissionFor, type Role, ROLES } from '../core/roles.js'
import { encodedOutputs, LivekitAdapter } from './adapter.js'

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

describe('join tokens', () => {
  const connection = {
    url: 'ws://127.0.0.1:7880',
    apiUrl: 'http://127.0.0.1:7880',
    apiKey: 'devkey',
    apiSecret: 'a-secret-of-at-least-thirty-two-characters',
    requestTimeoutMs: 1000,
  }
  const input = (role: Role) => ({
    roomName: 'acme-7-x1',
    identity: 'user-8',
    name: 'Ada',
    attributes: { role },
    grants: permissionFor(role),
    ttlSeconds: 900,
  })
  /** The token the SDK builds for the same grants: what LiveKit documents a join token to hold. */
  async function bySdk(i: ReturnType<typeof input>) {
    const at = new AccessToken(connection.apiKey, connection.apiSecret, {
      identity: i.identity,
      name: i.name,
      attributes: i.attributes,
      ttl: i.ttlSeconds,
    })
    at.addGrant({
      room: i.roomName,
      roomJoin: true,
      canSubscribe: i.grants.canSubscribe,
      canPublish: i.grants.canPublish,
      canPublishData: i.grants.canPublishData,
      canPublishSources: i.grants.canPublishSources.map(
        (s) =>
          ({
            camera: TrackSource.CAMERA,
            microphone: TrackSource.MICROPHONE,
            screen_share: TrackSource.SCREEN_SHARE,
            screen_share_audio: TrackSource.SCREEN_SHARE_AUDIO,
          })[s],
      ),
      canUpdateOwnMetadata: false,
      hidden: i.grants.hidden,
    })
    return at.toJwt()
  }

  it.each([...ROLES])(
    'hold what the SDK would sign for a %s, and verify with the API secret',
    async (role) => {
      const adapter = new LivekitAdapter(connection)
      const minted = await adapter.mintToken(input(role))
      const verifier = new TokenVerifier(connection.apiKey, connection.apiSecret)
      const ours = await verifier.verify(minted.token)
      const theirs = await verifier.verify(await bySdk(input(role)))
      const untimed = ({ exp, nbf, ...rest }: Record<string, unknown>) => {
        expect(typeof exp).toBe('number')
        expect(typeof nbf).toBe('number')
        return rest
      }
      expect(untimed(ours)).toEqual(untimed(theirs))
      expect(Number(ours.exp) - Number(ours.nbf)).toBe(900)
      expect(minted.expiresAt.getTime()).toBe(Number(ours.exp) * 1000)
      await expect(
        new TokenVerifier(connection.apiKey, 'another-secret-of-thirty-two-chars!').verify(
          minted.token,
        ),
      ).rejects.toThrow()
    },
  )
})
