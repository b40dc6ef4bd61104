import { checkOptions, optionError, ValidationError, VitalsError } from '../_lib/errors';
import { compareCodeUnits } from '../_lib/order';
import { type DateInput, MS_PER_DAY, requireEpochMs } from '../_lib/time';
import { backtest } from '../churn/backtest';
import { churnFeatures } from '../churn/churnFeatures';
import { churnLabels } from '../churn/churnLabels';
import { featureRows } from '../churn/featureRows';
import { kaplanMeier } from '../churn/kaplanMeier';
import { storeRevenueTotals } from '../clv/_storeRevenue';
import { estimateClv } from '../clv/estimateClv';
import { evaluateClv } from '../clv/evaluateClv';
import { fitBGNBD } from '../clv/fitBGNBD';
import { rfmSummary } from '../clv/rfmSummary';
import { trackingData } from '../clv/trackingData';
import { groupByCustomer } from '../events/groupByCustomer';
import type { CustomerEvent, CustomerProfile, CustomerTimelines } from '../events/types';
import { explainChange } from '../health/explainChange';
import { healthHistory } from '../health/healthHistory';
import type { HealthScore } from '../health/healthTypes';
import { checkStoreShape } from '../metrics/_storeIndex';
import { ces } from '../metrics/ces';
import { cohortRetention } from '../metrics/cohortRetention';
import { csat } from '../metrics/csat';
import { indexEvents } from '../metrics/indexEvents';
import { logoRetention } from '../metrics/logoRetention';
import { mrrMovements } from '../metrics/mrrMovements';
import { nps } from '../metrics/nps';
import { revenueRetention } from '../metrics/revenueRetention';
import { surveyScores } from '../metrics/surveyScores';
import { transactionalMetrics } from '../metrics/transactionalMetrics';
import { clusterCustomers } from '../segment/clusterCustomers';
import { rfmFromTotals, rfmScores } from '../segment/rfmScores';
import { rfmSegments } from '../segment/rfmSegments';
import { type EventStore, isEventStore } from '../store/EventStore';
import type { AsOfOptions, ProfilesOptions, VitalsWarning } from '../types';
import {
  type ReportHistory,
  storeFirstOfType,
  storeHealthHistory,
  storeOverview,
  storeSpans,
  storeUpTo,
  timelineSpans,
} from './_storeReport';
import type {
  ChurnData,
  ClusterData,
  ClvData,
  CohortData,
  CustomerTable,
  CustomerView,
  HealthBandsData,
  Kpi,
  MoverView,
  ReportData,
  RevenueData,
  RfmData,
  Section,
  SurvivalData,
} from './types';

/** Options of {@link buildReportData}. */
export interface BuildReportDataOptions extends Partial<AsOfOptions>, ProfilesOptions<CustomerProfile> {
  /** The report's "today". @default just after the latest event */
  asOf?: DateInput;
  /** Title at the top of the report. @default 'Customer vitals' */
  title?: string;
  /** Churn horizon in days for the model-quality section. @default 30 */
  horizonDays?: number;
  /** Months of health history (band over time, score history per customer). @default 6 */
  historyMonths?: number;
  /** Customers in the "riskiest", "who moved" and "top risks" lists. @default 10 */
  listSize?: number;
}

const KNOWN = ['asOf', 'profiles', 'title', 'horizonDays', 'historyMonths', 'listSize'] as const;
const FN = 'buildReportData';
const DAYS_PER_MONTH = 30.436875;
/** History step: 30 days, so the last date is exactly `asOf`. */
const HISTORY_STEP_DAYS = 30;

const absent = <T>(reason: string): Section<T> => ({ available: false, reason });
const present = <T>(data: T): Section<T> => ({ available: true, data });
const round = (v: number, d: number) => {
  const f = 10 ** d;
  return Math.round(v * f) / f;
};

/** Runs `f`; a VitalsError (insufficient or unusable data) becomes the section's reason. */
function attempt<T>(what: string, f: () => Section<T>): Section<T> {
  try {
    return f();
  } catch (e) {
    if (e instanceof VitalsError) return absent(`${what} could not be computed: ${e.message}`);
    throw e;
  }
}

const fmt = (v: number, d = 0) =>
  v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const pct = (v: number, d = 1) => `${fmt(100 * v, d)}%`;

