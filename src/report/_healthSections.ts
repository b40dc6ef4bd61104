/** The health sections of `buildReportData`: bands over time, the riskiest customers, who moved. */
import { compareCodeUnits } from '../_lib/order';
import type { CustomerTimelines } from '../events/types';
import { explainChange } from '../health/explainChange';
import { healthHistory } from '../health/healthHistory';
import type { HealthScore } from '../health/healthTypes';
import {
  absent,
  FN,
  HISTORY_STEP_DAYS,
  present,
  type ReportInput,
  type ReportState,
  round,
} from './_section';
import { storeHealthHistory } from './_storeReport';
import type { CustomerView, HealthBandsData, MoverView, Section } from './types';

/** Health: history at monthly steps ending at asOf (left in `state.histories`), bands over time. */
export function healthSection(input: ReportInput, state: ReportState): Section<HealthBandsData> {
  const { asOf, historyDates, profiles, window, ids } = input;
  if (ids.length === 0) return absent('no customer has an event on or before the report date');
  if (window === undefined) {
    const list = healthHistory(input.timelines as CustomerTimelines, {
      from: historyDates[0] as number,
      to: asOf,
      every: HISTORY_STEP_DAYS,
      profiles,
    });
    state.histories = list;
    for (const w of list.warnings) state.warnings.push(w);
  } else {
    const h = storeHealthHistory(window, historyDates, profiles, FN);
    state.histories = h.histories;
    for (const w of h.warnings) state.warnings.push(w);
  }
  const histories = state.histories;
  const bandSet = new Set<string>();
  for (const h of histories) for (const p of h.points) bandSet.add(p.band ?? 'no score');
  const order = ['at risk', 'neutral', 'healthy'];
  const bands = [...bandSet].sort((a, b) => rank(order, a) - rank(order, b) || compareCodeUnits(a, b));
  const dates = [...new Set(histories.flatMap((h) => h.points.map((p) => p.asOf)))].sort((a, b) => a - b);
  const overTime = dates.map((d) => ({ asOf: d, counts: bands.map(() => 0) }));
  const scores: number[] = [];
  for (const h of histories) {
    for (const p of h.points) {
      const slot = overTime[dates.indexOf(p.asOf)];
      const b = bands.indexOf(p.band ?? 'no score');
      if (slot) slot.counts[b] = (slot.counts[b] ?? 0) + 1;
      if (p.asOf === asOf && p.score !== null) scores.push(round(p.score, 1));
    }
  }
  return present({ bands, overTime, scores });
}

/** Each customer's explained score at the last history date. */
export function currentScores(state: ReportState, historyDates: number[]): Map<string, HealthScore> {
  const current = new Map<string, HealthScore>();
  for (const h of state.histories) {
    const last = h.points[h.points.length - 1];
    if (last?.result && last.asOf === dates0(historyDates)) current.set(h.customerId, last.result);
  }
  return current;
}

/** The lowest scores at the report date, with their drivers. */
export function riskySection(
  health: Section<HealthBandsData>,
  current: Map<string, HealthScore>,
  listSize: number,
): Section<{ customers: CustomerView[] }> {
  if (!health.available) return absent(health.reason);
  // A score resting on too little data (band insufficient_data) is not "risky": it is unknown.
  const scored = [...current.values()].filter((s) => s.score !== null && s.band !== 'insufficient_data');
  if (scored.length === 0) return absent('no customer has a health score at the report date');
  scored.sort(
    (a, b) => (a.score as number) - (b.score as number) || compareCodeUnits(a.customerId, b.customerId),
  );
  return present({
    customers: scored.slice(0, listSize).map((s) => ({
      id: s.customerId,
      score: round(s.score as number, 1),
      band: s.band,
      drivers: [...s.explanation.negative, ...s.explanation.positive.slice(0, 1)].map((d) => ({
        label: d.label,
        impact: round(d.impact, 1),
        sentence: d.sentence,
      })),
    })),
  });
}

/** The largest health drops over the last history step, explained (`explainChange`). */
export function moversSection(
  input: ReportInput,
  state: ReportState,
  health: Section<HealthBandsData>,
): Section<{ from: number; customers: MoverView[] }> {
  const { asOf, historyDates, listSize } = input;
  if (!health.available) return absent(health.reason);
  if (historyDates.length < 2) return absent('one history date only: nothing to compare');
  const from = historyDates[historyDates.length - 2] as number;
  const drops: { before: HealthScore; after: HealthScore; delta: number }[] = [];
  for (const h of state.histories) {
    const n = h.points.length;
    const a = h.points[n - 1];
    const b = h.points[n - 2];
    if (
      !a?.result ||
      !b?.result ||
      a.asOf !== asOf ||
      b.asOf !== from ||
      a.score === null ||
      b.score === null
    )
      continue;
    if (a.score < b.score) drops.push({ before: b.result, after: a.result, delta: a.score - b.score });
  }
  if (drops.length === 0) return absent('no customer’s score fell over the last month');
  drops.sort((x, y) => x.delta - y.delta || compareCodeUnits(x.after.customerId, y.after.customerId));
  return present({
    from,
    customers: drops.slice(0, listSize).map((d) => {
      const c = explainChange(d.before, d.after);
      return {
        id: c.customerId,
        before: c.before === null ? null : round(c.before, 1),
        after: c.after === null ? null : round(c.after, 1),
        delta: round(d.delta, 1),
        summary: c.summary,
        changes: c.changes
          .slice(0, 4)
          .map((m) => ({ label: m.label, impact: round(m.delta, 1), sentence: m.sentence })),
      };
    }),
  });
}

function dates0(d: number[]): number {
  return d[d.length - 1] as number;
}

function rank(order: string[], v: string): number {
  const i = order.indexOf(v);
  return i === -1 ? order.length : i;
}
