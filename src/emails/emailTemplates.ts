/**
 * What attendees are told, in the plugin's languages. Pure: the sender gathers the facts and
 * formats dates and amounts for the reader's locale; these turn them into a subject and a body.
 */

/** The moments an attendee gets an email for. */
export const EMAIL_KINDS = [
  'purchase',
  'reminder',
  'live',
  'refund',
  'rescheduled',
  'replay',
  'product_refund',
] as const
export type EmailKind = (typeof EMAIL_KINDS)[number]

/** The languages the templates are written in; any other falls back to English. */
export const EMAIL_LANGUAGES = ['en', 'de', 'es', 'fr'] as const
export type EmailLanguage = (typeof EMAIL_LANGUAGES)[number]

/** What an email says, already formatted for its reader. */
export interface EmailFacts {
  /** The appointment's title. */
  title: string
  /** When it starts, formatted for the reader (date, time and time zone). */
  startsAt: string
  /** Where the attendee watches (and later the replay). */
  watchUrl: string
  /** The refunded amount, formatted for the reader (refund emails). */
  amount?: string
  /** Why the ticket was refunded, in the reader's language (refund emails). */
  reason?: string
  /** The product bought in the stream (product refund emails). */
  product?: string
}

/** The subject and the plain-text and HTML bodies of one email. */
export interface EmailContent {
  subject: string
  text: string
  html: string
}

type Lines = { subject: string; body: string[] }
type Template = (f: EmailFacts) => Lines

const TEMPLATES: Record<EmailLanguage, Record<EmailKind, Template>> = {
  en: {
    purchase: (f) => ({
      subject: `Your ticket for ${f.title}`,
      body: [`Thank you: your ticket for ${f.title} is confirmed.`, `It starts ${f.startsAt}.`],
    }),
    reminder: (f) => ({
      subject: `${f.title} starts soon`,
      body: [`${f.title} starts ${f.startsAt}. The room is open.`],
    }),
    live: (f) => ({ subject: `${f.title} is live now`, body: [`${f.title} has started.`] }),
    refund: (f) => ({
      subject: `Your ticket for ${f.title} was refunded`,
      body: [
        `We refunded ${f.amount ?? 'your ticket'} to your payment method.`,
        `Why: ${f.reason}.`,
      ],
    }),
    rescheduled: (f) => ({
      subject: `${f.title} has a new time`,
      body: [`${f.title} now starts ${f.startsAt}.`, 'Your ticket and your link stay the same.'],
    }),
    replay: (f) => ({
      subject: `The replay of ${f.title} is ready`,
      body: [`You can watch ${f.title} again.`],
    }),
    product_refund: (f) => ({
      subject: `Your order of ${f.product} was refunded`,
      body: [
        `${f.product} sold out during ${f.title} before your payment went through.`,
        `We refunded ${f.amount ?? 'your order'} to your payment method.`,
      ],
    }),
  },
  de: {
    purchase: (f) => ({
      subject: `Ihr Ticket für ${f.title}`,
      body: [`Danke: Ihr Ticket für ${f.title} ist bestätigt.`, `Beginn: ${f.startsAt}.`],
    }),
    reminder: (f) => ({
      subject: `${f.title} beginnt bald`,
      body: [`${f.title} beginnt ${f.startsAt}. Der Raum ist offen.`],
    }),
    live: (f) => ({ subject: `${f.title} ist jetzt live`, body: [`${f.title} hat begonnen.`] }),
    refund: (f) => ({
      subject: `Ihr Ticket für ${f.title} wurde erstattet`,
      body: [
        `Wir haben ${f.amount ?? 'Ihr Ticket'} auf Ihr Zahlungsmittel erstattet.`,
        `Grund: ${f.reason}.`,
      ],
    }),
    rescheduled: (f) => ({
      subject: `${f.title} hat einen neuen Termin`,
      body: [`${f.title} beginnt jetzt ${f.startsAt}.`, 'Ihr Ticket und Ihr Link bleiben gleich.'],
    }),
    replay: (f) => ({
      subject: `Die Aufzeichnung von ${f.title} ist bereit`,
      body: [`Sie können ${f.title} noch einmal ansehen.`],
    }),
    product_refund: (f) => ({
      subject: `Ihre Bestellung von ${f.product} wurde erstattet`,
      body: [
        `${f.product} war während ${f.title} ausverkauft, bevor Ihre Zahlung einging.`,
        `Wir haben ${f.amount ?? 'Ihre Bestellung'} auf Ihr Zahlungsmittel erstattet.`,
      ],
    }),
  },
  es: {
    purchase: (f) => ({
      subject: `Tu entrada para ${f.title}`,
      body: [`Gracias: tu entrada para ${f.title} está confirmada.`, `Empieza ${f.startsAt}.`],
    }),
    reminder: (f) => ({
      subject: `${f.title} empieza pronto`,
      body: [`${f.title} empieza ${f.startsAt}. La sala está abierta.`],
    }),
    live: (f) => ({ subject: `${f.title} está en directo`, body: [`${f.title} ha empezado.`] }),
    refund: (f) => ({
      subject: `Tu entrada para ${f.title} fue reembolsada`,
      body: [
        `Reembolsamos ${f.amount ?? 'tu entrada'} a tu medio de pago.`,
        `Motivo: ${f.reason}.`,
      ],
    }),
    rescheduled: (f) => ({
      subject: `${f.title} tiene un nuevo horario`,
      body: [`${f.title} ahora empieza ${f.startsAt}.`, 'Tu entrada y tu enlace no cambian.'],
    }),
    replay: (f) => ({
      subject: `La grabación de ${f.title} está lista`,
      body: [`Puedes volver a ver ${f.title}.`],
    }),
    product_refund: (f) => ({
      subject: `Se reembolsó tu pedido de ${f.product}`,
      body: [
        `${f.product} se agotó durante ${f.title} antes de que se completara tu pago.`,
        `Reembolsamos ${f.amount ?? 'tu pedido'} a tu medio de pago.`,
      ],
    }),
  },
  fr: {
    purchase: (f) => ({
      subject: `Votre billet pour ${f.title}`,
      body: [`Merci : votre billet pour ${f.title} est confirmé.`, `Début : ${f.startsAt}.`],
    }),
    reminder: (f) => ({
      subject: `${f.title} commence bientôt`,
      body: [`${f.title} commence ${f.startsAt}. La salle est ouverte.`],
    }),
    live: (f) => ({ subject: `${f.title} est en direct`, body: [`${f.title} a commencé.`] }),
    refund: (f) => ({
      subject: `Votre billet pour ${f.title} a été remboursé`,
      body: [
        `Nous avons remboursé ${f.amount ?? 'votre billet'} sur votre moyen de paiement.`,
        `Motif : ${f.reason}.`,
      ],
    }),
    rescheduled: (f) => ({
      subject: `${f.title} change d'horaire`,
      body: [
        `${f.title} commence désormais ${f.startsAt}.`,
        'Votre billet et votre lien restent les mêmes.',
      ],
    }),
    replay: (f) => ({
      subject: `Le replay de ${f.title} est prêt`,
      body: [`Vous pouvez revoir ${f.title}.`],
    }),
    product_refund: (f) => ({
      subject: `Votre commande de ${f.product} a été remboursée`,
      body: [
        `${f.product} était épuisé pendant ${f.title} avant que votre paiement aboutisse.`,
        `Nous avons remboursé ${f.amount ?? 'votre commande'} sur votre moyen de paiement.`,
      ],
    }),
  },
}

