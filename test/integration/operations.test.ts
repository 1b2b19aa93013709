import { createLocalReq, type Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  applyStripeEvent,
  DomainError,
  endStream,
  issueToken,
  streamStatus,
} from '../../src/index.js'
import { createAppointmentWorld, liveStreamOf } from '../helpers/fixtures.js'
import { startTestSite, type TestSite } from '../helpers/testSite.js'

let site: TestSite
let payload: Payload
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString()
let streamId: number | string
let host: { id: number | string } & Record<string, unknown>
let attendee: { id: number | string } & Record<string, unknown>

/** A request acting for `user`, as a site's own job or script makes one. */
const as = (user: null | Record<string, unknown>) =>
  createLocalReq(user ? { user: { ...user, collection: 'users' } as never } : {}, payload)

/** What an operation threw, as a plain object. */
async function refusal(run: Promise<unknown>) {
  const error = await run.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(DomainError)
  const { kind, code } = error as DomainError
  return { kind, code }
}

beforeAll(async () => {
  site = await startTestSite({ plugin: { lifecycle: { autoRun: false, reconcileCron: false } } })
  payload = site.payload
  const world = await createAppointmentWorld(payload, {
    startsAt: inMinutes(1),
    endsAt: inMinutes(60),
    status: 'in-progress',
  })
  host = world.host as never
  attendee = (await payload.create({
    collection: 'users',
    data: {
      email: `attendee-${Date.now()}@a.test`,
      password: 'pw-123456',
      role: 'attendee',
      tenant: world.tenant.id,
    } as never,
  })) as never
  await payload.update({
    collection: 'appointments',
    id: world.appointment.id,
    data: { attendees: [attendee.id] } as never,
  })
  streamId = (await liveStreamOf(payload, world.appointment.id))[0].id
}, 120_000)

afterAll(async () => {
  await site?.close()
})

describe("a site's own code calls the plugin's operations", () => {
  it("with the host's rights: the host gets its token and status and ends its stream", async () => {
    const req = await as(host)
    expect(await issueToken({ req: await as(attendee), liveStreamId: streamId })).toMatchObject({
      role: 'attendee',
    })
    expect(await issueToken({ req, liveStreamId: streamId })).toMatchObject({
      role: 'host',
      identity: `user-${String(host.id)}`,
    })
    expect(await streamStatus(req, streamId)).toMatchObject({ state: 'live' })
    expect(await endStream(req, streamId)).toMatchObject({
      state: expect.stringMatching(/^(ending|ended)$/),
    })
  })

  it('refusals are DomainErrors with the codes the endpoints answer with', async () => {
    expect(await refusal(issueToken({ req: await as(null), liveStreamId: streamId }))).toEqual({
      kind: 'unauthenticated',
      code: 'login_required',
    })
    expect(await refusal(endStream(await as(attendee), streamId))).toEqual({
      kind: 'forbidden',
      code: 'not_a_host',
    })
    expect(await refusal(streamStatus(await as(host), 987654))).toEqual({
      kind: 'not_found',
      code: 'not_found',
    })
    expect(await refusal(applyStripeEvent(payload, { id: 'evt_1', type: 'Not A Type' }))).toEqual({
      kind: 'invalid',
      code: 'invalid_event',
    })
  })
})
