/** The subscription sections of `buildReportData`: retention curves, cohorts, revenue. */
import { MS_PER_DAY } from '../_lib/time';
import { kaplanMeier } from '../churn/kaplanMeier';
import type { CustomerTimelines } from '../events/types';
import { cohortRetention } from '../metrics/cohortRetention';
import { logoRetention } from '../metrics/logoRetention';
import { mrrMovements } from '../metrics/mrrMovements';
import { revenueRetention } from '../metrics/revenueRetention';
import { absent, DAYS_PER_MONTH, monthStart, present, type ReportInput, round } from './_section';
import { storeSpans, timelineSpans } from './_storeReport';
import type { CohortData, RevenueData, Section, SurvivalData } from './types';

/** Kaplan–Meier retention since signup, all customers and by plan. */
export function survivalSection(input: ReportInput): Section<SurvivalData> {
  const { asOf, profiles, window } = input;
  if (!input.hasSubscriptions)
    return absent(
      'no subscription events: survival curves need subscription start and cancellation dates (SaaS data)',
    );
  const byId = new Map(profiles.map((p) => [p.customerId, p]));
  const durations: number[] = [];
  const churned: number[] = [];
  const groups: string[] = [];
  const spans =
    window === undefined ? timelineSpans(input.timelines as CustomerTimelines) : storeSpans(window);
  spans.ids.forEach((customerId, c) => {
    const first = spans.first[c] as number;
    const start = byId.get(customerId)?.signupDate ?? (Number.isNaN(first) ? undefined : first);
    if (start === undefined || start > asOf) return;
    const ended = spans.cancelled[c] === 1;
    const end = ended ? (spans.last[c] as number) : asOf;
    durations.push(Math.max(0, (end - start) / MS_PER_DAY / DAYS_PER_MONTH));
    churned.push(ended ? 1 : 0);
    groups.push(byId.get(customerId)?.plan ?? 'no plan');
  });
  if (durations.length < 5) return absent(`${durations.length} subscribers: too few for a survival curve`);
  const km = kaplanMeier(durations, churned, { groups });
  const toCurve = (label: string, c: typeof km) => ({
    label,
    n: c.n,
    events: c.events,
    median: c.median === null ? null : round(c.median, 1),
    times: c.times.map((x) => round(x, 2)),
    survival: c.survival.map((x) => round(x, 4)),
    lower: c.lower.map((x) => round(x, 4)),
    upper: c.upper.map((x) => round(x, 4)),
  });
  const curves = [toCurve('all customers', km)];
  if (km.groups.size > 1) for (const [label, c] of km.groups) curves.push(toCurve(label, c as typeof km));
  return present({ unit: 'months' as const, curves });
}

/** Monthly cohort retention over the last 12 months. */
export function cohortsSection(input: ReportInput): Section<CohortData> {
  const { asOf, index } = input;
  if (!input.hasSubscriptions)
    return absent('no subscription events: cohort retention follows subscribers month by month (SaaS data)');
  const from = asOf - 12 * Math.round(DAYS_PER_MONTH) * MS_PER_DAY;
  const c = cohortRetention(index, { from: monthStart(from), to: asOf, period: 'month' });
  const rows = c.cohorts.filter((x) => x.size > 0);
  if (rows.length === 0) return absent('no cohort started in the last 12 months');
  return present({
    by: c.by,
    cohorts: rows.map((x) => ({
      start: x.periodStart,
      size: x.size,
      cells: x.cells.map((k) => (k.value === null ? null : round(k.value, 3))),
    })),
  });
}

/** Monthly MRR movements with NRR, GRR and logo churn over the last 12 months. */
export function revenueSection(input: ReportInput): Section<RevenueData> {
  const { asOf, index } = input;
  if (!input.hasSubscriptions)
    return absent('no subscription events: MRR, NRR and GRR need subscriptions (SaaS data)');
  const from = monthStart(asOf - 12 * Math.round(DAYS_PER_MONTH) * MS_PER_DAY);
  const mv = mrrMovements(index, { from, to: asOf, period: 'month' });
  const rr = revenueRetention(index, { from, to: asOf, period: 'month' });
  const lr = logoRetention(index, { from, to: asOf, period: 'month' });
  return present({
    periods: mv.map((m, i) => {
      const r = rr[i] as (typeof rr)[number] & {
        grossRetention?: number | null;
        grossRetainedMrr?: number;
      };
      const g =
        r && r.n > 0 && typeof r.grossRetainedMrr === 'number' && m.startMrr > 0
          ? r.grossRetainedMrr / m.startMrr
          : null;
      return {
        start: m.periodStart,
        startMrr: m.startMrr,
        endMrr: m.endMrr,
        new: m.new,
        expansion: m.expansion,
        contraction: m.contraction,
        churned: m.churned,
        reactivation: m.reactivation,
        nrr: r?.value === null || r?.value === undefined ? null : round(r.value, 4),
        grr: g === null ? null : round(g, 4),
        logoChurn:
          lr[i]?.churnRate === null || lr[i]?.churnRate === undefined
            ? null
            : round(lr[i]?.churnRate as number, 4),
      };
    }),
  });
}