/**
 * Computes everything the HTML report shows from validated events: overview KPIs (NPS/CSAT/CES with
 * 95% intervals, revenue, retention), monthly MRR movements with NRR/GRR and logo churn, health
 * bands now and over time, the riskiest customers with their drivers, the largest health drops
 * explained (`explainChange`), churn model quality from an out-of-time `backtest` (ROC, calibration,
 * gains) and the current top risks, Kaplan–Meier retention by plan, CLV distribution and
 * concentration (Lorenz curve, top-x% share), the RFM grid and segments, cluster profiles and
 * cohort retention, plus a compact table of every customer.
 *
 * Missing-data policy: each section is computed only when the data holds what it needs (e.g.
 * subscription events for revenue and survival, purchases for CLV and RFM, survey answers for
 * NPS); otherwise it is `{ available: false, reason }` with the reason in a sentence. A section
 * whose computation reports insufficient data (a `VitalsError`) is absent with that message.
 *
 * Over an `EventStore` (what the CLI reads), every section reads its typed columns (KPIs, MRR,
 * retention and cohorts, health history, churn features and labels, survival spans, CLV and RFM
 * totals): no event object is built. The result equals the report of the same events as an array.
 *
 * @param events validated events (`parseEvents(...).events`) or an `EventStore`.
 * @param options `asOf`, `profiles`, `title`, churn horizon, history length, list size.
 * @returns the {@link ReportData} for `renderReport`.
 * @throws ValidationError on invalid options.
 * @example
 * ```ts
 * const saas = generateSaasEvents({ customers: 50, seed: 1, end: '2025-06-01' });
 * const data = buildReportData(saas.events, { profiles: saas.profiles, asOf: '2025-06-01' });
 * data.health.available; // => true
 * data.rfm.available;    // => false ('no purchase events: ...')
 * ```
 */
