import { describe, expect, inject, it } from 'vitest'

/**
 * What a webhook sender reads back from the site's route files: a status and a small JSON body,
 * never compressed (Next compresses what it may; a sender asking for gzip would only make the
 * site spend CPU on a few bytes) and never cached.
 */
describe('webhook answers on the site', () => {
  for (const path of ['/api/stripe/webhook', '/api/livekit/webhook']) {
    it(`${path} answers a bad delivery uncompressed, even to a sender asking for gzip`, async () => {
      const response = await fetch(`${inject('siteUrl')}${path}`, {
        method: 'POST',
        headers: {
          'accept-encoding': 'gzip, deflate, br',
          'content-type': 'application/json',
          'stripe-signature': 't=1,v1=00',
          authorization: 'not-a-token',
        },
        body: JSON.stringify({
          id: 'evt_1',
          type: 'checkout.session.completed',
          data: { object: {} },
        }),
      })
      expect(response.status).toBeGreaterThanOrEqual(400)
      expect(response.status).toBeLessThan(500)
      expect(response.headers.get('content-encoding')).toBeNull()
      expect(response.headers.get('cache-control')).toBe('no-store, no-transform')
      const body = (await response.json()) as { error?: { code?: string } }
      expect(typeof body.error?.code).toBe('string')
    })
  }
})
