import { describe, expect, it } from 'vitest'

import { LivekitAdapter } from '../../src/livekit/adapter.js'
import { LivekitCallError } from '../../src/livekit/errors.js'
import { createStripeClient } from '../../src/payments/stripeClient.js'

const connection = () => ({
  url: process.env.LIVEKIT_URL!,
  apiUrl: process.env.LIVEKIT_URL!.replace(/^ws/, 'http'),
  apiKey: process.env.LIVEKIT_API_KEY!,
  apiSecret: process.env.LIVEKIT_API_SECRET!,
  requestTimeoutMs: 5000,
})

describe('the LiveKit adapter against the real livekit-server', () => {
  it('opens a room, lists it with its metadata, and closes it (twice is fine)', async () => {
    const livekit = new LivekitAdapter(connection())
    const name = `adapter-check-${Date.now()}`
    await livekit.openRoom({
      name,
      emptyTimeoutSeconds: 600,
      departureTimeoutSeconds: 120,
      maxParticipants: 5,
      metadata: { appointmentId: 7 },
    })
    const rooms = await livekit.listRooms([name])
    expect(rooms).toHaveLength(1)
    expect(rooms[0]).toMatchObject({ name, numParticipants: 0, metadata: { appointmentId: 7 } })
    await livekit.closeRoom(name)
    expect(await livekit.listRooms([name])).toEqual([])
    await expect(livekit.closeRoom(name)).resolves.toBeUndefined()
  })

  it('a wrong secret gives an error that names the key and not the secret', async () => {
    const wrongSecret = 'not-the-secret-not-the-secret-000'
    const livekit = new LivekitAdapter({ ...connection(), apiSecret: wrongSecret })
    const error = (await livekit.listRooms().catch((e: unknown) => e)) as LivekitCallError
    expect(error).toBeInstanceOf(LivekitCallError)
    expect(error.code).toBe('livekit_unauthorized')
    expect(error.message).toContain(`API key '${process.env.LIVEKIT_API_KEY}'`)
    expect(error.message).not.toContain(wrongSecret)
  })

  it('an unreachable server is reported as retryable with the address', async () => {
    const livekit = new LivekitAdapter({
      ...connection(),
      apiUrl: 'http://127.0.0.1:1',
      requestTimeoutMs: 2000,
    })
    const error = (await livekit.listRooms().catch((e: unknown) => e)) as LivekitCallError
    expect(error).toMatchObject({ code: 'livekit_unreachable', retryable: true })
    expect(error.message).toContain('http://127.0.0.1:1')
  })
})

describe('the Stripe client', () => {
  it('reaches stripe-mock with the configured key and base URL', async () => {
    const stripe = createStripeClient({
      secretKey: process.env.STRIPE_SECRET_KEY,
      apiBase: process.env.STRIPE_API_BASE,
    })
    const product = await stripe.products.create({ name: 'Ticket: Morning mobility' })
    expect(product.object).toBe('product')
    expect(product.id).toMatch(/^prod_/)
    const balance = await stripe.balance.retrieve()
    expect(balance.object).toBe('balance')
  })

  it('refuses to start without a secret key, saying what to set', () => {
    expect(() => createStripeClient({})).toThrow(/set STRIPE_SECRET_KEY/)
  })
})
