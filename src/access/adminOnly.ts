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
 * Admins read everything; any other logged-in user reads the rows where `path` (a relationship to
 * users, possibly through another relationship such as `liveStream.host`) is itself.
 */
export const adminOrOwn =
  (resolved: Pick<ResolvedOptions, 'isAdmin' | 'usersSlug'>, path: string): Access =>
  async ({ req }: { req: PayloadRequest }) => {
    if (await resolved.isAdmin({ req })) {
      return true
    }
    const user = pluginUser(req, resolved.usersSlug)
    if (!user) {
      return false
    }
    return { [path]: { equals: user.id } } as Where
  }
