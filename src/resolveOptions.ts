import type { CollectionConfig, Config, PayloadRequest } from 'payload'

import type { StorageConfig } from './core/egressPlan.js'
import type { DocId } from './core/ids.js'
import type { LivekitAdapterFactory } from './livekit/rooms.js'
import type { AppointmentFieldMap, LivekitPluginOptions } from './options.js'

import { defaultUserTenants } from './access/facts.js'
import { pluginUser } from './access/pluginUser.js'
import { findDataField, LivekitPluginConfigError } from './configChecks.js'
import { DEFAULT_STATUS_MAP, type StatusMap } from './core/statusIntent.js'
import { type ResolvedShopping, resolveShopping } from './shopping/shoppingOptions.js'

// Re-exported: the site and the plugin's own modules have always found them here.
export { findDataField, LivekitPluginConfigError } from './configChecks.js'

/** Field names of the appointments collection after defaults; `undefined` = the site has none. */
export type ResolvedAppointmentFields = Omit<AppointmentFieldMap, 'end' | 'host' | 'start'> &
  Required<Pick<AppointmentFieldMap, 'end' | 'host' | 'start'>>

/** The plugin's options with defaults applied, environment read and everything checked. */
export interface ResolvedOptions {
  disabled: boolean
  usersSlug: string
  appointments: {
    slug: string
    fields: ResolvedAppointmentFields
    /** Fields the plugin adds because the site lacks them. */
    addFields: { price: boolean; currency: boolean }
    defaultCurrency: string
    /** Collection the tenant field points to, when the site has tenants. */
    tenantsSlug?: string
  }
  livekit: {
    url: string
    apiUrl: string
    apiKey: string
    apiSecret: string
    requestTimeoutMs: number
    roomPrefix: string
    /** The site's `livekit.adapter`, when it gave one. */
    adapter?: LivekitAdapterFactory
  }
  stripe: {
    secretKey?: string
    webhookSecret?: string
    apiBase?: string
    hostAccountField: string
    siteUrl?: string
    webhookPath: string
    returnUrlOrigins: string[]
    siteId: string
    chargeMode: 'destination' | 'separate'
    feeBearer: 'host' | 'platform'
  }
  payouts: { holdDays: number }
  analytics: { keepChatText: boolean }
  /** Live shopping; null when the site has not named a product collection. */
  shopping: null | ResolvedShopping
  emails: {
    enabled: boolean
    beforeSend?: NonNullable<LivekitPluginOptions['emails']>['beforeSend']
    language?: NonNullable<LivekitPluginOptions['emails']>['language']
    timeZone: string
    watchUrl?: NonNullable<LivekitPluginOptions['emails']>['watchUrl']
  }
  lifecycle: {
    leadMinutes: number
    graceMinutes: number
    statuses: StatusMap
    maxParticipants: number
    retryMaxDelaySeconds: number
    reconcileCron: false | string
    autoRun: { cron: string; limit: number } | false
    queue: string
  }
  access: {
    tokenTtlSeconds: number
    resolveRole?: NonNullable<LivekitPluginOptions['access']>['resolveRole']
    userTenants: (user: Record<string, unknown>) => DocId[]
    displayName: (user: Record<string, unknown>) => string
  }
  refunds: {
    onCancel: boolean
    onHostNoShow: boolean
    attendeeCancelMinutes: false | number
    maxAttempts: number
  }
  webhooks: { livekitPath: string; retentionDays: false | number }
  database: { hotPaths: 'auto' | 'generic' }
  egress: {
    storage?: StorageConfig
    filePath: string
    hlsPath: string
    autoRecord: boolean
    encryptionKey?: string
    overlayUrl?: string
    playbackUrlTtlSeconds: number
    playbackBaseUrl?: string
    replayDays: false | number
  }
  revenueModel: 'participation' | 'payments'
  commissionRateBps: number
  isAdmin: (args: { req: PayloadRequest }) => boolean | Promise<boolean>
  collections: NonNullable<LivekitPluginOptions['collections']>
}

type Env = Record<string, string | undefined>

const defaultIsAdmin = ({ req }: { req: PayloadRequest }): boolean => {
  const user = req.user as { role?: unknown; roles?: unknown } | null | undefined
  if (!user) {
    return false
  }
  if (user.role === 'admin') {
    return true
  }
  return Array.isArray(user.roles) && user.roles.includes('admin')
}

function isWebUrl(value: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol)
  } catch {
    return false
  }
}

