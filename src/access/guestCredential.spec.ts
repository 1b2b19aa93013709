import { describe, expect, it } from 'vitest'

import { guestOf, newGuest } from './guestCredential.js'

const secret = 'a-site-secret'

describe('guest credentials', () => {
  it('prove the identity they were issued with, and only on the site that issued them', () => {
    const guest = newGuest(secret)
    expect(guest.identity).toMatch(/^guest-[\w-]{16}$/)
    expect(guestOf(secret, guest.guestCredential)).toEqual(guest)
    expect(guestOf('another-site-secret', guest.guestCredential)).toBeNull()
    expect(newGuest(secret).identity).not.toBe(guest.identity)
  })

  it("another guest's id with any signature proves nothing", () => {
    const victim = newGuest(secret)
    const [id, signature] = victim.guestCredential.split('.') as [string, string]
    const other = newGuest(secret).guestCredential.split('.')[1]
    for (const forged of [
      `${id}.${other}`,
      `${id}.${'A'.repeat(43)}`,
      `${id}.`,
      id,
      `${id}.${signature}.x`,
      `${id.slice(1)}x.${signature}`,
      `${id}.${signature.slice(0, 42)}`,
      '',
      '..',
    ]) {
      expect(guestOf(secret, forged), forged).toBeNull()
    }
  })
})
