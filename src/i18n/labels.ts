import type { StreamState } from '../core/streamStates.js'

import { en } from './languages/en.js'
import { type TFunction, tr, type TranslationKey } from './translations.js'

/**
 * A label (or description) Payload resolves in the admin's language: `t('plugin-livekit:<key>')`.
 * A site changes the text through its own `i18n.translations`, not by overriding the field.
 */
export const pluginLabel =
  (key: TranslationKey) =>
  // Takes only `t`, so it fits Payload's label, description and collection description functions alike.
  ({ t }: { t: unknown }): string =>
    tr(t as TFunction, key)

/** Slugs of the plugin's collections that have labels among the translations. */
export type LabelledCollection = TranslationKey extends infer K
  ? K extends `collection-${infer S}-singular`
    ? S
    : never
  : never

/** Singular and plural labels of one of the plugin's collections, by its slug. */
export const collectionLabels = (slug: LabelledCollection) => ({
  singular: pluginLabel(`collection-${slug}-singular`),
  plural: pluginLabel(`collection-${slug}-plural`),
})

/** Prefixes of the translated select options (`option-<prefix>-<value>`). */
export type OptionPrefix = TranslationKey extends infer K
  ? K extends `option-${infer P}-${string}`
    ? P
    : never
  : never
type OptionValue<P extends OptionPrefix> = TranslationKey extends infer K
  ? K extends `option-${P}-${infer V}`
    ? V
    : never
  : never

/**
 * Select options whose labels are translation keys, e.g. the ticket status `active` labelled by
 * `option-ticketStatus-active`; a value without a key fails the typecheck.
 */
export const translatedOptions = <P extends OptionPrefix>(
  prefix: P,
  values: readonly OptionValue<P>[],
) =>
  values.map((value) => ({
    value: value as string,
    label: pluginLabel(`option-${prefix}-${value}` as TranslationKey),
  }))

/** Names of the fields whose labels are among the translations (`field-<name>`). */
export type LabelledField = TranslationKey extends infer K
  ? K extends `field-${infer N}`
    ? N
    : never
  : never

/** The label of a field of the plugin's, by its translation key `field-<name>`. */
export const fieldLabel = (name: LabelledField) => pluginLabel(`field-${name}`)

/** The stream states as select options, labelled as on the state badges. */
export const streamStateOptions = (states: readonly StreamState[]) =>
  states.map((value) => ({ value: value as string, label: pluginLabel(`state-${value}`) }))

/** A text Payload resolves in the admin's language, as {@link pluginLabel} makes it. */
export type PluginText = ReturnType<typeof pluginLabel>

/** What a field's `validate` receives besides the value, as far as a message needs it. */
export interface ValidateContext {
  req?: { t?: unknown }
}

/** A validation message in the language of the request that saves (English without one). */
export const pluginMessage = (context: undefined | ValidateContext, key: TranslationKey): string =>
  typeof context?.req?.t === 'function' ? tr(context.req.t as TFunction, key) : en[key]