/**
 * Applies defaults and checks every option against the site's config. Throws
 * {@link LivekitPluginConfigError} at the first problem, so a misconfigured site fails at boot
 * rather than during a live session.
 */
export function resolveOptions(
  options: LivekitPluginOptions,
  config: Config,
  env: Env = process.env,
): ResolvedOptions {
  if (!options || typeof options !== 'object') {
    throw new LivekitPluginConfigError(
      "options are missing. Call livekitPlugin({ appointments: { slug: 'appointments' } }).",
    )
  }
  if (options.disabled !== undefined && typeof options.disabled !== 'boolean') {
    throw new LivekitPluginConfigError('`disabled` must be true or false.')
  }
  const disabled = options.disabled === true
  const collections = config.collections ?? []
  const slugs = collections.map((c) => c.slug)

  const appointmentsSlug = options.appointments?.slug
  if (typeof appointmentsSlug !== 'string' || appointmentsSlug.length === 0) {
    throw new LivekitPluginConfigError(
      "`appointments.slug` is required. Set it to the slug of your appointments collection, e.g. { appointments: { slug: 'appointments' } }.",
    )
  }
  const appointments = collections.find((c) => c.slug === appointmentsSlug)
  if (!appointments) {
    throw new LivekitPluginConfigError(
      `\`appointments.slug\` is '${appointmentsSlug}' but the config has no collection with that slug. ` +
        `Add your appointments collection to \`collections\` before the plugin runs, or set \`appointments.slug\` to one of: ${slugs.join(', ') || '(none)'}.`,
    )
  }

  const usersSlug = config.admin?.user ?? 'users'
  const fields = resolveAppointmentFields(appointments, options, usersSlug)
  const addPriceFields = options.appointments.addPriceFields ?? true
  if (typeof addPriceFields !== 'boolean') {
    throw new LivekitPluginConfigError('`appointments.addPriceFields` must be true or false.')
  }
  const defaultCurrency = options.appointments.defaultCurrency ?? 'usd'
  if (typeof defaultCurrency !== 'string' || !/^[a-z]{3}$/i.test(defaultCurrency)) {
    throw new LivekitPluginConfigError(
      `\`appointments.defaultCurrency\` must be a three-letter ISO 4217 code such as 'usd' or 'eur' (got ${JSON.stringify(defaultCurrency)}).`,
    )
  }
  const addFields = {
    price: addPriceFields && fields.price === undefined,
    currency: addPriceFields && fields.currency === undefined,
  }
  if (addFields.price) {
    fields.price = options.appointments.fields?.price ?? 'price'
  }
  if (addFields.currency) {
    fields.currency = options.appointments.fields?.currency ?? 'currency'
  }

  let tenantsSlug: string | undefined
  if (fields.tenant) {
    const tenantField = findDataField(appointments.fields, fields.tenant)
    if (tenantField?.type === 'relationship' && typeof tenantField.relationTo === 'string') {
      tenantsSlug = tenantField.relationTo
    }
  }

  const commissionRateBps = options.commissionRateBps ?? 2000
  if (!Number.isInteger(commissionRateBps) || commissionRateBps < 0 || commissionRateBps > 10000) {
    throw new LivekitPluginConfigError(
      `\`commissionRateBps\` must be a whole number of basis points from 0 to 10000 (2000 = 20%); got ${JSON.stringify(commissionRateBps)}.`,
    )
  }
  if (options.isAdmin !== undefined && typeof options.isAdmin !== 'function') {
    throw new LivekitPluginConfigError('`isAdmin` must be a function ({ req }) => boolean.')
  }
  for (const [key, override] of Object.entries(options.collections ?? {})) {
    if (override !== undefined && typeof override !== 'function') {
      throw new LivekitPluginConfigError(
        `\`collections.${key}\` must be a function ({ defaultCollection }) => collection.`,
      )
    }
  }

  const lifecycle = resolveLifecycle(options, appointments, fields)
  const livekit = resolveLivekit(options, env, disabled, appointmentsSlug)
  const stripe = resolveStripe(options, env, livekit.roomPrefix)

  return {
    disabled,
    usersSlug,
    appointments: {
      slug: appointmentsSlug,
      fields,
      addFields,
      defaultCurrency: defaultCurrency.toLowerCase(),
      tenantsSlug,
    },
    livekit,
    stripe,
    lifecycle,
    access: resolveAccess(options),
    refunds: resolveRefunds(options),
    payouts: resolvePayouts(options),
    analytics: { keepChatText: options.analytics?.keepChatText === true },
    shopping: resolveShopping(options, config, defaultCurrency.toLowerCase()),
    emails: resolveEmails(options, config),
    webhooks: resolveWebhooks(options),
    database: resolveDatabase(options),
    egress: resolveEgress(options, env),
    revenueModel: resolveRevenueModel(options),
    commissionRateBps,
    // Only a user of the plugin's users collection can be a platform admin, whatever the site's
    // check says: another auth collection's `role: 'admin'` (or its id) means nothing here.
    isAdmin: async ({ req }) =>
      pluginUser(req, usersSlug) !== null &&
      Boolean(await (options.isAdmin ?? defaultIsAdmin)({ req })),
    collections: options.collections ?? {},
  }
}

