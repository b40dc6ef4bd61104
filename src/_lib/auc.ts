/**
 * ROC AUC and its DeLong confidence interval: the one copy the modules share (churn evaluation,
 * health's score-vs-outcome checks).
 * @module
 */
import { optionError, ValidationError } from './errors';
import { showValue } from './safe';

/** An array or a typed array (not a DataView), else a located error naming `fn` and `name`. */
function requireList(fn: string, name: string, v: unknown): ArrayLike<unknown> {
  if (Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView)))
    return v as unknown as ArrayLike<unknown>;
  throw new ValidationError(fn, [
    { path: [name], code: 'not_an_array', message: `${name} must be an array, got ${showValue(v)}` },
  ]);
}

/** Midranks (1-based, ties get the mean of their ranks) of `v`. */
function midranks(v: Float64Array): Float64Array {
  const n = v.length;
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((a, b) => (v[a] as number) - (v[b] as number));
  const r = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    const s = v[idx[i] as number] as number;
    while (j < n && v[idx[j] as number] === s) j++;
    const mid = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) r[idx[k] as number] = mid;
    i = j;
  }
  return r;
}

/** Finite scores split by label. */
function split(
  fn: string,
  scores: ArrayLike<number>,
  labels: ArrayLike<number | boolean>,
): { pos: Float64Array; neg: Float64Array } {
  requireList(fn, 'scores', scores);
  requireList(fn, 'labels', labels);
  const n = scores.length;
  if (labels.length !== n)
    throw optionError(
      fn,
      'labels',
      `must have one entry per score (${labels.length} labels for ${n} scores)`,
    );
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    if (l !== 1 && l !== 0 && l !== true && l !== false)
      throw new ValidationError(fn, [
        {
          index: i,
          path: ['labels'],
          code: 'invalid_label',
          message: `label must be 0, 1, true or false, got ${showValue(l)}`,
        },
      ]);
    const s = scores[i] as unknown;
    if (typeof s !== 'number' || !Number.isFinite(s)) continue;
    if (l === 1 || l === true) pos.push(s);
    else neg.push(s);
  }
  return { pos: Float64Array.from(pos), neg: Float64Array.from(neg) };
}

/**
 * Area under the ROC curve: the probability that a random positive scores higher than a random
 * negative, ties counted as one half (Mann–Whitney U / (n₊·n₋)). Identical to scikit-learn's
 * `roc_auc_score`. O(n log n).
 *
 * Missing-data policy: rows whose score is not a finite number are skipped; returns `null` when
 * either class is absent (the AUC is undefined), never NaN. Labels must be 0, 1, true or false.
 *
 * @param scores any scores (higher = more likely positive).
 * @param labels 1/true = positive, 0/false = negative; same length as `scores`.
 * @returns the AUC in [0, 1], or `null`.
 * @throws {ValidationError} when either argument is not an array, the lengths differ or a label is
 * not 0/1/true/false.
 * @example
 * ```ts
 * rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]); // => 0.75
 * ```
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number | boolean>): number | null {
  const { pos, neg } = split('rocAuc', scores, labels);
  const m = pos.length;
  const n = neg.length;
  if (m === 0 || n === 0) return null;
  const all = new Float64Array(m + n);
  all.set(pos);
  all.set(neg, m);
  const r = midranks(all);
  let rankSumPos = 0;
  for (let i = 0; i < m; i++) rankSumPos += r[i] as number;
  return (rankSumPos - (m * (m + 1)) / 2) / (m * n);
}

/** An AUC with its DeLong standard error and 95% interval. */
export interface AucInterval {
  /** The AUC, as {@link rocAuc}. */
  auc: number;
  /** DeLong standard error (0 when the classes are perfectly separated). */
  se: number;
  /** 95% interval `auc ± 1.96·se`, clipped to [0, 1]. */
  lower: number;
  upper: number;
  /** Positives and negatives it rests on. */
  positives: number;
  negatives: number;
}

/**
 * ROC AUC with its 95% confidence interval by DeLong, DeLong & Clarke-Pearson (1988), computed with
 * midranks (Sun & Xu 2014): with `m` positives and `n` negatives, `V10ᵢ = (Rᵢ − R⁺ᵢ)/n` per positive
 * and `V01ⱼ = 1 − (Rⱼ − R⁻ⱼ)/m` per negative (R: midrank among all scores, R⁺/R⁻: among the same
 * class), `Var(AUC) = s²(V10)/m + s²(V01)/n` (sample variances), interval `AUC ± 1.96·√Var`
 * clipped to [0, 1]. This is what pROC's `ci.auc(method = "delong")` computes.
 *
 * Missing-data policy: non-finite scores are skipped; `null` when either class has fewer than two
 * rows (no variance can be estimated).
 *
 * @param scores any scores (higher = more likely positive).
 * @param labels 1/true = positive, 0/false = negative.
 * @returns the AUC, its standard error and interval, or `null`.
 * @throws {ValidationError} as {@link rocAuc}.
 * @example
 * ```ts
 * const ci = rocAucInterval([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
 * ci?.auc; // => 0.75
 * ci?.se;  // => 0.3536 (V10 = [0.5, 1], V01 = [1, 0.5]: s² = 0.125 each; √(0.125/2 + 0.125/2))
 * ci?.lower; // => 0.057 (0.75 − 1.96 · 0.3536); ci?.upper => 1 (clipped)
 * ```
 */
export function rocAucInterval(
  scores: ArrayLike<number>,
  labels: ArrayLike<number | boolean>,
): AucInterval | null {
  const { pos, neg } = split('rocAucInterval', scores, labels);
  const m = pos.length;
  const n = neg.length;
  if (m < 2 || n < 2) return null;
  const all = new Float64Array(m + n);
  all.set(pos);
  all.set(neg, m);
  const r = midranks(all);
  const rp = midranks(pos);
  const rn = midranks(neg);
  const v10 = new Float64Array(m);
  const v01 = new Float64Array(n);
  let auc = 0;
  for (let i = 0; i < m; i++) {
    v10[i] = ((r[i] as number) - (rp[i] as number)) / n;
    auc += v10[i] as number;
  }
  auc /= m;
  for (let j = 0; j < n; j++) v01[j] = 1 - ((r[m + j] as number) - (rn[j] as number)) / m;
  const s10 = variance(v10, auc);
  const s01 = variance(v01, auc);
  const se = Math.sqrt(Math.max(0, s10 / m + s01 / n));
  return {
    auc,
    se,
    lower: Math.max(0, auc - 1.96 * se),
    upper: Math.min(1, auc + 1.96 * se),
    positives: m,
    negatives: n,
  };
}

/** Sample variance (n − 1) of `v` around `mean`. */
function variance(v: Float64Array, mean: number): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) {
    const d = (v[i] as number) - mean;
    s += d * d;
  }
  return s / (v.length - 1);
}
