'use client'
import type React from 'react'

import { createContext, use, useMemo } from 'react'

import {
  dateLocale,
  errorText,
  formatMessage,
  type KitMessageKey,
  kitMessages,
  type KitMessages,
} from './messages/index.js'

/** Language props every kit component takes; they win over a surrounding provider. */
export interface KitLanguageProps {
  /** Language of the kit's texts and dates (`en`, `de`, `fr`, `es`, or a regional form such as `de-AT`). Default English, dates in the browser's locale. */
  locale?: string
  /** The site's own texts, over the shipped ones: all keys or only the few to change. */
  messages?: Partial<KitMessages>
}

const KitLanguage = createContext<KitLanguageProps>({})

/**
 * Sets the language of every kit component inside it:
 *
 * ```tsx
 * <LivekitKitProvider locale="de" messages={{ buyTicket: 'Jetzt Ticket sichern' }}>
 *   <ViewerPlayer liveStreamId={id} />
 * </LivekitKitProvider>
 * ```
 *
 * Providers nest: an inner one keeps the outer locale unless it sets its own, and adds its
 * messages over the outer ones.
 */
export function LivekitKitProvider({
  locale,
  messages,
  children,
}: { children?: React.ReactNode } & KitLanguageProps) {
  const outer = use(KitLanguage)
  const value = useMemo(
    () => ({ locale: locale ?? outer.locale, messages: { ...outer.messages, ...messages } }),
    [locale, messages, outer],
  )
  return <KitLanguage value={value}>{children}</KitLanguage>
}

/** What a kit component reads its texts through. */
export interface KitText {
  /** The locale dates are shown in (`undefined`: the browser's). */
  locale: string | undefined
  /** Every text in the chosen language. */
  messages: KitMessages
  /** What to show for a failed call: the kit's words for the plugin's refusals, else the server's. */
  errorText: (error: unknown) => string
  /** One text, placeholders filled: `t('watchingCount', { count: 3 })`. */
  t: (key: KitMessageKey, values?: Record<string, number | string>) => string
}

/** The kit's texts for this component: its own props over the nearest provider, over English. */
export function useKitText(props: KitLanguageProps = {}): KitText {
  const context = use(KitLanguage)
  const locale = props.locale ?? context.locale
  const overrides = props.messages ? { ...context.messages, ...props.messages } : context.messages
  return useMemo(() => {
    const messages = kitMessages(locale, overrides)
    return {
      locale: dateLocale(locale),
      messages,
      errorText: (error: unknown) => errorText(messages, error),
      t: (key, values) => formatMessage(messages[key], values),
    }
  }, [locale, overrides])
}
