/**
 * The analysis commands of the CLI. Each returns rows for a table (text output) and a JSON value
 * (`--json`); all take `asOf` explicitly so results are reproducible.
 */
import { MS_PER_DAY } from '../_lib/time';
import { buildChurnDataset, churnFeatures, churnLabels, featureRows, trainChurnModel } from '../churn/index';
import type { ChurnRow } from '../churn/types';
import { estimateClv } from '../clv/index';
import { groupByCustomer } from '../events/groupByCustomer';
import type { CustomerEvent, CustomerProfile } from '../events/types';
import { scoreHealth } from '../health/index';
import {
  indexEvents,
  mrrMovements,
  nps,
  revenueRetention,
  supportMetrics,
  surveyScores,
} from '../metrics/index';
import { rfmScores, rfmSegments } from '../segment/index';

export interface CommandInput {
  events: CustomerEvent[];
  profiles: CustomerProfile[];
  asOf: number;
  top: number;
  horizonDays: number;
}

export interface CommandOutput {
  title: string;
  header: string[];
  rows: (string | number)[][];
  json: unknown;
}

const fixed = (v: number | null | undefined, d = 1) => (typeof v === 'number' ? Number(v.toFixed(d)) : '');

export function healthCommand({ events, profiles, asOf, top }: CommandInput): CommandOutput {
  const scores = scoreHealth(events, { asOf, profiles }).sort((a, b) => (a.score ?? 101) - (b.score ?? 101));
  return {
    title: `Health as of ${iso(asOf)}: ${scores.length} customers, lowest first`,
    header: ['customer', 'score', 'band', 'coverage', 'top driver'],
    rows: scores
      .slice(0, top)
      .map((s) => [
        s.customerId,
        fixed(s.score),
        s.band ?? '',
        `${Math.round(100 * s.coverage)}%`,
        s.explanation.negative[0]?.sentence ?? '',
      ]),
    json: scores,
  };
}

export function churnCommand({ events, profiles, asOf, top, horizonDays }: CommandInput): CommandOutput {
  const horizon = horizonDays;
  const timelines = groupByCustomer(events); // grouped once for the five passes below
  const train: ChurnRow[] = [];
  for (let k = 1; k <= 3; k++) {
    train.push(
      ...buildChurnDataset(timelines, { asOf: asOf - k * horizon * MS_PER_DAY, horizon, profiles }).rows,
    );
  }
  const model = trainChurnModel(train);
  const active = new Set(churnLabels(timelines, { asOf, horizon }).customerIds);
  const rows = featureRows(churnFeatures(timelines, { asOf, profiles })).filter((r) =>
    active.has(r.customerId as string),
  );
  const scored = model.predict(rows, { maxReasons: 3 }).sort((a, b) => b.probability - a.probability);
  return {
    title:
      `Churn risk over the next ${horizon} days as of ${iso(asOf)} (logistic model trained on the three ` +
      `previous ${horizon}-day windows, ${train.length} rows): ${scored.length} active customers, highest first`,
    header: ['customer', 'probability', 'band', 'main reason'],
    rows: scored
      .slice(0, top)
      .map((p) => [
        p.customerId ?? '',
        `${(100 * p.probability).toFixed(1)}%`,
        p.band,
        p.reasons[0]?.sentence ?? '',
      ]),
    json: scored,
  };
}

export function clvCommand({ events, asOf, top }: CommandInput): CommandOutput {
  const r = estimateClv(events, { asOf, horizonMonths: 12 });
  const customers = [...r.customers].sort((a, b) => (b.value ?? -1) - (a.value ?? -1));
  return {
    title: `12-month CLV as of ${iso(asOf)} (${r.method}: ${r.reason})`,
    header: ['customer', 'clv', 'P(alive)', 'explanation'],
    rows: customers
      .slice(0, top)
      .map((c) => [c.customerId, fixed(c.value, 2), fixed(c.probabilityAlive, 2), c.explanation]),
    json: r,
  };
}

export function segmentCommand({ events, asOf, top }: CommandInput): CommandOutput {
  const segments = rfmSegments(rfmScores(events, { asOf }));
  const counts = new Map<string, number>();
  for (const c of segments.customers) counts.set(c.segment, (counts.get(c.segment) ?? 0) + 1);
  return {
    title:
      `RFM segments as of ${iso(asOf)}: ${segments.customers.length} customers` +
      (segments.customers.length === 0 ? ' (RFM reads "purchase" events; this file has none)' : ''),
    header: ['segment', 'customers'],
    rows: [...counts].sort((a, b) => b[1] - a[1]).slice(0, top),
    json: segments.customers.map((c) => ({ customerId: c.customerId, code: c.code, segment: c.segment })),
  };
}

export function metricsCommand({ events: raw, asOf }: CommandInput): CommandOutput {
  const from = asOf - 90 * MS_PER_DAY;
  const events = indexEvents(raw); // one shared index, so the metrics below share their passes
  const npsResult = nps(surveyScores(events, 'nps_response', { from, to: asOf }));
  const support = supportMetrics(events, { asOf });
  const movements = mrrMovements(events, { from, to: asOf, period: 'month' });
  const retention = revenueRetention(events, { from, to: asOf, period: 'month' });
  const rows: (string | number)[][] = [
    [
      'NPS (90 days)',
      npsResult.value === null
        ? (npsResult.reason ?? '')
        : `${npsResult.value.toFixed(1)} (n=${npsResult.n})`,
    ],
    ['median first response (h)', fixed(support.firstResponse.medianHours)],
    ['open tickets at as-of', support.openAtAsOf],
  ];
  for (const m of movements) {
    rows.push([
      `MRR ${iso(m.periodStart)}`,
      `${m.startMrr} → ${m.endMrr} (new ${m.new}, churned ${m.churned})`,
    ]);
  }
  for (const r of retention) rows.push([`NRR ${iso(r.periodStart)}`, fixed(r.value, 3)]);
  return {
    title: `KPIs as of ${iso(asOf)}`,
    header: ['metric', 'value'],
    rows,
    json: { nps: npsResult, support, movements, retention },
  };
}

function iso(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}
