import { describe, expect, it } from 'vitest'

import {
  dateLocale,
  errorText,
  formatMessage,
  KIT_MESSAGES,
  kitMessages,
} from '../react/messages/index.js'
import { adminErrorText, PLUGIN_LANGUAGES, type TranslationKey } from './translations.js'

/** The `{{name}}` (admin) or `{name}` (kit) placeholders of a text, sorted. */
const placeholders = (text: string, pattern: RegExp) =>
  [...text.matchAll(pattern)].map((m) => m[1]).sort()

const sets = [
  {
    name: 'the admin namespace',
    languages: PLUGIN_LANGUAGES as Record<string, Record<string, string>>,
    pattern: /\{\{(\w+)\}\}/g,
  },
  {
    name: 'the front-end kit',
    languages: KIT_MESSAGES as Record<string, Record<string, string>>,
    pattern: /\{(\w+)\}/g,
  },
]

describe.each(sets)('translations of $name', ({ languages, pattern }) => {
  const english = languages.en
  const keys = Object.keys(english).sort()

  it('ships English, German, French and Spanish', () => {
    expect(Object.keys(languages).sort()).toEqual(['de', 'en', 'es', 'fr'])
  })

  it.each(Object.keys(languages))(
    '%s has every key and no other, none of them empty',
    (language) => {
      const strings = languages[language]
      expect(Object.keys(strings).sort()).toEqual(keys)
      for (const key of keys) {
        expect(strings[key]?.trim(), `${language}: ${key}`).toBeTruthy()
      }
    },
  )

  it.each(Object.keys(languages))('%s keeps the placeholders of the English text', (language) => {
    for (const key of keys) {
      expect(placeholders(languages[language][key], pattern), `${language}: ${key}`).toEqual(
        placeholders(english[key], pattern),
      )
    }
  })
})

describe('the kit in a language', () => {
  it('reads a regional locale in its language, and one it does not ship in English', () => {
    expect(kitMessages('de-AT').buyTicket).toBe('Ticket kaufen')
    expect(kitMessages('fr_CA').buyTicket).toBe('Acheter un billet')
    expect(kitMessages('ES').buyTicket).toBe('Comprar una entrada')
    expect(kitMessages('nl').buyTicket).toBe('Buy a ticket')
    expect(kitMessages().buyTicket).toBe('Buy a ticket')
  })

  it('reads English for a locale that names something other than a language', () => {
    for (const locale of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(kitMessages(locale).buyTicket, locale).toBe('Buy a ticket')
    }
    expect(formatMessage('{constructor} watching', {})).toBe('{constructor} watching')
  })

  it('writes dates in a locale Intl accepts, and never breaks on one it refuses', () => {
    expect(dateLocale('fr_CA')).toBe('fr-CA')
    expect(dateLocale('de-at')).toBe('de-AT')
    expect(dateLocale('not a locale!')).toBeUndefined()
    expect(dateLocale(undefined)).toBeUndefined()
    expect(() => new Date(0).toLocaleString(dateLocale('fr_CA'))).not.toThrow()
  })

  it("takes a site's own texts over the shipped ones, but not an empty one", () => {
    const messages = kitMessages('de', { buyTicket: 'Jetzt Ticket sichern', logIn: '' })
    expect(messages.buyTicket).toBe('Jetzt Ticket sichern')
    expect(messages.logIn).toBe('Anmelden')
    expect(messages.tryAgain).toBe('Erneut versuchen')
  })

  it('fills placeholders and leaves one without a value as written', () => {
    expect(formatMessage(kitMessages('en').pageOf, { page: 2, total: 5 })).toBe('Page 2 of 5')
    expect(formatMessage('{count} watching')).toBe('{count} watching')
  })

  it('speaks English as it always did, word for word', () => {
    const en = kitMessages('en')
    expect([
      en.goLive,
      en.buyTicket,
      en.hasEnded,
      en.endedThanks,
      en.message,
      en.quality,
      en.stats,
      en.shareScreen,
      en.endStream,
      en.startRecording,
      en.filterLive,
    ]).toEqual([
      'Go live',
      'Buy a ticket',
      'This live stream has ended.',
      'This live stream has ended. Thank you for watching!',
      'Message',
      'Quality',
      'Stats',
      'Share screen',
      'End stream',
      'Start recording',
      'Live now',
    ])
    expect(formatMessage(en.react, { emoji: '👏' })).toBe('React 👏')
  })
})

describe("the kit's words for the plugin's refusals", () => {
  it("shows a refusal by its code in the kit's language, and any other failure as the server said it", () => {
    const de = kitMessages('de')
    expect(errorText(de, { code: 'sold_out', message: 'This live stream is sold out.' })).toBe(
      de.errorSoldOut,
    )
    expect(errorText(kitMessages('fr'), { code: 'ticket_required', message: 'x' })).toBe(
      'Un billet est nécessaire pour regarder ce direct.',
    )
    const upstream = Object.assign(new Error('No LiveKit egress worker answered.'), {
      code: 'egress_unavailable',
    })
    expect(errorText(de, upstream)).toBe('No LiveKit egress worker answered.')
    expect(errorText(de, { code: 'constructor' })).toBe(de.somethingWentWrong)
    expect(errorText(de, null)).toBe(de.somethingWentWrong)
  })
})

describe("the admin's text for a failed call", () => {
  const inGerman = (key: TranslationKey) => PLUGIN_LANGUAGES.de[key]

  it("names the plugin's refusals by their code in the admin's language", () => {
    const refused = Object.assign(new Error('Only the host, co-hosts and admins can do that.'), {
      code: 'not_a_moderator',
    })
    expect(adminErrorText(inGerman, refused)).toBe(PLUGIN_LANGUAGES.de.errorNotAModerator)
    expect(adminErrorText(inGerman, { code: 'recording_not_ready', message: 'x' })).toBe(
      PLUGIN_LANGUAGES.de.replayNotReady,
    )
  })

  it("shows LiveKit's own explanation, and the server's sentence for a code it does not know", () => {
    const upstream = Object.assign(new Error('No LiveKit egress worker answered.'), {
      code: 'egress_unavailable',
    })
    expect(adminErrorText(inGerman, upstream)).toBe('No LiveKit egress worker answered.')
    expect(adminErrorText(inGerman, { code: 'site_rule', message: 'Not on Sundays.' })).toBe(
      'Not on Sundays.',
    )
    expect(adminErrorText(inGerman, { code: 'constructor' })).toBe(
      PLUGIN_LANGUAGES.de.somethingWentWrong,
    )
    expect(adminErrorText(inGerman, null)).toBe(PLUGIN_LANGUAGES.de.somethingWentWrong)
  })
})
