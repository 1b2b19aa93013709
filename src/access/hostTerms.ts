import type { Field, FieldAccess } from 'payload'

import type { ResolvedOptions } from '../resolveOptions.js'

import { pluginUser } from './pluginUser.js'

/** Field-level access: who may create, read and update one field. */
type Access = { create?: FieldAccess; read?: FieldAccess; update?: FieldAccess }

/**
 * Field access of a host's commercial terms (its commission rate, its Stripe connected account):
 * the platform sets them, so only admins create or change them. A host that could write its own
 * rate would pay no commission; one that could write its account would be paid someone else's
 * sales. Reading: admins, and — on users — the user itself (a host may know its own terms).
 */
export function hostTermsAccess(
  resolved: Pick<ResolvedOptions, 'isAdmin' | 'usersSlug'>,
  readableBy: 'admins' | 'admins and the user itself',
): Access {
  const admin: FieldAccess = async ({ req }) => Boolean(await resolved.isAdmin({ req }))
  const read: FieldAccess = async (args) => {
    if (await admin(args)) {
      return true
    }
    if (readableBy === 'admins') {
      return false
    }
    const user = pluginUser(args.req, resolved.usersSlug)
    const docId = (args.doc as { id?: unknown } | undefined)?.id ?? args.id
    return (
      user !== null && docId !== undefined && docId !== null && String(docId) === String(user.id)
    )
  }
  return { create: admin, update: admin, read }
}

/** Both must allow; a missing one allows (Payload's own default for field access). */
const both = (
  ours: FieldAccess | undefined,
  theirs: FieldAccess | undefined,
): FieldAccess | undefined =>
  !theirs
    ? ours
    : !ours
      ? theirs
      : async (args) => (await ours(args)) && Boolean(await theirs(args))

/**
 * The collection's fields with `name` (looked up through rows, collapsibles and unnamed tabs, where
 * it lives in the same row) guarded by `access` as well as by whatever access the site gave it.
 * The site's rule still applies; the plugin's is added, never swapped in (as plugin-multi-tenant
 * ANDs its constraint onto the site's access).
 */
export function guardField(fields: Field[], name: string, access: Access): Field[] {
  return fields.map((field): Field => {
    if ('name' in field && field.name === name) {
      const theirs = (field as { access?: Access }).access ?? {}
      return {
        ...field,
        access: {
          read: both(access.read, theirs.read),
          create: both(access.create, theirs.create),
          update: both(access.update, theirs.update),
        },
      } as Field
    }
    if ((field.type === 'row' || field.type === 'collapsible') && 'fields' in field) {
      return { ...field, fields: guardField(field.fields, name, access) } as Field
    }
    if (field.type === 'tabs') {
      return {
        ...field,
        tabs: field.tabs.map((tab) =>
          'name' in tab && tab.name
            ? tab
            : { ...tab, fields: guardField(tab.fields, name, access) },
        ),
      }
    }
    return field
  })
}
