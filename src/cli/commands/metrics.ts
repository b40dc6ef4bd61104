/**
 * `customer-vitals metrics`: KPIs of the 90 days before --as-of, for the sources the data holds
 * (surveys, support, subscriptions, purchases); absent sources are stated, not shown as zeros.
 */
import { MS_PER_DAY } from '../../_lib/time';
import type { CustomerEvent, CustomerProfile } from '../../events/types';
import {
  ces,
  chooseMetrics,
  csat,
  indexEvents,
  logoRetention,
  type MetricFamily,
  mrrMovements,
  nps,
  revenueRetention,
  supportMetrics,
  surveyScores,
  transactionalMetrics,
} from '../../metrics/index';
import type { EventStore } from '../../store/EventStore';
import type { CommandResult } from '../output';
import type { Cell } from '../text';
import { type AnalysisInput, fixed, isoDay } from './shared';

/** One KPI line. */
export interface MetricLine {
  metric: string;
  value: number | null;
  /** The value as shown, with its interval or counts. */
  display: string;
  n: number | null;
}

const ci = (c: { lower: number; upper: number } | null | undefined, d = 1) =>
  c ? ` [95% CI ${c.lower.toFixed(d)}, ${c.upper.toFixed(d)}]` : '';

/**
 * The KPIs of a store: the metrics read its typed columns (no event object is built).
 */
export function metricsCommand({ store, asOf, profiles }: AnalysisInput): CommandResult<MetricLine> {
  return metricsResult(store, asOf, profiles);
}

/** The KPIs of events or a store (the command's result). */
export function metricsResult(
  raw: readonly CustomerEvent[] | EventStore,
  asOf: number,
  profiles: readonly CustomerProfile[],
): CommandResult<MetricLine> {
  const from = asOf - 90 * MS_PER_DAY;
  const to = asOf + 1; // windows are (asOf − 90d, asOf]: `to` is exclusive in the metrics API
  const events = indexEvents(raw); // one shared index, so the metrics below share their passes
  // The families the data supports (chooseMetrics); absent sources come back as warnings.
  const choice = chooseMetrics(events, { profiles });
  const family = (f: MetricFamily) => choice.families.includes(f);
  const lines: MetricLine[] = [];
  const json: Record<string, unknown> = {};
  const add = (metric: string, value: number | null, display: string, n: number | null = null) =>
    lines.push({ metric, value, display, n });
  const k: KpiContext = { events, asOf, from, to, json, add };
  if (family('surveys')) surveyKpis(k);
  if (family('support')) supportKpis(k);
  if (family('saas')) saasKpis(k);
  if (family('transactional')) transactionalKpis(k);

  return {
    title: `KPIs as of ${isoDay(asOf)} (90 days)`,
    items: lines,
    columns: [
      { name: 'metric', get: (l) => l.metric },
      { name: 'value', get: (l): Cell => l.display, table: true },
      { name: 'number', get: (l) => l.value, table: false },
      { name: 'n', get: (l) => l.n, table: false },
    ],
    meta: {
      asOf: new Date(asOf).toISOString(),
      window: { from: new Date(from).toISOString(), to: new Date(asOf).toISOString() },
      metrics: json,
      families: choice.families,
      sources: choice.sources,
    },
    warnings: choice.warnings,
    ...(lines.length === 0 ? { emptyReason: 'no KPI could be computed from these events' } : {}),
  };
}

/** What each family's KPIs read and where they go: the full results in `json`, the lines by `add`. */
interface KpiContext {
  events: ReturnType<typeof indexEvents>;
  asOf: number;
  from: number;
  to: number;
  json: Record<string, unknown>;
  add: (metric: string, value: number | null, display: string, n?: number | null) => void;
}

/** NPS, CSAT and CES over the window, with their intervals. */
function surveyKpis({ events, from, to, json, add }: KpiContext): void {
  const n = nps(surveyScores(events, 'nps_response', { from, to }));
  const c = csat(surveyScores(events, 'csat_response', { from, to }));
  const e = ces(surveyScores(events, 'ces_response', { from, to }));
  json.nps = n;
  json.csat = c;
  json.ces = e;
  add(
    'NPS (90 days)',
    n.value,
    n.value === null ? (n.reason ?? '') : `${n.value.toFixed(1)}${ci(n.ci)} (n=${n.n})`,
    n.n,
  );
  add(
    'CSAT (90 days)',
    c.value,
    c.value === null
      ? (c.reason ?? '')
      : `${(100 * c.value).toFixed(1)}%${ci(c.ci && { lower: 100 * c.ci.lower, upper: 100 * c.ci.upper })} (n=${c.n})`,
    c.n,
  );
  add('CES (90 days)', e.value, e.value === null ? (e.reason ?? '') : `${fixed(e.value, 2)} (n=${e.n})`, e.n);
}

/** Median first response and open tickets at as-of. */
function supportKpis({ events, asOf, json, add }: KpiContext): void {
  const support = supportMetrics(events, { asOf });
  json.support = support;
  add(
    'median first response (h)',
    fixed(support.firstResponse.medianHours),
    String(fixed(support.firstResponse.medianHours) ?? ''),
  );
  add('open tickets at as-of', support.openAtAsOf, String(support.openAtAsOf));
}

/** MRR movements, NRR and logo retention per month. */
function saasKpis({ events, asOf, from, json, add }: KpiContext): void {
  const movements = mrrMovements(events, { from, to: asOf, period: 'month' });
  const retention = revenueRetention(events, { from, to: asOf, period: 'month' });
  const logos = logoRetention(events, { from, to: asOf, period: 'month' });
  Object.assign(json, { movements, retention, logoRetention: logos });
  for (const m of movements) {
    add(
      `MRR ${isoDay(m.periodStart)}`,
      m.endMrr,
      `${m.startMrr} → ${m.endMrr} (new ${m.new}, churned ${m.churned})`,
    );
  }
  for (const r of retention)
    add(
      `NRR ${isoDay(r.periodStart)}`,
      fixed(r.value, 3),
      r.value === null ? (r.reason ?? '') : String(fixed(r.value, 3)),
    );
  for (const l of logos)
    add(
      `logo retention ${isoDay(l.periodStart)}`,
      fixed(l.value, 3),
      l.value === null ? (l.reason ?? '') : String(fixed(l.value, 3)),
    );
}

/** Orders, net revenue, average order value and repeat purchase rate over the window. */
function transactionalKpis({ events, from, to, json, add }: KpiContext): void {
  const t = transactionalMetrics(events, { from, to });
  json.transactional = t;
  add('orders (90 days)', t.orders, String(t.orders));
  add('net revenue (90 days)', fixed(t.netRevenue, 2), String(fixed(t.netRevenue, 2)));
  add('average order value', fixed(t.averageOrderValue, 2), String(fixed(t.averageOrderValue, 2) ?? ''));
  add('repeat purchase rate', fixed(t.repeatPurchaseRate, 3), String(fixed(t.repeatPurchaseRate, 3) ?? ''));
}
