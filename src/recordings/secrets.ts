import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

/**
 * AES-256-GCM for stream keys at rest: `enc:v1:<iv>:<tag>:<ciphertext>` (base64url). The key is 32
 * bytes, given base64-encoded; it never leaves the server. Tampering makes decryption fail.
 */
const PREFIX = 'enc:v1:'

export function parseKey(base64: string | undefined): Buffer | null {
  if (!base64) {
    return null
  }
  const key = Buffer.from(base64, 'base64')
  return key.length === 32 ? key : null
}

export const isEncrypted = (value: unknown): value is string =>
  typeof value === 'string' && value.startsWith(PREFIX)

export function encryptSecret(plain: string, key: Buffer): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return `${PREFIX}${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${data.toString('base64url')}`
}

/**
 * A stored secret this key cannot open: the site's encryption key was changed (or is wrong), or
 * the value was altered. Only entering the secret again under the current key mends it.
 */
export class UnreadableSecretError extends Error {
  constructor() {
    super('The stored value does not decrypt with the current encryption key.')
    this.name = 'UnreadableSecretError'
  }
}

export function decryptSecret(stored: string, key: Buffer): string {
  if (!isEncrypted(stored)) {
    throw new UnreadableSecretError()
  }
  const [iv, tag, data] = stored.slice(PREFIX.length).split(':')
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv ?? '', 'base64url'))
    decipher.setAuthTag(Buffer.from(tag ?? '', 'base64url'))
    return Buffer.concat([
      decipher.update(Buffer.from(data ?? '', 'base64url')),
      decipher.final(),
    ]).toString('utf8')
  } catch {
    throw new UnreadableSecretError()
  }
}
