import type { Endpoint } from 'payload'

import { DomainError } from '../../core/domainError.js'
import { endpoint, operationBody, routeId } from '../../http/respond.js'
import {
  listParticipants,
  moderateParticipant,
  type ModerationAction,
  type ModerationBody,
} from '../operations/moderateParticipant.js'
import { raiseHand, type RaiseHandBody } from '../operations/raiseHand.js'

/**
 * GET /api/live-streams/:id/participants — hosts, co-hosts, admins.
 * Returns `{ participants: [{ identity, name, role, handRaised, onStage, publishing, tracks, joinedAt }] }`.
 */
const participants: Endpoint = {
  path: '/:id/participants',
  method: 'get',
  handler: endpoint(async (req) =>
    Response.json({ participants: await listParticipants(req, routeId(req)) }),
  ),
}

/**
 * POST /api/live-streams/:id/participants/:identity/:action — hosts, co-hosts, admins.
 * Actions: remove (disconnect + revoke tokens), mute (body `{ kinds: ['audio'|'video'] }`),
 * promote (attendee on stage), demote (off stage).
 */
const moderate: Endpoint = {
  path: '/:id/participants/:identity/:action',
  method: 'post',
  handler: endpoint(async (req) => {
    const id = routeId(req)
    const identity = String(req.routeParams?.identity ?? '')
    if (!/^[\w.:@-]{1,128}$/.test(identity)) {
      throw new DomainError('invalid', 'invalid_identity', 'That is not a participant identity.')
    }
    const body = await operationBody<ModerationBody>(req)
    const result = await moderateParticipant({
      req,
      liveStreamId: id,
      identity,
      // Checked by the operation: an action that is none of them is a 404 unknown_action.
      action: String(req.routeParams?.action ?? '') as ModerationAction,
      body,
    })
    return Response.json(result)
  }),
}

/**
 * POST /api/live-streams/:id/hand — attendees (on stage or not), in the room: raises or lowers
 * the caller's own hand (the `hand` attribute moderators see). Body: `{ raised: boolean }`.
 * Returns `{ identity, handRaised }`; 403 `not_an_attendee`, 409 `not_in_room`, else as the token.
 */
const hand: Endpoint = {
  path: '/:id/hand',
  method: 'post',
  handler: endpoint(async (req) => {
    const id = routeId(req)
    const body = await operationBody<RaiseHandBody>(req)
    return Response.json(await raiseHand({ req, liveStreamId: id, body }))
  }),
}

/** The participant endpoints of a live stream (list, moderation, raised hands), mounted under `/api/live-streams`. */
export const participantEndpoints = (): Endpoint[] => [participants, moderate, hand]
