import type { Field, FieldAccess, PayloadRequest } from 'payload'

import { describe, expect, it } from 'vitest'

import { guardField, hostTermsAccess } from './hostTerms.js'

const req = (user: null | Record<string, unknown>) => ({ user }) as unknown as PayloadRequest
// As resolveOptions builds it: only a user of the users collection can be an admin.
const resolved = {
  usersSlug: 'users',
  isAdmin: ({ req }: { req: PayloadRequest }) => {
    const user = req.user as { role?: string; collection?: string } | null
    return user?.collection === 'users' && user.role === 'admin'
  },
}
const admin = req({ id: 9, collection: 'users', role: 'admin' })
const host = req({ id: 3, collection: 'users', role: 'host' })
const customer = req({ id: 3, collection: 'customers', role: 'admin' })
const run = (access: FieldAccess | undefined, r: PayloadRequest, doc?: Record<string, unknown>) =>
  access ? access({ req: r, doc, data: doc, siblingData: doc ?? {} } as never) : true

describe("a host's terms", () => {
  const access = hostTermsAccess(resolved, 'admins and the user itself')

  it('only admins write them', async () => {
    for (const op of ['create', 'update'] as const) {
      expect(await run(access[op], admin)).toBe(true)
      expect(await run(access[op], host, { id: 3 })).toBe(false)
      expect(await run(access[op], customer, { id: 3 })).toBe(false)
    }
  })

  it('admins and the user itself read them; a user of another collection with the same id does not', async () => {
    expect(await run(access.read, admin, { id: 3 })).toBe(true)
    expect(await run(access.read, host, { id: 3 })).toBe(true)
    expect(await run(access.read, host, { id: 4 })).toBe(false)
    expect(await run(access.read, customer, { id: 3 })).toBe(false)
    expect(await run(hostTermsAccess(resolved, 'admins').read, host, { id: 3 })).toBe(false)
  })
})

describe("guarding the site's own field", () => {
  const ours = { read: (() => false) as FieldAccess, update: (() => true) as FieldAccess }
  const fields: Field[] = [
    { name: 'name', type: 'text' },
    {
      type: 'tabs',
      tabs: [
        {
          label: 'Money',
          fields: [
            {
              type: 'row',
              fields: [{ name: 'rate', type: 'number', access: { update: () => false } }],
            },
          ],
        },
        { name: 'named', fields: [{ name: 'rate', type: 'number' }] },
      ],
    },
  ]

  it('finds it through rows and unnamed tabs (not inside a named tab, which nests its data) and ANDs both rules', async () => {
    const guarded = guardField(fields, 'rate', ours)
    const tabs = guarded[1] as Extract<Field, { type: 'tabs' }>
    const row = tabs.tabs[0].fields[0] as Extract<Field, { type: 'row' }>
    const rate = row.fields[0] as { access: Record<string, FieldAccess | undefined> }
    expect(await run(rate.access.read, admin)).toBe(false) // ours says no
    expect(await run(rate.access.update, admin)).toBe(false) // theirs says no
    expect(tabs.tabs[1].fields[0]).not.toHaveProperty('access')
    expect(guarded[0]).toBe(fields[0])
  })
})
