import { STREAM_STATES, type StreamState } from '../../core/streamStates.js'
import { de } from './de.js'
import { en, type KitMessageKey, type KitMessages } from './en.js'
import { es } from './es.js'
import { fr } from './fr.js'

export type { KitMessageKey, KitMessages } from './en.js'

/** The languages the kit ships. */
export const KIT_MESSAGES = { en, de, fr, es } satisfies Record<string, KitMessages>

/** A language the kit ships. */
export type KitLocale = keyof typeof KIT_MESSAGES

/**
 * The kit's texts for a locale (`de`, `de-AT`, `fr-CA`…; anything else reads English), with a
 * site's own texts over them.
 */
export function kitMessages(locale?: string, overrides?: Partial<KitMessages>): KitMessages {
  const language = (locale ?? 'en').toLowerCase().split(/[-_]/)[0]
  // Own keys only: a locale such as "constructor" must read English, not Object's prototype.
  const base: KitMessages = Object.hasOwn(KIT_MESSAGES, language)
    ? KIT_MESSAGES[language as KitLocale]
    : en
  if (!overrides) {
    return base
  }
  const out = { ...base }
  // An empty or missing override keeps the shipped text rather than blanking a button.
  for (const [key, value] of Object.entries(overrides)) {
    if (value && Object.hasOwn(en, key)) {
      out[key as KitMessageKey] = value
    }
  }
  return out
}

/** Fills `{name}` placeholders; one without a value stays as written. */
export function formatMessage(
  template: string,
  values: Record<string, number | string> = {},
): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  )
}

/**
 * The locale dates are written in: the site's locale when the platform knows it (`fr_CA` is read
 * as `fr-CA`), else the browser's. A locale `Intl` refuses must not break the page.
 */
export function dateLocale(locale?: string): string | undefined {
  if (!locale) {
    return undefined
  }
  try {
    return Intl.getCanonicalLocales(locale.replace(/_/g, '-'))[0]
  } catch {
    return undefined
  }
}

// Codes the plugin's endpoints refuse with that a viewer or host meets in the kit.
const ERROR_KEYS: Record<string, KitMessageKey> = {
  login_required: 'errorLoginRequired',
  ticket_required: 'errorTicketRequired',
  other_tenant: 'errorOtherTenant',
  removed: 'errorRemoved',
  stream_not_open: 'errorStreamNotOpen',
  stream_not_live: 'errorStreamNotOpen',
  stream_ended: 'errorStreamEnded',
  stream_over: 'errorStreamEnded',
  stream_cancelled: 'errorStreamCancelled',
  sold_out: 'errorSoldOut',
  already_has_ticket: 'errorAlreadyHasTicket',
  not_in_room: 'errorNotInRoom',
  not_found: 'errorNotFound',
  inbox_unavailable: 'errorUnavailable',
  replay_expired: 'errorReplayExpired',
  recording_not_ready: 'errorRecordingNotReady',
  internal_error: 'somethingWentWrong',
}

/**
 * The text to show for a failed call: the kit's own words for the plugin's refusals (by their
 * `code`, in the kit's language), else the server's sentence, else a general one.
 */
export function errorText(messages: KitMessages, error: unknown): string {
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : ''
  if (Object.hasOwn(ERROR_KEYS, code)) {
    return messages[ERROR_KEYS[code]]
  }
  const message = error instanceof Error ? error.message : (error as { message?: unknown })?.message
  return typeof message === 'string' && message ? message : messages.somethingWentWrong
}

/** The stream states' labels of one language, for the admin's texts to read as the kit's do. */
export function streamStateLabels(messages: KitMessages): Record<`state-${StreamState}`, string> {
  return Object.fromEntries(
    STREAM_STATES.map((state) => [`state-${state}`, messages[`state-${state}`]]),
  ) as Record<`state-${StreamState}`, string>
}
