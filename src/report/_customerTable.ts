/** The compact table of every customer in a report (`ReportData.customers`), codes for repeated names. */
import type { CustomerProfile } from '../events/types';
import type { HealthScore } from '../health/healthTypes';
import { round } from './_section';
import type { CustomerTable } from './types';

/** One row per customer id: score, band, segment, plan, churn, CLV, score history, top drivers. */
export function customerTable(
  ids: readonly string[],
  profiles: readonly CustomerProfile[],
  current: Map<string, HealthScore>,
  histories: { customerId: string; points: { asOf: number; score: number | null }[] }[],
  historyDates: number[],
  churn: Map<string, number>,
  clv: Map<string, number>,
  segment: Map<string, string>,
  bands: string[],
): CustomerTable {
  const plans = new Map(profiles.map((p) => [p.customerId, p.plan]));
  const code = (names: string[], lookup: Map<string, number>, v: string | undefined | null) => {
    if (v === undefined || v === null) return -1;
    let c = lookup.get(v);
    if (c === undefined) {
      c = names.length;
      names.push(v);
      lookup.set(v, c);
    }
    return c;
  };
  const segmentNames: string[] = [];
  const planNames: string[] = [];
  const driverNames: string[] = [];
  const segLookup = new Map<string, number>();
  const planLookup = new Map<string, number>();
  const driverLookup = new Map<string, number>();
  const bandLookup = new Map(bands.map((b, i) => [b, i]));
  const per = 3;
  const histById = new Map(histories.map((h) => [h.customerId, h.points]));
  const t: CustomerTable = {
    ids: [...ids],
    score: [],
    band: [],
    bandNames: [...bands],
    segment: [],
    segmentNames,
    plan: [],
    planNames,
    churn: [],
    clv: [],
    historyDates: [...historyDates],
    history: [],
    driversPerCustomer: per,
    drivers: [],
    driverNames,
  };
  for (const id of ids) {
    const s = current.get(id);
    t.score.push(s?.score === null || s?.score === undefined ? null : round(s.score, 1));
    t.band.push(s ? (bandLookup.get(s.band ?? 'no score') ?? -1) : -1);
    t.segment.push(code(segmentNames, segLookup, segment.get(id)));
    t.plan.push(code(planNames, planLookup, plans.get(id)));
    const p = churn.get(id);
    t.churn.push(p === undefined ? null : round(100 * p, 1));
    const v = clv.get(id);
    t.clv.push(v === undefined ? null : Math.round(v));
    const pts = histById.get(id) ?? [];
    for (const d of historyDates) {
      const pt = pts.find((x) => x.asOf === d);
      t.history.push(pt?.score === null || pt?.score === undefined ? null : Math.round(pt.score));
    }
    const drivers = s ? [...s.explanation.negative, ...s.explanation.positive].slice(0, per) : [];
    for (let k = 0; k < per; k++) {
      const d = drivers[k];
      if (d) t.drivers.push(code(driverNames, driverLookup, d.label), Math.round(d.impact * 10));
      else t.drivers.push(-1, 0);
    }
  }
  return t;
}
