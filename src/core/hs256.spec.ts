import fc from 'fast-check'
import { jwtVerify, SignJWT } from 'jose'
import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'

import { hs256Key, signHs256, verifyHs256 } from './hs256.js'

const SECRET = '0123456789abcdef0123456789abcdef'
const key = hs256Key(SECRET)
const raw = new TextEncoder().encode(SECRET)
const NOW = 1_800_000_000

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')
/** A token with any header and claims text, signed with `secret` over exactly those bytes. */
const signedRaw = (headerPart: string, claimsPart: string, secret = SECRET) =>
  `${headerPart}.${claimsPart}.${createHmac('sha256', secret).update(`${headerPart}.${claimsPart}`).digest('base64url')}`

/** What jose, the library Payload verifies its own session tokens with, says of a token. */
async function joseSays(token: string) {
  try {
    const { payload, protectedHeader } = await jwtVerify(token, raw, {
      algorithms: ['HS256'],
      currentDate: new Date(NOW * 1000),
    })
    return { header: protectedHeader, claims: payload }
  } catch {
    return null
  }
}

const dateClaim = fc.oneof(
  fc.constant(undefined),
  fc.integer({ min: NOW - 5, max: NOW + 5 }),
  fc.double({ noNaN: true, min: NOW - 5, max: NOW + 5 }),
  fc.constantFrom('1800000000', null, true, [], {}),
)
const header = fc.record(
  {
    alg: fc.constantFrom('HS256', 'HS384', 'none', 'hs256', undefined),
    typ: fc.constantFrom('JWT', undefined),
    authVersion: fc.constantFrom(2, undefined),
    crit: fc.constantFrom(['authVersion'], [], undefined),
    b64: fc.constantFrom(false, true, undefined),
  },
  { requiredKeys: [] },
)
const claims = fc.record(
  {
    id: fc.oneof(fc.integer(), fc.string()),
    collection: fc.constantFrom('users', 'customers'),
    exp: dateClaim,
    nbf: dateClaim,
    iat: dateClaim,
  },
  { requiredKeys: [] },
)
/** How a signed token may be damaged on its way. */
const damage = fc.constantFrom(
  'none',
  'flip-signature',
  'other-secret',
  'truncate',
  'extra-part',
  'pad',
  'pad-twice',
  'pad-header',
  'not-an-object',
  'bad-utf8',
)

function damaged(headerValue: object, claimsValue: object, how: string): string {
  const h = b64(headerValue)
  const c = b64(claimsValue)
  switch (how) {
    case 'flip-signature': {
      const token = signedRaw(h, c)
      const last = token.at(-2) === 'A' ? 'B' : 'A'
      return `${token.slice(0, -2)}${last}${token.at(-1)}`
    }
    case 'other-secret':
      return signedRaw(h, c, 'another-secret-another-secret-00')
    case 'truncate':
      return signedRaw(h, c).slice(0, -4)
    case 'extra-part':
      return `${signedRaw(h, c)}.x`
    case 'pad':
      return `${signedRaw(h, c)}=`
    case 'pad-twice':
      return `${signedRaw(h, c)}==`
    case 'pad-header':
      return signedRaw(`${h}${'='.repeat((4 - (h.length % 4)) % 4)}`, c)
    case 'not-an-object':
      return signedRaw(h, b64([claimsValue]))
    case 'bad-utf8':
      return signedRaw(h, Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url'))
    default:
      return signedRaw(h, c)
  }
}

describe('HS256 tokens', () => {
  it('accepts exactly the tokens jose accepts, with the same header and claims', async () => {
    await fc.assert(
      fc.asyncProperty(header, claims, damage, async (h, c, how) => {
        const token = damaged(h, c, how)
        expect(verifyHs256(key, token, NOW)).toEqual(await joseSays(token))
      }),
      { numRuns: 1500 },
    )
  })

  it('accepts what jose signs, and jose accepts what it signs', async () => {
    const claimsValue = { id: 8, collection: 'users', sid: 'abc', exp: NOW + 60 }
    const byJose = await new SignJWT(claimsValue)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(raw)
    expect(verifyHs256(key, byJose, NOW)?.claims).toEqual(claimsValue)
    const ours = signHs256(key, claimsValue)
    expect((await joseSays(ours))?.claims).toEqual(claimsValue)
  })

  it('refuses a token past its expiry or before its start, to the second', () => {
    const at = (exp: number, nbf?: number) => signHs256(key, { id: 1, exp, nbf })
    expect(verifyHs256(key, at(NOW + 1), NOW)).not.toBeNull()
    expect(verifyHs256(key, at(NOW), NOW)).toBeNull()
    expect(verifyHs256(key, at(NOW + 60, NOW), NOW)).not.toBeNull()
    expect(verifyHs256(key, at(NOW + 60, NOW + 1), NOW)).toBeNull()
  })

  it('refuses garbage without throwing', () => {
    for (const token of [
      '',
      '.',
      '..',
      'a.b.c',
      'x'.repeat(9000),
      `${b64({ alg: 'none' })}.${b64({})}.`,
    ]) {
      expect(verifyHs256(key, token, NOW)).toBeNull()
    }
  })
})
