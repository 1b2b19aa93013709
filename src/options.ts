import type { CollectionConfig, PayloadRequest } from 'payload'

import type { DocId } from './core/ids.js'
import type { Role } from './core/roles.js'
import type { LivekitAdapterFactory, LivekitRooms } from './livekit/rooms.js'

/** Receives the collection the plugin would add and returns the one to use. */
export type CollectionOverride = (args: { defaultCollection: CollectionConfig }) => CollectionConfig

/**
 * Which fields of the site's own appointments collection carry which meaning. Every name is a
 * top-level field name of that collection. Fields marked "optional" may be left out when the
 * site does not model them; the plugin then skips the feature that needs them.
 */
export interface AppointmentFieldMap {
  /** Relationship to the user who hosts the appointment. Default `host`. */
  host?: string
  /** Optional relationship (hasMany) to users who co-host. Default `coHosts` when present. */
  coHosts?: string
  /** Optional relationship (hasMany) to users who attend without a paid ticket. Default `attendees` when present. */
  attendees?: string
  /** Date field with the scheduled start. Default `startsAt`. */
  start?: string
  /** Date field with the scheduled end. Default `endsAt`. */
  end?: string
  /** Optional select/text field with the booking status. Default `status` when present. */
  status?: string
  /** Optional relationship to the tenant the appointment belongs to. Default `tenant` when present. */
  tenant?: string
  /** Optional select/text field `public` or `ticketed`. Default `visibility` when present. */
  visibility?: string
  /** Ticket price in integer minor units (cents). Default `price`; added by the plugin when absent. */
  price?: string
  /** ISO 4217 currency code of the price. Default `currency`; added by the plugin when absent. */
  currency?: string
  /** Optional number field capping attendance. Default `capacity` when present. */
  capacity?: string
}

/** How the plugin joins the site's appointments collection. */
export interface AppointmentsOptions {
  /** Slug of the site's appointments collection. It must exist in the Payload config. */
  slug: string
  /** Field names of that collection; see {@link AppointmentFieldMap} for the defaults. */
  fields?: AppointmentFieldMap
  /**
   * Add `price` (integer minor units) and `currency` fields when the collection has none of that
   * name. Default `true`. Turn off when the site prices appointments elsewhere.
   */
  addPriceFields?: boolean
  /** Currency used for the added `currency` field and for appointments without one. Default `usd`. */
  defaultCurrency?: string
}

/** LiveKit server credentials. Each value falls back to its environment variable. */
export interface LivekitConnectionOptions {
  /** Server URL as clients reach it (`wss://…` or `ws://…`). Default `LIVEKIT_URL`. */
  url?: string
  /** API key. Default `LIVEKIT_API_KEY`. */
  apiKey?: string
  /** API secret; never sent to a browser or logged. Default `LIVEKIT_API_SECRET`. */
  apiSecret?: string
  /**
   * URL the server uses for API calls when it differs from `url` (for example an internal
   * address). Default: `url` with `ws` replaced by `http`.
   */
  apiUrl?: string
  /**
   * First part of every room name the plugin makes (`<prefix>-<appointment id>-<random>`). The
   * reconcile job deletes stray rooms with this prefix only, so sites sharing one LiveKit project
   * must each have their own. Letters, digits and dashes. Default: the appointments slug.
   */
  roomPrefix?: string
  /** Milliseconds before an API call gives up. Default 10000; egress calls use at least 30000. */
  requestTimeoutMs?: number
  /**
   * Builds the adapter the plugin talks to LiveKit through (rooms, participants, tokens, egress,
   * ingress, webhook verification; see {@link LivekitRooms}). It receives the plugin's own adapter
   * on livekit-server-sdk as `defaultAdapter` and the resolved `connection` settings, and returns
   * the one to use: usually the default wrapped, to trace calls or to add LiveKit Cloud features.
   * Called once per Payload configuration, when the plugin first talks to LiveKit. Default: the
   * plugin's own adapter.
   *
   * @example
   * // Every call traced, the default adapter doing the work:
   * adapter: ({ defaultAdapter }) =>
   *   new Proxy(defaultAdapter, {
   *     get: (target, name) => {
   *       const value = Reflect.get(target, name)
   *       return typeof value === 'function' ? (...args: never[]) => traced(String(name), () => value.apply(target, args)) : value
   *     },
   *   })
   */
  adapter?: LivekitAdapterFactory
}