function resolveAppointmentFields(
  appointments: CollectionConfig,
  options: LivekitPluginOptions,
  usersSlug: string,
): ResolvedAppointmentFields {
  const given = options.appointments.fields ?? {}
  const slug = appointments.slug
  const lookup = (
    key: keyof typeof given,
    fallback: string,
    required: boolean,
    fix: string,
  ): string | undefined => {
    const name = given[key] ?? fallback
    if (typeof name !== 'string' || name.length === 0) {
      throw new LivekitPluginConfigError(
        `\`appointments.fields.${key}\` must be a field name (a string).`,
      )
    }
    const field = findDataField(appointments.fields, name)
    if (!field) {
      // A default name that is absent just means the site does not model it.
      if (!required && given[key] === undefined) {
        return undefined
      }
      throw new LivekitPluginConfigError(
        `\`appointments.fields.${key}\` is '${name}', which is not a top-level field of '${slug}'. ${fix}`,
      )
    }
    return name
  }
  const expectType = (key: string, name: string | undefined, types: string[], fix: string) => {
    if (!name) {
      return
    }
    const field = findDataField(appointments.fields, name)!
    if (!types.includes(field.type)) {
      throw new LivekitPluginConfigError(
        `\`appointments.fields.${key}\` is '${name}', a ${field.type} field; it must be ${types.join(' or ')}. ${fix}`,
      )
    }
  }

  const host = lookup(
    'host',
    'host',
    true,
    `Set it to the relationship field (to '${usersSlug}') naming the host.`,
  )!
  const start = lookup(
    'start',
    'startsAt',
    true,
    'Set it to the date field holding the scheduled start.',
  )!
  const end = lookup('end', 'endsAt', true, 'Set it to the date field holding the scheduled end.')!
  const fields: ResolvedAppointmentFields = {
    host,
    start,
    end,
    coHosts: lookup(
      'coHosts',
      'coHosts',
      false,
      'Set it to a hasMany relationship to users, or leave it out.',
    ),
    attendees: lookup(
      'attendees',
      'attendees',
      false,
      'Set it to a hasMany relationship to users, or leave it out.',
    ),
    status: lookup(
      'status',
      'status',
      false,
      'Set it to the select or text field with the booking status, or leave it out.',
    ),
    tenant: lookup(
      'tenant',
      'tenant',
      false,
      'Set it to the relationship field naming the tenant, or leave it out.',
    ),
    visibility: lookup(
      'visibility',
      'visibility',
      false,
      "Set it to a select field with 'public'/'ticketed', or leave it out.",
    ),
    price: lookup(
      'price',
      'price',
      false,
      'Set it to a number field with the price in minor units, or leave it out to have the plugin add one.',
    ),
    currency: lookup(
      'currency',
      'currency',
      false,
      'Set it to a text or select field with the currency code, or leave it out to have the plugin add one.',
    ),
    capacity: lookup('capacity', 'capacity', false, 'Set it to a number field, or leave it out.'),
  }
  expectType('host', fields.host, ['relationship'], `Point it at a relationship to '${usersSlug}'.`)
  const hostField = findDataField(appointments.fields, host)
  if (hostField?.type === 'relationship' && hostField.relationTo !== usersSlug) {
    throw new LivekitPluginConfigError(
      `\`appointments.fields.host\` is '${host}', which relates to ${JSON.stringify(hostField.relationTo)}; it must relate to the admin user collection '${usersSlug}'.`,
    )
  }
  expectType('start', fields.start, ['date'], 'Use a date field.')
  expectType('end', fields.end, ['date'], 'Use a date field.')
  expectType('coHosts', fields.coHosts, ['relationship'], 'Use a hasMany relationship to users.')
  expectType(
    'attendees',
    fields.attendees,
    ['relationship'],
    'Use a hasMany relationship to users.',
  )
  expectType(
    'status',
    fields.status,
    ['select', 'text', 'radio'],
    'Use a select, radio or text field.',
  )
  expectType(
    'tenant',
    fields.tenant,
    ['relationship', 'text', 'number'],
    'Use a relationship to your tenants collection.',
  )
  expectType(
    'visibility',
    fields.visibility,
    ['select', 'radio', 'text'],
    "Use a select with 'public' and 'ticketed'.",
  )
  expectType(
    'price',
    fields.price,
    ['number'],
    'Use a number field holding integer minor units (cents).',
  )
  expectType(
    'currency',
    fields.currency,
    ['text', 'select'],
    'Use a text or select field with ISO 4217 codes.',
  )
  expectType('capacity', fields.capacity, ['number'], 'Use a number field.')
  return fields
}

