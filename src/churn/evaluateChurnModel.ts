import { rocAuc, rocAucInterval } from '../_lib/auc';
import { ValidationError } from '../_lib/errors';
import { requireArray, requireNumbers } from './_args';
import type { ChurnModel } from './ChurnModel';
import type { ChurnRow } from './types';

/** One calibration bin: customers sorted by predicted probability, cut into equal-count bins. */
export interface CalibrationBin {
  /** 1 = lowest predicted risk. */
  bin: number;
  n: number;
  meanPredicted: number;
  observedRate: number;
}

/** Lift and capture in the riskiest fraction of customers. */
export interface LiftAt {
  /** Fraction of customers targeted (0.1 = top 10%). */
  fraction: number;
  /** Customers in the top fraction: `ceil(fraction · n)`. */
  n: number;
  /** Churn rate in the top fraction divided by the overall churn rate. */
  lift: number | null;
  /** Share of all churners that fall in the top fraction. */
  capture: number | null;
}

/** Result of {@link evaluateChurnModel}. */
export interface ChurnEvaluation {
  n: number;
  positives: number;
  baseRate: number | null;
  /** ROC AUC (`null` when one class is absent). */
  rocAuc: number | null;
  /**
   * 95% interval of the ROC AUC by DeLong's method (`auc ± 1.96·se`, clipped to [0, 1]); `null` with
   * fewer than two rows of either class. On 8 churners an AUC of 0.93 may read [0.83, 1].
   */
  rocAucInterval: { lower: number; upper: number; se: number } | null;
  /** PR AUC as average precision (scikit-learn's `average_precision_score`). */
  prAuc: number | null;
  /** Mean squared error of the probabilities. */
  brier: number | null;
  /** Mean negative log-likelihood, probabilities clipped to [1e-15, 1 − 1e-15]. */
  logLoss: number | null;
  /** Ten (or fewer, for small n) equal-count bins by predicted probability. */
  calibration: CalibrationBin[];
  /** Lift and capture at the top 10% and 20%. */
  top10: LiftAt;
  top20: LiftAt;
  /** Why some figures are null, when they are. */
  reason?: string;
}

/** Predictions and outcomes to evaluate. */
export interface PredictionsAndOutcomes {
  probabilities: ArrayLike<number>;
  churned: ArrayLike<number | boolean>;
}

const FN = 'evaluateChurnModel';

/**
 * Measures churn predictions against outcomes: ROC AUC with its 95% DeLong interval, PR AUC (average precision:
 * `Σₖ (Rₖ − Rₖ₋₁)·Pₖ` over distinct thresholds), Brier score `mean((p − y)²)`, log loss
 * `−mean(y·ln p + (1−y)·ln(1−p))`, a calibration table by decile of predicted risk, and lift
 * (`rate in top k% / overall rate`) and capture (`churners in top k% / all churners`) at 10% and 20%.
 * Top-k ties are broken by input order (stable sort).
 *
 * Missing-data policy: probabilities must be finite numbers in [0, 1] (ValidationError otherwise);
 * with no rows, or one class only, the affected figures are `null` with a `reason`.
 *
 * @param input either a model and labelled rows, or `{ probabilities, churned }`.
 * @param rows labelled rows when `input` is a model.
 * @returns a {@link ChurnEvaluation}.
 * @throws ValidationError on bad probabilities or mismatched lengths.
 * @example
 * ```ts
 * const ev = evaluateChurnModel({ probabilities: [0.1, 0.4, 0.35, 0.8], churned: [0, 0, 1, 1] });
 * ev.rocAuc; // => 0.75
 * ev.brier;  // => (0.01 + 0.16 + 0.4225 + 0.04) / 4 = 0.158125
 * ```
 */
export function evaluateChurnModel(
  input: ChurnModel | PredictionsAndOutcomes,
  rows?: readonly ChurnRow[],
): ChurnEvaluation {
  const { probs, labels } = readInput(input, rows);
  const n = probs.length;
  const { y, positives } = binaryOutcomes(probs, labels);
  if (n === 0) return noRows();
  let brier = 0;
  let logLoss = 0;
  for (let i = 0; i < n; i++) {
    const p = probs[i] as number;
    const yi = y[i] as number;
    brier += (p - yi) * (p - yi);
    const pc = Math.min(1 - 1e-15, Math.max(1e-15, p));
    logLoss -= yi === 1 ? Math.log(pc) : Math.log(1 - pc);
  }
  // Order by descending probability, stable.
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => (probs[b] as number) - (probs[a] as number) || a - b);
  const baseRate = positives / n;
  const oneClass = positives === 0 || positives === n;
  const out: ChurnEvaluation = {
    n,
    positives,
    baseRate,
    rocAuc: rocAuc(probs, y),
    rocAucInterval: interval(probs, y),
    prAuc: oneClass ? null : averagePrecision(probs, y, order, positives),
    brier: brier / n,
    logLoss: logLoss / n,
    calibration: calibrationBins(probs, y, order),
    top10: liftAt(0.1, y, order, positives, baseRate),
    top20: liftAt(0.2, y, order, positives, baseRate),
  };
  if (oneClass) out.reason = `only one class present (${positives} churners of ${n})`;
  return out;
}

