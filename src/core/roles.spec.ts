import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { type AccessFacts, decideRole, participantRole, permissionFor, ROLES } from './roles.js'
import { STREAM_STATES } from './streamStates.js'

const base = (over: Partial<AccessFacts> = {}): AccessFacts => ({
  user: { id: 7, isAdmin: false, tenants: [1] },
  appointment: { hostId: 3, coHostIds: [4], tenantId: 1, visibility: 'ticketed' },
  hasTicket: true,
  removed: false,
  stream: { state: 'live', opensAt: null },
  ...over,
})
const user = (id: number, tenants = [1], isAdmin = false) => ({ id, tenants, isAdmin })

describe('who joins as what', () => {
  it.each([
    ['the host', base({ user: user(3) }), 'host'],
    ['a co-host', base({ user: user(4) }), 'co-host'],
    ['a ticket holder', base(), 'attendee'],
    ['an admin, of any tenant', base({ user: user(9, [2], true) }), 'admin'],
    [
      'anyone logged in on a public stream',
      base({
        user: user(8, [2]),
        hasTicket: false,
        appointment: { ...base().appointment, visibility: 'public' },
      }),
      'attendee',
    ],
    [
      'an anonymous caller on a public stream',
      base({ user: null, appointment: { ...base().appointment, visibility: 'public' } }),
      'guest',
    ],
    ['the host even without a ticket', base({ user: user(3), hasTicket: false }), 'host'],
  ])('%s', (_name, facts, role) => {
    expect(decideRole(facts)).toEqual({ role })
  })

  it.each([
    ['anonymous on a ticketed stream', base({ user: null }), 'unauthenticated', 'login_required'],
    ['no ticket', base({ hasTicket: false }), 'forbidden', 'ticket_required'],
    [
      'another tenant, even with a ticket',
      base({ user: user(7, [2]) }),
      'forbidden',
      'other_tenant',
    ],
    ['removed by a moderator', base({ removed: true }), 'forbidden', 'removed'],
    [
      'not open yet',
      base({ stream: { state: 'scheduled', opensAt: new Date('2026-12-01T09:50:00Z') } }),
      'conflict',
      'stream_not_open',
    ],
    ['ended', base({ stream: { state: 'ended', opensAt: null } }), 'gone', 'stream_ended'],
    [
      'cancelled',
      base({ stream: { state: 'cancelled', opensAt: null } }),
      'gone',
      'stream_cancelled',
    ],
  ])('%s is refused', (_name, facts, kind, code) => {
    const result = decideRole(facts)
    expect(result).toMatchObject({ refusal: { kind, code } })
  })

  it('tells when a stream opens', () => {
    const result = decideRole(
      base({ stream: { state: 'opening', opensAt: new Date('2026-12-01T09:50:00Z') } }),
    )
    expect('refusal' in result && result.refusal.message).toContain('2026-12-01T09:50:00.000Z')
  })

  it('answers a stranger 403 before telling the stream state (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...STREAM_STATES), (state) => {
        const r = decideRole(base({ user: user(7, [2]), stream: { state, opensAt: null } }))
        return 'refusal' in r && r.refusal.code === 'other_tenant'
      }),
    )
  })
})

describe('permissions', () => {
  it('only hosts, co-hosts and attendees on stage publish; admins are hidden', () => {
    expect(permissionFor('host').canPublishSources).toEqual([
      'camera',
      'microphone',
      'screen_share',
      'screen_share_audio',
    ])
    expect(permissionFor('attendee')).toMatchObject({
      canPublish: false,
      canSubscribe: true,
      canPublishData: false,
    })
    expect(permissionFor('attendee', true)).toMatchObject({
      canPublish: true,
      canPublishSources: ['camera', 'microphone'],
    })
    expect(permissionFor('guest')).toMatchObject({ canPublish: false })
    expect(permissionFor('admin')).toMatchObject({
      hidden: true,
      canPublish: false,
      canPublishData: false,
    })
  })

  it('never grants recording or room administration, to any role', () => {
    for (const role of ROLES) {
      for (const onStage of [false, true]) {
        const p = permissionFor(role, onStage) as unknown as Record<string, unknown>
        expect(Object.keys(p).sort()).toEqual([
          'canPublish',
          'canPublishData',
          'canPublishSources',
          'canSubscribe',
          'hidden',
        ])
      }
    }
  })
})

describe('participant roles', () => {
  it('are the role the plugin minted; anything else counts as an attendee, never as the host', () => {
    for (const role of ROLES) {
      expect(participantRole({ role })).toBe(role)
    }
    for (const attributes of [
      undefined,
      null,
      {},
      { role: '' },
      { role: 'Host' },
      { role: 'owner' },
      { role: '__proto__' },
      { hand: 'raised' },
    ]) {
      expect(participantRole(attributes as never)).toBe('attendee')
    }
  })
})
