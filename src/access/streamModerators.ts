import type { FieldAccess, PayloadRequest } from 'payload'

import type { DocId } from '../core/ids.js'
import type { ResolvedOptions } from '../resolveOptions.js'

import { relationId } from '../core/relationId.js'
import { pluginUser } from './pluginUser.js'

/** Co-hosts of appointments already read in this request, so a list of streams costs one read each. */
const CO_HOSTS = Symbol('livekitCoHosts')

async function coHostsOf(
  req: PayloadRequest,
  resolved: ResolvedOptions,
  appointmentId: DocId,
): Promise<string[]> {
  const field = resolved.appointments.fields.coHosts
  if (!field) {
    return []
  }
  const context = req.context as Record<PropertyKey, unknown>
  const cache = (context[CO_HOSTS] ??= new Map<string, Promise<string[]>>()) as Map<
    string,
    Promise<string[]>
  >
  let found = cache.get(String(appointmentId))
  if (!found) {
    found = req.payload.db
      .findOne<{ id: DocId } & Record<string, unknown>>({
        collection: resolved.appointments.slug,
        where: { id: { equals: appointmentId } },
        select: { [field]: true },
        req,
      })
      .then((doc) =>
        Array.isArray(doc?.[field])
          ? (doc[field] as unknown[]).map((v) => String(relationId(v)))
          : [],
      )
    cache.set(String(appointmentId), found)
  }
  return found
}

/**
 * Field read access of a stream's internals (last error, attempt count, job ids): its moderators
 * only — admins, its host and the appointment's co-hosts. Anyone else reading
 * the (public) stream sees its state and figures, not why LiveKit failed.
 */
export const streamModeratorsRead =
  (resolved: ResolvedOptions): FieldAccess =>
  async ({ req, doc }) => {
    const user = pluginUser(req, resolved.usersSlug)
    if (!user) {
      return false
    }
    if (await resolved.isAdmin({ req })) {
      return true
    }
    const stream = (doc ?? {}) as { host?: unknown; appointment?: unknown }
    if (String(relationId(stream.host)) === String(user.id)) {
      return true
    }
    const appointmentId = relationId(stream.appointment)
    return (
      appointmentId !== undefined &&
      (await coHostsOf(req, resolved, appointmentId)).includes(String(user.id))
    )
  }
