import type { CollectionConfig, Config, Field } from 'payload'

import { describe, expect, it } from 'vitest'

import type { LivekitPluginOptions } from './options.js'

import { LivekitAdapter } from './livekit/adapter.js'
import {
  LIVEKIT_ROOM_OPERATIONS,
  type LivekitAdapterArgs,
  type LivekitRooms,
} from './livekit/rooms.js'
import { livekitPlugin } from './plugin.js'
import { resolveOptions } from './resolveOptions.js'
import { CUSTOM_KEY, livekitFor } from './runtime.js'

const env = {
  LIVEKIT_URL: 'wss://demo.livekit.cloud',
  LIVEKIT_API_KEY: 'APIkey',
  LIVEKIT_API_SECRET: 'secret-secret-secret-secret-secret',
}

const appointments: CollectionConfig = {
  slug: 'appointments',
  hooks: { afterChange: [() => undefined] },
  fields: [
    { name: 'title', type: 'text' },
    { name: 'host', type: 'relationship', relationTo: 'users' },
    {
      type: 'row',
      fields: [
        { name: 'startsAt', type: 'date' },
        { name: 'endsAt', type: 'date' },
      ],
    },
    { name: 'status', type: 'select', options: ['confirmed', 'completed'] },
    { name: 'tenant', type: 'relationship', relationTo: 'tenants' },
    { name: 'fee', type: 'text' },
  ],
}
const config = (collections: CollectionConfig[] = [appointments]): Config =>
  ({
    collections: [
      { slug: 'users', auth: true, fields: [] },
      { slug: 'tenants', fields: [] },
      ...collections,
    ],
  }) as Config

const opts = (extra: Partial<LivekitPluginOptions> = {}): LivekitPluginOptions => ({
  appointments: { slug: 'appointments' },
  ...extra,
})
const resolve =
  (o: LivekitPluginOptions, c = config(), e: Record<string, string | undefined> = env) =>
  () =>
    resolveOptions(o, c, e)

