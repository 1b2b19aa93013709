import type { CollectionConfig, Config } from 'payload'

import type { CollectionOverride, LivekitPluginOptions } from './options.js'

import { guardField, hostTermsAccess } from './access/hostTerms.js'
import { createEngagementCollection } from './analytics/createEngagementCollection.js'
import { createTrackPeriodsCollection } from './analytics/createTrackPeriodsCollection.js'
import { extendAppointments } from './appointments/extendAppointments.js'
import { createAttendanceCollection } from './audience/createAttendanceCollection.js'
import { createSessionsCollection } from './audience/createSessionsCollection.js'
import { createStreamRemovalsCollection } from './audience/createStreamRemovalsCollection.js'
import {
  ATTENDANCE,
  CLAIMS,
  DESTINATIONS,
  EMAIL_DELIVERIES,
  LIVE_STREAM_TRANSITIONS,
  LIVE_STREAMS,
  PRODUCT_ORDERS,
  RECORDINGS,
  REVENUE_TOTALS,
  REVENUE_TRACKING,
  SESSIONS,
  SHOP_INTERACTIONS,
  STREAM_PINS,
  STREAM_REMOVALS,
  STRIPE_EVENTS,
  TICKETS,
  WEBHOOK_EVENTS,
} from './core/slugs.js'
import { createClaimsCollection } from './db/createClaimsCollection.js'
import { hotPathsNotice } from './db/hotPaths.js'
import { ensurePluginIndexes, onMongo } from './db/mongo.js'
import { survivePoolErrors } from './db/sqlSchema.js'
import { createEmailDeliveriesCollection } from './emails/createEmailDeliveriesCollection.js'
import { pluginLabel, pluginMessage, type ValidateContext } from './i18n/labels.js'
import { pluginTranslations } from './i18n/translations.js'
import { createRevenueTotalsCollection } from './ledger/createRevenueTotalsCollection.js'
import { createRevenueTrackingCollection } from './ledger/createRevenueTrackingCollection.js'
import { RATE_FIELD } from './ledger/rates.js'
import { lifecycleTasks } from './lifecycle/lifecycleTasks.js'
import { createStripeEventsCollection } from './payments/createStripeEventsCollection.js'
import { createTicketsCollection } from './payments/createTicketsCollection.js'
import { stripeWebhookEndpoint } from './payments/endpoints/stripeWebhookEndpoint.js'
import { createDestinationsCollection } from './recordings/createDestinationsCollection.js'
import { createRecordingsCollection } from './recordings/createRecordingsCollection.js'
import {
  findDataField,
  LivekitPluginConfigError,
  type ResolvedOptions,
  resolveOptions,
} from './resolveOptions.js'
import { CUSTOM_KEY, livekitFor } from './runtime.js'
import {
  createProductOrdersCollection,
  createShopInteractionsCollection,
  createStreamPinsCollection,
} from './shopping/createShoppingCollections.js'
import { createLiveStreamsCollection } from './streams/createLiveStreamsCollection.js'
import { createLiveStreamTransitionsCollection } from './streams/createLiveStreamTransitionsCollection.js'
import { createWebhookEventsCollection } from './webhooks/createWebhookEventsCollection.js'
import { livekitWebhookEndpoint } from './webhooks/endpoints/livekitWebhookEndpoint.js'

function applyOverride(
  defaultCollection: CollectionConfig,
  override: CollectionOverride | undefined,
  slug: string,
) {
  if (!override) {
    return defaultCollection
  }
  const result = override({ defaultCollection })
  if (!result || result.slug !== slug) {
    throw new LivekitPluginConfigError(
      `the override for '${slug}' must return a collection with slug '${slug}' (other code and the REST paths rely on it).`,
    )
  }
  return result
}

/**
 * Adds LiveKit live streams to a Payload site:
 *
 * ```ts
 * plugins: [livekitPlugin({ appointments: { slug: 'appointments' } })]
 * ```
 *
 * Options are checked when the config is built; a wrong option throws a message naming it.
 */
