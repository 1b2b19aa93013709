import { createHash, createHmac, createSign } from 'node:crypto'

import type { StorageConfig } from '../core/egressPlan.js'

/** A replay address and until when it works (null: it does not expire). */
export interface PlaybackUrl {
  url: string
  expiresAt: null | string
}

/** RFC 3986 encoding, as AWS's canonical requests want it. */
const encode = (value: string) =>
  encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
const encodePath = (key: string) => key.split('/').map(encode).join('/')
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest()
const sha256 = (data: string) => createHash('sha256').update(data).digest('hex')

/** Where an object of an S3 (or S3-compatible) bucket is served from. */
function s3Location(s3: Extract<StorageConfig, { s3: unknown }>['s3'], key: string): URL {
  const region = s3.region || 'us-east-1'
  if (s3.endpoint) {
    const endpoint = new URL(s3.endpoint)
    if (s3.forcePathStyle) {
      return new URL(`${endpoint.origin}/${encode(s3.bucket)}/${encodePath(key)}`)
    }
    return new URL(`${endpoint.protocol}//${s3.bucket}.${endpoint.host}/${encodePath(key)}`)
  }
  const host =
    region === 'us-east-1'
      ? `${s3.bucket}.s3.amazonaws.com`
      : `${s3.bucket}.s3.${region}.amazonaws.com`
  return new URL(`https://${host}/${encodePath(key)}`)
}

/**
 * A presigned GET URL (AWS Signature Version 4, query string), valid `ttlSeconds` from `now`.
 * S3-compatible stores (MinIO, R2, GCS interoperability keys) accept the same signature.
 */
export function presignS3(
  s3: Extract<StorageConfig, { s3: unknown }>['s3'],
  key: string,
  ttlSeconds: number,
  now: Date,
): PlaybackUrl {
  const location = s3Location(s3, key)
  if (!s3.accessKey || !s3.secret) {
    return { url: location.toString(), expiresAt: null }
  }
  const region = s3.region || 'us-east-1'
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
  const day = amzDate.slice(0, 8)
  const scope = `${day}/${region}/s3/aws4_request`
  const query: Array<[string, string]> = [
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', `${s3.accessKey}/${scope}`],
    ['X-Amz-Date', amzDate],
    ['X-Amz-Expires', String(ttlSeconds)],
    ['X-Amz-SignedHeaders', 'host'],
  ]
  const canonicalQuery = query
    .map(([k, v]) => `${encode(k)}=${encode(v)}`)
    .sort()
    .join('&')
  const canonicalRequest = [
    'GET',
    location.pathname,
    canonicalQuery,
    `host:${location.host}`,
    '',
    'host',
    'UNSIGNED-PAYLOAD',
  ].join('\n')
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n')
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${s3.secret}`, day), region), 's3'), 'aws4_request')
  const signature = createHmac('sha256', signingKey).update(stringToSign).digest('hex')
  return {
    url: `${location.origin}${location.pathname}?${canonicalQuery}&X-Amz-Signature=${signature}`,
    expiresAt: new Date(now.getTime() + ttlSeconds * 1000).toISOString(),
  }
}

const isoSeconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z')

/**
 * An Azure Blob service SAS (read, HTTPS only), signed with the account key: the string-to-sign of
 * service versions 2020-12-06 and later (with the encryption-scope line).
 */
export function presignAzure(
  azure: Extract<StorageConfig, { azure: unknown }>['azure'],
  key: string,
  ttlSeconds: number,
  now: Date,
): PlaybackUrl {
  const version = '2022-11-02'
  const expiry = isoSeconds(new Date(now.getTime() + ttlSeconds * 1000))
  const resource = `/blob/${azure.accountName}/${azure.container}/${key}`
  // permissions, start, expiry, resource, identifier, IP, protocol, version, resource type,
  // snapshot time, encryption scope, then the five response-header overrides.
  const stringToSign = [
    'r',
    '',
    expiry,
    resource,
    '',
    '',
    'https',
    version,
    'b',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
  ].join('\n')
  const signature = createHmac('sha256', Buffer.from(azure.accountKey, 'base64'))
    .update(stringToSign, 'utf8')
    .digest('base64')
  const query = new URLSearchParams({
    sv: version,
    spr: 'https',
    se: expiry,
    sr: 'b',
    sp: 'r',
    sig: signature,
  })
  return {
    url: `https://${azure.accountName}.blob.core.windows.net/${encode(azure.container)}/${encodePath(key)}?${query}`,
    expiresAt: new Date(now.getTime() + ttlSeconds * 1000).toISOString(),
  }
}