describe('option checks name the option and the fix', () => {
  it.each([
    ['missing appointments slug', { appointments: {} } as never, /`appointments.slug` is required/],
    [
      'unknown appointments slug',
      { appointments: { slug: 'bookings' } },
      /'bookings' but the config has no collection.*one of: users, tenants, appointments/,
    ],
    [
      'host field absent',
      { appointments: { slug: 'appointments', fields: { host: 'owner' } } },
      /`appointments.fields.host` is 'owner', which is not a top-level field/,
    ],
    [
      'start is not a date',
      { appointments: { slug: 'appointments', fields: { start: 'title' } } },
      /`appointments.fields.start` is 'title', a text field; it must be date/,
    ],
    [
      'price of the wrong type',
      { appointments: { slug: 'appointments', fields: { price: 'fee' } } },
      /`appointments.fields.price` is 'fee', a text field; it must be number/,
    ],
    [
      'explicit optional field absent',
      { appointments: { slug: 'appointments', fields: { capacity: 'seats' } } },
      /`appointments.fields.capacity` is 'seats'/,
    ],
    [
      'bad currency',
      { appointments: { slug: 'appointments', defaultCurrency: 'dollars' } },
      /`appointments.defaultCurrency` must be a three-letter/,
    ],
    [
      'commission as a fraction',
      { appointments: { slug: 'appointments' }, commissionRateBps: 0.2 },
      /`commissionRateBps` must be a whole number of basis points/,
    ],
    [
      'commission above 100%',
      { appointments: { slug: 'appointments' }, commissionRateBps: 12000 },
      /`commissionRateBps`/,
    ],
    [
      'bad livekit url',
      { appointments: { slug: 'appointments' }, livekit: { url: 'livekit.example.com' } },
      /`livekit.url` \(or LIVEKIT_URL\) is "livekit.example.com"/,
    ],
    [
      'stripe publishable key as secret',
      { appointments: { slug: 'appointments' }, stripe: { secretKey: 'pk_test_1' } },
      /`stripe.secretKey`.*must start with sk_test_/,
    ],
    [
      'stripe webhook secret',
      { appointments: { slug: 'appointments' }, stripe: { webhookSecret: 'abc' } },
      /`stripe.webhookSecret`.*whsec_/,
    ],
    [
      'unknown charge mode',
      { appointments: { slug: 'appointments' }, stripe: { chargeMode: 'direct' } } as never,
      /`stripe.chargeMode` must be 'destination' or 'separate'/,
    ],
    [
      'unknown fee bearer',
      { appointments: { slug: 'appointments' }, stripe: { feeBearer: 'buyer' } } as never,
      /`stripe.feeBearer` must be 'platform' or 'host'/,
    ],
    [
      'hold period past 90 days',
      { appointments: { slug: 'appointments' }, payouts: { holdDays: 120 } },
      /`payouts.holdDays` must be a number of days from 0 to 90/,
    ],
    [
      'isAdmin not a function',
      { appointments: { slug: 'appointments' }, isAdmin: true } as never,
      /`isAdmin` must be a function/,
    ],
    [
      'override not a function',
      { appointments: { slug: 'appointments' }, collections: { recordings: {} } } as never,
      /`collections.recordings` must be a function/,
    ],
    [
      'room prefix with spaces',
      { appointments: { slug: 'appointments' }, livekit: { roomPrefix: 'my rooms' } },
      /`livekit.roomPrefix` must be 1 to 32 letters/,
    ],
    [
      'lead minutes negative',
      { appointments: { slug: 'appointments' }, lifecycle: { leadMinutes: -5 } },
      /`lifecycle.leadMinutes` must be a number of minutes/,
    ],
    [
      'status not offered',
      { appointments: { slug: 'appointments' }, lifecycle: { statuses: { open: ['live'] } } },
      /`lifecycle.statuses.open` names 'live', which 'status' does not offer. Use some of: confirmed, completed/,
    ],
    [
      'bad reconcile cron',
      { appointments: { slug: 'appointments' }, lifecycle: { reconcileCron: 'often' } },
      /`lifecycle.reconcileCron` must be a cron expression/,
    ],
    [
      'bad autoRun limit',
      { appointments: { slug: 'appointments' }, lifecycle: { autoRun: { limit: 0 } } },
      /`lifecycle.autoRun.limit`/,
    ],
    [
      'overlay URL not absolute',
      {
        appointments: { slug: 'appointments' },
        egress: { overlayUrl: '/streams/{stream}/overlay' },
      },
      /`egress.overlayUrl` must be an absolute http\(s\) URL/,
    ],
    [
      'replay URLs valid for ten seconds',
      { appointments: { slug: 'appointments' }, egress: { playbackUrlTtlSeconds: 10 } },
      /`egress.playbackUrlTtlSeconds` must be a whole number of seconds from 60/,
    ],
    [
      'disabled not boolean',
      { appointments: { slug: 'appointments' }, disabled: 'yes' } as never,
      /`disabled` must be true or false/,
    ],
    [
      'webhook retention of zero days',
      { appointments: { slug: 'appointments' }, webhooks: { retentionDays: 0 } },
      /`webhooks.retentionDays` must be a whole number of days from 1 to 3650, or false/,
    ],
    [
      'webhook retention as text',
      { appointments: { slug: 'appointments' }, webhooks: { retentionDays: '30' } } as never,
      /`webhooks.retentionDays`/,
    ],
  ])('%s', (_name, options, message) => {
    expect(resolve(options as LivekitPluginOptions)).toThrow(message)
  })

  it.each([
    ['LIVEKIT_URL', /`livekit.url` is not set and LIVEKIT_URL is empty/],
    ['LIVEKIT_API_KEY', /`livekit.apiKey` is not set and LIVEKIT_API_KEY is empty/],
    ['LIVEKIT_API_SECRET', /`livekit.apiSecret` is not set and LIVEKIT_API_SECRET is empty/],
  ])('missing %s', (variable, message) => {
    expect(resolve(opts(), config(), { ...env, [variable]: undefined })).toThrow(message)
  })

  it('the host must relate to the admin user collection', () => {
    const other: CollectionConfig = {
      ...appointments,
      fields: appointments.fields.map((f) =>
        'name' in f && f.name === 'host' ? { ...f, relationTo: 'tenants' } : f,
      ) as Field[],
    }
    expect(resolve(opts(), config([other]))).toThrow(
      /must relate to the admin user collection 'users'/,
    )
  })

  it('a collection override must keep its slug', () => {
    const plugin = livekitPlugin(
      opts({
        livekit: { url: env.LIVEKIT_URL, apiKey: 'k', apiSecret: 's' },
        collections: {
          liveStreams: ({ defaultCollection }) => ({ ...defaultCollection, slug: 'streams' }),
        },
      }),
    )
    expect(() => plugin(config())).toThrow(
      /the override for 'live-streams' must return a collection with slug 'live-streams'/,
    )
  })
})

