import type { PayloadRequest } from 'payload'

import type { DocId } from '../core/ids.js'

/** A logged-in user of the plugin's users collection, as Payload put it on the request. */
export type PluginUser = { id: DocId; collection: string } & Record<string, unknown>

/**
 * The caller as the plugin sees it: the request's user only when it belongs to the plugin's users
 * collection. A site may have several auth collections (`users`, `customers`, …) whose ids
 * overlap; `customers#1` is not `users#1`, so anyone else is anonymous to the plugin — for roles,
 * tickets, ledger rows, statements and admin checks alike.
 */
export function pluginUser(
  req: Pick<PayloadRequest, 'user'>,
  usersSlug: string,
): null | PluginUser {
  const user = req.user as
    ({ id?: unknown; collection?: unknown } & Record<string, unknown>) | null | undefined
  if (!user || user.collection !== usersSlug) {
    return null
  }
  if (typeof user.id !== 'string' && typeof user.id !== 'number') {
    return null
  }
  return user as PluginUser
}
