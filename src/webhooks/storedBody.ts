import { maskStreamUrl } from '../egress/plan.js'

/**
 * What the inbox keeps of a verified LiveKit event. Participants choose their names, metadata
 * and attributes, so a body may hold a NUL (`\u0000`), which Postgres refuses in JSON and text
 * alike: it is kept as U+FFFD, so the event is stored and applied instead of failing. Egress and
 * ingress reports carry stream keys (RTMP URLs, `streamKey`) and the overlay page's access token:
 * those are masked, keeping everything the plugin reads to apply the event (states, times, file
 * results, how many outputs). The signature covered the original; it was checked on arrival.
 */

const MASK = '••••'
/** Fields that hold a secret whole, in LiveKit's JSON and proto names. */
const SECRET_FIELDS = new Set(['streamKey', 'stream_key'])
/** A cheap look for anything to rewrite; most events (joins, leaves, tracks) have none. */
const NEEDS_REWRITE = /\\u0000|rtmps?:|token=|stream_?key/i

// A URL in running text ends before whitespace, quotes or trailing punctuation.
const RTMP_URL = /rtmps?:\/\/[^\s"'<>]*[^\s"'<>.,;:!?)\]]/gi
const TOKEN_PARAM = /([?&](?:access_)?token=)[^&#\s"']*/gi

/** A string with NULs replaced and stream keys and access tokens masked. */
function cleanText(text: string): string {
  const safe = text.includes('\0') ? text.replace(/\0/g, '\uFFFD') : text
  return safe.replace(RTMP_URL, (url) => maskStreamUrl(url)).replace(TOKEN_PARAM, `$1${MASK}`)
}

function clean(value: unknown, field?: string): unknown {
  if (typeof value === 'string') return field && SECRET_FIELDS.has(field) && value ? MASK : cleanText(value)
  if (Array.isArray(value)) return value.map((item) => clean(item))
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [cleanText(key), clean(item, key)]))
  return value
}

/** The body to store for a verified event's raw JSON: the same text when there is nothing to clean. */
export function bodyToStore(raw: string): string {
  if (!NEEDS_REWRITE.test(raw)) return raw
  return JSON.stringify(clean(JSON.parse(raw)))
}
