/** The value sections of `buildReportData`: CLV (distribution, concentration, holdout) and RFM. */
import { VitalsError } from '../_lib/errors';
import { MS_PER_DAY } from '../_lib/time';
import { storeRevenueTotals } from '../clv/_storeRevenue';
import { estimateClv } from '../clv/estimateClv';
import { evaluateClv } from '../clv/evaluateClv';
import { fitBGNBD } from '../clv/fitBGNBD';
import { rfmSummary } from '../clv/rfmSummary';
import { trackingData } from '../clv/trackingData';
import type { CustomerEvent } from '../events/types';
import { rfmFromTotals, rfmScores } from '../segment/rfmScores';
import { rfmSegments } from '../segment/rfmSegments';
import { type EventStore, isEventStore } from '../store/EventStore';
import type { VitalsWarning } from '../types';
import { absent, present, type ReportInput, type ReportState, round } from './_section';
import { storeFirstOfType } from './_storeReport';
import type { ClvData, RfmData, Section } from './types';

/** 12-month CLV: distribution, Lorenz curve, top shares, holdout tracking (values left in `state.clvById`). */
export function clvSection(input: ReportInput, state: ReportState): Section<ClvData> {
  const { asOf, orders } = input;
  if (!input.hasPurchases)
    return absent('no purchase events: customer lifetime value needs purchases (transactional data)');
  const r = estimateClv(orders, { asOf, horizonMonths: 12 });
  for (const w of r.warnings as unknown[]) {
    state.warnings.push(typeof w === 'string' ? { code: 'clv', message: w } : (w as VitalsWarning));
  }
  const values = r.customers.filter((c) => c.value !== null).map((c) => c.value as number);
  if (values.length === 0) return absent(`no customer could be valued (${r.reason})`);
  state.clvById = new Map(
    r.customers.filter((c) => c.value !== null).map((c) => [c.customerId, c.value as number]),
  );
  const sorted = [...values].sort((a, b) => a - b);
  const total = sorted.reduce((s, v) => s + v, 0);
  const { edges, counts } = histogram(sorted, 20);
  return present({
    method: r.method,
    reason: r.reason,
    horizonMonths: 12,
    n: sorted.length,
    total: round(total, 2),
    edges,
    counts,
    lorenz: lorenzCurve(sorted, total),
    topShares: [0.01, 0.1, 0.2].map((fraction) => ({
      fraction,
      share: total > 0 ? round(topShare(sorted, fraction) / total, 4) : 0,
    })),
    ...holdoutTracking(orders, asOf),
  });
}

/** The RFM grid and segments (segment names left in `state.segmentById`). */
export function rfmSection(input: ReportInput, state: ReportState): Section<RfmData> {
  const { asOf, window } = input;
  if (!input.hasPurchases) return absent('no purchase events: RFM needs purchases (transactional data)');
  // Over a store: the per-customer totals from its columns (CLV's revenue reader), then
  // rfmScores' own scoring with its defaults, as the CLI's segment command does.
  const seg = rfmSegments(
    window === undefined
      ? rfmScores(input.inWindow as CustomerEvent[], { asOf })
      : rfmFromTotals(storeRevenueTotals(window, asOf), asOf, 5, false, undefined),
  );
  if (seg.customers.length === 0)
    return absent(seg.reason ?? 'no customer with a purchase before the report date');
  const grid = [0, 1, 2, 3, 4].map(() => [0, 0, 0, 0, 0]);
  for (const c of seg.customers) {
    const row = grid[c.r - 1];
    if (row && c.fm >= 1 && c.fm <= 5) row[c.fm - 1] = (row[c.fm - 1] as number) + 1;
  }
  state.segmentById = new Map(seg.customers.map((c) => [c.customerId, c.segment]));
  return present({
    grid,
    segments: seg.segments
      .filter((s) => s.count > 0)
      .map((s) => ({
        name: s.name,
        count: s.count,
        share: round(s.share, 4),
        monetaryShare: s.monetaryShare === null ? null : round(s.monetaryShare, 4),
        description: s.description,
      })),
  });
}

/**
 * Cumulative repeat purchases, expected (BG/NBD fitted on the calibration period) vs actual, week by
 * week through a holdout (Fader, Hardie & Lee 2005, Figure 3): the last third of the purchase
 * history, at most 39 weeks, when the history spans at least 30 weeks.
 */
function holdoutTracking(
  events: readonly CustomerEvent[] | EventStore,
  asOf: number,
): { tracking: ClvData['tracking']; trackingReason: string | null } {
  let first = Number.POSITIVE_INFINITY;
  if (isEventStore(events)) first = storeFirstOfType(events, 'purchase');
  else for (const e of events) if (e.type === 'purchase' && e.timestamp < first) first = e.timestamp;
  const weeks = Math.floor((asOf - first) / (7 * MS_PER_DAY));
  if (!(weeks >= 30)) {
    return {
      tracking: null,
      trackingReason: `the purchase history spans ${Math.max(0, weeks)} weeks; a calibration/holdout split needs at least 30`,
    };
  }
  const holdoutWeeks = Math.min(39, Math.round(weeks / 3));
  try {
    const s = rfmSummary(events, {
      asOf,
      calibrationEnd: asOf - holdoutWeeks * 7 * MS_PER_DAY,
      timeUnit: 'weeks',
    });
    const model = fitBGNBD(s.columns);
    const ev = evaluateClv(model, {
      calibration: s.columns,
      holdout: { frequency: s.customers.map((c) => c.holdoutFrequency ?? 0), duration: s.holdoutDuration },
      tracking: trackingData(events, s),
    });
    if (!ev.tracking?.length)
      return { tracking: null, trackingReason: 'no tracking series could be computed' };
    return {
      tracking: ev.tracking.map((p) => ({
        week: p.period,
        expected: round(p.cumulativeExpected, 2),
        actual: p.cumulativeActual,
      })),
      trackingReason: `BG/NBD fitted on purchases before the last ${holdoutWeeks} weeks (the holdout); ${ev.customers} customers`,
    };
  } catch (e) {
    if (e instanceof VitalsError)
      return { tracking: null, trackingReason: `the holdout model could not be fitted: ${e.message}` };
    throw e;
  }
}

function histogram(sorted: number[], bins: number): { edges: number[]; counts: number[] } {
  const lo = Math.min(0, sorted[0] as number);
  // The top 1% would squash everything else into one bar: the last bin is open-ended.
  const hi = sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))] as number;
  const width = hi > lo ? (hi - lo) / bins : 1;
  const edges = Array.from({ length: bins + 1 }, (_, i) => round(lo + i * width, 2));
  const counts = new Array<number>(bins).fill(0);
  for (const v of sorted) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / width)));
    counts[b] = (counts[b] ?? 0) + 1;
  }
  return { edges, counts };
}

function lorenzCurve(sorted: number[], total: number): [number, number][] {
  if (!(total > 0)) return [];
  const pts: [number, number][] = [[0, 0]];
  let cum = 0;
  const n = sorted.length;
  const step = Math.max(1, Math.floor(n / 100));
  for (let i = 0; i < n; i++) {
    cum += Math.max(0, sorted[i] as number);
    if ((i + 1) % step === 0 || i === n - 1)
      pts.push([round((i + 1) / n, 4), round(Math.min(1, cum / total), 4)]);
  }
  return pts;
}

function topShare(sorted: number[], fraction: number): number {
  const k = Math.max(1, Math.ceil(fraction * sorted.length));
  let s = 0;
  for (let i = sorted.length - k; i < sorted.length; i++) s += sorted[i] as number;
  return s;
}
