import type { Role } from './roles.js'

/**
 * What `POST /api/live-streams/:id/token` returns: the token operation builds it and the React
 * kit connects with it, both from this one declaration.
 */
export interface JoinToken {
  /** The LiveKit access token (a JWT) for this participant and room. */
  token: string
  /** URL the browser connects to (ws/wss). */
  serverUrl: string
  identity: string
  name: string
  role: Role
  /** ISO time the token stops being accepted for a new connection. */
  expiresAt: string
  /** Guests only: the proof of this guest identity; send it back as `guestCredential` for the next token (e.g. after a reload). */
  guestCredential?: string
}
