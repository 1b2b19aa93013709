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
  const language = (locale ?? 'en').toLowerCase().split(/[-_]/)[0] as KitLocale
  const base: KitMessages = KIT_MESSAGES[language] ?? en
  if (!overrides) {
    return base
  }
  const out = { ...base }
  // An empty or missing override keeps the shipped text rather than blanking a button.
  for (const [key, value] of Object.entries(overrides)) {
    if (value) {
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
    name in values ? String(values[name]) : whole,
  )
}
