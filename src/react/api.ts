import type { SentMessage } from '../analytics/operations/sendEngagement.js'
import type { DocId } from '../core/ids.js'
import type { JoinToken } from '../core/joinToken.js'
import type { StreamStatus } from '../core/streamStatus.js'
import type { Replay } from '../recordings/operations/replay.js'

export type { JoinToken, Replay, SentMessage, StreamStatus }

/** A refusal or failure from the plugin's API, with its stable code. */
export class LiveStreamApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'LiveStreamApiError'
  }
}

/** A live stream document as the REST API returns it (the fields the kit reads). */
export interface LiveStreamDoc {
  id: DocId
  title?: null | string
  state: string
  roomName?: string
  scheduledStart?: null | string
  scheduledEnd?: null | string
  currentViewers?: null | number
  peakViewers?: null | number
  hostPresent?: boolean | null
  host?: { id: DocId; name?: null | string } | DocId | null
}

/** One JSON call with the login cookie; a failure throws the API's own code and message. */
export async function request<T>(
  apiBase: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${apiBase}${path}`, {
    method,
    credentials: 'include',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  let json: Record<string, unknown> = {}
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {}
  } catch {
    // Not JSON (a proxy's error page): reported below with the status.
  }
  if (!response.ok) {
    const error = (json.error ?? (Array.isArray(json.errors) ? json.errors[0] : null)) as {
      code?: string
      message?: string
    } | null
    throw new LiveStreamApiError(
      response.status,
      error?.code ?? `http_${response.status}`,
      error?.message ?? `The server answered ${response.status}.`,
    )
  }
  return json as T
}

/**
 * The plugin's endpoints as plain functions. `apiBase` is Payload's API route (default `/api`);
 * calls carry the Payload login cookie.
 */
export function liveStreamApi(apiBase = '/api') {
  const base = apiBase.replace(/\/+$/, '')
  return {
    stream: (id: DocId) => request<LiveStreamDoc>(base, 'GET', `/live-streams/${id}?depth=1`),
    list: (query: { state?: string; page?: number; limit?: number }) => {
      const params = new URLSearchParams({
        depth: '1',
        sort: '-scheduledStart',
        limit: String(query.limit ?? 12),
        page: String(query.page ?? 1),
      })
      if (query.state) {
        params.set('where[state][equals]', query.state)
      }
      return request<{
        docs: LiveStreamDoc[]
        page: number
        totalPages: number
        totalDocs: number
        hasNextPage: boolean
        hasPrevPage: boolean
      }>(base, 'GET', `/live-streams?${params}`)
    },
    token: (id: DocId, guestCredential?: string) =>
      request<JoinToken>(
        base,
        'POST',
        `/live-streams/${id}/token`,
        guestCredential ? { guestCredential } : {},
      ),
    /** Raises or lowers the caller's own hand (attendees in the room). */
    hand: (id: DocId, raised: boolean) =>
      request<{ identity: string; handRaised: boolean }>(base, 'POST', `/live-streams/${id}/hand`, {
        raised,
      }),
    /** Sends a chat message to the room, from the caller (counted by the plugin). */
    chat: (id: DocId, text: string, guestCredential?: string) =>
      request<SentMessage>(base, 'POST', `/live-streams/${id}/chat`, {
        text,
        ...(guestCredential ? { guestCredential } : {}),
      }),
    /** Sends a reaction to the room, from the caller (counted by the plugin). */
    react: (id: DocId, emoji: string, guestCredential?: string) =>
      request<SentMessage>(base, 'POST', `/live-streams/${id}/reactions`, {
        emoji,
        ...(guestCredential ? { guestCredential } : {}),
      }),
    status: (id: DocId) => request<StreamStatus>(base, 'GET', `/live-streams/${id}/status`),
    checkout: (id: DocId, urls: { successUrl?: string; cancelUrl?: string }) =>
      request<{ sessionId: string; url: string }>(
        base,
        'POST',
        `/live-streams/${id}/checkout`,
        urls,
      ),
    startEgress: (id: DocId, body: Record<string, unknown>) =>
      request<{ egressId: string; kind: string }>(base, 'POST', `/live-streams/${id}/egress`, body),
    stopEgress: (id: DocId, egressId: string) =>
      request<{ egressId: string }>(base, 'DELETE', `/live-streams/${id}/egress/${egressId}`),
    destinations: () =>
      request<{ docs: Array<{ id: DocId; name: string; platform?: string }> }>(
        base,
        'GET',
        '/stream-destinations?limit=50&depth=0',
      ),
    /** A finished recording to play, with its product chapters (ticket rules, replay window). */
    replay: (recordingId: DocId) =>
      request<Replay>(base, 'GET', `/recordings/${recordingId}/playback`),
    end: (id: DocId) => request<{ state: string }>(base, 'POST', `/live-streams/${id}/end`, {}),
  }
}

export type LiveStreamApi = ReturnType<typeof liveStreamApi>