describe('defaults', () => {
  it('reads credentials from the environment and derives the API URL', () => {
    const resolved = resolveOptions(opts(), config(), env)
    expect(resolved.livekit).toMatchObject({
      url: env.LIVEKIT_URL,
      apiUrl: 'https://demo.livekit.cloud',
      apiKey: 'APIkey',
    })
    expect(resolved.commissionRateBps).toBe(2000)
    expect(resolved.appointments.fields).toMatchObject({
      host: 'host',
      start: 'startsAt',
      end: 'endsAt',
      status: 'status',
      tenant: 'tenant',
      price: 'price',
      currency: 'currency',
    })
    expect(resolved.appointments.fields.coHosts).toBeUndefined()
    expect(resolved.appointments.addFields).toEqual({ price: true, currency: true })
    expect(resolved.appointments.tenantsSlug).toBe('tenants')
  })

  it('a disabled plugin needs no credentials', () => {
    expect(resolve(opts({ disabled: true }), config(), {})).not.toThrow()
  })
})

describe('disabled', () => {
  const shape = (c: Config) =>
    (c.collections ?? []).map((collection) => ({
      slug: collection.slug,
      // UI fields (the control room, the replay player) have no column; only data fields make the schema.
      fields: JSON.stringify(
        collection.fields.filter((f) => f.type !== 'ui'),
        (_k, v: unknown) => (typeof v === 'function' ? 'fn' : v),
      ),
    }))
  const withEnv = (disabled: boolean) =>
    livekitPlugin(
      opts({ disabled, livekit: { url: env.LIVEKIT_URL, apiKey: 'k', apiSecret: 's' } }),
    )(config())

  it('keeps every collection and field, so the database schema does not change', () => {
    expect(shape(withEnv(true))).toEqual(shape(withEnv(false)))
    expect(shape(withEnv(true)).map((c) => c.slug)).toEqual([
      'users',
      'tenants',
      'appointments',
      'live-streams',
      'recordings',
      'revenue-tracking',
      'live-stream-transitions',
      'livekit-webhook-events',
      'stream-attendance',
      'stream-sessions',
      'tickets',
      'stripe-webhook-events',
      'revenue-totals',
      'stream-destinations',
      'stream-removals',
      'email-deliveries',
      'livekit-claims',
      'stream-engagement',
      'stream-track-periods',
    ])
  })

  it('adds no hooks to the appointments and keeps the site ones', () => {
    const find = (c: Config) => c.collections!.find((x) => x.slug === 'appointments')!
    expect(find(withEnv(true)).hooks?.afterChange).toHaveLength(1)
    expect(find(withEnv(false)).hooks?.afterChange).toHaveLength(2)
    expect(find(withEnv(false)).hooks?.afterChange?.[0]).toBe(appointments.hooks!.afterChange![0])
  })
})