function resolveLifecycle(
  options: LivekitPluginOptions,
  appointments: CollectionConfig,
  fields: ResolvedAppointmentFields,
): ResolvedOptions['lifecycle'] {
  const given = options.lifecycle ?? {}
  const minutes = (key: 'graceMinutes' | 'leadMinutes', fallback: number) => {
    const value = given[key] ?? fallback
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 24 * 60) {
      throw new LivekitPluginConfigError(
        `\`lifecycle.${key}\` must be a number of minutes from 0 to 1440 (got ${JSON.stringify(value)}).`,
      )
    }
    return value
  }
  const statuses: StatusMap = { ...DEFAULT_STATUS_MAP }
  const knownStatuses = statusOptions(appointments, fields.status)
  for (const key of ['open', 'close', 'cancel'] as const) {
    const list = given.statuses?.[key]
    if (list === undefined) {
      continue
    }
    if (!Array.isArray(list) || list.some((s) => typeof s !== 'string')) {
      throw new LivekitPluginConfigError(
        `\`lifecycle.statuses.${key}\` must be a list of status values.`,
      )
    }
    if (!fields.status) {
      throw new LivekitPluginConfigError(
        `\`lifecycle.statuses.${key}\` is set but '${appointments.slug}' has no status field. Set \`appointments.fields.status\` to the field holding the booking status.`,
      )
    }
    const unknown = knownStatuses ? list.filter((s) => !knownStatuses.includes(s)) : []
    if (unknown.length) {
      throw new LivekitPluginConfigError(
        `\`lifecycle.statuses.${key}\` names ${unknown.map((s) => `'${s}'`).join(', ')}, which '${fields.status}' does not offer. Use some of: ${knownStatuses!.join(', ')}.`,
      )
    }
    statuses[key] = list
  }
  const maxParticipants = given.maxParticipants ?? 0
  if (!Number.isInteger(maxParticipants) || maxParticipants < 0) {
    throw new LivekitPluginConfigError(
      '`lifecycle.maxParticipants` must be a whole number, 0 for no cap.',
    )
  }
  const retryMaxDelaySeconds = given.retryMaxDelaySeconds ?? 60
  if (typeof retryMaxDelaySeconds !== 'number' || !(retryMaxDelaySeconds >= 1)) {
    throw new LivekitPluginConfigError(
      '`lifecycle.retryMaxDelaySeconds` must be at least 1 second.',
    )
  }
  const cronShape = /^\S+(?: \S+){4,5}$/
  const reconcileCron = given.reconcileCron ?? '0 * * * * *'
  if (
    reconcileCron !== false &&
    (typeof reconcileCron !== 'string' || !cronShape.test(reconcileCron))
  ) {
    throw new LivekitPluginConfigError(
      "`lifecycle.reconcileCron` must be a cron expression such as '0 * * * * *', or false.",
    )
  }
  let autoRun: ResolvedOptions['lifecycle']['autoRun'] = false
  if (given.autoRun !== false) {
    const cron = given.autoRun?.cron ?? '*/5 * * * * *'
    const limit = given.autoRun?.limit ?? 100
    if (typeof cron !== 'string' || !cronShape.test(cron)) {
      throw new LivekitPluginConfigError(
        "`lifecycle.autoRun.cron` must be a cron expression such as '*/5 * * * * *'.",
      )
    }
    if (!Number.isInteger(limit) || limit < 1) {
      throw new LivekitPluginConfigError(
        '`lifecycle.autoRun.limit` must be a whole number of jobs, at least 1.',
      )
    }
    autoRun = { cron, limit }
  }
  const queue = given.queue ?? 'livekit'
  if (typeof queue !== 'string' || !queue) {
    throw new LivekitPluginConfigError('`lifecycle.queue` must be a queue name.')
  }
  return {
    leadMinutes: minutes('leadMinutes', 10),
    graceMinutes: minutes('graceMinutes', 15),
    statuses,
    maxParticipants,
    retryMaxDelaySeconds,
    reconcileCron,
    autoRun,
    queue,
  }
}