/** Stripe credentials. Ticket sales are off when no secret key is configured. */
export interface StripeOptions {
  /** Secret API key. Default `STRIPE_SECRET_KEY`. */
  secretKey?: string
  /** Signing secret of the webhook endpoint. Default `STRIPE_WEBHOOK_SECRET`. */
  webhookSecret?: string
  /**
   * Base URL of the Stripe API, for stripe-mock in development (`http://127.0.0.1:12111`).
   * Default `STRIPE_API_BASE`, else Stripe's own.
   */
  apiBase?: string
  /**
   * Field of the users collection holding a host's Stripe connected account id (`acct_…`). With
   * one, ticket sales are destination charges with the commission as application fee. Added to
   * the users collection when missing. Default `stripeAccountId`.
   */
  hostAccountField?: string
  /** Public URL of the site, for Checkout's default return URLs. Default: the request's origin. */
  siteUrl?: string
  /** Path under the API route for Stripe's webhooks. Default `/stripe/webhook`. */
  webhookPath?: string
  /**
   * Origins (`https://shop.example.com`, no path) besides the site's own that Checkout may send the
   * buyer back to (`successUrl`/`cancelUrl`). The site's own origin is `siteUrl`, else Payload's
   * `serverURL`; with neither set (development), the origin the request was addressed to.
   * Any other return URL is refused with 400. Default none.
   */
  returnUrlOrigins?: string[]
  /**
   * Names this site (and environment) in the Checkout Sessions it creates. Sessions carry it with
   * a signature keyed by the Payload secret; the webhook books only sessions signed by this site
   * with this id, so staging and production (or two sites) can share one Stripe account.
   * 1 to 40 letters, digits, dots, dashes or underscores. Default `livekit.roomPrefix`.
   */
  siteId?: string
  /**
   * How a ticket's money reaches its host.
   * - `'destination'`: a destination charge; Stripe moves the host's share to the host's connected
   *   account at once and keeps the commission as the application fee. The host is paid when the
   *   ticket is sold (and gives it back on a refund).
   * - `'separate'`: separate charges and transfers; the platform is paid the whole price, the
   *   host's share accrues in the ledger and the payout job transfers it (`payouts.holdDays`
   *   after the stream closed, only when the appointment took place and the host came).
   *
   * A host without a connected account is paid by nobody in `'destination'` mode (the ledger
   * shows what is owed); in `'separate'` mode the payout waits until the account exists.
   * Default `'destination'`.
   */
  chargeMode?: 'destination' | 'separate'
  /**
   * Who bears Stripe's processing fee of a sale: `'platform'` (taken from the commission) or
   * `'host'` (taken from the host's share). The fee is read from the charge's balance transaction
   * and booked on the sale; every entry keeps gross = commission + host share + fee. Refunds do not
   * give the fee back (Stripe keeps it), so it stays a cost of whoever bore it. With destination
   * charges Stripe always takes its fee from the platform; a host who bears it then owes it, which
   * the statement shows. Default `'platform'`.
   */
  feeBearer?: 'host' | 'platform'
}

/** One email to an attendee, as the site's `emails.beforeSend` hook receives and returns it. */
export interface AttendeeEmail {
  to: string
  subject: string
  text: string
  html: string
}

/** What an attendee email is about, for the site's `emails.beforeSend` hook. */
export interface AttendeeEmailContext {
  /** `product_refund`: a product bought in the stream sold out before the payment arrived. */
  kind: 'live' | 'product_refund' | 'purchase' | 'refund' | 'reminder' | 'replay' | 'rescheduled'
  /** The language the plugin wrote it in (`en`, `de`, `es`, `fr`). */
  language: string
  /** The ticket the email is about; null for a product refund. */
  ticket: null | Record<string, unknown>
  /** The product order a product refund is about. */
  productOrder?: Record<string, unknown>
  liveStream: Record<string, unknown>
  appointment: null | Record<string, unknown>
  /** The buyer; null for a guest of a public stream (the order has the email Checkout took). */
  user: null | Record<string, unknown>
  watchUrl: string
}

/**
 * Emails to ticket holders through Payload's own email adapter (`payload.sendEmail`; in production
 * for example `@payloadcms/email-nodemailer`): purchase confirmation with the watch link, a
 * reminder when the room opens (`lifecycle.leadMinutes` before the start), "live now" when the
 * host starts broadcasting, refund issued (with the reason), rescheduled (the new time, the same
 * link) and replay ready. Each is sent once per ticket (and per new time, per recording), also with
 * several instances, and a failed send is tried again.
 */
