import type { Endpoint } from 'payload'

import { DomainError } from '../../core/domainError.js'
import { endpoint } from '../../http/respond.js'
import { readStatement } from '../operations/statement.js'
import { statementCsv } from '../statement.js'

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
    const q = req.searchParams
    // Who may read what is decided first: a stranger learns nothing from a bad format either.
    const statement = await readStatement(req, (key) => q.get(key))
    const format = q.get('format') ?? 'json'
    if (format !== 'json' && format !== 'csv') {
      throw new DomainError('invalid', 'invalid_format', 'format must be json or csv.')
    }
    if (format === 'csv') {
      return new Response(statementCsv(statement.lines), {
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': 'attachment; filename="statement.csv"',
        },
      })
    }
    return Response.json(statement)
  }),
})
