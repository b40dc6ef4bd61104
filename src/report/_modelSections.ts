/** The model sections of `buildReportData`: churn model quality and top risks, clusters. */
import { compareCodeUnits } from '../_lib/order';
import { MS_PER_DAY } from '../_lib/time';
import { backtest } from '../churn/backtest';
import { churnLabels } from '../churn/churnLabels';
import { clusterCustomers } from '../segment/clusterCustomers';
import { absent, present, type ReportInput, type ReportState, round } from './_section';
import type { ChurnData, ClusterData, Section } from './types';

/**
 * Churn: out-of-time backtest at asOf − horizon, then the same model scores customers now (their
 * probabilities left in `state.churnNow`).
 */
export function churnSection(input: ReportInput, state: ReportState): Section<ChurnData> {
  const { asOf, horizonDays, ids, earliest, churnInput, profiles, listSize } = input;
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
  const rows = input.featuresNow();
  // The customers a churn score is for: those churnLabels counts as active at asOf (as the CLI's churn).
  const active = new Set(churnLabels(churnInput, { asOf, horizon: horizonDays }).customerIds);
  const now = bt.model.predict(
    rows.filter((r) => active.has(r.customerId as string)),
    { maxReasons: 3 },
  );
  state.churnNow = new Map(now.map((p) => [p.customerId as string, p.probability]));
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
}

/** k-means clusters of the churn features at asOf. */
export function clustersSection(input: ReportInput): Section<ClusterData> {
  const { ids } = input;
  if (ids.length < 30) return absent(`${ids.length} customers: clustering needs at least 30`);
  const rows = input.featuresNow();
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
