import type { PayloadRequest } from 'payload'

import { pluginUser } from '../../access/pluginUser.js'
import { DomainError } from '../../core/domainError.js'
import { heldForHosts } from '../../payouts/heldPayouts.js'
import { pluginOptionsOf } from '../../runtime.js'
import {
  type HostBalance,
  hostBalances,
  type StatementLine,
  totalsByCurrency,
} from '../statement.js'
import { StatementFilterError, statementFilters } from '../statementQuery.js'
import { statementLines } from '../totals.js'

/**
 * A statement: one line per tenant, host, month and currency, the totals per currency, and per
 * host and currency what was earned, refunded, held, paid out and is still owed.
 */
export interface Statement {
  lines: StatementLine[]
  totals: ReturnType<typeof totalsByCurrency>
  hosts: HostBalance[]
}

/**
 * The ledger statement the caller of `req` may read: admins any tenant's or host's, a logged-in
 * host only its own lines. `query` reads the filters (`tenant`, `host`, `from`, `to`; months as
 * `2026-11`), for example from a URL's search parameters. Refuses `login_required` and
 * `invalid_filter` as {@link DomainError}s. Amounts are integer minor units.
 */
export async function readStatement(
  req: PayloadRequest,
  query: (key: string) => null | string | undefined,
): Promise<Statement> {
  const resolved = pluginOptionsOf(req.payload)
  const user = pluginUser(req, resolved.usersSlug)
  if (!user) {
    throw new DomainError('unauthenticated', 'login_required', 'Log in to see a statement.')
  }
  const isAdmin = await resolved.isAdmin({ req })
  let filters
  try {
    filters = statementFilters((key) => query(key) ?? null, { isAdmin, userId: user.id })
  } catch (error) {
    if (error instanceof StatementFilterError) {
      throw new DomainError('invalid', 'invalid_filter', error.message)
    }
    throw error
  }
  const lines = await statementLines(req.payload, filters)
  const held = await heldForHosts(req.payload, filters)
  return { lines, totals: totalsByCurrency(lines), hosts: hostBalances(lines, held) }
}
