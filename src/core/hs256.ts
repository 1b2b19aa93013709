import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto'

/*
 * HS256 JSON Web Tokens, signed and verified synchronously with a key imported once.
 *
 * Payload's session tokens and LiveKit's join tokens are both HS256 JWTs. The general-purpose
 * libraries import the key and run the MAC through WebCrypto's thread pool on every call, which
 * on the token path cost more than everything else the plugin does for a join. An HMAC is a few
 * microseconds when done in place.
 *
 * Verification checks the signature over the exact bytes first: a token whose MAC holds was made
 * by whoever holds the secret, so what follows only has to refuse what a JWT library refuses
 * (another algorithm, critical extensions (so no unencoded payloads), claims that are not an object,
 * malformed or expired time claims), never to be lenient where it is not.
 */

/** A secret imported once, for {@link signHs256} and {@link verifyHs256}. */
export type Hs256Key = KeyObject

/** The key of a secret given as text (its UTF-8 bytes, as JWT libraries take a string secret). */
export const hs256Key = (secret: string): Hs256Key => createSecretKey(Buffer.from(secret, 'utf8'))

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256' })).toString('base64url')
const BASE64URL = /^[\w-]*$/
const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

const mac = (key: Hs256Key, signingInput: string) =>
  createHmac('sha256', key).update(signingInput).digest()

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** The token of `claims` with the header `{"alg":"HS256"}`. */
export function signHs256(key: Hs256Key, claims: Record<string, unknown>): string {
  const input = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`
  return `${input}.${mac(key, input).toString('base64url')}`
}

/** A token that verified: its protected header and its claims. */
export interface VerifiedHs256 {
  header: Record<string, unknown>
  claims: Record<string, unknown>
}

/**
 * The bytes of a base64url part, read as forgivingly as the web's base64 decoder (padding to a
 * multiple of four allowed, nothing else), or null.
 */
function bytesOf(part: string): Buffer | null {
  const unpadded = part.length % 4 === 0 ? part.replace(/={1,2}$/, '') : part
  return BASE64URL.test(unpadded) && unpadded.length % 4 !== 1
    ? Buffer.from(unpadded, 'base64url')
    : null
}

function decodeJson(part: string): unknown {
  const bytes = bytesOf(part)
  if (!bytes) {
    return undefined
  }
  try {
    return JSON.parse(strictUtf8.decode(bytes))
  } catch {
    return undefined
  }
}

/** A numeric-date claim: absent, or a number; anything else makes the token invalid. */
const badDate = (value: unknown) => value !== undefined && typeof value !== 'number'

/**
 * The header and claims of `token` when its HS256 signature is right, it is not expired (`exp`)
 * and already valid (`nbf`) at `nowSeconds`; null otherwise.
 */
export function verifyHs256(
  key: Hs256Key,
  token: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): null | VerifiedHs256 {
  const parts = token.split('.')
  if (parts.length !== 3) {
    return null
  }
  const [headerPart, claimsPart, signaturePart] = parts
  const signature = bytesOf(signaturePart)
  const expected = mac(key, `${headerPart}.${claimsPart}`)
  if (!signature || signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
    return null
  }
  const header = decodeJson(headerPart)
  if (!isObject(header) || header.alg !== 'HS256' || 'crit' in header) {
    return null
  }
  const claims = decodeJson(claimsPart)
  if (!isObject(claims) || badDate(claims.iat) || badDate(claims.nbf) || badDate(claims.exp)) {
    return null
  }
  if (typeof claims.nbf === 'number' && claims.nbf > nowSeconds) {
    return null
  }
  if (typeof claims.exp === 'number' && claims.exp <= nowSeconds) {
    return null
  }
  return { header, claims }
}
