import { createHash } from 'node:crypto'

import { maskStreamUrl } from '../core/egressPlan.js'

/**
 * What the inbox keeps of a verified LiveKit event. Participants choose their names, metadata
 * and attributes, so a body may hold a NUL (`\u0000`), which Postgres refuses in JSON and text
 * alike: it is kept as U+FFFD, so the event is stored and applied instead of failing. Egress and
 * ingress reports carry stream keys (RTMP URLs, `streamKey`) and the overlay page's access token:
 * those are masked, keeping everything the plugin reads to apply the event (states, times, file
 * results, how many outputs). The signature covered the original; it was checked on arrival.
 * Whoever holds the API key can sign anything, so a body nested deeper than any LiveKit event
 * (Postgres refuses very deep JSON) is stored as the fields the SDK knows, and the id, type and
 * room name columns are kept within what an index row holds.
 */

const MASK = '••••'
/** Fields that hold a secret whole, in LiveKit's JSON and proto names. */
const SECRET_FIELDS = new Set(['streamKey', 'stream_key'])
/** A cheap look for anything to rewrite; most events (joins, leaves, tracks) have none. */
const NEEDS_REWRITE = /\\u0000|rtmps?:|token=|stream_?key/i

// A URL in running text ends before whitespace, quotes or trailing punctuation.
const RTMP_URL = /rtmps?:\/\/[^\s"'<>]*[^\s"'<>.,;:!?)\]]/gi
const TOKEN_PARAM = /([?&](?:access_)?token=)[^&#\s"']*/gi

/** Postgres keeps no NUL in text or JSON; U+FFFD stands for it. */
const withoutNul = (text: string) => (text.includes('\0') ? text.replace(/\0/g, '\uFFFD') : text)

/** A string with NULs replaced and stream keys and access tokens masked. */
function cleanText(text: string): string {
  return withoutNul(text)
    .replace(RTMP_URL, (url) => maskStreamUrl(url))
    .replace(TOKEN_PARAM, `$1${MASK}`)
}

function clean(value: unknown, field?: string): unknown {
  if (typeof value === 'string') {
    return field && SECRET_FIELDS.has(field) && value ? MASK : cleanText(value)
  }
  if (Array.isArray(value)) {
    return value.map((item) => clean(item))
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [cleanText(key), clean(item, key)]),
    )
  }
  return value
}

/** Deeper than any event LiveKit sends (about five levels), far below what Postgres parses. */
const MAX_DEPTH = 32

/** Whether the JSON text nests arrays and objects deeper than `limit` (strings skipped). */
export function nestsDeeperThan(json: string, limit: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i)
    if (inString) {
      if (c === 92 /* \\ */) {
        i++
      } else if (c === 34 /* " */) {
        inString = false
      }
    } else if (c === 34) {
      inString = true
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > limit) {
        return true
      }
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      depth--
    }
  }
  return false
}

/**
 * The body to store for a verified event's raw JSON: the same text when there is nothing to
 * clean. `known` gives the event's fields as the SDK parsed them, for a body nested too deep.
 */
export function bodyToStore(raw: string, known: () => unknown): string {
  const tooDeep = nestsDeeperThan(raw, MAX_DEPTH)
  if (!tooDeep && !NEEDS_REWRITE.test(raw)) {
    return raw
  }
  return JSON.stringify(clean(tooDeep ? known() : JSON.parse(raw)))
}

/** Longest id, type or room name kept as it is; longer ones (no LiveKit event has them) are hashed. */
const COLUMN_MAX = 200

/**
 * An event's id, type or room name as its inbox column keeps it: NULs replaced, and past
 * {@link COLUMN_MAX} characters its sha256 (the same value always gives the same column, so
 * repeats are still recognised and a room's events still group together).
 */
export function columnText(value: string): string {
  const safe = withoutNul(value)
  return safe.length > COLUMN_MAX
    ? `sha256:${createHash('sha256').update(safe).digest('hex')}`
    : safe
}
