import { describe, expect, it } from 'vitest'

import { LivekitCallError } from '../livekit/errors.js'
import { upstreamFailure } from './respond.js'

describe("LiveKit's and Stripe's own error texts", () => {
  const livekit = new LivekitCallError('livekit_unreachable', 'LiveKit at http://10.0.0.7:7880 could not be reached to list participants (ECONNREFUSED).', 503, true)
  const stripe = Object.assign(new Error("No such destination: 'acct_1Secret'"), { type: 'StripeInvalidRequestError' })

  it('are not told to a viewer: the code and status stay, the words are plain', () => {
    expect(upstreamFailure(livekit, false)).toEqual({ status: 503, code: 'livekit_unreachable', message: expect.not.stringContaining('10.0.0.7') })
    expect(upstreamFailure(stripe, false)).toEqual({ status: 502, code: 'stripe_error', message: expect.not.stringContaining('acct_1Secret') })
    const other = new LivekitCallError('livekit_rejected', "LiveKit rejected the request to start egress: key 'APIabc' …", 400, false)
    expect(upstreamFailure(other, false)?.message).not.toContain('APIabc')
  })

  it('are told to moderators and admins, who can act on them', () => {
    expect(upstreamFailure(livekit, true)?.message).toContain('10.0.0.7:7880')
    expect(upstreamFailure(stripe, true)?.message).toContain('acct_1Secret')
  })

  it('leave other errors to the 500 path', () => {
    expect(upstreamFailure(new Error('boom'), true)).toBeNull()
    expect(upstreamFailure(null, false)).toBeNull()
  })
})