/**
 * A Google Cloud Storage V4 signed URL (GOOG4-RSA-SHA256), signed with the service account's
 * private key from `credentials` (its JSON key file). Without credentials, the public address.
 */
export function presignGcs(
  gcs: Extract<StorageConfig, { gcs: unknown }>['gcs'],
  key: string,
  ttlSeconds: number,
  now: Date,
): PlaybackUrl {
  const path = `/${encode(gcs.bucket)}/${encodePath(key)}`
  let account: { client_email?: string; private_key?: string } = {}
  try {
    account = gcs.credentials ? (JSON.parse(gcs.credentials) as typeof account) : {}
  } catch {
    account = {}
  }
  if (!account.client_email || !account.private_key) {
    return { url: `https://storage.googleapis.com${path}`, expiresAt: null }
  }
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
  const scope = `${stamp.slice(0, 8)}/auto/storage/goog4_request`
  const canonicalQuery = [
    ['X-Goog-Algorithm', 'GOOG4-RSA-SHA256'],
    ['X-Goog-Credential', `${account.client_email}/${scope}`],
    ['X-Goog-Date', stamp],
    ['X-Goog-Expires', String(Math.min(ttlSeconds, 604800))],
    ['X-Goog-SignedHeaders', 'host'],
  ]
    .map(([k, v]) => `${encode(k)}=${encode(v)}`)
    .sort()
    .join('&')
  const canonicalRequest = [
    'GET',
    path,
    canonicalQuery,
    'host:storage.googleapis.com',
    '',
    'host',
    'UNSIGNED-PAYLOAD',
  ].join('\n')
  const stringToSign = ['GOOG4-RSA-SHA256', stamp, scope, sha256(canonicalRequest)].join('\n')
  const signature = createSign('RSA-SHA256').update(stringToSign).sign(account.private_key, 'hex')
  return {
    url: `https://storage.googleapis.com${path}?${canonicalQuery}&X-Goog-Signature=${signature}`,
    expiresAt: new Date(now.getTime() + Math.min(ttlSeconds, 604800) * 1000).toISOString(),
  }
}

/**
 * The address a viewer plays a finished recording from: `baseUrl + key` when the site serves its
 * recordings publicly (a CDN), else a URL signed for the storage (S3 and S3-compatible, Azure,
 * GCS) with its credentials, else the location LiveKit's egress reported.
 */
export function playbackUrlFor(
  recording: { objectKey?: null | string; location?: null | string },
  config: { storage?: StorageConfig; playbackBaseUrl?: string; playbackUrlTtlSeconds: number },
  now: Date,
): null | PlaybackUrl {
  const key = recording.objectKey?.replace(/^\/+/, '')
  if (key && config.playbackBaseUrl) {
    return {
      url: `${config.playbackBaseUrl.replace(/\/+$/, '')}/${encodePath(key)}`,
      expiresAt: null,
    }
  }
  if (key && config.storage && 's3' in config.storage) {
    return presignS3(config.storage.s3, key, config.playbackUrlTtlSeconds, now)
  }
  if (key && config.storage && 'azure' in config.storage) {
    return presignAzure(config.storage.azure, key, config.playbackUrlTtlSeconds, now)
  }
  if (key && config.storage && 'gcs' in config.storage) {
    return presignGcs(config.storage.gcs, key, config.playbackUrlTtlSeconds, now)
  }
  return recording.location ? { url: recording.location, expiresAt: null } : null
}
