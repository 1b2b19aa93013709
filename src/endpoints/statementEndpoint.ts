import type { Endpoint } from 'payload'

import { statementCsv, totalsByCurrency } from '../money/statement.js'
import { statementLines } from '../money/totals.js'
import { pluginOptionsOf } from '../runtime.js'
import { endpoint, EndpointError } from './respond.js'

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/
const ID = /^[A-Za-z0-9_-]{1,64}$/

/**
 * GET /api/revenue-tracking/statement — admins.
 * Query: `tenant`, `host` (ids), `from`, `to` (months, `2026-11`), `format=csv`.
 * Returns `{ lines: [{ tenant, host, month, currency, gross, commission, hostShare, entries }], totals: { <currency>: {...} } }`
 * in minor units, or the lines as CSV. Drill down with the REST API:
 * `/api/revenue-tracking?where[tenant][equals]=…&where[occurredAt][greater_than_equal]=…`.
 */
export const statementEndpoint = (): Endpoint => ({
  path: '/statement',
  method: 'get',
  handler: endpoint(async (req) => {
    if (!(await pluginOptionsOf(req.payload).isAdmin({ req }))) {
      throw new EndpointError(req.user ? 403 : 401, req.user ? 'forbidden' : 'login_required', 'Statements are for platform admins.')
    }
    const q = req.searchParams
    const filters: { tenant?: string; host?: string; from?: string; to?: string } = {}
    for (const key of ['tenant', 'host'] as const) {
      const value = q.get(key)
      if (value === null || value === '') continue
      if (!ID.test(value)) throw new EndpointError(400, 'invalid_filter', `${key} must be an id.`)
      filters[key] = value
    }
    for (const key of ['from', 'to'] as const) {
      const value = q.get(key)
      if (value === null || value === '') continue
      if (!MONTH.test(value)) throw new EndpointError(400, 'invalid_filter', `${key} must be a month such as 2026-11.`)
      filters[key] = value
    }
    const format = q.get('format') ?? 'json'
    if (format !== 'json' && format !== 'csv') throw new EndpointError(400, 'invalid_format', 'format must be json or csv.')
    const lines = await statementLines(req.payload, filters)
    if (format === 'csv') {
      return new Response(statementCsv(lines), {
        headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="statement.csv"' },
      })
    }
    return Response.json({ lines, totals: totalsByCurrency(lines) })
  }),
})
