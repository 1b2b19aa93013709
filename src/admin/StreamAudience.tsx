'use client'
import { useConfig, useTranslation } from '@payloadcms/ui'
import { type ReactNode, useState } from 'react'
import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceArea,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'

import type { StreamAudience as Audience } from '../analytics/operations/streamAudience.js'
import type { DocId } from '../core/ids.js'
import type { TranslationKey } from '../i18n/translations.js'

import { useAdminMoney } from './useAdminMoney.js'
import { usePluginT } from './usePluginT.js'
import { usePolledApi } from './usePolledApi.js'

const cell = { padding: '4px 8px', borderBottom: '1px solid var(--theme-elevation-100)' }
const num = { ...cell, textAlign: 'right' as const, fontVariantNumeric: 'tabular-nums' }
// Payload's theme variables, so the charts follow the admin's light or dark mode.
const ink = 'var(--theme-elevation-800)'
const faint = 'var(--theme-elevation-150)'
const axis = { fill: ink, fontSize: 12 }
const tooltip = {
  contentStyle: {
    background: 'var(--theme-elevation-0)',
    border: `1px solid ${faint}`,
    color: ink,
  },
}

/**
 * One figure: a chart, or the same numbers as a table (for screen readers, and for anyone who
 * wants them exactly), and the figure's CSV.
 */
function Figure(props: {
  title: string
  figure: string
  csvHref: string
  chart: ReactNode
  table: ReactNode
}) {
  const t = usePluginT()
  const [asTable, setAsTable] = useState(false)
  return (
    <figure
      data-figure={props.figure}
      data-testid="plk-audience-figure"
      style={{ margin: '16px 0' }}
    >
      <figcaption style={{ alignItems: 'baseline', display: 'flex', gap: 12 }}>
        <strong>{props.title}</strong>
        <button
          aria-pressed={asTable}
          className="btn btn--style-secondary btn--size-small"
          onClick={() => setAsTable((v) => !v)}
          type="button"
        >
          {asTable ? t('showAsChart') : t('showAsTable')}
        </button>
        <a download href={props.csvHref}>
          {t('downloadCsv')}
        </a>
      </figcaption>
      {asTable ? (
        props.table
      ) : (
        <div aria-label={props.title} role="img" style={{ height: 220, width: '100%' }}>
          <ResponsiveContainer height="100%" width="100%">
            {props.chart as never}
          </ResponsiveContainer>
        </div>
      )}
    </figure>
  )
}

