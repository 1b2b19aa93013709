/**
 * The plugin's admin strings, merged into the site's `i18n.translations` under the
 * `plugin-livekit` namespace (the site's own strings win), the way Payload's plugins do; labels
 * and components read them with `t('plugin-livekit:<key>')`.
 */
import { type Role, ROLES } from '../core/roles.js'
import { STREAM_STATES, type StreamState } from '../core/streamStates.js'
import { de } from './languages/de.js'
import { en, type TranslationKey } from './languages/en.js'
import { es } from './languages/es.js'
import { fr } from './languages/fr.js'

export type { TranslationKey } from './languages/en.js'

export const PLUGIN_NAMESPACE = 'plugin-livekit'

/** Every language the plugin ships, with all keys of English. */
export const PLUGIN_LANGUAGES: Record<'de' | 'en' | 'es' | 'fr', Record<TranslationKey, string>> = {
  en,
  de,
  fr,
  es,
}

/** The plugin's translations, by language, in Payload's `i18n.translations` shape. */
export const pluginTranslations = Object.fromEntries(
  Object.entries(PLUGIN_LANGUAGES).map(([language, strings]) => [
    language,
    { [PLUGIN_NAMESPACE]: strings },
  ]),
) as Record<keyof typeof PLUGIN_LANGUAGES, { [PLUGIN_NAMESPACE]: Record<TranslationKey, string> }>

/** A translation function as Payload gives it to components and label functions. */
export type TFunction = (key: string, vars?: Record<string, unknown>) => string

/** `t` for one of the plugin's keys. */
export const tr = (t: TFunction, key: TranslationKey, vars?: Record<string, unknown>) =>
  t(`${PLUGIN_NAMESPACE}:${key}`, vars)

/** The admin's name of a stream state (for the state badge), or undefined for a value that is not one. */
export const streamStateLabel = (
  t: (key: TranslationKey) => string,
  state: null | string | undefined,
): string | undefined =>
  state && (STREAM_STATES as readonly string[]).includes(state)
    ? t(`state-${state as StreamState}`)
    : undefined

/** The admin's name of a participant's role; a role it does not know shows as it is. */
export const roleLabel = (t: (key: TranslationKey) => string, role: string): string =>
  (ROLES as readonly string[]).includes(role) ? t(`role-${role as Role}`) : role

/**
 * Codes of the plugin's refusals that the admin components name in the admin's language. LiveKit's
 * and Stripe's codes are not among them: moderators and admins read those services' own
 * explanations, which say what to fix.
 */
const ADMIN_ERROR_KEYS: Record<string, TranslationKey> = {
  login_required: 'errorLoginRequired',
  forbidden: 'errorForbidden',
  not_a_moderator: 'errorNotAModerator',
  not_a_host: 'errorNotAModerator',
  other_tenant: 'errorOtherTenant',
  not_found: 'errorNotFound',
  stream_not_live: 'notLive',
  stream_ended: 'errorStreamOver',
  stream_over: 'errorStreamOver',
  stream_cancelled: 'errorStreamCancelled',
  egress_not_found: 'errorEgressNotFound',
  egress_not_running: 'errorEgressNotRunning',
  nothing_to_change: 'errorNothingToChange',
  invalid_destinations: 'errorInvalidDestinations',
  participant_not_found: 'errorParticipantNotFound',
  protected_participant: 'errorProtectedParticipant',
  self_moderation: 'errorSelfModeration',
  not_an_attendee: 'errorNotAnAttendee',
  recording_not_ready: 'replayNotReady',
  no_replay: 'errorNoReplay',
  shelf_full: 'errorShelfFull',
  product_unpriced: 'errorProductUnpriced',
  product_untitled: 'errorProductUntitled',
  product_not_found: 'errorProductNotFound',
  pin_not_found: 'errorPinNotFound',
  not_pinned: 'errorNotPinned',
  sold_out: 'errorSoldOut',
  internal_error: 'errorInternal',
}

/**
 * The text an admin component shows for a failed call: the plugin's words for its refusals (by
 * their `code`, in the admin's language), else the server's own sentence (a code of LiveKit,
 * Stripe or a site's own hook), else a general one.
 */
export function adminErrorText(t: (key: TranslationKey) => string, error: unknown): string {
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : ''
  if (Object.hasOwn(ADMIN_ERROR_KEYS, code)) {
    return t(ADMIN_ERROR_KEYS[code])
  }
  const message = error instanceof Error ? error.message : (error as { message?: unknown })?.message
  return typeof message === 'string' && message ? message : t('somethingWentWrong')
}
