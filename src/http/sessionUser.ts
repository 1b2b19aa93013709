import { JWT_AUTH_VERSION, type Payload } from 'payload'

import type { DocId } from '../core/ids.js'

import { type Hs256Key, hs256Key, verifyHs256 } from '../core/hs256.js'
import { hotPathsOf } from '../db/hotPaths.js'
import { oncePer, sqlTable } from '../db/sqlSchema.js'
import { pluginOptionsOf } from '../runtime.js'

/*
 * Who is logged in, read from Payload's own session token without Payload's request pipeline.
 *
 * Payload authenticates every request by loading the whole user document (relationships
 * populated to the collection's auth depth) before an endpoint runs; on the token route that
 * load was most of the cost (see bench/tokens). This reads the same proof — the JWT Payload
 * signed with its secret, the `authVersion` header, the `sid` session still on the user, the
 * `_verified` flag — with SQL its caller embeds in its own statement (the token route reads the
 * stream's facts in the same one), and follows Payload's rules: a bad or expired token is simply
 * no user, a cookie counts only under Payload's CSRF rules.
 *
 * Whatever it cannot judge the way Payload would (custom auth strategies, API keys, auto-login,
 * user fields stored outside the user's own table) is `unsupported`: the caller then hands the
 * request to Payload's pipeline instead.
 */
/** The request headers, as a Web request's `Headers` or anything that reads them the same way. */
export interface HeaderReader {
  get: (name: string) => null | string
}

/** A user document as the session reader builds it: the user's own fields, no hidden ones. */
export type SessionUserDoc = { id: DocId; collection: string } & Record<string, unknown>

/** No session Payload would accept, or one this module cannot judge the way Payload would. */
export type NoSessionClaims = { kind: 'anonymous' } | { kind: 'unsupported'; reason: string }

type Field = {
  name?: string
  type: string
  hidden?: boolean
  hasMany?: boolean
  localized?: boolean
  relationTo?: unknown
  hooks?: { afterRead?: unknown[] }
}

/** Collection hooks Payload runs when its JWT strategy loads the user (`findByID`). */
const READ_HOOKS = ['beforeOperation', 'beforeRead', 'afterRead', 'afterOperation'] as const

/** How to read a user of one auth collection with SQL, built once per collection. */
export interface UserReader {
  /** The SELECT of user `$idParam` (and whether session `$sidParam` still exists) as text, to embed. */
  sql: (idParam: number, sidParam: number) => string
  /** Field key → how to turn the column's value into what Payload's document would hold. */
  fields: Array<{ key: string; column: string; type: string }>
  useSessions: boolean
  verify: boolean
}

/** Field types whose value lives in the user's own row as Payload returns it at depth 0. */
const ROW_TYPES = new Set([
  'text',
  'email',
  'textarea',
  'code',
  'select',
  'radio',
  'number',
  'checkbox',
  'date',
  'json',
  'richText',
  'relationship',
  'upload',
])

/** The statement reading a user of a collection and whether its session still exists, or why it cannot. */
const readerFor = oncePer((_config: object, payload: Payload, slug: string) =>
  buildReader(payload, slug),
)