function resolveRevenueModel(options: LivekitPluginOptions): ResolvedOptions['revenueModel'] {
  const model = options.revenueModel ?? 'payments'
  if (model !== 'payments' && model !== 'participation') {
    throw new LivekitPluginConfigError("`revenueModel` must be 'payments' or 'participation'.")
  }
  return model
}

function resolveEgress(options: LivekitPluginOptions, env: Env): ResolvedOptions['egress'] {
  const given = options.egress ?? {}
  const storage = given.storage
  if (storage !== undefined) {
    const kinds = Object.keys(storage)
    if (kinds.length !== 1 || !['azure', 'gcs', 's3'].includes(kinds[0])) {
      throw new LivekitPluginConfigError(
        '`egress.storage` must be exactly one of { s3: {...} }, { gcs: {...} } or { azure: {...} }.',
      )
    }
    const needs: Record<string, string[]> = {
      s3: ['bucket'],
      gcs: ['bucket'],
      azure: ['accountName', 'accountKey', 'container'],
    }
    const block = (storage as Record<string, Record<string, unknown>>)[kinds[0]]
    for (const key of needs[kinds[0]]) {
      if (typeof block[key] !== 'string' || !block[key]) {
        throw new LivekitPluginConfigError(`\`egress.storage.${kinds[0]}.${key}\` is required.`)
      }
    }
  }
  const filePath = given.filePath ?? 'recordings/{room}/{time}.mp4'
  const hlsPath = given.hlsPath ?? 'hls/{room}/{time}'
  for (const [key, value] of Object.entries({ filePath, hlsPath })) {
    if (typeof value !== 'string' || !value || value.startsWith('/') || value.includes('..')) {
      throw new LivekitPluginConfigError(
        `\`egress.${key}\` must be a relative path template such as 'recordings/{room}/{time}.mp4'.`,
      )
    }
  }
  if (given.autoRecord !== undefined && typeof given.autoRecord !== 'boolean') {
    throw new LivekitPluginConfigError('`egress.autoRecord` must be true or false.')
  }
  const encryptionKey = given.encryptionKey ?? env.LIVEKIT_PLUGIN_ENCRYPTION_KEY ?? undefined
  if (encryptionKey && Buffer.from(encryptionKey, 'base64').length !== 32) {
    throw new LivekitPluginConfigError(
      '`egress.encryptionKey` (or LIVEKIT_PLUGIN_ENCRYPTION_KEY) must be 32 random bytes, base64-encoded (openssl rand -base64 32).',
    )
  }
  for (const [key, value] of Object.entries({
    overlayUrl: given.overlayUrl,
    playbackBaseUrl: given.playbackBaseUrl,
  })) {
    if (value !== undefined && (typeof value !== 'string' || !/^https?:\/\/\S+$/.test(value))) {
      throw new LivekitPluginConfigError(`\`egress.${key}\` must be an absolute http(s) URL.`)
    }
  }
  const playbackUrlTtlSeconds = given.playbackUrlTtlSeconds ?? 3600
  if (
    !Number.isInteger(playbackUrlTtlSeconds) ||
    playbackUrlTtlSeconds < 60 ||
    playbackUrlTtlSeconds > 7 * 24 * 3600
  ) {
    throw new LivekitPluginConfigError(
      '`egress.playbackUrlTtlSeconds` must be a whole number of seconds from 60 to 604800 (7 days).',
    )
  }
  const replayDays = given.replayDays ?? 30
  if (
    replayDays !== false &&
    (!Number.isInteger(replayDays) || replayDays < 0 || replayDays > 3650)
  ) {
    throw new LivekitPluginConfigError(
      '`egress.replayDays` must be a whole number of days from 0 to 3650, or false for no limit.',
    )
  }
  return {
    storage,
    filePath,
    hlsPath,
    replayDays,
    autoRecord: given.autoRecord ?? false,
    encryptionKey: encryptionKey || undefined,
    overlayUrl: given.overlayUrl,
    playbackUrlTtlSeconds,
    playbackBaseUrl: given.playbackBaseUrl,
  }
}

