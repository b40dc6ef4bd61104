/**
 * The figures of `auditFairness`: per group (rates, AUC, calibration), each judged group's gaps to
 * the reference with their flags, and the overall spreads.
 */
import { rocAuc, rocAucInterval } from '../_lib/auc';
import { twoSidedP, wilson, Z95 } from '../actions/_stats';
import type { FairnessRows, FairnessSettings } from './_fairnessInput';
import type { FairnessCalibrationBin, FairnessFlag, FairnessGroup, GroupGap } from './types';

/** Difference of two independent proportions with its Wald 95% interval. */
export function diffGap(p1: number, n1: number, p2: number, n2: number): GroupGap {
  const d = p1 - p2;
  const se = Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
  return gap(d, se);
}
function gap(d: number, se: number): GroupGap {
  const significant = se > 0 ? twoSidedP(d / se) < 0.05 : d !== 0;
  return { difference: d, interval: [d - Z95 * se, d + Z95 * se], significant };
}

/** The groups' figures, in code-unit order of the labels, with what the warnings and gaps need. */
export interface GroupFigures {
  out: FairnessGroup[];
  /** Row indices per group label, in first-seen order. */
  byGroup: Map<string, { idx: number[] }>;
  /** DeLong variance of each group's AUC, when it has an interval. */
  aucVar: Map<string, number>;
  /** Groups below the minimum size. */
  small: string[];
  /** Groups with one outcome class (AUC undefined). */
  oneClass: string[];
}

/** Per group: n, base rate, AUC with interval, calibration, selection rate, TPR and FPR. */
export function groupFigures(rows: FairnessRows, settings: FairnessSettings): GroupFigures {
  const { n, groups } = rows;
  // risk: larger = riskier (scores flipped unless higherIsRisk) for AUC; selection at the threshold.
  const risk = new Float64Array(n);
  const sel = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = rows.pred[i] as number;
    risk[i] = settings.higherIsRisk ? p : -p;
    sel[i] = settings.higherIsRisk ? (p >= settings.threshold ? 1 : 0) : p <= settings.threshold ? 1 : 0;
  }
  const decileEdges = globalDeciles(rows);
  const byGroup = new Map<string, { idx: number[] }>();
  for (let i = 0; i < n; i++) {
    const g = groups[i] as string;
    let a = byGroup.get(g);
    if (!a) {
      a = { idx: [] };
      byGroup.set(g, a);
    }
    a.idx.push(i);
  }
  const out: FairnessGroup[] = [];
  const aucVar = new Map<string, number>();
  const small: string[] = [];
  const oneClass: string[] = [];
  for (const [g, a] of [...byGroup].sort((x, z) => (x[0] < z[0] ? -1 : x[0] > z[0] ? 1 : 0))) {
    const gScores = a.idx.map((i) => risk[i] as number);
    const gLabels = a.idx.map((i) => rows.y[i] as number);
    const aucValue = rocAuc(gScores, gLabels);
    // DeLong interval (src/_lib/auc.ts); null with fewer than 2 of either class.
    const ci = aucValue === null ? null : rocAucInterval(gScores, gLabels);
    if (aucValue === null) oneClass.push(g);
    if (ci !== null) aucVar.set(g, ci.se * ci.se);
    const judged = a.idx.length >= settings.minGroupSize;
    if (!judged) small.push(g);
    const r = groupRates(rows, a.idx, sel, decileEdges);
    out.push({
      group: g,
      n: r.n,
      positives: r.positives,
      baseRate: r.baseRate,
      baseRateInterval: r.baseRateInterval,
      auc: aucValue,
      aucInterval: ci === null ? null : [ci.lower, ci.upper],
      calibrationInTheLarge: r.calibrationInTheLarge,
      calibration: r.calibration,
      selectionRate: r.selectionRate,
      truePositiveRate: r.truePositiveRate,
      falsePositiveRate: r.falsePositiveRate,
      judged,
      gaps: null,
    });
  }
  return { out, byGroup, aucVar, small, oneClass };
}

/** Global deciles of the predictions (probabilities only; none for scores). */
function globalDeciles(rows: FairnessRows): number[] {
  const { n } = rows;
  let decileEdges: number[] = [];
  if (rows.hasP && n > 0) {
    const sorted = Float64Array.from(rows.pred as ArrayLike<number>).sort();
    decileEdges = [];
    for (let k = 1; k < 10; k++)
      decileEdges.push(sorted[Math.min(n - 1, Math.floor((k * n) / 10))] as number);
  }
  return decileEdges;
}