function buildReader(payload: Payload, slug: string): string | UserReader {
  const config = payload.collections[slug].config
  const auth = config.auth as { useSessions?: boolean; verify?: unknown }
  // Hooks may change the user Payload hands to access checks (or refuse it); only Payload runs them.
  const hooks = (config.hooks ?? {}) as Partial<Record<(typeof READ_HOOKS)[number], unknown[]>>
  const hooked = READ_HOOKS.find((name) => (hooks[name]?.length ?? 0) > 0)
  if (hooked) {
    return `${hooked} hooks on ${slug}`
  }
  if (hotPathsOf(payload) !== 'postgres') {
    return 'no fast path on this database'
  }
  const table = sqlTable(payload, slug)
  if (!table) {
    return `no table for ${slug}`
  }
  const fields: UserReader['fields'] = []
  for (const field of config.flattenedFields as unknown as Field[]) {
    if (field.name === 'sessions' && field.type === 'array') {
      continue
    }
    if (field.type === 'join' || field.type === 'ui') {
      continue
    }
    if (field.hooks?.afterRead?.length) {
      return `field ${field.name ?? field.type} of ${slug} has afterRead hooks`
    }
    if (
      !field.name ||
      !ROW_TYPES.has(field.type) ||
      field.hasMany ||
      field.localized ||
      Array.isArray(field.relationTo)
    ) {
      return `field ${field.name ?? field.type} of ${slug} is not stored in its row`
    }
    const column = table.column(field.name)
    if (!column) {
      return `no column for ${slug}.${field.name}`
    }
    if (!field.hidden) {
      fields.push({ key: field.name, column, type: field.type })
    }
  }
  const id = table.column('id')!
  // Payload's findByID leaves out documents in the trash: a user moved there has no session.
  const trashed = config.trash ? table.column('deletedAt') : null
  if (config.trash && !trashed) {
    return `no deletedAt column on ${slug}`
  }
  const verify = Boolean(auth.verify)
  const verified = verify ? table.column('_verified') : null
  if (verify && !verified) {
    return `no _verified column on ${slug}`
  }
  const select = [`u.${id} AS "id"`, ...fields.map((f, i) => `u.${f.column} AS "f${i}"`)]
  if (verified) {
    select.push(`u.${verified} AS "verified"`)
  }
  const useSessions = auth.useSessions !== false
  const sessions = useSessions ? sqlTable(payload, slug, '_sessions') : null
  const parent = sessions?.column('_parentID')
  if (useSessions && (!sessions || !parent)) {
    return `no sessions table for ${slug}`
  }
  const sql = (idParam: number, sidParam: number) => {
    const columns = sessions
      ? [
          ...select,
          `EXISTS (SELECT 1 FROM ${sessions.ref} s WHERE s.${parent} = u.${id} AND s.${sessions.column('id')} = $${sidParam}) AS "session"`,
        ]
      : select
    return `SELECT ${columns.join(', ')} FROM ${table.ref} u WHERE u.${id} = $${idParam}${trashed ? ` AND u.${trashed} IS NULL` : ''}`
  }
  return { sql, fields, useSessions, verify }
}

/** Converts a column value to what Payload hands out (ISO dates, numbers from numeric). */
function documentValue(type: string, value: unknown): unknown {
  if (value === null || value === undefined) {
    return value ?? null
  }
  if (type === 'date') {
    return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString()
  }
  if (type === 'number') {
    return Number(value)
  }
  return value
}

/**
 * A cookie's value exactly as Payload's own parser reads it (`utilities/parseCookies`, which its
 * JWT extraction uses): the name trimmed but not the value, `decodeURI`, a value that does not
 * decode skipped, and of several cookies of one name the last that decodes. Read any other way,
 * `payload-token=a; payload-token=b` would be one user here and another to Payload.
 */
function cookie(header: null | string, name: string): null | string {
  if (!header) {
    return null
  }
  let value: null | string = null
  for (const part of header.split(';')) {
    const pieces = part.split('=')
    if (pieces.shift()?.trim() !== name) {
      continue
    }
    try {
      value = decodeURI(pieces.join('='))
    } catch {
      // Payload ignores a value it cannot decode and keeps what it had.
    }
  }
  return value
}

/** The session token in the order Payload looks for it (`auth.jwtOrder`), cookie under its CSRF rules. */
function extractToken(payload: Payload, headers: HeaderReader): null | string {
  const authorization = headers.get('authorization')
  const csrf = payload.config.csrf ?? []
  for (const method of payload.config.auth?.jwtOrder ?? ['JWT', 'Bearer', 'cookie']) {
    // An empty token is none: Payload then tries the next method, as here.
    if (method === 'JWT' && authorization?.startsWith('JWT ') && authorization.length > 4) {
      return authorization.slice(4)
    }
    if (method === 'Bearer' && authorization?.startsWith('Bearer ') && authorization.length > 7) {
      return authorization.slice(7)
    }
    if (method === 'cookie') {
      const token = cookie(headers.get('cookie'), `${payload.config.cookiePrefix}-token`)
      if (!token) {
        continue
      }
      const origin = headers.get('origin')
      if (origin) {
        if (csrf.length === 0 || csrf.includes(origin)) {
          return token
        }
        continue
      }
      if (csrf.length === 0) {
        return token
      }
      const site = headers.get('sec-fetch-site')
      if (site === 'same-origin' || site === 'same-site' || site === 'none') {
        return token
      }
    }
  }
  return null
}

