import { rocAuc, rocAucInterval } from '../_lib/auc';
import {
  checkOptions,
  optionError,
  unknownKeyIssues,
  ValidationError,
  type ValidationIssue,
} from '../_lib/errors';
import { isPlainObject } from '../_lib/safe';
import { twoSidedP, wilson, Z95 } from '../actions/_stats';
import type { VitalsWarning } from '../types';
import type {
  FairnessAudit,
  FairnessCalibrationBin,
  FairnessFlag,
  FairnessGroup,
  FairnessWarningCode,
  GroupGap,
} from './types';

const FN = 'auditFairness';
const KEYS = ['threshold', 'minGroupSize', 'limits', 'reference', 'higherIsRisk'];
const INPUT_KEYS = ['probabilities', 'scores', 'outcomes', 'groups'];

/** What `auditFairness` audits: one prediction, outcome and group per customer. */
export interface FairnessInput {
  /** Churn probabilities in [0, 1] (higher = riskier). Give this or `scores`. */
  probabilities?: ArrayLike<number>;
  /** Scores (e.g. health 0–100, higher = healthier unless `higherIsRisk`). Give this or `probabilities`. */
  scores?: ArrayLike<number>;
  /** Observed outcome per customer: 1/true = churned. */
  outcomes: ArrayLike<number | boolean>;
  /** Group label per customer (region, company size, language, ...). */
  groups: ArrayLike<string>;
}

/** Options of {@link auditFairness}. */
export interface AuditFairnessOptions {
  /**
   * Threshold that selects a customer as "at risk": probability ≥ threshold, or score ≤ threshold
   * (score ≥ threshold with `higherIsRisk`). Required for `scores`. @default 0.5 for probabilities
   */
  threshold?: number;
  /** Groups smaller than this are reported, not judged. @default 30 */
  minGroupSize?: number;
  /** Largest acceptable absolute gaps. @default { demographicParity: 0.1, equalisedOdds: 0.1, auc: 0.05 } */
  limits?: { demographicParity?: number; equalisedOdds?: number; auc?: number };
  /** Group the others are compared with. @default the largest judged group */
  reference?: string;
  /** For `scores`: whether a higher score means more risk. @default false */
  higherIsRisk?: boolean;
}

interface Acc {
  idx: number[];
}

function diffGap(p1: number, n1: number, p2: number, n2: number): GroupGap {
  const d = p1 - p2;
  const se = Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
  return gap(d, se);
}
function gap(d: number, se: number): GroupGap {
  const significant = se > 0 ? twoSidedP(d / se) < 0.05 : d !== 0;
  return { difference: d, interval: [d - Z95 * se, d + Z95 * se], significant };
}

/**
 * Fairness audit of a churn model's probabilities or a health score across customer groups. Per
 * group: n, base rate (Wilson 95% interval), AUC (DeLong 95% interval), calibration-in-the-large
 * (mean predicted − observed) and by decile of the predictions, selection rate, true and false
 * positive rates at a threshold. Between groups: each judged group's gap to the reference group in
 * selection rate (demographic parity), TPR and FPR (equalised odds) and AUC, with Wald 95%
 * intervals (independent groups); overall, the demographic-parity difference (max − min selection
 * rate) and the equalised-odds difference (max of the TPR and FPR spreads) as defined by fairlearn
 * (Bird et al. 2020; Hardt, Price & Srebro 2016 for equalised odds). A gap larger than its limit is
 * flagged, and the flag says whether the interval excludes 0 (significant) or the data cannot tell.
 *
 * Missing-data policy: rows with a non-finite prediction, a missing outcome or group are rejected
 * with located errors (nothing is imputed). Groups below `minGroupSize` are reported with
 * `judged: false` and a `small_group` warning, and left out of gaps and flags. Rates undefined for
 * a group (no positives → TPR) are null, never NaN. Warning codes: `small_group`,
 * `single_class_group` (AUC undefined), `too_few_groups` (fewer than 2 judged groups: no gaps),
 * `scores_not_probabilities` (calibration needs probabilities; skipped for scores).
 *
 * @param input predictions, outcomes and group labels, all the same length.
 * @param options threshold, minimum group size, limits, reference group, score direction.
 * @returns per-group figures, gaps, overall differences, flags and warnings.
 * @throws ValidationError for unknown options or keys, mismatched lengths or invalid rows.
 * @example
 * ```ts
 * const audit = auditFairness(
 *   { probabilities: [0.9, 0.8, 0.2, 0.1, 0.9, 0.3, 0.2, 0.1], outcomes: [1, 0, 0, 0, 1, 0, 0, 0], groups: ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b'] },
 *   { minGroupSize: 1 },
 * );
 * audit.demographicParityDifference?.difference; // => 0.25 (selection 2/4 in a vs 1/4 in b)
 * ```
 */