/** A figure's numbers as a table: a label column, then numbers. */
function FigureTable(props: { head: string[]; rows: Array<Array<number | string>> }) {
  return (
    <table data-testid="plk-audience-table" style={{ borderCollapse: 'collapse' }}>
      <thead>
        <tr>
          {props.head.map((h, i) => (
            <th key={h} style={i === 0 ? cell : num}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map(([label, ...values]) => (
          <tr key={label}>
            <td style={cell}>{label}</td>
            {values.map((v, i) => (
              <td key={i} style={num}>
                {v}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/**
 * The audience of a stream in its edit view, live and afterwards: viewers over time with joins
 * and leaves, how much of the stream people watched, and ticket holders from buying to the end
 * (`GET /:id/audience`, which hosts and co-hosts may read for their own stream).
 */
export function StreamAudience(props: { id: DocId; live: boolean }) {
  const { id, live } = props
  const t = usePluginT()
  const { i18n } = useTranslation()
  const { config } = useConfig()
  const money = useAdminMoney()
  // While live the curve grows; afterwards it only changes if a late webhook arrives.
  const { data: audience, problem } = usePolledApi<Audience>(
    `/live-streams/${id}/audience`,
    live,
    15_000,
  )

  const csvHref = (figure: string) =>
    `${config.serverURL ?? ''}${config.routes?.api ?? '/api'}/live-streams/${id}/audience?format=csv&figure=${figure}`
  const clock = (iso: string) =>
    new Date(iso).toLocaleTimeString(i18n.language, { hour: '2-digit', minute: '2-digit' })
  const minutes = (seconds: number) =>
    new Intl.NumberFormat(i18n.language, {
      maximumFractionDigits: 1,
      style: 'unit',
      unit: 'minute',
      unitDisplay: 'short',
    }).format(seconds / 60)
  const percent = (share: number) =>
    new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 0, style: 'percent' }).format(
      share,
    )

  if (problem) {
    return (
      <p role="alert" style={{ color: 'var(--theme-error-500)' }}>
        {problem}
      </p>
    )
  }
  if (!audience) {
    return null
  }
  if (!audience.window) {
    return (
      <section aria-label={t('audienceFigures')} data-testid="plk-admin-audience">
        <h4>{t('audienceFigures')}</h4>
        <p>{t('audienceNotStarted')}</p>
      </section>
    )
  }
  const curve = audience.curve.map((p) => ({ ...p, time: clock(p.at) }))
  const bins = audience.watch.bins.map((b) => ({
    ...b,
    label: `${percent(b.fromShare)}–${percent(b.toShare)}`,
  }))
  const funnelSteps: Array<[TranslationKey, number]> = [
    ['funnelTicketsSold', audience.funnel.ticketsSold],
    ['funnelJoined', audience.funnel.joined],
    ['funnelStayedHalf', audience.funnel.stayedHalf],
    ['funnelStayedToEnd', audience.funnel.stayedToEnd],
  ]
  const funnel = funnelSteps.map(([key, people]) => ({ people, step: t(key) }))
  const engagement = audience.engagement.map((p) => ({ ...p, time: clock(p.at) }))
  const { timeline } = audience
  const from = new Date(audience.window.from).getTime()
  const stepMs = audience.stepSeconds * 1000
  // A period's ends as the curve's step labels, so it shades the steps it covers.
  const onCurve = (iso: string) =>
    curve[Math.min(curve.length - 1, Math.floor((new Date(iso).getTime() - from) / stepMs))]?.time
  const periods = [
    ...timeline.camera.map((p) => ({ ...p, what: t('timelineCamera'), sales: '' })),
    ...timeline.screenShare.map((p) => ({ ...p, what: t('timelineScreenShare'), sales: '' })),
    ...timeline.egress.map((p) => ({
      ...p,
      what: t('timelineEgress', { kind: p.kind }),
      sales: '',
    })),
    ...timeline.pins.map((p) => ({
      ...p,
      what: t('timelinePin', { title: p.title }),
      sales: `${p.purchases} · ${money(p.revenue, p.currency)}`,
    })),
  ].sort((a, b) => a.from.localeCompare(b.from))
  const minutesIn = (iso: string) => Math.round((new Date(iso).getTime() - from) / 6000) / 10
  const spans = periods.map((p) => ({ what: p.what, span: [minutesIn(p.from), minutesIn(p.to)] }))
  const shades: Array<[Audience['timeline']['camera'], string]> = [
    [timeline.camera, 'var(--theme-success-500)'],
    [timeline.screenShare, 'var(--theme-warning-500)'],
    [timeline.pins, 'var(--theme-elevation-400)'],
  ]

  return (
    <section aria-label={t('audienceFigures')} data-testid="plk-admin-audience">
      <h4>{t('audienceFigures')}</h4>
      {audience.live ? <p role="status">{t('audienceRefreshing')}</p> : null}
      <Figure
        chart={
          <ComposedChart data={curve} margin={{ bottom: 0, left: 0, right: 12, top: 8 }}>
            <CartesianGrid stroke={faint} strokeDasharray="3 3" />
            <XAxis dataKey="time" minTickGap={24} tick={axis} />
            <YAxis allowDecimals={false} tick={axis} width={36} />
            <Tooltip {...tooltip} />
            {shades.flatMap(([list, fill], kind) =>
              list.map((p) => (
                <ReferenceArea
                  fill={fill}
                  fillOpacity={0.12}
                  ifOverflow="extendDomain"
                  key={`${kind}-${p.from}`}
                  x1={onCurve(p.from)}
                  x2={onCurve(p.to)}
                />
              )),
            )}
            <Bar dataKey="joins" fill="var(--theme-success-500)" name={t('audienceJoins')} />
            <Bar dataKey="leaves" fill="var(--theme-warning-500)" name={t('audienceLeaves')} />
            <Line
              dataKey="peak"
              dot={false}
              name={t('audiencePeak')}
              stroke={ink}
              strokeDasharray="4 3"
              type="stepAfter"
            />
            <Line
              dataKey="viewers"
              dot={false}
              name={t('audienceViewers')}
              stroke="var(--theme-success-700)"
              strokeWidth={2}
              type="stepAfter"
            />
          </ComposedChart>
        }
        csvHref={csvHref('curve')}
        figure="curve"
        table={
          <FigureTable
            head={[
              t('audienceTime'),
              t('audienceViewers'),
              t('audiencePeak'),
              t('audienceJoins'),
              t('audienceLeaves'),
            ]}
            rows={curve.map((p) => [p.time, p.viewers, p.peak, p.joins, p.leaves])}
          />
        }
        title={t('audienceCurve')}
      />
      <p data-testid="plk-audience-watch-summary">
        {t('watchSummary', {
          average: minutes(audience.watch.averageSeconds),
          median: minutes(audience.watch.medianSeconds),
          viewers: audience.watch.viewers,
        })}
      </p>
      <Figure
        chart={
          <BarChart data={bins} margin={{ bottom: 0, left: 0, right: 12, top: 8 }}>
            <CartesianGrid stroke={faint} strokeDasharray="3 3" />
            <XAxis dataKey="label" tick={axis} />
            <YAxis allowDecimals={false} tick={axis} width={36} />
            <Tooltip {...tooltip} />
            <Bar dataKey="viewers" fill="var(--theme-success-500)" name={t('watchPeople')} />
          </BarChart>
        }
        csvHref={csvHref('watch')}
        figure="watch"
        table={
          <FigureTable
            head={[t('watchShare'), t('watchPeople')]}
            rows={bins.map((b) => [b.label, b.viewers])}
          />
        }
        title={t('watchTimeDistribution')}
      />
      <Figure
        chart={
          <BarChart
            data={funnel}
            layout="vertical"
            margin={{ bottom: 0, left: 0, right: 12, top: 8 }}
          >
            <CartesianGrid stroke={faint} strokeDasharray="3 3" />
            <XAxis allowDecimals={false} tick={axis} type="number" />
            <YAxis dataKey="step" tick={axis} type="category" width={180} />
            <Tooltip {...tooltip} />
            <Bar dataKey="people" fill="var(--theme-success-500)" name={t('watchPeople')} />
          </BarChart>
        }
        csvHref={csvHref('funnel')}
        figure="funnel"
        table={
          <FigureTable
            head={[t('attendanceFunnel'), t('watchPeople')]}
            rows={funnel.map((f) => [f.step, f.people])}
          />
        }
        title={t('attendanceFunnel')}
      />
      <p data-testid="plk-audience-engagement-summary">
        {t('engagementSummary', {
          chat: audience.engagementTotals.chat,
          hands: audience.engagementTotals.hands,
          reactions: audience.engagementTotals.reactions,
        })}
      </p>
      <Figure
        chart={
          <BarChart data={engagement} margin={{ bottom: 0, left: 0, right: 12, top: 8 }}>
            <CartesianGrid stroke={faint} strokeDasharray="3 3" />
            <XAxis dataKey="time" minTickGap={24} tick={axis} />
            <YAxis allowDecimals={false} tick={axis} width={36} />
            <Tooltip {...tooltip} />
            <Bar
              dataKey="chat"
              fill="var(--theme-success-500)"
              name={t('engagementChat')}
              stackId="e"
            />
            <Bar
              dataKey="reactions"
              fill="var(--theme-warning-500)"
              name={t('engagementReactions')}
              stackId="e"
            />
            <Bar
              dataKey="hands"
              fill="var(--theme-elevation-500)"
              name={t('engagementHands')}
              stackId="e"
            />
          </BarChart>
        }
        csvHref={csvHref('engagement')}
        figure="engagement"
        table={
          <FigureTable
            head={[
              t('audienceTime'),
              t('engagementChat'),
              t('engagementReactions'),
              t('engagementHands'),
            ]}
            rows={engagement.map((p) => [p.time, p.chat, p.reactions, p.hands])}
          />
        }
        title={t('engagementOverTime')}
      />
      {periods.length === 0 ? (
        <p data-testid="plk-audience-timeline-empty">{t('timelineEmpty')}</p>
      ) : (
        <Figure
          chart={
            <BarChart
              data={spans}
              layout="vertical"
              margin={{ bottom: 0, left: 0, right: 12, top: 8 }}
            >
              <CartesianGrid stroke={faint} strokeDasharray="3 3" />
              <XAxis
                domain={[0, Math.ceil((curve.length * stepMs) / 60_000)]}
                tick={axis}
                type="number"
                unit=" min"
              />
              <YAxis dataKey="what" tick={axis} type="category" width={220} />
              <Tooltip {...tooltip} />
              <Bar dataKey="span" fill="var(--theme-success-500)" name={t('timelineTitle')} />
            </BarChart>
          }
          csvHref={csvHref('timeline')}
          figure="timeline"
          table={
            <FigureTable
              head={[t('timelineWhat'), t('timelineFrom'), t('timelineTo'), t('timelineSales')]}
              rows={periods.map((p) => [p.what, clock(p.from), clock(p.to), p.sales])}
            />
          }
          title={t('timelineTitle')}
        />
      )}
    </section>
  )
}
