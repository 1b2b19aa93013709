import type { Payload, PayloadRequest } from 'payload'

import type { DocId } from '../../core/ids.js'
import type { JoinToken } from '../../core/joinToken.js'
import type { ResolvedOptions } from '../../resolveOptions.js'

import { identifyCaller } from '../../access/identifyCaller.js'
import { permissionFor, type Role } from '../../core/roles.js'
import { livekitFor } from '../../runtime.js'

/** Whose token, for which stream: the caller of `req`, and a guest's credential from its earlier answer. */
export interface IssueTokenInput {
  req: PayloadRequest
  liveStreamId: DocId
  /** Checked by the gate: one this site did not issue is `invalid_guest_credential`. */
  guestCredential?: unknown
}

/**
 * Issues a LiveKit token for the caller, with the grants of its role and nothing more. The
 * answer is the {@link JoinToken} the React kit connects with.
 */
export async function issueToken(args: IssueTokenInput): Promise<JoinToken> {
  const caller = await identifyCaller(args)
  return mintCallerToken(args.req.payload, { ...caller, roomName: caller.stream.roomName })
}

/** Signs the token of a decided caller (both the endpoint and the token route end here). */
export async function mintCallerToken(
  payload: Payload,
  caller: {
    resolved: ResolvedOptions
    roomName: string
    identity: string
    guestCredential?: string
    name: string
    role: Role
  },
): Promise<JoinToken> {
  const livekit = livekitFor(payload)
  const { token, expiresAt } = await livekit.mintToken({
    roomName: caller.roomName,
    identity: caller.identity,
    name: caller.name,
    attributes: { role: caller.role },
    grants: permissionFor(caller.role),
    ttlSeconds: caller.resolved.access.tokenTtlSeconds,
  })
  return {
    token,
    serverUrl: livekit.clientUrl,
    identity: caller.identity,
    name: caller.name,
    role: caller.role,
    expiresAt: expiresAt.toISOString(),
    ...(caller.guestCredential ? { guestCredential: caller.guestCredential } : {}),
  }
}