/** The probabilities and outcomes: given, or the model's predictions on `rows` and their labels. */
function readInput(
  input: ChurnModel | PredictionsAndOutcomes,
  rows: readonly ChurnRow[] | undefined,
): { probs: ArrayLike<number>; labels: ArrayLike<number | boolean> } {
  if (input === null || typeof input !== 'object')
    throw new ValidationError(FN, [
      { path: [], code: 'invalid_type', message: 'input must be a model or { probabilities, churned }' },
    ]);
  if ('probabilities' in input && 'churned' in input) {
    return {
      probs: requireNumbers(FN, 'probabilities', input.probabilities) as ArrayLike<number>,
      labels: requireNumbers(FN, 'churned', input.churned, true),
    };
  }
  if (typeof (input as Partial<ChurnModel>).predictProbabilities !== 'function')
    throw new ValidationError(FN, [
      { path: [], code: 'invalid_type', message: 'input must be a model or { probabilities, churned }' },
    ]);
  if (rows !== undefined) requireArray(FN, 'rows', rows);
  if (rows === undefined) {
    throw new ValidationError(FN, [
      { path: ['rows'], code: 'required', message: 'rows are required with a model' },
    ]);
  }
  return { probs: (input as ChurnModel).predictProbabilities(rows), labels: rows.map((r) => r.churned) };
}

/** Outcomes as 0/1 and their count of 1s; throws on a length mismatch or a probability outside [0, 1]. */
function binaryOutcomes(
  probs: ArrayLike<number>,
  labels: ArrayLike<number | boolean>,
): { y: Uint8Array; positives: number } {
  const n = probs.length;
  if (labels.length !== n) {
    throw new ValidationError(FN, [
      {
        path: ['churned'],
        code: 'invalid_length',
        message: `${labels.length} labels for ${n} probabilities`,
      },
    ]);
  }
  const y = new Uint8Array(n);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const p = probs[i] as number;
    if (!(p >= 0 && p <= 1)) {
      throw new ValidationError(FN, [
        { index: i, path: ['probabilities'], code: 'out_of_range', message: 'probability must be in [0, 1]' },
      ]);
    }
    const l = labels[i];
    y[i] = l === true || l === 1 ? 1 : 0;
    positives += y[i] as number;
  }
  return { y, positives };
}

function emptyLift(fraction: number): LiftAt {
  return { fraction, n: 0, lift: null, capture: null };
}

/** The evaluation of no rows. */
function noRows(): ChurnEvaluation {
  return {
    n: 0,
    positives: 0,
    baseRate: null,
    rocAuc: null,
    rocAucInterval: null,
    prAuc: null,
    brier: null,
    logLoss: null,
    calibration: [],
    top10: emptyLift(0.1),
    top20: emptyLift(0.2),
    reason: 'no rows',
  };
}

/** Lift and capture of the top `fraction` of rows by descending probability (`order`). */
function liftAt(
  fraction: number,
  y: Uint8Array,
  order: number[],
  positives: number,
  baseRate: number,
): LiftAt {
  const n = y.length;
  const k = Math.ceil(fraction * n - 1e-9);
  let hits = 0;
  for (let i = 0; i < k; i++) hits += y[order[i] as number] as number;
  return {
    fraction,
    n: k,
    lift: positives === 0 || k === 0 ? null : hits / k / baseRate,
    capture: positives === 0 ? null : hits / positives,
  };
}

/** Up to ten bins of equal count in ascending risk: mean predicted probability vs observed rate. */
function calibrationBins(probs: ArrayLike<number>, y: Uint8Array, order: number[]): CalibrationBin[] {
  const n = y.length;
  const bins = Math.min(10, n);
  const calibration: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    // Ascending risk: bin 1 holds the lowest probabilities.
    const lo = Math.floor((b * n) / bins);
    const hi = Math.floor(((b + 1) * n) / bins);
    let sp = 0;
    let sy = 0;
    for (let r = lo; r < hi; r++) {
      const i = order[n - 1 - r] as number;
      sp += probs[i] as number;
      sy += y[i] as number;
    }
    const cnt = hi - lo;
    calibration.push({ bin: b + 1, n: cnt, meanPredicted: sp / cnt, observedRate: sy / cnt });
  }
  return calibration;
}

/** Average precision over distinct thresholds (scikit-learn's step-wise definition). */
function averagePrecision(
  probs: ArrayLike<number>,
  y: Uint8Array,
  order: number[],
  positives: number,
): number {
  let tp = 0;
  let fp = 0;
  let prevRecall = 0;
  let ap = 0;
  let i = 0;
  const n = order.length;
  while (i < n) {
    const s = probs[order[i] as number] as number;
    while (i < n && probs[order[i] as number] === s) {
      if (y[order[i] as number] === 1) tp++;
      else fp++;
      i++;
    }
    const recall = tp / positives;
    ap += (recall - prevRecall) * (tp / (tp + fp));
    prevRecall = recall;
  }
  return ap;
}

function interval(p: ArrayLike<number>, y: ArrayLike<number | boolean>): ChurnEvaluation['rocAucInterval'] {
  const ci = rocAucInterval(p, y);
  return ci === null ? null : { lower: ci.lower, upper: ci.upper, se: ci.se };
}
