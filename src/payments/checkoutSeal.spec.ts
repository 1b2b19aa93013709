import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { type CheckoutFacts, openSeal, sealedMetadata } from './checkoutSeal.js'

const facts: CheckoutFacts = {
  site: 'acme-prod',
  liveStreamId: '12',
  appointmentId: '7',
  userId: '31',
  rateBps: '2000',
  amount: '1500',
  currency: 'usd',
}
const SECRET = 'the-payload-secret'

describe('the checkout seal', () => {
  it('opens for the site that sealed it, with the facts it sealed', () => {
    expect(openSeal(sealedMetadata(facts, SECRET), 'acme-prod', SECRET)).toEqual(facts)
    const destination = { ...facts, destination: 'acct_1Host' }
    expect(openSeal(sealedMetadata(destination, SECRET), 'acme-prod', SECRET)).toEqual(destination)
  })

  it('does not open for another site id, another secret, or no seal at all', () => {
    const metadata = sealedMetadata(facts, SECRET)
    expect(openSeal(metadata, 'acme-staging', SECRET)).toBeNull()
    expect(openSeal(metadata, 'acme-prod', 'another-secret')).toBeNull()
    const { seal: _seal, ...unsealed } = metadata
    expect(openSeal(unsealed, 'acme-prod', SECRET)).toBeNull()
    expect(openSeal(null, 'acme-prod', SECRET)).toBeNull()
  })

  it('does not open when any fact is changed, added or removed', () => {
    const metadata = sealedMetadata(facts, SECRET)
    fc.assert(
      fc.property(
        fc.constantFrom(
          'liveStreamId',
          'appointmentId',
          'userId',
          'rateBps',
          'amount',
          'currency',
          'destination',
          'settlement',
          'feeBearer',
        ),
        fc.string({ maxLength: 12 }),
        (key, value) => {
          fc.pre(metadata[key] !== value)
          return openSeal({ ...metadata, [key]: value }, 'acme-prod', SECRET) === null
        },
      ),
    )
    const { userId: _userId, ...missing } = metadata
    expect(openSeal(missing, 'acme-prod', SECRET)).toBeNull()
    // A session that pays its host later cannot be turned into one that says nothing of it.
    const separate = sealedMetadata({ ...facts, settlement: 'separate', feeBearer: 'host' }, SECRET)
    expect(openSeal(separate, 'acme-prod', SECRET)).toMatchObject({ settlement: 'separate' })
    const { settlement: _settlement, ...unsaid } = separate
    expect(openSeal(unsaid, 'acme-prod', SECRET)).toBeNull()
  })

  it('keeps each value in its place (no shifting of characters between neighbours)', () => {
    const a = sealedMetadata({ ...facts, liveStreamId: '1', appointmentId: '27' }, SECRET)
    const b = sealedMetadata({ ...facts, liveStreamId: '12', appointmentId: '7' }, SECRET)
    expect(a.seal).not.toBe(b.seal)
  })
})