/** The link line under every email, in the reader's language. */
const LINK: Record<EmailLanguage, { watch: string; replay: string }> = {
  en: { watch: 'Watch here', replay: 'Watch the replay' },
  de: { watch: 'Hier ansehen', replay: 'Aufzeichnung ansehen' },
  es: { watch: 'Míralo aquí', replay: 'Ver la grabación' },
  fr: { watch: 'Regarder ici', replay: 'Voir le replay' },
}

/** Why a ticket was refunded, in words, per language. */
export const REFUND_REASON_WORDS: Record<EmailLanguage, Record<string, string>> = {
  en: {
    appointment_cancelled: 'the appointment was cancelled',
    host_no_show: 'the host did not come',
    attendee_cancelled: 'you cancelled your ticket',
    sold_out: 'the last place was gone when your payment arrived',
    stripe: 'the payment was refunded',
  },
  de: {
    appointment_cancelled: 'der Termin wurde abgesagt',
    host_no_show: 'der Gastgeber ist nicht gekommen',
    attendee_cancelled: 'Sie haben Ihr Ticket storniert',
    sold_out: 'der letzte Platz war vergeben, als Ihre Zahlung ankam',
    stripe: 'die Zahlung wurde erstattet',
  },
  es: {
    appointment_cancelled: 'la cita se canceló',
    host_no_show: 'el anfitrión no se presentó',
    attendee_cancelled: 'cancelaste tu entrada',
    sold_out: 'no quedaban plazas cuando llegó tu pago',
    stripe: 'el pago fue reembolsado',
  },
  fr: {
    appointment_cancelled: 'le rendez-vous a été annulé',
    host_no_show: "l'hôte n'est pas venu",
    attendee_cancelled: 'vous avez annulé votre billet',
    sold_out: 'la dernière place était prise quand votre paiement est arrivé',
    stripe: 'le paiement a été remboursé',
  },
}

/** One of the template languages for a requested one (`de-AT` → `de`), English otherwise. */
export function emailLanguageOf(requested: null | string | undefined): EmailLanguage {
  const base = String(requested ?? '')
    .toLowerCase()
    .split(/[-_]/)[0]
  return (EMAIL_LANGUAGES as readonly string[]).includes(base) ? (base as EmailLanguage) : 'en'
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** The email of `kind` in `language`; every fact is escaped in the HTML body. */
export function composeEmail(
  kind: EmailKind,
  language: EmailLanguage,
  facts: EmailFacts,
): EmailContent {
  const { subject, body } = TEMPLATES[language][kind](facts)
  const link = kind === 'replay' ? LINK[language].replay : LINK[language].watch
  const text = [...body, '', `${link}: ${facts.watchUrl}`].join('\n')
  const html = [
    ...body.map((line) => `<p>${escapeHtml(line)}</p>`),
    `<p><a href="${escapeHtml(facts.watchUrl)}">${escapeHtml(link)}</a></p>`,
  ].join('\n')
  return { subject, text, html }
}
