/**
 * Whether a failure means the database could not be reached or would not take the statement for
 * now (a restart, a failover, a full connection table, a locked SQLite file), as opposed to a
 * fault in the statement itself. Such a failure is answered 503: the caller (LiveKit and Stripe
 * retry their deliveries, the kit retries its requests) may try again in a moment, and nothing
 * was changed, since every write of the plugin is one statement or one transaction.
 *
 * Drivers and the ORMs above them wrap errors (`DrizzleQueryError` keeps the driver's error as
 * its `cause`), so the chain of causes is followed.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  let current: unknown = error
  for (let depth = 0; depth < 8 && current && typeof current === 'object'; depth += 1) {
    if (looksUnreachable(current as FailureShape)) {
      return true
    }
    current = (current as FailureShape).cause
  }
  return false
}

interface FailureShape {
  cause?: unknown
  code?: unknown
  message?: unknown
  name?: unknown
}

/** Node's socket failures: the server is not listening, went away, or cannot be resolved. */
const SOCKET_CODES = new Set([
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'ETIMEDOUT',
])

/**
 * PostgreSQL's SQLSTATEs that say "not now": class 08 (connection exceptions), the server
 * shutting down or starting up (57P01-57P03), too many connections (53300).
 */
const POSTGRES_NOT_NOW = /^(?:08...|57P0[1-3]|53300)$/

/** SQLite's file is locked by another writer past the driver's busy timeout. */
const SQLITE_NOT_NOW = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED'])

/**
 * A socket failure named in a wrapper's message only (the MongoDB driver's bulk write error
 * carries `connect ECONNREFUSED host:port` as its message, with no code of its own).
 */
const SOCKET_IN_MESSAGE =
  /\b(?:connect ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)\b/

/** How libSQL words a lock it could not get when it gives no code. */
const SQLITE_LOCKED_MESSAGE = /database (?:table )?is locked/

/** The MongoDB driver's errors for a server it cannot select or whose connection broke. */
const MONGO_NOT_NOW = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoPoolClearedError',
  'MongoServerSelectionError',
  'MongoTopologyClosedError',
])

/**
 * `pg` reports a connection that ended under a query, or a pool that could not connect in time,
 * by its message only.
 */
const PG_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
]

function looksUnreachable(failure: FailureShape): boolean {
  const { code, message, name } = failure
  if (typeof code === 'string') {
    if (SOCKET_CODES.has(code) || POSTGRES_NOT_NOW.test(code) || SQLITE_NOT_NOW.has(code)) {
      return true
    }
  }
  if (typeof name === 'string' && MONGO_NOT_NOW.has(name)) {
    return true
  }
  return (
    typeof message === 'string' &&
    (PG_MESSAGES.some((m) => message.startsWith(m)) ||
      SQLITE_LOCKED_MESSAGE.test(message) ||
      SOCKET_IN_MESSAGE.test(message))
  )
}