export function buildReportData(
  events: readonly CustomerEvent[] | EventStore,
  options: BuildReportDataOptions = {},
): ReportData {
  checkOptions(FN, options, KNOWN);
  const store = isEventStore(events) ? events : undefined;
  if (store !== undefined) checkStoreShape(store, FN);
  if (store === undefined && !Array.isArray(events))
    throw optionError(FN, 'events', 'must be an array of validated events or an EventStore');
  const { earliest, latest, types } =
    store === undefined ? arrayOverview(events as readonly CustomerEvent[]) : storeOverview(store);
  const eventCount = store === undefined ? (events as readonly CustomerEvent[]).length : store.length;
  const asOf =
    options.asOf === undefined ? (eventCount ? latest + 1 : 0) : requireEpochMs(options.asOf, FN, 'asOf');
  const horizonDays = options.horizonDays ?? 30;
  if (!Number.isInteger(horizonDays) || horizonDays < 1)
    throw optionError(FN, 'horizonDays', 'must be an integer >= 1');
  const historyMonths = options.historyMonths ?? 6;
  if (!Number.isInteger(historyMonths) || historyMonths < 1 || historyMonths > 36) {
    throw optionError(FN, 'historyMonths', 'must be an integer 1..36');
  }
  const listSize = options.listSize ?? 10;
  if (!Number.isInteger(listSize) || listSize < 1)
    throw optionError(FN, 'listSize', 'must be an integer >= 1');
  const given = options.profiles;
  const profiles: CustomerProfile[] =
    given === undefined
      ? []
      : given instanceof Map
        ? [...given.values()]
        : [...(given as readonly CustomerProfile[])];
  const title = options.title ?? 'Customer vitals';
  const has = (...t: string[]) => t.some((x) => (types[x] ?? 0) > 0);
  // The events up to the report date (the asOf rule): an array, or a store of those rows.
  const window = store === undefined ? undefined : storeUpTo(store, asOf);
  const inWindow =
    window === undefined
      ? (events as readonly CustomerEvent[]).filter((e) => e.timestamp <= asOf)
      : undefined;
  // Over a store no timelines are built: churn reads the store, the other sections its columns.
  const timelines = inWindow === undefined ? undefined : groupByCustomer(inWindow);
  const churnInput = window ?? (timelines as CustomerTimelines);
  const ids: readonly string[] =
    window === undefined ? [...(timelines as CustomerTimelines).keys()] : window.customerIds;
  const windowCount = window === undefined ? (inWindow as CustomerEvent[]).length : window.length;
  const index = indexEvents(window ?? (inWindow as CustomerEvent[]));
  // CLV reads the store's purchase and refund columns; the events path reads the events.
  const orders = window ?? (inWindow as CustomerEvent[]);
  const warnings: VitalsWarning[] = [];
  const hasSubscriptions = has(
    'subscription_started',
    'subscription_changed',
    'subscription_renewed',
    'subscription_cancelled',
  );
  const hasPurchases = has('purchase');

  // Health: history at monthly steps ending at asOf.
  const historyDates: number[] = [];
  for (let k = historyMonths - 1; k >= 0; k--) historyDates.push(asOf - k * HISTORY_STEP_DAYS * MS_PER_DAY);
  let histories: ReportHistory[] = [];
  const health = attempt<HealthBandsData>('Health', () => {
    if (ids.length === 0) return absent('no customer has an event on or before the report date');
    if (window === undefined) {
      const list = healthHistory(timelines as CustomerTimelines, {
        from: historyDates[0] as number,
        to: asOf,
        every: HISTORY_STEP_DAYS,
        profiles,
      });
      histories = list;
      for (const w of list.warnings) warnings.push(w);
    } else {
      const h = storeHealthHistory(window, historyDates, profiles, FN);
      histories = h.histories;
      for (const w of h.warnings) warnings.push(w);
    }
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
  });
  const current = new Map<string, HealthScore>();
  for (const h of histories) {
    const last = h.points[h.points.length - 1];
    if (last?.result && last.asOf === dates0(historyDates)) current.set(h.customerId, last.result);
  }

  const risky = attempt<{ customers: CustomerView[] }>('Riskiest customers', () => {
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
  });

  const movers = attempt<{ from: number; customers: MoverView[] }>('Who moved', () => {
    if (!health.available) return absent(health.reason);
    if (historyDates.length < 2) return absent('one history date only: nothing to compare');
    const from = historyDates[historyDates.length - 2] as number;
    const drops: { before: HealthScore; after: HealthScore; delta: number }[] = [];
    for (const h of histories) {
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
  });

  // Churn features at asOf, computed once for the churn scores and the clusters.
  let featureCache: ReturnType<typeof featureRows> | undefined;
  const featuresNow = () => {
    featureCache ??= featureRows(churnFeatures(churnInput, { asOf, profiles }));
    return featureCache;
  };

  // Churn: out-of-time backtest at asOf − horizon, then the same model scores customers now.
  let churnNow = new Map<string, number>();
  const churn = attempt<ChurnData>('Churn model', () => {
    if (ids.length < 20) return absent(`${ids.length} customers: a churn model needs at least 20`);
    const testAsOf = asOf - horizonDays * MS_PER_DAY;
    if (!(earliest < testAsOf - horizonDays * MS_PER_DAY)) {
      return absent(
        `the data spans less than ${2 * horizonDays} days: no earlier window to train and test a ${horizonDays}-day churn model`,
      );
    }
    const bt = backtest(churnInput, { asOf: testAsOf, horizon: horizonDays, profiles });
    const ev = bt.evaluation;
    const probs = bt.predictions.map((p) => p.probability);
    const labels = bt.predictions.map((p) => (p.churned ? 1 : 0));
    const rows = featuresNow();
    // The customers a churn score is for: those churnLabels counts as active at asOf (as the CLI's churn).
    const active = new Set(churnLabels(churnInput, { asOf, horizon: horizonDays }).customerIds);
    const now = bt.model.predict(
      rows.filter((r) => active.has(r.customerId as string)),
      { maxReasons: 3 },
    );
    churnNow = new Map(now.map((p) => [p.customerId as string, p.probability]));
    const top = [...now].sort(
      (a, b) => b.probability - a.probability || compareCodeUnits(a.customerId ?? '', b.customerId ?? ''),
    );
    return present({
      horizonDays,
      testAsOf,
      n: ev.n,
      positives: ev.positives,
      auc: ev.rocAuc === null ? null : round(ev.rocAuc, 3),
      roc: rocCurve(probs, labels),
      calibration: ev.calibration.map((c) => ({
        ...c,
        meanPredicted: round(c.meanPredicted, 4),
        observedRate: round(c.observedRate, 4),
      })),
      gains: gainCurve(probs, labels),
      top10Lift: ev.top10.lift === null ? null : round(ev.top10.lift, 2),
      top20Capture: ev.top20.capture === null ? null : round(ev.top20.capture, 3),
      topRisks: top.slice(0, listSize).map((p) => ({
        id: p.customerId ?? '',
        probability: round(p.probability, 4),
        reasons: p.reasons.map((r) => r.sentence),
      })),
    });
  });

  const survival = attempt<SurvivalData>('Retention curves', () => {
    if (!hasSubscriptions)
      return absent(
        'no subscription events: survival curves need subscription start and cancellation dates (SaaS data)',
      );
    const byId = new Map(profiles.map((p) => [p.customerId, p]));
    const durations: number[] = [];
    const churned: number[] = [];
    const groups: string[] = [];
    const spans = window === undefined ? timelineSpans(timelines as CustomerTimelines) : storeSpans(window);
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
  });

  let clvById = new Map<string, number>();
  const clv = attempt<ClvData>('CLV', () => {
    if (!hasPurchases)
      return absent('no purchase events: customer lifetime value needs purchases (transactional data)');
    const r = estimateClv(orders, { asOf, horizonMonths: 12 });
    for (const w of r.warnings as unknown[]) {
      warnings.push(typeof w === 'string' ? { code: 'clv', message: w } : (w as VitalsWarning));
    }
    const values = r.customers.filter((c) => c.value !== null).map((c) => c.value as number);
    if (values.length === 0) return absent(`no customer could be valued (${r.reason})`);
    clvById = new Map(
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
  });

  let segmentById = new Map<string, string>();
  const rfm = attempt<RfmData>('RFM', () => {
    if (!hasPurchases) return absent('no purchase events: RFM needs purchases (transactional data)');
    // Over a store: the per-customer totals from its columns (CLV's revenue reader), then
    // rfmScores' own scoring with its defaults, as the CLI's segment command does.
    const seg = rfmSegments(
      window === undefined
        ? rfmScores(inWindow as CustomerEvent[], { asOf })
        : rfmFromTotals(storeRevenueTotals(window, asOf), asOf, 5, false, undefined),
    );
    if (seg.customers.length === 0)
      return absent(seg.reason ?? 'no customer with a purchase before the report date');
    const grid = [0, 1, 2, 3, 4].map(() => [0, 0, 0, 0, 0]);
    for (const c of seg.customers) {
      const row = grid[c.r - 1];
      if (row && c.fm >= 1 && c.fm <= 5) row[c.fm - 1] = (row[c.fm - 1] as number) + 1;
    }
    segmentById = new Map(seg.customers.map((c) => [c.customerId, c.segment]));
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
  });

  const clusters = attempt<ClusterData>('Clusters', () => {
    if (ids.length < 30) return absent(`${ids.length} customers: clustering needs at least 30`);
    const rows = featuresNow();
    const r = clusterCustomers(
      rows.map((x) => ({ customerId: x.customerId as string, features: x.features })),
      { seed: 1, kRange: [2, 6], restarts: 1 },
    );
    if (r.clusters.length === 0) return absent(r.reason ?? 'no cluster found');
    return present({
      silhouette: r.silhouette === null ? null : round(r.silhouette, 3),
      clusters: r.clusters.map((c) => ({
        name: c.name,
        size: c.size,
        share: round(c.share, 4),
        features: c.distinguishing.slice(0, 5).map((f) => ({
          label: f.label,
          z: round(f.z, 2),
          mean: round(f.mean, 2),
          populationMean: round(f.populationMean, 2),
        })),
      })),
    });
  });

  const cohorts = attempt<CohortData>('Cohorts', () => {
    if (!hasSubscriptions)
      return absent(
        'no subscription events: cohort retention follows subscribers month by month (SaaS data)',
      );
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
  });

  const revenue = attempt<RevenueData>('Revenue', () => {
    if (!hasSubscriptions)
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
  });

  const overview = attempt<{ kpis: Kpi[] }>('Overview', () => {
    const kpis: Kpi[] = [
      { label: 'Customers', value: fmt(ids.length), detail: `${fmt(windowCount)} events` },
    ];
    const from = asOf - 90 * MS_PER_DAY;
    const range = { from, to: asOf + 1 };
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
    if (has('ces_response')) {
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
    if (revenue.available) {
      const last = revenue.data.periods[revenue.data.periods.length - 1];
      if (last) {
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
    }
    if (hasPurchases) {
      const t = transactionalMetrics(index, range);
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
  });

  const customers = customerTable(
    ids,
    profiles,
    current,
    histories,
    historyDates,
    churnNow,
    clvById,
    segmentById,
    health.available ? health.data.bands : [],
  );
  return {
    schemaVersion: 1,
    title,
    asOf,
    pseudonymised: false,
    source: {
      events: windowCount,
      customers: ids.length,
      from: eventCount ? earliest : null,
      to: eventCount ? latest : null,
      types: { ...types },
    },
    overview,
    revenue,
    health,
    risky,
    movers,
    churn,
    survival,
    clv,
    rfm,
    clusters,
    cohorts,
    customers,
    warnings,
  };
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

/** Bounds and type counts of an event array, checking each entry is a validated event. */
function arrayOverview(events: readonly CustomerEvent[]): {
  earliest: number;
  latest: number;
  types: Record<string, number>;
} {
  let latest = Number.NEGATIVE_INFINITY;
  let earliest = Number.POSITIVE_INFINITY;
  const types: Record<string, number> = Object.create(null);
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as CustomerEvent;
    if (
      e === null ||
      typeof e !== 'object' ||
      typeof e.customerId !== 'string' ||
      typeof e.type !== 'string' ||
      typeof e.timestamp !== 'number' ||
      !Number.isFinite(e.timestamp)
    ) {
      throw new ValidationError(FN, [
        {
          index: i,
          path: [i],
          code: 'invalid_element',
          message: `events[${i}] is not a validated event (customerId, type, epoch-ms timestamp): pass parseEvents(rows).events`,
        },
      ]);
    }
    if (e.timestamp > latest) latest = e.timestamp;
    if (e.timestamp < earliest) earliest = e.timestamp;
    types[e.type] = (types[e.type] ?? 0) + 1;
  }
  return { earliest, latest, types };
}

function dates0(d: number[]): number {
  return d[d.length - 1] as number;
}

function rank(order: string[], v: string): number {
  const i = order.indexOf(v);
  return i === -1 ? order.length : i;
}

function monthStart(t: number): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** ROC curve points at every distinct threshold (at most ~200 points kept, evenly). */
export function rocCurve(probs: number[], labels: number[]): [number, number][] {
  const order = probs.map((_, i) => i).sort((a, b) => (probs[b] as number) - (probs[a] as number));
  const pos = labels.reduce((s, v) => s + v, 0);
  const neg = labels.length - pos;
  if (pos === 0 || neg === 0) return [];
  const pts: [number, number][] = [[0, 0]];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as number;
    if (labels[i] === 1) tp++;
    else fp++;
    const next = order[k + 1];
    if (next === undefined || probs[next] !== probs[i]) pts.push([round(fp / neg, 4), round(tp / pos, 4)]);
  }
  return thin(pts, 200);
}

/** Cumulative gains: share of churners captured in the riskiest x of customers. */
export function gainCurve(probs: number[], labels: number[]): [number, number][] {
  const order = probs.map((_, i) => i).sort((a, b) => (probs[b] as number) - (probs[a] as number));
  const pos = labels.reduce((s, v) => s + v, 0);
  if (pos === 0) return [];
  const pts: [number, number][] = [[0, 0]];
  let tp = 0;
  order.forEach((i, k) => {
    tp += labels[i] as number;
    pts.push([round((k + 1) / order.length, 4), round(tp / pos, 4)]);
  });
  return thin(pts, 200);
}

function thin(pts: [number, number][], max: number): [number, number][] {
  if (pts.length <= max) return pts;
  const step = (pts.length - 1) / (max - 1);
  const out: [number, number][] = [];
  for (let k = 0; k < max; k++) out.push(pts[Math.round(k * step)] as [number, number]);
  return out;
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

function customerTable(
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
