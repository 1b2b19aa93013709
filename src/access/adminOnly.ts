import type { Access, PayloadRequest } from 'payload'

import type { ResolvedOptions } from '../resolveOptions.js'

/** Access function that lets only platform admins through, as the site's `isAdmin` decides. */
export const adminOnly =
  (isAdmin: ResolvedOptions['isAdmin']): Access =>
  ({ req }: { req: PayloadRequest }) =>
    isAdmin({ req })

/** Access function that nobody passes, admins included (the Local API still can, with overrideAccess). */
export const nobody: Access = () => false
