import type { AdminViewServerProps, Where } from 'payload'
import type { CSSProperties } from 'react'

import { DefaultTemplate } from '@payloadcms/next/templates'

import type { DocId } from '../core/ids.js'

import { pluginUser } from '../access/pluginUser.js'
import { formatMoneyFor } from '../core/money.js'
import { type TFunction, tr } from '../i18n/translations.js'
import { hostBalances, type StatementLine, totalsByCurrency } from '../ledger/statement.js'
import {
  StatementFilterError,
  statementFilters,
  type StatementFilters,
} from '../ledger/statementQuery.js'
import { statementLines } from '../ledger/totals.js'
import { heldForHosts } from '../payouts/heldPayouts.js'
import { pluginOptionsOf } from '../runtime.js'

const param = (searchParams: AdminViewServerProps['searchParams'], key: string) => {
  const value = searchParams?.[key]
  return Array.isArray(value) ? value[0] : value
}

/** The ledger rows behind one statement line, as a list-view query string. */
function drillDown(
  adminRoute: string,
  line: { tenant: DocId | null; host: DocId | null; month: string; currency: string },
) {
  const [year, month] = line.month.split('-').map(Number) as [number, number]
  const next = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`
  const q = new URLSearchParams()
  if (line.tenant !== null) {
    q.set('where[and][0][tenant][equals]', String(line.tenant))
  }
  if (line.host !== null) {
    q.set('where[and][1][host][equals]', String(line.host))
  }
  q.set('where[and][2][occurredAt][greater_than_equal]', `${line.month}-01T00:00:00.000Z`)
  q.set('where[and][3][occurredAt][less_than]', `${next}-01T00:00:00.000Z`)
  q.set('where[and][4][currency][equals]', line.currency)
  return `${adminRoute}/collections/revenue-tracking?${q}`
}

/** A line's gross and commission as tickets (what is not products) and products. */
function SplitCells(props: {
  Cell: 'td' | 'th'
  sums: Pick<StatementLine, 'commission' | 'gross' | 'productCommission' | 'productGross'>
  currency: string
  money: (minor: number, currency: string) => string
  style: CSSProperties
}) {
  const { Cell, sums, currency, money, style } = props
  return (
    <>
      <Cell style={style}>{money(sums.gross - sums.productGross, currency)}</Cell>
      <Cell style={style}>{money(sums.commission - sums.productCommission, currency)}</Cell>
      <Cell style={style}>{money(sums.productGross, currency)}</Cell>
      <Cell style={style}>{money(sums.productCommission, currency)}</Cell>
    </>
  )
}

/**
 * The commission ledger (custom admin view at `/admin/ledger`): gross, commission (both also
 * as tickets and products apart) and host share by tenant, host and month with filters, a
 * drill-down to the entries, and CSV export. Admins see everything; a host its own lines only.
 */
export async function LedgerView(props: AdminViewServerProps) {
  const { initPageResult, searchParams, params } = props
  const { req, permissions, visibleEntities, locale } = initPageResult
  const { payload, i18n } = req
  const t = i18n.t as unknown as TFunction
  const resolved = pluginOptionsOf(payload)
  // A user of another auth collection is nobody here, as everywhere in the plugin.
  const user = pluginUser(req, resolved.usersSlug)
  const adminRoute = payload.config.routes.admin
  const apiRoute = payload.config.routes.api
  const isAdmin = user ? await resolved.isAdmin({ req }) : false
  // Amounts as the admin's language writes money.
  const money = (minor: number, currency: string) => formatMoneyFor(minor, currency, i18n.language)

  let filters: StatementFilters = {}
  let problem: null | string = null
  try {
    filters = user
      ? statementFilters((key) => param(searchParams, key), { isAdmin, userId: user.id })
      : {}
  } catch (error) {
    if (!(error instanceof StatementFilterError)) {
      throw error
    }
    // Named by the filter's label, in the admin's language.
    problem = tr(t, error.expected === 'id' ? 'errorFilterId' : 'errorFilterMonth', {
      field: tr(t, error.filter),
    })
  }
  const lines = user && !problem ? await statementLines(payload, filters) : []
  const totals = totalsByCurrency(lines)
  const balances = user && !problem ? hostBalances(lines, await heldForHosts(payload, filters)) : []

  // Names for ids, read once per page.
  const names = new Map<string, string>()
  const hostIds = [...new Set(lines.map((l) => l.host).filter((h): h is DocId => h !== null))]
  if (hostIds.length) {
    const found = await payload.find({
      collection: resolved.usersSlug as never,
      where: { id: { in: hostIds } } as Where,
      limit: hostIds.length,
      depth: 0,
      overrideAccess: true,
    })
    // Admins tell hosts apart by e-mail when a host has no display name.
    for (const doc of found.docs as Array<Record<string, unknown>>) {
      names.set(`u${String(doc.id)}`, String(doc.name || doc.email || doc.id))
    }
  }
  const tenantsSlug = resolved.appointments.tenantsSlug
  const tenants =
    tenantsSlug && isAdmin
      ? ((
          await payload.find({
            collection: tenantsSlug as never,
            limit: 200,
            depth: 0,
            overrideAccess: true,
          })
        ).docs as Array<Record<string, unknown>>)
      : []
  for (const tenant of tenants) {
    names.set(`t${String(tenant.id)}`, String(tenant.name ?? tenant.slug ?? tenant.id))
  }

  const csv = new URLSearchParams({ format: 'csv' })
  for (const [key, value] of Object.entries(filters)) {
    if (value) {
      csv.set(key, value)
    }
  }
  // Tickets and products apart wherever products are sold, or were before shopping was turned off.
  const split =
    Boolean(resolved.shopping) || lines.some((l) => l.productGross || l.productCommission)
  const cell = { padding: '6px 10px', borderBottom: '1px solid var(--theme-elevation-100)' }
  const num = { ...cell, textAlign: 'right' as const, fontVariantNumeric: 'tabular-nums' }

  return (
    <DefaultTemplate
      i18n={i18n}
      locale={locale}
      params={params}
      payload={payload}
      permissions={permissions}
      searchParams={searchParams}
      user={req.user ?? undefined}
      visibleEntities={visibleEntities}
    >
      <div
        className="gutter--left gutter--right"
        data-testid="lk-ledger"
        style={{ paddingTop: 24, paddingBottom: 48 }}
      >
        <h1>{tr(t, 'ledger')}</h1>
        <p style={{ opacity: 0.8 }}>{tr(t, 'ledgerIntro')}</p>
        {!user ? <p>{tr(t, 'loginForLedger')}</p> : null}
        <form
          method="get"
          style={{
            display: 'flex',
            gap: 12,
            flexWrap: 'wrap',
            alignItems: 'end',
            margin: '16px 0',
          }}
        >
          {isAdmin && tenants.length ? (
            <label>
              {tr(t, 'tenant')}
              <br />
              <select defaultValue={filters.tenant ?? ''} name="tenant">
                <option value="">{tr(t, 'all')}</option>
                {tenants.map((tenant) => (
                  <option key={String(tenant.id)} value={String(tenant.id)}>
                    {names.get(`t${String(tenant.id)}`)}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          {isAdmin ? (
            <label>
              {tr(t, 'hostId')}
              <br />
              <input defaultValue={filters.host ?? ''} name="host" size={8} />
            </label>
          ) : null}
          <label>
            {tr(t, 'from')}
            <br />
            <input defaultValue={filters.from ?? ''} name="from" type="month" />
          </label>
          <label>
            {tr(t, 'to')}
            <br />
            <input defaultValue={filters.to ?? ''} name="to" type="month" />
          </label>
          <button className="btn btn--style-secondary btn--size-small" type="submit">
            {tr(t, 'filter')}
          </button>
          <a
            data-testid="lk-ledger-csv"
            download="statement.csv"
            href={`${apiRoute}/revenue-tracking/statement?${csv}`}
          >
            {tr(t, 'downloadCsv')}
          </a>
        </form>
        {problem ? <p role="alert">{problem}</p> : null}
        {lines.length === 0 ? (
          <p>{tr(t, 'noEntries')}</p>
        ) : (
          <table style={{ width: '100%', borderCollapse: 'collapse' }}>
            <thead>
              <tr>
                <th align="left" style={cell}>
                  {tr(t, 'month')}
                </th>
                <th align="left" style={cell}>
                  {tr(t, 'tenant')}
                </th>
                <th align="left" style={cell}>
                  {tr(t, 'host')}
                </th>
                <th style={num}>{tr(t, 'gross')}</th>
                <th style={num}>{tr(t, 'commission')}</th>
                {split ? (
                  <>
                    <th style={num}>{tr(t, 'ticketsGross')}</th>
                    <th style={num}>{tr(t, 'ticketsCommission')}</th>
                    <th style={num}>{tr(t, 'productsGross')}</th>
                    <th style={num}>{tr(t, 'productsCommission')}</th>
                  </>
                ) : null}
                <th style={num}>{tr(t, 'hostShare')}</th>
                <th style={num}>{tr(t, 'fee')}</th>
                <th style={num}>{tr(t, 'paidOut')}</th>
                <th style={num}>{tr(t, 'entries')}</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((line) => (
                <tr
                  data-testid="lk-ledger-line"
                  key={`${line.tenant}|${line.host}|${line.month}|${line.currency}`}
                >
                  <td style={cell}>
                    <a href={drillDown(adminRoute, line)}>{line.month}</a>
                  </td>
                  <td style={cell}>
                    {line.tenant === null
                      ? '—'
                      : (names.get(`t${String(line.tenant)}`) ?? String(line.tenant))}
                  </td>
                  <td style={cell}>
                    {line.host === null
                      ? '—'
                      : (names.get(`u${String(line.host)}`) ?? String(line.host))}
                  </td>
                  <td style={num}>{money(line.gross, line.currency)}</td>
                  <td style={num}>{money(line.commission, line.currency)}</td>
                  {split ? (
                    <SplitCells
                      Cell="td"
                      currency={line.currency}
                      money={money}
                      style={num}
                      sums={line}
                    />
                  ) : null}
                  <td style={num}>{money(line.hostShare, line.currency)}</td>
                  <td style={num}>{money(line.fee, line.currency)}</td>
                  <td style={num}>{money(line.paidOut, line.currency)}</td>
                  <td style={num}>{line.entries}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              {Object.entries(totals).map(([currency, total]) => (
                <tr
                  data-commission={total.commission}
                  data-currency={currency}
                  data-entries={total.entries}
                  data-fee={total.fee}
                  data-gross={total.gross}
                  data-host-share={total.hostShare}
                  data-product-commission={total.productCommission}
                  data-product-gross={total.productGross}
                  data-testid="lk-ledger-total"
                  key={currency}
                >
                  <th align="left" colSpan={3} style={cell}>
                    {tr(t, 'total')} ({currency.toUpperCase()})
                  </th>
                  <th style={num}>{money(total.gross, currency)}</th>
                  <th style={num}>{money(total.commission, currency)}</th>
                  {split ? (
                    <SplitCells
                      Cell="th"
                      currency={currency}
                      money={money}
                      style={num}
                      sums={total}
                    />
                  ) : null}
                  <th style={num}>{money(total.hostShare, currency)}</th>
                  <th style={num}>{money(total.fee, currency)}</th>
                  <th style={num}>{money(total.paidOut, currency)}</th>
                  <th style={num}>{total.entries}</th>
                </tr>
              ))}
            </tfoot>
          </table>
        )}
        {balances.length > 0 ? (
          <section aria-labelledby="lk-host-balances" style={{ marginTop: 'var(--base)' }}>
            <h3 id="lk-host-balances">{tr(t, 'hostBalances')}</h3>
            <p>{tr(t, 'hostBalancesHelp')}</p>
            <table style={{ width: '100%', borderCollapse: 'collapse' }}>
              <thead>
                <tr>
                  <th align="left" style={cell}>
                    {tr(t, 'host')}
                  </th>
                  <th style={num}>{tr(t, 'earned')}</th>
                  <th style={num}>{tr(t, 'refunded')}</th>
                  <th style={num}>{tr(t, 'held')}</th>
                  <th style={num}>{tr(t, 'paidOut')}</th>
                  <th style={num}>{tr(t, 'owed')}</th>
                </tr>
              </thead>
              <tbody>
                {balances.map((b) => (
                  <tr
                    data-currency={b.currency}
                    data-earned={b.earned}
                    data-held={b.held}
                    data-owed={b.owed}
                    data-paid-out={b.paidOut}
                    data-refunded={b.refunded}
                    data-testid="lk-host-balance"
                    key={`${b.host}|${b.currency}`}
                  >
                    <td style={cell}>
                      {b.host === null ? '—' : (names.get(`u${String(b.host)}`) ?? String(b.host))}
                    </td>
                    <td style={num}>{money(b.earned, b.currency)}</td>
                    <td style={num}>{money(b.refunded, b.currency)}</td>
                    <td style={num}>{money(b.held, b.currency)}</td>
                    <td style={num}>{money(b.paidOut, b.currency)}</td>
                    <td style={num}>{money(b.owed, b.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ) : null}
      </div>
    </DefaultTemplate>
  )
}