export interface EmailOptions {
  /** Send attendee emails. Default: true when the Payload config has an `email` adapter. */
  enabled?: boolean
  /**
   * Changes or suppresses an email before it is sent: return it (changed or not), or `false` to
   * send nothing for this ticket and moment (it is not tried again).
   */
  beforeSend?: (
    email: AttendeeEmail,
    context: AttendeeEmailContext,
  ) => AttendeeEmail | false | Promise<AttendeeEmail | false>
  /**
   * The language of a user's emails; one of `en`, `de`, `es`, `fr` (others fall back to English).
   * Default: the user's `language` field when it has one, else Payload's `i18n.fallbackLanguage`.
   */
  language?: (user: Record<string, unknown>) => string | undefined
  /**
   * IANA time zone the start time is written in. Default `UTC` (the zone is named in the email).
   */
  timeZone?: string
  /** Where an attendee watches the stream. Default `<site>/streams/<id>/watch`. */
  watchUrl?: (liveStream: { id: number | string; roomName: string }) => string
}

/** Which fields of the site's product collection mean what (see {@link ShoppingOptions}). */
export interface ProductFieldMap {
  /** The product's name on the spotlight card and in Checkout. Default `title`. */
  title?: string
  /** The price, a whole number of minor units (1500 = 15.00 USD). Default `price`. */
  price?: string
  /**
   * A text or select field holding the ISO 4217 currency code. Default: none, every product is in
   * `shopping.currency`.
   */
  currency?: string
  /**
   * The picture on the card: a text field with an http(s) URL, or an upload field whose document
   * has a `url`. Default: none.
   */
  image?: string
  /**
   * A number field with the units left. The plugin decrements it on each sale and never sells
   * more than it holds; a product without a number there is not limited. Default: none (no limit).
   */
  stock?: string
}

/**
 * Live shopping: hosts spotlight the site's products during a stream and viewers buy them from
 * the player through Stripe Checkout, with the same commission rules as tickets. Off unless
 * `products` is given. Install the plugin after any plugin that adds the product collection (the
 * ecommerce plugin, for one), so the collection exists when the options are checked.
 */
export interface ShoppingOptions {
  /** Slug of the site's product collection. Required to turn live shopping on. */
  products: string
  /** Which of its fields mean title, price, currency, image and stock. */
  fields?: ProductFieldMap
  /** Currency of every product when `fields.currency` is not given. Default `appointments.defaultCurrency`. */
  currency?: string
  /** How many products the shelf of one stream may hold besides the spotlight. From 1 to 50. Default 12. */
  shelfSize?: number
}

/** Payouts of the host's share in `stripe.chargeMode: 'separate'`. */
export interface PayoutOptions {
  /**
   * Days after a stream closed before its host's share is transferred, so refunds and disputes of
   * the first days come out of money still held. From 0 to 90; fractions allowed. Default 7.
   */
  holdDays?: number
}

/**
 * What happens to ticket money when the appointment does not take place. Every refund is a full
 * refund through Stripe (once per ticket and reason); the ticket shows `refund_pending` until
 * Stripe's `charge.refunded` arrives, then `refunded`, and the ledger books the reversal from that
 * event. Attendees who do not come are not refunded.
 */
export interface RefundOptions {
  /** Refund every active ticket when the appointment is cancelled (its cancel status, or deleted). Default true. */
  onCancel?: boolean
  /** Refund every active ticket when the stream closes and its host never joined. Default true. */
  onHostNoShow?: boolean
  /**
   * How many minutes before the scheduled start an attendee may still cancel their own ticket
   * (`POST /api/tickets/:id/cancel`, refunded in full); later it is refused with 409
   * `cancel_window_closed`. `false`: attendees cannot cancel. Whole minutes from 0 to 43200 (30
   * days). Default 1440 (24 hours).
   */
  attendeeCancelMinutes?: false | number
  /**
   * Tries of a refund Stripe refused for a passing reason (an outage, rate limits, refused keys)
   * before it is shown to admins as failed; the waits between tries double from one minute up to
   * six hours. Whole number from 1 to 50. Default 10.
   */
  maxAttempts?: number
}