describe('the database', () => {
  const install = (onInit?: Config['onInit']) =>
    livekitPlugin(opts({ livekit: { url: env.LIVEKIT_URL, apiKey: 'k', apiSecret: 's' } }))({
      ...config(),
      onInit,
    })

  it('starts on an adapter with no fast path and says once that it uses Payload’s API there', async () => {
    const installed = install()
    const lines: string[] = []
    const logger = { info: (line: string) => void lines.push(line) }
    const mongo = { db: { name: 'mongoose' }, config: installed, logger } as never
    await installed.onInit!(mongo)
    expect(lines).toEqual([
      expect.stringMatching(/no fast path is written for the mongoose adapter/),
    ])
    const postgres = {
      db: { name: 'postgres', pool: {}, tables: {}, tableNameMap: new Map() },
      config: installed,
      logger,
    } as never
    await installed.onInit!(postgres)
    expect(lines).toHaveLength(1)
  })

  it('on SQLite says which hot paths use its own statements; with text ids there it uses Payload’s API', async () => {
    const installed = install()
    const lines: string[] = []
    const logger = { info: (line: string) => void lines.push(line) }
    const client = { execute: () => undefined, batch: () => undefined }
    const sqlite = (idType: string) =>
      ({
        db: { name: 'sqlite', client, tables: {}, tableNameMap: new Map(), idType },
        config: installed,
        logger,
      }) as never
    await installed.onInit!(sqlite('number'))
    await installed.onInit!(sqlite('uuid'))
    expect(lines).toEqual([
      expect.stringMatching(/on SQLite the webhook inbox and the audience use the plugin's own/),
      expect.stringMatching(/no fast path is written for the sqlite adapter/),
    ])
  })

  it('uses Payload’s API on Postgres too when `database.hotPaths` is generic, and says so', async () => {
    const installed = livekitPlugin(
      opts({
        livekit: { url: env.LIVEKIT_URL, apiKey: 'k', apiSecret: 's' },
        database: { hotPaths: 'generic' },
      }),
    )(config())
    const lines: string[] = []
    const postgres = {
      db: { name: 'postgres', pool: {}, tables: {}, tableNameMap: new Map() },
      config: installed,
      logger: { info: (line: string) => void lines.push(line) },
    } as never
    await installed.onInit!(postgres)
    expect(lines).toEqual([expect.stringMatching(/`database.hotPaths` is generic/)])
    expect(() =>
      livekitPlugin(
        opts({
          livekit: { url: env.LIVEKIT_URL, apiKey: 'k', apiSecret: 's' },
          database: { hotPaths: 'fast' as never },
        }),
      )(config()),
    ).toThrow(/`database.hotPaths` must be 'auto' or 'generic'/)
  })

  it("runs the site's own onInit after its check", async () => {
    const calls: string[] = []
    const installed = install(() => void calls.push('site'))
    // A started Payload carries its config: the plugin builds its LiveKit adapter from it.
    const postgres = {
      db: { pool: {}, tables: {}, tableNameMap: new Map() },
      config: installed,
    } as never
    await installed.onInit!(postgres)
    expect(calls).toEqual(['site'])
  })
})

describe('a LiveKit adapter the site hands in', () => {
  const payloadWith = (o: LivekitPluginOptions) =>
    ({ config: { custom: { [CUSTOM_KEY]: resolveOptions(o, config(), env) } } }) as never
  const complete = () =>
    ({
      clientUrl: 'wss://traced.example',
      ...Object.fromEntries(
        LIVEKIT_ROOM_OPERATIONS.map((name) => [name, () => Promise.resolve(undefined)]),
      ),
    }) as unknown as LivekitRooms

  it('is what the plugin talks to LiveKit through, built once from the default adapter and the connection', () => {
    const custom = complete()
    const given: LivekitAdapterArgs[] = []
    const payload = payloadWith(
      opts({ livekit: { adapter: (args) => (given.push(args), custom) } }),
    )
    expect(livekitFor(payload)).toBe(custom)
    expect(livekitFor(payload)).toBe(custom)
    expect(given).toHaveLength(1)
    expect(given[0].defaultAdapter).toBeInstanceOf(LivekitAdapter)
    expect(given[0].connection).toEqual({
      url: env.LIVEKIT_URL,
      apiUrl: 'https://demo.livekit.cloud',
      apiKey: env.LIVEKIT_API_KEY,
      apiSecret: env.LIVEKIT_API_SECRET,
      requestTimeoutMs: 10_000,
    })
  })

  it('may wrap the default adapter, which then does the work', async () => {
    const calls: string[] = []
    const payload = payloadWith(
      opts({
        livekit: {
          adapter: ({ defaultAdapter }) =>
            new Proxy(defaultAdapter, {
              get: (target, name) => {
                const value = Reflect.get(target, name)
                return typeof value === 'function'
                  ? (...args: never[]) => (calls.push(String(name)), value.apply(target, args))
                  : value
              },
            }),
        },
      }),
    )
    const livekit = livekitFor(payload)
    expect(livekit.clientUrl).toBe(env.LIVEKIT_URL)
    await expect(livekit.receiveWebhook('{}', null)).rejects.toThrow()
    expect(calls).toEqual(['receiveWebhook'])
  })

  it('without one, the plugin uses its own adapter', () => {
    expect(livekitFor(payloadWith(opts()))).toBeInstanceOf(LivekitAdapter)
  })

  it('must be a function', () => {
    expect(resolve(opts({ livekit: { adapter: {} as never } }))).toThrow(
      /`livekit.adapter` must be a function that receives \{ defaultAdapter, connection \}/,
    )
  })

  it('must return every operation, and the error names the missing ones', () => {
    const payload = payloadWith(
      opts({
        livekit: {
          adapter: ({ defaultAdapter }) => ({ openRoom: defaultAdapter.openRoom }) as never,
        },
      }),
    )
    expect(() => livekitFor(payload)).toThrow(
      /`livekit.adapter` returned an adapter without clientUrl, listRooms, closeRoom/,
    )
  })
})
