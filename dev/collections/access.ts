import type { Access, FieldAccess, PayloadRequest } from 'payload'

/*
 * The demo site's own access rules: what a real site needs before it installs the plugin, since
 * the plugin trusts the site's users, roles, tenants and appointments (README, Security model).
 * Payload's default lets any logged-in user of any auth collection change any document.
 */

type Id = number | string
type SiteUser = { id: Id; collection: string; role?: unknown; tenant?: unknown }

/** The caller, when it is one of the site's users (not an account of another auth collection). */
export const siteUser = (req: PayloadRequest): null | SiteUser => {
  const user = req.user as null | SiteUser | undefined
  return user && user.collection === 'users' ? user : null
}

export const isAdmin = (req: PayloadRequest) => siteUser(req)?.role === 'admin'
export const isHost = (req: PayloadRequest) => siteUser(req)?.role === 'host'

export const admins: Access = ({ req }) => isAdmin(req)
export const adminsField: FieldAccess = ({ req }) => isAdmin(req)
export const anyone: Access = () => true

/** Admins: every user; anyone else: itself only. */
export const adminsOrSelf: Access = ({ req }) => {
  if (isAdmin(req)) {
    return true
  }
  const user = siteUser(req)
  return user ? { id: { equals: user.id } } : false
}

/** The id of a relationship value, populated or not. */
export const idOf = (value: unknown): Id | undefined =>
  value === null || value === undefined
    ? undefined
    : typeof value === 'object'
      ? idOf((value as { id?: unknown }).id)
      : (value as Id)

/** Admins, the appointment's host and its co-hosts. */
export const appointmentStaff = (
  req: PayloadRequest,
  doc: Record<string, unknown> | undefined,
): boolean => {
  if (isAdmin(req)) {
    return true
  }
  const user = siteUser(req)
  if (!user || !doc) {
    return false
  }
  const me = String(user.id)
  return (
    String(idOf(doc.host)) === me ||
    (Array.isArray(doc.coHosts) && doc.coHosts.some((c) => String(idOf(c)) === me))
  )
}