function resolveEmails(options: LivekitPluginOptions, config: Config): ResolvedOptions['emails'] {
  const given = options.emails ?? {}
  if (given.enabled !== undefined && typeof given.enabled !== 'boolean') {
    throw new LivekitPluginConfigError('`emails.enabled` must be true or false.')
  }
  for (const key of ['beforeSend', 'language', 'watchUrl'] as const) {
    if (given[key] !== undefined && typeof given[key] !== 'function') {
      throw new LivekitPluginConfigError(`\`emails.${key}\` must be a function.`)
    }
  }
  const timeZone = given.timeZone ?? 'UTC'
  try {
    new Intl.DateTimeFormat('en', { timeZone })
  } catch {
    throw new LivekitPluginConfigError(
      `\`emails.timeZone\` is ${JSON.stringify(timeZone)}, which is not an IANA time zone such as 'Europe/Berlin'.`,
    )
  }
  return {
    enabled: given.enabled ?? Boolean(config.email),
    beforeSend: given.beforeSend,
    language: given.language,
    timeZone,
    watchUrl: given.watchUrl,
  }
}

function resolvePayouts(options: LivekitPluginOptions): ResolvedOptions['payouts'] {
  const holdDays = options.payouts?.holdDays ?? 7
  if (typeof holdDays !== 'number' || !Number.isFinite(holdDays) || holdDays < 0 || holdDays > 90) {
    throw new LivekitPluginConfigError('`payouts.holdDays` must be a number of days from 0 to 90.')
  }
  return { holdDays }
}

function resolveRefunds(options: LivekitPluginOptions): ResolvedOptions['refunds'] {
  const given = options.refunds ?? {}
  for (const key of ['onCancel', 'onHostNoShow'] as const) {
    if (given[key] !== undefined && typeof given[key] !== 'boolean') {
      throw new LivekitPluginConfigError(`\`refunds.${key}\` must be true or false.`)
    }
  }
  const attendeeCancelMinutes = given.attendeeCancelMinutes ?? 1440
  if (
    attendeeCancelMinutes !== false &&
    (!Number.isInteger(attendeeCancelMinutes) ||
      attendeeCancelMinutes < 0 ||
      attendeeCancelMinutes > 43200)
  ) {
    throw new LivekitPluginConfigError(
      '`refunds.attendeeCancelMinutes` must be a whole number of minutes from 0 to 43200, or false.',
    )
  }
  const maxAttempts = given.maxAttempts ?? 10
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 50) {
    throw new LivekitPluginConfigError('`refunds.maxAttempts` must be a whole number from 1 to 50.')
  }
  return {
    onCancel: given.onCancel ?? true,
    onHostNoShow: given.onHostNoShow ?? true,
    attendeeCancelMinutes,
    maxAttempts,
  }
}

function resolveWebhooks(options: LivekitPluginOptions): ResolvedOptions['webhooks'] {
  const livekitPath = options.webhooks?.livekitPath ?? '/livekit/webhook'
  if (typeof livekitPath !== 'string' || !/^\/[\w/-]+$/.test(livekitPath)) {
    throw new LivekitPluginConfigError(
      "`webhooks.livekitPath` must be a path such as '/livekit/webhook'.",
    )
  }
  const retentionDays = options.webhooks?.retentionDays ?? 30
  if (
    retentionDays !== false &&
    (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 3650)
  ) {
    throw new LivekitPluginConfigError(
      '`webhooks.retentionDays` must be a whole number of days from 1 to 3650, or false to keep every event.',
    )
  }
  return { livekitPath, retentionDays }
}

function resolveDatabase(options: LivekitPluginOptions): ResolvedOptions['database'] {
  const hotPaths = options.database?.hotPaths ?? 'auto'
  if (hotPaths !== 'auto' && hotPaths !== 'generic') {
    throw new LivekitPluginConfigError("`database.hotPaths` must be 'auto' or 'generic'.")
  }
  return { hotPaths }
}