/** One group's counts and rates, and its calibration by global decile (probabilities only). */
function groupRates(rows: FairnessRows, idx: number[], sel: Uint8Array, decileEdges: number[]) {
  const { y, hasP, pred } = rows;
  const decileOf = (p: number): number => {
    let k = 0;
    while (k < decileEdges.length && p >= (decileEdges[k] as number)) k++;
    return k;
  };
  const m = idx.length;
  let pos = 0;
  let selN = 0;
  let tp = 0;
  let fp = 0;
  let sumP = 0;
  const cal = Array.from({ length: 10 }, () => ({ n: 0, p: 0, y: 0 }));
  for (const i of idx) {
    pos += y[i] as number;
    selN += sel[i] as number;
    if (sel[i] === 1) {
      if (y[i] === 1) tp++;
      else fp++;
    }
    if (hasP) {
      const p = pred[i] as number;
      sumP += p;
      const c = cal[decileOf(p)] as { n: number; p: number; y: number };
      c.n++;
      c.p += p;
      c.y += y[i] as number;
    }
  }
  const neg = m - pos;
  const calibration: FairnessCalibrationBin[] = hasP
    ? cal.map((c, k) => ({
        decile: k + 1,
        n: c.n,
        meanPredicted: c.n ? c.p / c.n : null,
        observedRate: c.n ? c.y / c.n : null,
      }))
    : [];
  return {
    n: m,
    positives: pos,
    baseRate: pos / m,
    baseRateInterval: wilson(pos, m),
    calibrationInTheLarge: hasP ? sumP / m - pos / m : null,
    calibration,
    selectionRate: selN / m,
    truePositiveRate: pos > 0 ? tp / pos : null,
    falsePositiveRate: neg > 0 ? fp / neg : null,
  };
}

/** Sets `g.gaps` (to the reference group) and pushes the flags of the gaps above their limits. */
export function compareToReference(
  g: FairnessGroup,
  ref: FairnessGroup,
  aucVar: Map<string, number>,
  limits: FairnessSettings['limits'],
  flags: FairnessFlag[],
): void {
  const rateGap = (a: number | null, na: number, b: number | null, nb: number) =>
    a === null || b === null ? null : diffGap(a, na, b, nb);
  const gv = aucVar.get(g.group);
  const rv = aucVar.get(ref.group);
  g.gaps = {
    selectionRate: rateGap(g.selectionRate, g.n, ref.selectionRate, ref.n),
    truePositiveRate: rateGap(g.truePositiveRate, g.positives, ref.truePositiveRate, ref.positives),
    falsePositiveRate: rateGap(
      g.falsePositiveRate,
      g.n - g.positives,
      ref.falsePositiveRate,
      ref.n - ref.positives,
    ),
    auc:
      g.auc === null || ref.auc === null || gv === undefined || rv === undefined
        ? null
        : gap(g.auc - ref.auc, Math.sqrt(gv + rv)),
  };
  const flag = (metric: FairnessFlag['metric'], gp: GroupGap | null, limit: number, what: string) => {
    if (gp === null || !(Math.abs(gp.difference) > limit)) return;
    flags.push({
      metric,
      group: g.group,
      reference: ref.group,
      difference: gp.difference,
      limit,
      significant: gp.significant,
      message: `${what} of "${g.group}" differs from "${ref.group}" by ${(gp.difference * 100).toFixed(1)} points (limit ${(limit * 100).toFixed(1)}); ${gp.significant ? 'significant at 5%' : 'not significant: the groups may be too small to tell'}.`,
    });
  };
  flag('demographic_parity', g.gaps.selectionRate, limits.demographicParity, 'Selection rate');
  const tprG = g.gaps.truePositiveRate;
  const fprG = g.gaps.falsePositiveRate;
  const eo =
    tprG === null
      ? fprG
      : fprG === null
        ? tprG
        : Math.abs(tprG.difference) >= Math.abs(fprG.difference)
          ? tprG
          : fprG;
  flag(
    'equalised_odds',
    eo,
    limits.equalisedOdds,
    eo === tprG ? 'True positive rate' : 'False positive rate',
  );
  flag('auc', g.gaps.auc, limits.auc, 'AUC');
}

/** The largest minus the smallest of a rate among the judged groups that have it (null below 2). */
export function spread(
  judged: FairnessGroup[],
  rate: (g: FairnessGroup) => number | null,
  size: (g: FairnessGroup) => number,
): GroupGap | null {
  const have = judged.filter((g) => rate(g) !== null);
  if (have.length < 2) return null;
  let hi = have[0] as FairnessGroup;
  let lo = hi;
  for (const g of have) {
    if ((rate(g) as number) > (rate(hi) as number)) hi = g;
    if ((rate(g) as number) < (rate(lo) as number)) lo = g;
  }
  return diffGap(rate(hi) as number, size(hi), rate(lo) as number, size(lo));
}
