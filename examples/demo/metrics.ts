import { addPeriods, periodStart } from '../../src/_lib/period';
import {
  ces,
  csat,
  indexEvents,
  logoRetention,
  mrrMovements,
  nps,
  revenueRetention,
  supportMetrics,
  surveyScores,
} from '../../src/metrics/index';
import { type DemoContext, heading } from './context';

const money = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 0 });
const pct = (x: number | null, digits = 1) => (x === null ? 'n/a' : `${(100 * x).toFixed(digits)}%`);
const hours = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(1)} h`);
const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)}`;
const month = (t: number) => new Date(t).toISOString().slice(0, 7);

/** Demo section for customer-vitals/metrics: a one-screen KPI summary of the last three months. */
export function run(ctx: DemoContext): void {
  heading(ctx, 'metrics');
  // One shared index: the metrics below reuse its passes over the events.
  const events = indexEvents(ctx.parsed.events);
  // The last three whole months before asOf (UTC calendar).
  const to =
    periodStart(ctx.asOf - 1, 'month') === ctx.asOf
      ? ctx.asOf
      : addPeriods(periodStart(ctx.asOf - 1, 'month'), 'month', 1);
  const from = addPeriods(to, 'month', -3);
  const range = { from, to };
  ctx.print(
    `KPIs for ${month(from)} .. ${month(to - 1)} (asOf ${new Date(ctx.asOf).toISOString().slice(0, 10)})`,
  );

  const n = nps(surveyScores(events, 'nps_response', range));
  const c = csat(surveyScores(events, 'csat_response', range));
  const e = ces(surveyScores(events, 'ces_response', range));
  const npsText =
    n.value === null || n.ci === null
      ? `NPS n/a (${n.reason})`
      : `NPS ${signed(n.value)} (95% CI ${signed(n.ci.lower)}..${signed(n.ci.upper)}, n=${n.n})`;
  ctx.print(
    `Surveys   ${npsText}   CSAT ${pct(c.value)} (CI ${pct(c.ci?.lower ?? null, 0)}..${pct(c.ci?.upper ?? null, 0)}, n=${c.n})` +
      `   CES ${e.value === null ? 'n/a' : e.value.toFixed(2)} (n=${e.n})`,
  );

  const s = supportMetrics(events, { asOf: ctx.asOf, ...range });
  ctx.print(
    `Support   ${s.opened} tickets, first response median ${hours(s.firstResponse.medianHours)} / p90 ${hours(s.firstResponse.p90Hours)}, ` +
      `resolution median ${hours(s.resolution.medianHours)} / p90 ${hours(s.resolution.p90Hours)}`,
  );
  ctx.print(
    `          ${pct(s.resolvedShare)} resolved, ${s.reopened} reopened, ${s.openAtAsOf} open at asOf (any age), ` +
      `${s.ticketsPerCustomerPerMonth?.toFixed(2) ?? 'n/a'} tickets/customer/month, ${s.rejected.length} ticket events rejected`,
  );

  const m = mrrMovements(events, range);
  const rr = revenueRetention(events, range);
  const lr = logoRetention(events, range);
  const col = (x: string) => x.padStart(15);
  ctx.print('');
  ctx.print(`MRR movements     ${m.map((p) => col(month(p.periodStart))).join('')}`);
  const row = (label: string, pick: (i: number) => string) =>
    ctx.print(`  ${label.padEnd(16)}${m.map((_, i) => col(pick(i))).join('')}`);
  row('start', (i) => money(m[i]?.startMrr ?? 0));
  row('+ new', (i) => money(m[i]?.new ?? 0));
  row('+ expansion', (i) => money(m[i]?.expansion ?? 0));
  row('- contraction', (i) => money(m[i]?.contraction ?? 0));
  row('- churned', (i) => money(m[i]?.churned ?? 0));
  row('+ reactivation', (i) => money(m[i]?.reactivation ?? 0));
  row('= end', (i) => money(m[i]?.endMrr ?? 0));
  row('NRR / GRR', (i) => `${pct(rr[i]?.nrr ?? null, 0)} / ${pct(rr[i]?.grr ?? null, 0)}`);
  row(
    'logo churn',
    (i) => `${pct(lr[i]?.churnRate ?? null)} (${lr[i]?.churned ?? 0}/${lr[i]?.startCustomers ?? 0})`,
  );
}