/**
 * The HS256 key of Payload's secret, imported once per instance: importing it on every request
 * cost more than checking the signature itself.
 */
const secretKeys = new WeakMap<Payload, Hs256Key>()

function secretKeyOf(payload: Payload): Hs256Key {
  let key = secretKeys.get(payload)
  if (!key) {
    key = hs256Key(payload.secret)
    secretKeys.set(payload, key)
  }
  return key
}

/** A session token Payload signed, verified; whether its session still holds is for the database to say. */
export interface SessionClaims {
  kind: 'claims'
  slug: string
  userId: DocId
  sid: null | string
  reader: UserReader
}

/**
 * Everything about the caller's session that needs no database: which strategy, the token, its
 * signature and claims. A token Payload would not accept is `anonymous`; what it cannot judge the
 * way Payload would is `unsupported`. Whether the session still holds is read with
 * {@link UserReader} and judged by {@link userFromRow}.
 */
export function sessionClaims(
  payload: Payload,
  headers: HeaderReader,
): NoSessionClaims | SessionClaims {
  const strategies = (payload.authStrategies ?? []) as Array<{ name: string }>
  if (strategies.some((s) => s.name !== 'local-jwt' && !s.name.endsWith('-api-key'))) {
    return { kind: 'unsupported', reason: 'custom auth strategy' }
  }
  const autoLogin = payload.config.admin?.autoLogin
  if (typeof autoLogin === 'object' && autoLogin && !autoLogin.prefillOnly) {
    return { kind: 'unsupported', reason: 'auto-login' }
  }
  const authorization = headers.get('authorization')
  if (authorization && !authorization.startsWith('JWT ') && !authorization.startsWith('Bearer ')) {
    return { kind: 'unsupported', reason: 'API key or other scheme' }
  }

  const token = extractToken(payload, headers)
  if (!token) {
    return { kind: 'anonymous' }
  }
  // Payload treats a token it cannot verify as no user at all; so do we.
  const verified = verifyHs256(secretKeyOf(payload), token)
  if (!verified || verified.header.authVersion !== JWT_AUTH_VERSION) {
    return { kind: 'anonymous' }
  }
  const { claims } = verified
  const { id, collection: slug, sid } = claims
  if (
    typeof slug !== 'string' ||
    (typeof id !== 'number' && typeof id !== 'string') ||
    (sid !== undefined && typeof sid !== 'string')
  ) {
    return { kind: 'anonymous' }
  }
  const collection = Object.prototype.hasOwnProperty.call(payload.collections, slug)
    ? payload.collections[slug]
    : undefined
  const auth = collection?.config.auth as { disableLocalStrategy?: unknown } | undefined
  if (!collection || !auth || auth.disableLocalStrategy) {
    return { kind: 'anonymous' }
  }
  // Whoever Payload takes a user of another auth collection for, to the plugin it is nobody
  // (see pluginUser): no need to read its row at all.
  if (slug !== pluginOptionsOf(payload).usersSlug) {
    return { kind: 'anonymous' }
  }

  const reader = readerFor(collection.config, payload, slug)
  if (typeof reader === 'string') {
    return { kind: 'unsupported', reason: reader }
  }
  const userId = payload.db.defaultIDType === 'number' ? Number(id) : String(id)
  if (typeof userId === 'number' && !Number.isSafeInteger(userId)) {
    return { kind: 'anonymous' }
  }
  return { kind: 'claims', slug, userId, sid: sid ?? null, reader }
}

/**
 * The user document from the row {@link UserReader} selected (as columns, or as
 * the JSON of that row), or null when Payload would not accept the session (no such user, session
 * ended, e-mail not verified).
 */
export function userFromRow(
  claims: SessionClaims,
  row: null | Record<string, unknown> | undefined,
): null | SessionUserDoc {
  const { reader, sid } = claims
  if (!row) {
    return null
  }
  if (reader.verify && !row.verified) {
    return null
  }
  if (reader.useSessions && (!sid || !row.session)) {
    return null
  }
  const user: SessionUserDoc = { id: row.id as DocId, collection: claims.slug }
  reader.fields.forEach((field, i) => {
    user[field.key] = documentValue(field.type, row[`f${i}`])
  })
  user._strategy = 'local-jwt'
  if (sid) {
    user._sid = sid
  }
  return user
}