/** Override any of the collections the plugin adds. */
export interface CollectionOverrides {
  /** Override for `live-streams`. */
  liveStreams?: CollectionOverride
  /** Override for `recordings`. */
  recordings?: CollectionOverride
  /** Override for `revenue-tracking` (the ledger stays append-only whatever the override does). */
  revenueTracking?: CollectionOverride
}

/** When and how rooms open and close. */
export interface LifecycleOptions {
  /** Minutes before the start when the room opens, so the host has a green room. Default 10. */
  leadMinutes?: number
  /** Minutes after the end when the room closes if nobody closed it before. Default 15. */
  graceMinutes?: number
  /**
   * Appointment statuses that move the stream when the status changes to them. Defaults fit
   * payload-reserve: open on `in-progress`, close on `completed` and `no-show`, cancel on
   * `cancelled`. Leaving a cancel status for any other reinstates the stream.
   */
  statuses?: { open?: string[]; close?: string[]; cancel?: string[] }
  /** Participant cap of a room when the appointment has no capacity. 0 = no cap. Default 0. */
  maxParticipants?: number
  /** Longest wait, in seconds, between attempts while LiveKit cannot be reached. Default 60. */
  retryMaxDelaySeconds?: number
  /**
   * Cron (six fields, with seconds) of the reconcile job that compares LiveKit's rooms with the
   * database and repairs both. Default every minute (`0 * * * * *`). `false` turns it off.
   */
  reconcileCron?: false | string
  /**
   * How the plugin's queue is run in this process: a cron with seconds and a batch size. Default
   * every 5 seconds, 100 jobs. `false` when the site runs jobs itself (e.g. serverless, calling
   * `/api/payload-jobs/run` from a scheduler).
   */
  autoRun?: { cron?: string; limit?: number } | false
  /** Name of the jobs queue the plugin uses. Default `livekit`. */
  queue?: string
}

/** What the token endpoint's decision is based on, and what a site may change about it. */
export interface AccessOptions {
  /** Lifetime of a client token in seconds (connected clients get refreshed ones). Default 14400 (4 h). */
  tokenTtlSeconds?: number
  /**
   * Overrides the role decision. Return a role to grant it, `null` to refuse (403), or
   * `undefined` to keep the plugin's decision (`decision`). Never called for removed participants.
   */
  resolveRole?: (args: {
    req: PayloadRequest
    user: null | Record<string, unknown>
    appointment: Record<string, unknown>
    liveStream: Record<string, unknown>
    decision: null | Role
  }) => null | Promise<null | Role | undefined> | Role | undefined
  /** Tenant ids of a user. Default: `user.tenant`, plus `user.tenants[].tenant` (multi-tenant plugin). */
  userTenants?: (user: Record<string, unknown>) => DocId[]
  /** Name shown for a user in the room. Default: `user.name`, else "Participant". Never the email. */
  displayName?: (user: Record<string, unknown>) => string
}

/** Where the plugin receives webhooks. */
export interface WebhookOptions {
  /** Path under the API route for LiveKit's webhooks. Default `/livekit/webhook` (so `/api/livekit/webhook`). */
  livekitPath?: string
  /**
   * Days a LiveKit event is kept in the inbox (`livekit-webhook-events`) after it was applied;
   * the reconcile job deletes older ones. Events not applied yet are kept whatever their age.
   * `false` keeps every event. Default 30.
   */
  retentionDays?: false | number
}

/** How the plugin uses the site's database. */
export interface DatabaseOptions {
  /**
   * The implementation of the hot paths (webhook inbox, connections and attendance, audience
   * counts, removals, token facts). `'auto'` picks the fast one written for the site's adapter
   * (PostgreSQL today), and Payload's own database API on any other; `'generic'` always uses
   * Payload's API, which is correct on every adapter and slower (for comparing, or to rule the
   * fast path out while diagnosing). Default `'auto'`.
   */
  hotPaths?: 'auto' | 'generic'
}