function resolveAccess(options: LivekitPluginOptions): ResolvedOptions['access'] {
  const given = options.access ?? {}
  const tokenTtlSeconds = given.tokenTtlSeconds ?? 4 * 3600
  if (
    !Number.isInteger(tokenTtlSeconds) ||
    tokenTtlSeconds < 60 ||
    tokenTtlSeconds > 7 * 24 * 3600
  ) {
    throw new LivekitPluginConfigError(
      '`access.tokenTtlSeconds` must be a whole number of seconds from 60 to 604800 (a week).',
    )
  }
  for (const key of ['resolveRole', 'userTenants', 'displayName'] as const) {
    if (given[key] !== undefined && typeof given[key] !== 'function') {
      throw new LivekitPluginConfigError(`\`access.${key}\` must be a function.`)
    }
  }
  return {
    tokenTtlSeconds,
    resolveRole: given.resolveRole,
    userTenants: given.userTenants ?? defaultUserTenants,
    displayName:
      given.displayName ??
      ((user) =>
        typeof user.name === 'string' && user.name.trim() ? user.name.trim() : 'Participant'),
  }
}

/** The values a select/radio status field offers, or undefined for free text. */
function statusOptions(
  appointments: CollectionConfig,
  name: string | undefined,
): string[] | undefined {
  if (!name) {
    return undefined
  }
  const field = findDataField(appointments.fields, name)
  if (!field || (field.type !== 'select' && field.type !== 'radio')) {
    return undefined
  }
  return field.options.map((o) => (typeof o === 'string' ? o : o.value))
}

function resolveLivekit(
  options: LivekitPluginOptions,
  env: Env,
  disabled: boolean,
  appointmentsSlug: string,
): ResolvedOptions['livekit'] {
  const given = options.livekit ?? {}
  const url = given.url ?? env.LIVEKIT_URL ?? ''
  const apiKey = given.apiKey ?? env.LIVEKIT_API_KEY ?? ''
  const apiSecret = given.apiSecret ?? env.LIVEKIT_API_SECRET ?? ''
  const requestTimeoutMs = given.requestTimeoutMs ?? 10_000
  // A disabled plugin never talks to LiveKit, so a site may switch it off without credentials.
  if (!disabled) {
    if (!url) {
      throw new LivekitPluginConfigError(
        '`livekit.url` is not set and LIVEKIT_URL is empty. Set LIVEKIT_URL to your server, e.g. wss://my-project.livekit.cloud or ws://localhost:7880.',
      )
    }
    if (!isWebUrl(url, ['ws:', 'wss:', 'http:', 'https:'])) {
      throw new LivekitPluginConfigError(
        `\`livekit.url\` (or LIVEKIT_URL) is ${JSON.stringify(url)}, which is not a ws://, wss://, http:// or https:// URL.`,
      )
    }
    if (!apiKey) {
      throw new LivekitPluginConfigError(
        '`livekit.apiKey` is not set and LIVEKIT_API_KEY is empty. Set LIVEKIT_API_KEY to the key from your LiveKit project or livekit.yaml.',
      )
    }
    if (!apiSecret) {
      throw new LivekitPluginConfigError(
        '`livekit.apiSecret` is not set and LIVEKIT_API_SECRET is empty. Set LIVEKIT_API_SECRET to the secret paired with LIVEKIT_API_KEY.',
      )
    }
    if (given.apiUrl !== undefined && !isWebUrl(given.apiUrl, ['http:', 'https:', 'ws:', 'wss:'])) {
      throw new LivekitPluginConfigError(
        `\`livekit.apiUrl\` is ${JSON.stringify(given.apiUrl)}, which is not an http(s) URL.`,
      )
    }
  }
  if (!Number.isInteger(requestTimeoutMs) || requestTimeoutMs <= 0) {
    throw new LivekitPluginConfigError(
      '`livekit.requestTimeoutMs` must be a positive whole number of milliseconds.',
    )
  }
  const roomPrefix = given.roomPrefix ?? appointmentsSlug.replace(/[^a-z0-9-]/gi, '-').slice(0, 32)
  if (typeof roomPrefix !== 'string' || !/^[a-z0-9-]{1,32}$/i.test(roomPrefix)) {
    throw new LivekitPluginConfigError(
      "`livekit.roomPrefix` must be 1 to 32 letters, digits or dashes, e.g. 'acme-classes'.",
    )
  }
  if (given.adapter !== undefined && typeof given.adapter !== 'function') {
    throw new LivekitPluginConfigError(
      '`livekit.adapter` must be a function that receives { defaultAdapter, connection } and returns the adapter to use, e.g. `adapter: ({ defaultAdapter }) => withTracing(defaultAdapter)`.',
    )
  }
  const apiUrl = (given.apiUrl ?? url).replace(/^ws(s?):/, 'http$1:')
  return {
    url,
    apiUrl,
    apiKey,
    apiSecret,
    requestTimeoutMs,
    roomPrefix,
    ...(given.adapter ? { adapter: given.adapter } : {}),
  }
}

