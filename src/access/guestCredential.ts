import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

import { derivedKey } from './derivedKey.js'

/**
 * Guests have no login, so their identity (`guest-<id>`) is bound to a credential only that guest
 * was given: `<id>.<signature>`, the signature an HMAC of the id under a key derived from the
 * site's Payload secret. Everyone in a room sees a guest's identity; nobody but the guest holds
 * its credential, so nobody else can ask for a token under that identity (which would make
 * LiveKit disconnect the guest and let the impostor chat under its name).
 */
export interface GuestIdentity {
  identity: string
  guestCredential: string
}

const ID = /^[\w-]{16}$/
const SIGNATURE = /^[\w-]{43}$/

/** A key of its own for guest credentials, so they sign nothing else the secret signs. */
const keyFor = (secret: string) => derivedKey(secret, 'payload-plugin-livekit: guest credential v1')

const signatureOf = (secret: string, id: string) =>
  createHmac('sha256', keyFor(secret)).update(`guest:${id}`).digest()

const withCredential = (secret: string, id: string): GuestIdentity => ({
  identity: `guest-${id}`,
  guestCredential: `${id}.${signatureOf(secret, id).toString('base64url')}`,
})

/** A fresh guest identity and its credential. */
export const newGuest = (secret: string): GuestIdentity =>
  withCredential(secret, randomBytes(12).toString('base64url'))

/** The guest a credential proves, or null when this site did not issue it. */
export function guestOf(secret: string, credential: string): GuestIdentity | null {
  const [id, signature, ...rest] = credential.split('.')
  if (rest.length || !id || !signature || !ID.test(id) || !SIGNATURE.test(signature)) {
    return null
  }
  const given = Buffer.from(signature, 'base64url')
  const expected = signatureOf(secret, id)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return null
  }
  return withCredential(secret, id)
}