export const livekitPlugin =
  (options: LivekitPluginOptions) =>
  (incoming: Config): Config => {
    const resolved: ResolvedOptions = resolveOptions(options, incoming)
    const taken = (incoming.collections ?? []).map((c) => c.slug)
    for (const slug of [
      LIVE_STREAMS,
      RECORDINGS,
      REVENUE_TRACKING,
      LIVE_STREAM_TRANSITIONS,
      WEBHOOK_EVENTS,
      ATTENDANCE,
      SESSIONS,
      TICKETS,
      STRIPE_EVENTS,
      REVENUE_TOTALS,
      DESTINATIONS,
      STREAM_REMOVALS,
      EMAIL_DELIVERIES,
      CLAIMS,
      ...(resolved.shopping ? [STREAM_PINS, PRODUCT_ORDERS, SHOP_INTERACTIONS] : []),
    ]) {
      if (taken.includes(slug)) {
        throw new LivekitPluginConfigError(
          `the config already has a collection '${slug}', which the plugin adds. Rename the site's collection, or customise the plugin's with the \`collections\` overrides option.`,
        )
      }
    }

    const collections = (incoming.collections ?? []).map((collection) => {
      if (collection.slug === resolved.appointments.slug) {
        return extendAppointments(collection, resolved)
      }
      if (collection.slug === resolved.usersSlug) {
        return withRateField(withHostAccountField(collection, resolved), resolved, 'this host')
      }
      if (collection.slug === resolved.appointments.tenantsSlug) {
        return withRateField(collection, resolved, 'this tenant')
      }
      return collection
    })
    const ours = [
      applyOverride(
        createLiveStreamsCollection(resolved),
        resolved.collections.liveStreams,
        LIVE_STREAMS,
      ),
      applyOverride(
        createRecordingsCollection(resolved),
        resolved.collections.recordings,
        RECORDINGS,
      ),
      applyOverride(
        createRevenueTrackingCollection(resolved),
        resolved.collections.revenueTracking,
        REVENUE_TRACKING,
      ),
      createLiveStreamTransitionsCollection(resolved),
      createWebhookEventsCollection(resolved),
      createAttendanceCollection(resolved),
      createSessionsCollection(resolved),
      createTicketsCollection(resolved),
      createStripeEventsCollection(resolved),
      createRevenueTotalsCollection(resolved),
      createDestinationsCollection(resolved),
      createStreamRemovalsCollection(resolved),
      createEmailDeliveriesCollection(resolved),
      createClaimsCollection(resolved),
      createEngagementCollection(resolved),
      createTrackPeriodsCollection(resolved),
      // Live shopping's collections exist only on a site that named its products.
      ...(resolved.shopping
        ? [
            createStreamPinsCollection(resolved, resolved.shopping),
            createProductOrdersCollection(resolved, resolved.shopping),
            createShopInteractionsCollection(resolved),
          ]
        : []),
    ]
    collections.push(...ours)

    return {
      ...incoming,
      collections,
      jobs: withLifecycleJobs(incoming.jobs, resolved),
      endpoints: resolved.disabled
        ? incoming.endpoints
        : [
            ...(incoming.endpoints ?? []),
            livekitWebhookEndpoint(resolved.webhooks.livekitPath),
            stripeWebhookEndpoint(resolved.stripe.webhookPath),
          ],
      custom: { ...incoming.custom, [CUSTOM_KEY]: resolved },
      onInit: async (payload) => {
        if (!resolved.disabled) {
          survivePoolErrors(payload)
          const notice = hotPathsNotice(payload)
          if (notice) {
            payload.logger.info(notice)
          }
          if (onMongo(payload)) {
            await ensurePluginIndexes(payload)
          }
          // Builds the LiveKit adapter now, so a site adapter that lacks an operation stops the
          // start with a sentence instead of failing the first request that needs it.
          livekitFor(payload)
        }
        await incoming.onInit?.(payload)
      },
      admin: resolved.disabled ? incoming.admin : withAdminComponents(incoming.admin),
      i18n: {
        ...incoming.i18n,
        translations: mergeTranslations(
          withSiteLanguages(pluginTranslations, incoming.i18n?.supportedLanguages),
          incoming.i18n?.translations,
        ),
      },
    }
  }

/** The dashboard panel, the ledger view and its navigation link, next to the site's own. */
function withAdminComponents(admin: Config['admin']): Config['admin'] {
  const components = admin?.components ?? {}
  return {
    ...admin,
    components: {
      ...components,
      beforeDashboard: [
        ...(components.beforeDashboard ?? []),
        'payload-plugin-livekit/rsc#LiveNowPanel',
      ],
      afterNavLinks: [
        ...(components.afterNavLinks ?? []),
        'payload-plugin-livekit/client#LedgerNavLink',
      ],
      views: {
        ...components.views,
        livekitLedger: { Component: 'payload-plugin-livekit/rsc#LedgerView', path: '/ledger' },
      },
    },
  }
}