function resolveStripe(
  options: LivekitPluginOptions,
  env: Env,
  roomPrefix: string,
): ResolvedOptions['stripe'] {
  const given = options.stripe ?? {}
  const secretKey = given.secretKey ?? env.STRIPE_SECRET_KEY ?? undefined
  const webhookSecret = given.webhookSecret ?? env.STRIPE_WEBHOOK_SECRET ?? undefined
  const apiBase = given.apiBase ?? env.STRIPE_API_BASE ?? undefined
  if (secretKey !== undefined && secretKey !== '' && !/^(?:sk|rk)_(?:test|live)_/.test(secretKey)) {
    throw new LivekitPluginConfigError(
      '`stripe.secretKey` (or STRIPE_SECRET_KEY) does not look like a Stripe secret key; it must start with sk_test_, sk_live_, rk_test_ or rk_live_.',
    )
  }
  if (webhookSecret !== undefined && webhookSecret !== '' && !webhookSecret.startsWith('whsec_')) {
    throw new LivekitPluginConfigError(
      '`stripe.webhookSecret` (or STRIPE_WEBHOOK_SECRET) must be the endpoint signing secret, starting with whsec_.',
    )
  }
  if (apiBase !== undefined && apiBase !== '' && !isWebUrl(apiBase, ['http:', 'https:'])) {
    throw new LivekitPluginConfigError(
      `\`stripe.apiBase\` (or STRIPE_API_BASE) is ${JSON.stringify(apiBase)}, which is not an http(s) URL.`,
    )
  }
  const hostAccountField = given.hostAccountField ?? 'stripeAccountId'
  if (typeof hostAccountField !== 'string' || !/^[A-Z_]\w*$/i.test(hostAccountField)) {
    throw new LivekitPluginConfigError(
      '`stripe.hostAccountField` must be a field name of the users collection.',
    )
  }
  if (given.siteUrl !== undefined && !isWebUrl(given.siteUrl, ['http:', 'https:'])) {
    throw new LivekitPluginConfigError(
      `\`stripe.siteUrl\` is ${JSON.stringify(given.siteUrl)}, which is not an http(s) URL.`,
    )
  }
  const webhookPath = given.webhookPath ?? '/stripe/webhook'
  if (typeof webhookPath !== 'string' || !/^\/[\w/-]+$/.test(webhookPath)) {
    throw new LivekitPluginConfigError(
      "`stripe.webhookPath` must be a path such as '/stripe/webhook'.",
    )
  }
  const returnUrlOrigins = given.returnUrlOrigins ?? []
  if (
    !Array.isArray(returnUrlOrigins) ||
    !returnUrlOrigins.every(
      (o) =>
        typeof o === 'string' &&
        isWebUrl(o, ['http:', 'https:']) &&
        new URL(o).origin === o.replace(/\/$/, ''),
    )
  ) {
    throw new LivekitPluginConfigError(
      "`stripe.returnUrlOrigins` must be a list of origins without a path, e.g. ['https://shop.example.com'].",
    )
  }
  const siteId = given.siteId ?? roomPrefix
  if (typeof siteId !== 'string' || !/^[\w.-]{1,40}$/.test(siteId)) {
    throw new LivekitPluginConfigError(
      "`stripe.siteId` must be 1 to 40 letters, digits, dots, dashes or underscores, e.g. 'acme-production'.",
    )
  }
  const chargeMode = given.chargeMode ?? 'destination'
  if (chargeMode !== 'destination' && chargeMode !== 'separate') {
    throw new LivekitPluginConfigError("`stripe.chargeMode` must be 'destination' or 'separate'.")
  }
  const feeBearer = given.feeBearer ?? 'platform'
  if (feeBearer !== 'platform' && feeBearer !== 'host') {
    throw new LivekitPluginConfigError("`stripe.feeBearer` must be 'platform' or 'host'.")
  }
  return {
    chargeMode,
    feeBearer,
    secretKey: secretKey || undefined,
    webhookSecret: webhookSecret || undefined,
    apiBase: apiBase || undefined,
    hostAccountField,
    siteUrl: given.siteUrl,
    webhookPath,
    returnUrlOrigins: returnUrlOrigins.map((o) => new URL(o).origin),
    siteId,
  }
}
