import type { Access, PayloadRequest, Where } from 'payload'

import type { ResolvedOptions } from '../resolveOptions.js'

import { pluginUser } from './pluginUser.js'

/** Access function that lets only platform admins through, as the site's `isAdmin` decides. */
export const adminOnly =
  (isAdmin: ResolvedOptions['isAdmin']): Access =>
  ({ req }: { req: PayloadRequest }) =>
    isAdmin({ req })

/** Access function that nobody passes, admins included (the Local API still can, with overrideAccess). */
export const nobody: Access = () => false

/**
 * Access of a collection only the plugin writes (through the Local API, overriding access): admins
 * read it, nobody creates or edits it over the APIs, and admins may delete rows only where
 * `adminsDelete` says so (clearing logs, never the ledger's facts).
 */
export const pluginWritten = (
  isAdmin: ResolvedOptions['isAdmin'],
  { adminsDelete = false }: { adminsDelete?: boolean } = {},
) => ({
  read: adminOnly(isAdmin),
  create: nobody,
  update: nobody,
  delete: adminsDelete ? adminOnly(isAdmin) : nobody,
})

/**
 * Admins read everything; any other logged-in user reads the rows where `path` (a relationship to
 * users, possibly through another relationship such as `liveStream.host`) is itself. With
 * `{ text: true }`, `path` is a text field holding the user's id (the ledger's plain references):
 * it is compared as text, which every database does alike (SQLite matches no number to text).
 */
export const adminOrOwn =
  (
    resolved: Pick<ResolvedOptions, 'isAdmin' | 'usersSlug'>,
    path: string,
    { text = false }: { text?: boolean } = {},
  ): Access =>
  async ({ req }: { req: PayloadRequest }) => {
    if (await resolved.isAdmin({ req })) {
      return true
    }
    const user = pluginUser(req, resolved.usersSlug)
    if (!user) {
      return false
    }
    return { [path]: { equals: text ? String(user.id) : user.id } } as Where
  }