/**
 * The plugin's strings for every language the site's admin offers: a language the plugin does not
 * ship gets the English strings, so an editor sees words instead of translation keys until the
 * site adds its own under `plugin-livekit`.
 */
function withSiteLanguages(
  ours: Record<string, unknown>,
  supported: NonNullable<Config['i18n']>['supportedLanguages'],
): Record<string, unknown> {
  const out = { ...ours }
  for (const language of Object.keys(supported ?? {})) {
    out[language] ??= ours.en
  }
  return out
}

/** Deep merge of translation objects; the site's strings win over the plugin's. */
function mergeTranslations(
  ours: Record<string, unknown>,
  theirs: unknown,
): NonNullable<NonNullable<Config['i18n']>['translations']> {
  const merge = (
    a: Record<string, unknown>,
    b: Record<string, unknown> | undefined,
  ): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...a }
    for (const [key, value] of Object.entries(b ?? {})) {
      out[key] =
        value && typeof value === 'object' && !Array.isArray(value) && typeof out[key] === 'object'
          ? merge(out[key] as Record<string, unknown>, value as Record<string, unknown>)
          : value
    }
    return out
  }
  return merge(ours, theirs as Record<string, unknown> | undefined) as never
}

/**
 * Registers the plugin's tasks (always: their slugs are part of the jobs schema, which must not
 * change with `disabled`) and, unless the site runs jobs itself, a cron that runs the plugin's
 * queue next to whatever the site already runs.
 */
function withLifecycleJobs(jobs: Config['jobs'], resolved: ResolvedOptions): Config['jobs'] {
  const tasks = [...(jobs?.tasks ?? []), ...lifecycleTasks(resolved)]
  const { autoRun, queue } = resolved.lifecycle
  if (resolved.disabled || !autoRun) {
    return { ...jobs, tasks }
  }
  const ours = { cron: autoRun.cron, limit: autoRun.limit, queue, silent: { info: true } }
  const siteAutoRun = jobs?.autoRun
  return {
    ...jobs,
    tasks,
    autoRun:
      typeof siteAutoRun === 'function'
        ? async (payload) => [...(await siteAutoRun(payload)), ours]
        : [...(siteAutoRun ?? []), ours],
  }
}

/**
 * Adds the Stripe connected account field to the users collection when the site has none; either
 * way only admins write it and only admins and the user itself read it (see hostTermsAccess).
 */
function withHostAccountField(
  collection: CollectionConfig,
  resolved: ResolvedOptions,
): CollectionConfig {
  const name = resolved.stripe.hostAccountField
  const access = hostTermsAccess(resolved, 'admins and the user itself')
  if (findDataField(collection.fields, name)) {
    return { ...collection, fields: guardField(collection.fields, name, access) }
  }
  return {
    ...collection,
    fields: [
      ...collection.fields,
      {
        name,
        type: 'text',
        label: pluginLabel('field-hostStripeAccount'),
        access,
        admin: { position: 'sidebar', description: pluginLabel('description-hostStripeAccount') },
        validate: (value: unknown, context: ValidateContext) =>
          value === null ||
          value === undefined ||
          value === '' ||
          /^acct_[A-Za-z0-9]+$/.test(String(value))
            ? true
            : pluginMessage(context, 'invalid-stripeAccount'),
      },
    ],
  }
}

/**
 * Adds the optional commission rate override (basis points) to hosts and tenants; the site's own
 * field of that name, if any, gets the same access: admins write it, admins (and a host its own)
 * read it.
 */
function withRateField(
  collection: CollectionConfig,
  resolved: ResolvedOptions,
  whose: 'this host' | 'this tenant',
): CollectionConfig {
  const access = hostTermsAccess(
    resolved,
    whose === 'this host' ? 'admins and the user itself' : 'admins',
  )
  if (findDataField(collection.fields, RATE_FIELD)) {
    return { ...collection, fields: guardField(collection.fields, RATE_FIELD, access) }
  }
  return {
    ...collection,
    fields: [
      ...collection.fields,
      {
        name: RATE_FIELD,
        type: 'number',
        label: pluginLabel('field-commissionRate'),
        access,
        min: 0,
        max: 10000,
        admin: {
          position: 'sidebar',
          step: 1,
          description: pluginLabel(
            whose === 'this host'
              ? 'description-hostCommissionRate'
              : 'description-tenantCommissionRate',
          ),
        },
        validate: (value: unknown, context: ValidateContext) =>
          value === null ||
          value === undefined ||
          (Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 10000)
            ? true
            : pluginMessage(context, 'invalid-commissionRate'),
      },
    ],
  }
}
