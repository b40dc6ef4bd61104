/** The overview of `buildReportData`: KPI tiles for customers, surveys, revenue, purchases, health. */
import { MS_PER_DAY } from '../_lib/time';
import { ces } from '../metrics/ces';
import { csat } from '../metrics/csat';
import type { EventIndex } from '../metrics/indexEvents';
import { nps } from '../metrics/nps';
import { surveyScores } from '../metrics/surveyScores';
import { transactionalMetrics } from '../metrics/transactionalMetrics';
import { fmt, pct, present, type ReportInput } from './_section';
import type { HealthBandsData, Kpi, RevenueData, Section } from './types';

type Range = { from: number; to: number };

/** The KPI tiles, in page order: customers, NPS/CSAT/CES, MRR, net revenue, median health. */
export function overviewSection(
  input: ReportInput,
  revenue: Section<RevenueData>,
  health: Section<HealthBandsData>,
): Section<{ kpis: Kpi[] }> {
  const { asOf, ids, windowCount } = input;
  const kpis: Kpi[] = [{ label: 'Customers', value: fmt(ids.length), detail: `${fmt(windowCount)} events` }];
  const from = asOf - 90 * MS_PER_DAY;
  const range = { from, to: asOf + 1 };
  surveyKpis(kpis, input, range);
  if (revenue.available) revenueKpis(kpis, revenue.data);
  if (input.hasPurchases) {
    const t = transactionalMetrics(input.index, range);
    kpis.push({
      label: 'Net revenue (90 days)',
      value: fmt(t.netRevenue),
      detail: `${fmt(t.orders)} orders, ${fmt(t.customers)} buyers`,
    });
    if (t.repeatPurchaseRate !== null)
      kpis.push({ label: 'Repeat purchase rate', value: pct(t.repeatPurchaseRate), detail: '90 days' });
  }
  if (health.available) {
    const s = [...health.data.scores].sort((a, b) => a - b);
    if (s.length)
      kpis.push({
        label: 'Median health',
        value: fmt(s[Math.floor(s.length / 2)] as number, 0),
        detail: `${fmt(s.length)} customers scored`,
      });
  }
  return present({ kpis });
}

/** NPS, CSAT and CES over the last 90 days, each when the data holds its answers. */
function surveyKpis(kpis: Kpi[], input: ReportInput, range: Range): void {
  const { has, index } = input;
  if (has('nps_response')) {
    const n = nps(surveyScores(index, 'nps_response', range));
    kpis.push({
      label: 'NPS (90 days)',
      value: n.value === null ? '—' : fmt(n.value, 0),
      detail:
        n.value === null
          ? (n.reason ?? '')
          : `95% CI ${fmt(n.ci?.lower ?? 0, 0)} to ${fmt(n.ci?.upper ?? 0, 0)}, n=${n.n}`,
    });
  }
  if (has('csat_response')) {
    const c = csat(surveyScores(index, 'csat_response', range));
    kpis.push({
      label: 'CSAT (90 days)',
      value: c.value === null ? '—' : pct(c.value, 0),
      detail:
        c.value === null
          ? (c.reason ?? '')
          : `95% CI ${pct(c.ci?.lower ?? 0, 0)}–${pct(c.ci?.upper ?? 0, 0)}, n=${c.n}`,
    });
  }
  if (has('ces_response')) cesKpi(kpis, index, range);
}

function cesKpi(kpis: Kpi[], index: EventIndex, range: Range): void {
  const c = ces(surveyScores(index, 'ces_response', range));
  kpis.push({
    label: 'CES (90 days)',
    value: c.value === null ? '—' : fmt(c.value, 2),
    detail:
      c.value === null
        ? (c.reason ?? '')
        : c.ci === null
          ? `n=${c.n} (too few answers for an interval)`
          : `95% CI ${fmt(c.ci.lower, 2)}–${fmt(c.ci.upper, 2)}, n=${c.n}`,
  });
}

/** MRR, NRR and logo churn of the last month of the revenue section. */
function revenueKpis(kpis: Kpi[], revenue: RevenueData): void {
  const last = revenue.periods[revenue.periods.length - 1];
  if (!last) return;
  kpis.push({
    label: 'MRR',
    value: fmt(last.endMrr),
    detail: `${last.endMrr >= last.startMrr ? '+' : '−'}${fmt(Math.abs(last.endMrr - last.startMrr))} this month`,
  });
  if (last.nrr !== null)
    kpis.push({
      label: 'NRR (month)',
      value: pct(last.nrr),
      detail: last.grr === null ? '' : `GRR ${pct(last.grr)}`,
    });
  if (last.logoChurn !== null)
    kpis.push({
      label: 'Logo churn (month)',
      value: pct(last.logoChurn),
      detail: 'share of paying customers lost',
    });
}