/** Recording and streaming (LiveKit egress). */
export interface EgressOptions {
  /**
   * Where recordings and HLS segments are uploaded: `{ s3: { bucket, region?, endpoint?,
   * forcePathStyle?, accessKey?, secret? } }` (S3 and S3-compatible such as MinIO),
   * `{ gcs: { bucket, credentials? } }` or `{ azure: { accountName, accountKey, container } }`.
   * Default: the egress service's own storage configuration.
   */
  storage?: import('./core/egressPlan.js').StorageConfig
  /** MP4 path template; `{room}`, `{stream}`, `{appointment}`, `{time}`. Default `recordings/{room}/{time}.mp4`. */
  filePath?: string
  /** HLS prefix template, same variables. Default `hls/{room}/{time}`. */
  hlsPath?: string
  /**
   * Key that encrypts saved RTMP stream keys at rest (AES-256-GCM): 32 random bytes, base64.
   * Default `LIVEKIT_PLUGIN_ENCRYPTION_KEY`. Without one, stream keys cannot be saved.
   */
  encryptionKey?: string
  /** Record every stream from the moment its room opens (a stream's own setting wins). Default false. */
  autoRecord?: boolean
  /**
   * Absolute URL of the site's composite overlay page (`<CompositeView>`), which `web` egress
   * records, e.g. `https://example.com/streams/{stream}/overlay`; `{stream}`, `{room}` and
   * `{appointment}` are filled in and a hidden watch-only token is appended. Without one, `web`
   * egress is refused with a 400 that says so.
   */
  overlayUrl?: string
  /**
   * How long signed replay URLs stay valid, in seconds. Default 3600.
   */
  playbackUrlTtlSeconds?: number
  /**
   * Days after a stream ended during which ticket holders (and guests of a public stream) may
   * watch its replays; afterwards the playback endpoint answers 410 `replay_expired`. Hosts,
   * co-hosts and admins may always. A whole number from 0 to 3650, or `false` for no limit.
   * Default 30.
   */
  replayDays?: false | number
  /**
   * Public base URL of the storage (e.g. a CDN in front of the bucket). When set, replays are
   * `baseUrl + path` without signing; otherwise S3, GCS and Azure locations are signed with the
   * storage credentials.
   */
  playbackBaseUrl?: string
}

/** What the plugin keeps for a stream's figures. */
export interface AnalyticsOptions {
  /**
   * Keep the text of chat messages beside their count (`stream-engagement.text`). Default
   * `false`: the plugin counts chat messages, reactions and raised hands per stream and minute
   * and forwards the messages, without storing what anyone wrote.
   */
  keepChatText?: boolean
}

/** Options of {@link livekitPlugin}. */
export interface LivekitPluginOptions {
  /**
   * Keep the collections and fields (the database schema does not change) but add no hooks and
   * no endpoints. Default `false`.
   */
  disabled?: boolean
  /** The site's appointments collection and the meaning of its fields. Required. */
  appointments: AppointmentsOptions
  /** LiveKit server and credentials; defaults come from the environment. */
  livekit?: LivekitConnectionOptions
  /** Stripe credentials; defaults come from the environment. */
  stripe?: StripeOptions
  /** Refunds when the appointment does not take place, and attendees cancelling their tickets. */
  refunds?: RefundOptions
  /** When hosts are paid in `stripe.chargeMode: 'separate'`. */
  payouts?: PayoutOptions
  /** What ticket holders are told by email. */
  emails?: EmailOptions
  /** What the plugin keeps for a stream's figures. */
  analytics?: AnalyticsOptions
  /** Live shopping: products pinned during the stream and bought from the player. */
  shopping?: ShoppingOptions
  /** Recording and streaming. */
  egress?: EgressOptions
  /** Webhook endpoint paths. */
  webhooks?: WebhookOptions
  /** How the plugin uses the site's database on its hot paths. */
  database?: DatabaseOptions
  /** Tokens and roles. */
  access?: AccessOptions
  /** When rooms open and close, retries and the reconcile job. */
  lifecycle?: LifecycleOptions
  /** Overrides of the collections the plugin adds. */
  collections?: CollectionOverrides
  /**
   * Where revenue entries come from. `payments` (default): real Stripe payments. `participation`:
   * also an estimate from participation (base price × min(participants / 10, 3), × 1.2 past an hour), written
   * as a `system_generated` sale when a stream ends.
   */
  revenueModel?: 'participation' | 'payments'
  /**
   * Platform commission in basis points (2000 = 20%). Integer from 0 to 10000. Default 2000.
   * A host's or tenant's own `commissionRateBps` field overrides it.
   */
  commissionRateBps?: number
  /**
   * Decides whether a request comes from a platform admin (sees all tenants, reads the ledger).
   * Default: the user has `role === 'admin'` or `roles` containing `'admin'`.
   */
  isAdmin?: (args: { req: PayloadRequest }) => boolean | Promise<boolean>
}
