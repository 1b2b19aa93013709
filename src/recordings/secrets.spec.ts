import fc from 'fast-check'
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'

import {
  decryptSecret,
  encryptSecret,
  isEncrypted,
  parseKey,
  UnreadableSecretError,
} from './secrets.js'

const key = randomBytes(32)

describe('stream keys at rest', () => {
  it('round-trip, never contain the plain key, and differ each time (random IV)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), (plain) => {
        const a = encryptSecret(plain, key)
        const b = encryptSecret(plain, key)
        return (
          isEncrypted(a) &&
          a !== b &&
          decryptSecret(a, key) === plain &&
          (plain.length < 4 || !a.includes(plain))
        )
      }),
    )
  })

  it('refuse a tampered value or the wrong key', () => {
    const stored = encryptSecret('live_123_secret', key)
    const tampered = stored.slice(0, -2) + (stored.endsWith('A') ? 'BB' : 'AA')
    expect(() => decryptSecret(tampered, key)).toThrow(UnreadableSecretError)
    expect(() => decryptSecret(stored, randomBytes(32))).toThrow(UnreadableSecretError)
    expect(() => decryptSecret('enc:v1:short', key)).toThrow(UnreadableSecretError)
    expect(() => decryptSecret('plain-key', key)).toThrow(UnreadableSecretError)
  })

  it('accept only a 32-byte key', () => {
    expect(parseKey(randomBytes(32).toString('base64'))).toHaveLength(32)
    expect(parseKey(randomBytes(16).toString('base64'))).toBeNull()
    expect(parseKey(undefined)).toBeNull()
  })
})
