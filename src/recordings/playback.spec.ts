import { createHash, createHmac, createVerify, generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'

import { playbackUrlFor, presignAzure, presignGcs, presignS3 } from './playback.js'

describe('replay URLs', () => {
  it('presign S3 exactly as AWS documents it (the example of "Authenticating Requests: Using Query Parameters")', () => {
    const signed = presignS3(
      {
        bucket: 'examplebucket',
        region: 'us-east-1',
        accessKey: 'AKIAIOSFODNN7EXAMPLE',
        secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      },
      'test.txt',
      86400,
      new Date('2013-05-24T00:00:00Z'),
    )
    const url = new URL(signed.url)
    expect(url.origin + url.pathname).toBe('https://examplebucket.s3.amazonaws.com/test.txt')
    expect(url.searchParams.get('X-Amz-Credential')).toBe(
      'AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request',
    )
    expect(url.searchParams.get('X-Amz-Signature')).toBe(
      'aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
    )
    expect(signed.expiresAt).toBe('2013-05-25T00:00:00.000Z')
  })

  it('address S3-compatible stores path-style and encode keys', () => {
    const signed = presignS3(
      {
        bucket: 'rec',
        endpoint: 'http://minio.local:9000',
        forcePathStyle: true,
        accessKey: 'k',
        secret: 's',
      },
      'recordings/room a/1.mp4',
      60,
      new Date(),
    )
    expect(signed.url).toMatch(
      /^http:\/\/minio\.local:9000\/rec\/recordings\/room%20a\/1\.mp4\?X-Amz-Algorithm=AWS4-HMAC-SHA256&/,
    )
    // Without credentials (egress uses its own), nothing can be signed: the plain location.
    expect(presignS3({ bucket: 'rec', region: 'eu-west-1' }, 'a.mp4', 60, new Date())).toEqual({
      url: 'https://rec.s3.eu-west-1.amazonaws.com/a.mp4',
      expiresAt: null,
    })
  })

  it('prefer the site public base URL, then signing, then the location egress reported', () => {
    const now = new Date('2026-11-25T00:00:00Z')
    expect(
      playbackUrlFor(
        { objectKey: 'r/1.mp4' },
        { playbackBaseUrl: 'https://cdn.example/', playbackUrlTtlSeconds: 60 },
        now,
      ),
    ).toEqual({ url: 'https://cdn.example/r/1.mp4', expiresAt: null })
    expect(
      playbackUrlFor(
        { objectKey: 'r/1.mp4' },
        {
          storage: { s3: { bucket: 'b', accessKey: 'k', secret: 's' } },
          playbackUrlTtlSeconds: 600,
        },
        now,
      )?.expiresAt,
    ).toBe('2026-11-25T00:10:00.000Z')
    expect(
      playbackUrlFor(
        { location: 'https://x.blob.core.windows.net/c/r/1.mp4' },
        {
          storage: { azure: { accountName: 'x', accountKey: 'a2V5', container: 'c' } },
          playbackUrlTtlSeconds: 60,
        },
        now,
      ),
    ).toEqual({ url: 'https://x.blob.core.windows.net/c/r/1.mp4', expiresAt: null })
    expect(playbackUrlFor({}, { playbackUrlTtlSeconds: 60 }, now)).toBeNull()
  })

  it('sign Azure blobs with a read-only, HTTPS-only service SAS from the account key', () => {
    const accountKey = Buffer.from('azure-account-key-for-tests').toString('base64')
    const signed = presignAzure(
      { accountName: 'acct', accountKey, container: 'replays' },
      'recordings/r 1/final.mp4',
      600,
      new Date('2026-11-25T10:00:00.456Z'),
    )
    const url = new URL(signed.url)
    expect(url.origin + url.pathname).toBe(
      'https://acct.blob.core.windows.net/replays/recordings/r%201/final.mp4',
    )
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      sv: '2022-11-02',
      spr: 'https',
      se: '2026-11-25T10:10:00Z',
      sr: 'b',
      sp: 'r',
    })
    const expected = createHmac('sha256', Buffer.from(accountKey, 'base64'))
      .update(
        [
          'r',
          '',
          '2026-11-25T10:10:00Z',
          '/blob/acct/replays/recordings/r 1/final.mp4',
          '',
          '',
          'https',
          '2022-11-02',
          'b',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
        ].join('\n'),
      )
      .digest('base64')
    expect(url.searchParams.get('sig')).toBe(expected)
  })

  it('sign GCS objects with V4 signing and the service account key; the signature verifies with its public key', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const credentials = JSON.stringify({
      client_email: 'rec@proj.iam.gserviceaccount.com',
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
    })
    const now = new Date('2026-11-25T10:00:00Z')
    const signed = presignGcs({ bucket: 'replays', credentials }, 'recordings/a.mp4', 900, now)
    const url = new URL(signed.url)
    expect(url.origin + url.pathname).toBe(
      'https://storage.googleapis.com/replays/recordings/a.mp4',
    )
    expect(url.searchParams.get('X-Goog-Credential')).toBe(
      'rec@proj.iam.gserviceaccount.com/20261125/auto/storage/goog4_request',
    )
    expect(url.searchParams.get('X-Goog-Expires')).toBe('900')
    const query = signed.url.slice(
      signed.url.indexOf('?') + 1,
      signed.url.indexOf('&X-Goog-Signature='),
    )
    const canonical = [
      'GET',
      '/replays/recordings/a.mp4',
      query,
      'host:storage.googleapis.com',
      '',
      'host',
      'UNSIGNED-PAYLOAD',
    ].join('\n')
    const stringToSign = [
      'GOOG4-RSA-SHA256',
      '20261125T100000Z',
      '20261125/auto/storage/goog4_request',
      createHash('sha256').update(canonical).digest('hex'),
    ].join('\n')
    expect(
      createVerify('RSA-SHA256')
        .update(stringToSign)
        .verify(publicKey, url.searchParams.get('X-Goog-Signature')!, 'hex'),
    ).toBe(true)
    expect(presignGcs({ bucket: 'replays' }, 'a.mp4', 60, now)).toEqual({
      url: 'https://storage.googleapis.com/replays/a.mp4',
      expiresAt: null,
    })
  })
})
