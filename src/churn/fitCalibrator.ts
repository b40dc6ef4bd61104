import { ValidationError } from '../_lib/errors';
import { requireNumbers } from './_args';
import { fitLogisticRegression } from './fitLogisticRegression';

/** A fitted probability calibrator mapping a raw score (log-odds) to a probability. */
export type Calibrator =
  | { kind: 'none' }
  /** Platt scaling: p = σ(a·score + b). */
  | { kind: 'platt'; a: number; b: number }
  /** Isotonic regression: non-decreasing step values `y` at block centres `x`, linearly interpolated. */
  | { kind: 'isotonic'; x: number[]; y: number[] };

/**
 * Fits a probability calibrator on held-out scores: Platt scaling (a one-feature logistic
 * regression of the label on the score, Platt 1999; fitted with a tiny ridge, l2 = 1e-6; when the
 * fitted slope is ≤ 0 the slope is 0 and the intercept is refitted: the log-odds of the rate) or
 * isotonic regression (pool-adjacent-violators, Zadrozny & Elkan 2002), interpolated linearly between
 * block centres and clamped at the ends, so the map is monotone non-decreasing.
 *
 * Missing-data policy: scores must be finite; with fewer than 2 rows or one class the identity
 * (`σ(score)`, kind `none`) is returned.
 *
 * @param scores raw scores (log-odds).
 * @param labels 0/1 outcomes.
 * @param method `platt` or `isotonic`.
 * @returns a {@link Calibrator}; apply with {@link applyCalibrator}.
 * @throws ValidationError on mismatched lengths.
 * @example
 * ```ts
 * const cal = fitCalibrator([-2, -1, 0, 1, 2], [0, 0, 1, 0, 1], 'isotonic');
 * applyCalibrator(cal, 0.5); // => 0.5 (scores 0 and 1 pool into one block, mean label 1/2)
 * ```
 */
export function fitCalibrator(
  scores: ArrayLike<number>,
  labels: ArrayLike<number | boolean>,
  method: 'platt' | 'isotonic',
): Calibrator {
  requireNumbers('fitCalibrator', 'scores', scores);
  requireNumbers('fitCalibrator', 'labels', labels, true);
  if (method !== 'platt' && method !== 'isotonic')
    throw new ValidationError('fitCalibrator', [
      { path: ['method'], code: 'invalid_value', message: 'method must be "platt" or "isotonic"' },
    ]);
  const n = scores.length;
  if (labels.length !== n) {
    throw new ValidationError('fitCalibrator', [
      { path: ['labels'], code: 'invalid_length', message: `${labels.length} labels for ${n} scores` },
    ]);
  }
  let pos = 0;
  for (let i = 0; i < n; i++) if (labels[i] === 1 || labels[i] === true) pos++;
  if (n < 2 || pos === 0 || pos === n) return { kind: 'none' };
  if (method === 'platt') {
    const fit = fitLogisticRegression(Float64Array.from(scores), labels, 1, { l2: 1e-6 });
    const a = fit.coefficients[0] as number;
    if (a > 0) return { kind: 'platt', a, b: fit.intercept };
    // Scores that do not rank positives higher: a decreasing map is not allowed, and the intercept
    // fitted with the negative slope would be wrong once the slope is clamped. With slope 0 the
    // best intercept is the log-odds of the calibration set's rate.
    return { kind: 'platt', a: 0, b: Math.log(pos / (n - pos)) };
  }
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (scores[a] as number) - (scores[b] as number),
  );
  // Pool adjacent violators over blocks of (sum y, weight, sum x).
  const sy: number[] = [];
  const w: number[] = [];
  const sx: number[] = [];
  for (const i of order) {
    sy.push(labels[i] === 1 || labels[i] === true ? 1 : 0);
    w.push(1);
    sx.push(scores[i] as number);
    while (sy.length > 1) {
      const k = sy.length - 1;
      if ((sy[k - 1] as number) / (w[k - 1] as number) < (sy[k] as number) / (w[k] as number)) break;
      sy[k - 1] = (sy[k - 1] as number) + (sy.pop() as number);
      w[k - 1] = (w[k - 1] as number) + (w.pop() as number);
      sx[k - 1] = (sx[k - 1] as number) + (sx.pop() as number);
    }
  }
  return {
    kind: 'isotonic',
    x: sx.map((s, k) => s / (w[k] as number)),
    y: sy.map((s, k) => s / (w[k] as number)),
  };
}

/**
 * Probability of a raw score under a calibrator (monotone non-decreasing in the score).
 * @param cal output of {@link fitCalibrator}.
 * @param score raw score (log-odds).
 * @returns a probability in [0, 1].
 * @example
 * ```ts
 * applyCalibrator({ kind: 'platt', a: 2, b: 0 }, 0); // => 0.5
 * applyCalibrator({ kind: 'none' }, Math.log(3));    // => 0.75
 * ```
 */
export function applyCalibrator(cal: Calibrator, score: number): number {
  const kind = cal !== null && typeof cal === 'object' ? (cal as { kind?: unknown }).kind : undefined;
  const ok =
    kind === 'none' ||
    (kind === 'platt' &&
      typeof (cal as { a?: unknown }).a === 'number' &&
      typeof (cal as { b?: unknown }).b === 'number') ||
    (kind === 'isotonic' &&
      Array.isArray((cal as { x?: unknown }).x) &&
      Array.isArray((cal as { y?: unknown }).y) &&
      (cal as { x: unknown[] }).x.length > 0);
  if (!ok || typeof score !== 'number')
    throw new ValidationError('applyCalibrator', [
      {
        path: ok ? ['score'] : ['calibrator'],
        code: 'invalid_type',
        message: ok
          ? 'score must be a number'
          : 'calibrator must be a fitted { kind: "none" | "platt" | "isotonic", ... }',
      },
    ]);
  if (cal.kind === 'none') return sigmoid(score);
  if (cal.kind === 'platt') return sigmoid(cal.a * score + cal.b);
  const xs = cal.x;
  const ys = cal.y;
  const m = xs.length;
  if (score <= (xs[0] as number)) return ys[0] as number;
  if (score >= (xs[m - 1] as number)) return ys[m - 1] as number;
  let lo = 0;
  let hi = m - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((xs[mid] as number) <= score) lo = mid;
    else hi = mid;
  }
  const x0 = xs[lo] as number;
  const x1 = xs[hi] as number;
  const t = x1 > x0 ? (score - x0) / (x1 - x0) : 0;
  return (ys[lo] as number) + t * ((ys[hi] as number) - (ys[lo] as number));
}

/** @internal Numerically stable logistic function σ(z) = 1 / (1 + e^−z). @example sigmoid(0); // => 0.5 */
export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}
