import { createHmac } from 'node:crypto'

/**
 * A key for one purpose derived from the site's Payload secret, so guest credentials, checkout
 * seals and anything else signed by the plugin never share a key with each other or with
 * Payload's own session tokens. The purpose string is part of every signature made with it:
 * changing it invalidates what was signed before.
 */
export const derivedKey = (secret: string, purpose: string): Buffer =>
  createHmac('sha256', secret).update(purpose).digest()
