import type { Endpoint } from 'payload'

import { pluginUser } from '../../access/pluginUser.js'
import { DomainError } from '../../core/domainError.js'
import { endpoint } from '../../http/respond.js'
import { pluginOptionsOf } from '../../runtime.js'
import { statementCsv, totalsByCurrency } from '../statement.js'
import { StatementFilterError, statementFilters } from '../statementQuery.js'
import { statementLines } from '../totals.js'

/**
 * GET /api/revenue-tracking/statement — admins; a logged-in host gets its own lines only.
 * Query: `tenant`, `host` (ids), `from`, `to` (months, `2026-11`), `format=csv`.
 * Returns `{ lines: [{ tenant, host, month, currency, gross, commission, hostShare, entries }], totals: { <currency>: {...} } }`
 * in minor units, or the lines as CSV. Drill down with the REST API:
 * `/api/revenue-tracking?where[tenant][equals]=…&where[occurredAt][greater_than_equal]=…`.
 */
export const statementEndpoint = (): Endpoint => ({
  path: '/statement',
  method: 'get',
  handler: endpoint(async (req) => {
    const resolved = pluginOptionsOf(req.payload)
    const user = pluginUser(req, resolved.usersSlug)
    if (!user) {
      throw new DomainError('unauthenticated', 'login_required', 'Log in to see a statement.')
    }
    const isAdmin = await resolved.isAdmin({ req })
    const q = req.searchParams
    let filters
    try {
      filters = statementFilters((key) => q.get(key), { isAdmin, userId: user.id })
    } catch (error) {
      if (error instanceof StatementFilterError) {
        throw new DomainError('invalid', 'invalid_filter', error.message)
      }
      throw error
    }
    const format = q.get('format') ?? 'json'
    if (format !== 'json' && format !== 'csv') {
      throw new DomainError('invalid', 'invalid_format', 'format must be json or csv.')
    }
    const lines = await statementLines(req.payload, filters)
    if (format === 'csv') {
      return new Response(statementCsv(lines), {
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': 'attachment; filename="statement.csv"',
        },
      })
    }
    return Response.json({ lines, totals: totalsByCurrency(lines) })
  }),
})