export function auditFairness(input: FairnessInput, options: AuditFairnessOptions = {}): FairnessAudit {
  checkOptions(FN, options, KEYS);
  if (!isPlainObject(input))
    throw new ValidationError(FN, [
      {
        path: [],
        code: 'not_plain_object',
        message: 'input must be { probabilities | scores, outcomes, groups }',
      },
    ]);
  const unknown = unknownKeyIssues(input, INPUT_KEYS, [], 'input key');
  if (unknown.length > 0) throw new ValidationError(FN, unknown, 'input');
  const hasP = input.probabilities !== undefined;
  const hasS = input.scores !== undefined;
  if (hasP === hasS)
    throw new ValidationError(FN, [
      {
        path: [hasP ? 'scores' : 'probabilities'],
        code: 'invalid_union',
        message: 'give exactly one of "probabilities" and "scores"',
      },
    ]);
  const kind = hasP ? 'probabilities' : 'scores';
  const pred = (hasP ? input.probabilities : input.scores) as ArrayLike<number>;
  const { outcomes, groups } = input;
  const issues: ValidationIssue[] = [];
  for (const [name, arr] of [
    [kind, pred],
    ['outcomes', outcomes],
    ['groups', groups],
  ] as const)
    if (arr === null || typeof arr !== 'object' || typeof arr.length !== 'number')
      issues.push({ path: [name], code: 'not_an_array', message: `"${name}" must be an array` });
  if (issues.length > 0) throw new ValidationError(FN, issues);
  const n = pred.length;
  for (const [name, arr] of [
    ['outcomes', outcomes],
    ['groups', groups],
  ] as const)
    if (arr.length !== n)
      issues.push({
        path: [name],
        code: 'invalid_length',
        message: `"${name}" has ${arr.length} entries for ${n} ${kind}`,
      });
  if (issues.length > 0) throw new ValidationError(FN, issues);
  const y = new Uint8Array(n);
  for (let i = 0; i < n && issues.length < 100; i++) {
    const p = pred[i];
    if (typeof p !== 'number' || !Number.isFinite(p) || (hasP && (p < 0 || p > 1)))
      issues.push({
        index: i,
        path: [kind, i],
        code: 'out_of_range',
        message: hasP ? 'a probability must be a number in [0, 1]' : 'a score must be a finite number',
      });
    const o = outcomes[i];
    if (o === 1 || o === true) y[i] = 1;
    else if (!(o === 0 || o === false))
      issues.push({
        index: i,
        path: ['outcomes', i],
        code: 'invalid_label',
        message: 'an outcome must be 0, 1, true or false',
      });
    const g = groups[i];
    if (typeof g !== 'string' || g.length === 0)
      issues.push({
        index: i,
        path: ['groups', i],
        code: 'required',
        message: 'a group must be a non-empty string',
      });
  }
  if (issues.length > 0) throw new ValidationError(FN, issues, 'input');

  const higherIsRisk = options.higherIsRisk ?? hasP;
  if (hasP && options.higherIsRisk === false)
    throw optionError(FN, 'higherIsRisk', 'cannot be false for probabilities (higher is riskier)');
  if (options.threshold === undefined && !hasP)
    throw optionError(
      FN,
      'threshold',
      'is required for scores (e.g. 40: a health score at or below 40 selects the customer)',
      'required',
    );
  const threshold = options.threshold ?? 0.5;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold))
    throw optionError(FN, 'threshold', 'must be a finite number', 'not_finite');
  const minGroupSize = options.minGroupSize ?? 30;
  if (!Number.isInteger(minGroupSize) || minGroupSize < 1)
    throw optionError(FN, 'minGroupSize', 'must be an integer >= 1', 'out_of_range');
  if (options.limits !== undefined && !isPlainObject(options.limits))
    throw optionError(FN, 'limits', 'must be an object', 'invalid_type');
  checkOptions(FN, options.limits, ['demographicParity', 'equalisedOdds', 'auc']);
  const limits = { demographicParity: 0.1, equalisedOdds: 0.1, auc: 0.05, ...options.limits };
  for (const [k, v] of Object.entries(limits))
    if (typeof v !== 'number' || !(v >= 0 && v <= 1))
      throw optionError(FN, `limits.${k}`, 'must be a number in [0, 1]', 'out_of_range');

  // risk: larger = riskier (scores flipped unless higherIsRisk) for AUC; selection at the threshold.
  const risk = new Float64Array(n);
  const sel = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = pred[i] as number;
    risk[i] = higherIsRisk ? p : -p;
    sel[i] = higherIsRisk ? (p >= threshold ? 1 : 0) : p <= threshold ? 1 : 0;
  }
  // Global deciles of the predictions (probabilities only).
  let decileEdges: number[] = [];
  if (hasP && n > 0) {
    const sorted = Float64Array.from(pred as ArrayLike<number>).sort();
    decileEdges = [];
    for (let k = 1; k < 10; k++)
      decileEdges.push(sorted[Math.min(n - 1, Math.floor((k * n) / 10))] as number);
  }
  const decileOf = (p: number): number => {
    let k = 0;
    while (k < decileEdges.length && p >= (decileEdges[k] as number)) k++;
    return k;
  };

  const byGroup = new Map<string, Acc>();
  for (let i = 0; i < n; i++) {
    const g = groups[i] as string;
    let a = byGroup.get(g);
    if (!a) {
      a = { idx: [] };
      byGroup.set(g, a);
    }
    a.idx.push(i);
  }
  const warnings: VitalsWarning<FairnessWarningCode>[] = [];
  const out: FairnessGroup[] = [];
  const aucVar = new Map<string, number>();
  const small: string[] = [];
  const oneClass: string[] = [];
  for (const [g, a] of [...byGroup].sort((x, z) => (x[0] < z[0] ? -1 : x[0] > z[0] ? 1 : 0))) {
    const m = a.idx.length;
    let pos = 0;
    let selN = 0;
    let tp = 0;
    let fp = 0;
    let sumP = 0;
    const cal = Array.from({ length: 10 }, () => ({ n: 0, p: 0, y: 0 }));
    for (const i of a.idx) {
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
    const gScores = a.idx.map((i) => risk[i] as number);
    const gLabels = a.idx.map((i) => y[i] as number);
    const aucValue = rocAuc(gScores, gLabels);
    // DeLong interval (src/_lib/auc.ts); null with fewer than 2 of either class.
    const ci = aucValue === null ? null : rocAucInterval(gScores, gLabels);
    if (aucValue === null) oneClass.push(g);
    if (ci !== null) aucVar.set(g, ci.se * ci.se);
    const judged = m >= minGroupSize;
    if (!judged) small.push(g);
    const calibration: FairnessCalibrationBin[] = hasP
      ? cal.map((c, k) => ({
          decile: k + 1,
          n: c.n,
          meanPredicted: c.n ? c.p / c.n : null,
          observedRate: c.n ? c.y / c.n : null,
        }))
      : [];
    out.push({
      group: g,
      n: m,
      positives: pos,
      baseRate: pos / m,
      baseRateInterval: wilson(pos, m),
      auc: aucValue,
      aucInterval: ci === null ? null : [ci.lower, ci.upper],
      calibrationInTheLarge: hasP ? sumP / m - pos / m : null,
      calibration,
      selectionRate: selN / m,
      truePositiveRate: pos > 0 ? tp / pos : null,
      falsePositiveRate: neg > 0 ? fp / neg : null,
      judged,
      gaps: null,
    });
  }
  if (small.length > 0)
    warnings.push({
      code: 'small_group',
      message: `${small.length} group(s) have fewer than ${minGroupSize} customers and are reported but not judged: ${small.slice(0, 5).join(', ')}${small.length > 5 ? ', …' : ''}.`,
    });
  if (oneClass.length > 0)
    warnings.push({
      code: 'single_class_group',
      message: `AUC is undefined in ${oneClass.length} group(s) with only one outcome class: ${oneClass.slice(0, 5).join(', ')}.`,
    });
  if (!hasP)
    warnings.push({
      code: 'scores_not_probabilities',
      message: 'Scores are not probabilities, so calibration was not assessed.',
    });

  const judged = out.filter((g) => g.judged);
  let reference: string | null = null;
  if (options.reference !== undefined) {
    if (!byGroup.has(options.reference))
      throw optionError(
        FN,
        'reference',
        `is not one of the groups (${[...byGroup.keys()].slice(0, 10).join(', ')})`,
        'invalid_value',
      );
    reference = options.reference;
  } else if (judged.length > 0) {
    reference = judged.reduce((b, g) => (g.n > b.n ? g : b)).group;
  }
  const flags: FairnessFlag[] = [];
  const ref = out.find((g) => g.group === reference);
  if (ref?.judged) {
    for (const g of judged) {
      if (g === ref) continue;
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
  }
  if (judged.length < 2)
    warnings.push({
      code: 'too_few_groups',
      message: `Only ${judged.length} group(s) reach ${minGroupSize} customers, so no gaps were computed.`,
    });

  const spread = (
    rate: (g: FairnessGroup) => number | null,
    size: (g: FairnessGroup) => number,
  ): GroupGap | null => {
    const have = judged.filter((g) => rate(g) !== null);
    if (have.length < 2) return null;
    let hi = have[0] as FairnessGroup;
    let lo = hi;
    for (const g of have) {
      if ((rate(g) as number) > (rate(hi) as number)) hi = g;
      if ((rate(g) as number) < (rate(lo) as number)) lo = g;
    }
    return diffGap(rate(hi) as number, size(hi), rate(lo) as number, size(lo));
  };
  const dp = spread(
    (g) => g.selectionRate,
    (g) => g.n,
  );
  const tprS = spread(
    (g) => g.truePositiveRate,
    (g) => g.positives,
  );
  const fprS = spread(
    (g) => g.falsePositiveRate,
    (g) => g.n - g.positives,
  );
  const eo = tprS === null ? fprS : fprS === null ? tprS : tprS.difference >= fprS.difference ? tprS : fprS;
  return {
    kind,
    threshold,
    reference,
    groups: out,
    demographicParityDifference: dp,
    equalisedOddsDifference: eo,
    flags,
    n,
    dataUsed: [kind, 'outcomes', 'groups'],
    warnings,
  };
}
