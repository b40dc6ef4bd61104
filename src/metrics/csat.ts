import { checkOptions } from '../_lib/errors';
import { checkScores, meanInterval, optionError, readScale, wilsonInterval } from './_shared';
import type { ConfidenceInterval, MetricResult } from './types';

/** Options of {@link csat}. */
export interface CsatOptions {
  /** Integer answer scale: `{ min, max }`, or a number `n` meaning `1..n` (`5` is 1–5). @default { min: 1, max: 5 } */
  scale?: { min: number; max: number } | number;
  /** How many top answers count as satisfied ("top-two-box"). @default 2 */
  topBoxes?: number;
}

/** Result of {@link csat}. `value` is the share of satisfied answers (a fraction 0..1). */
export interface CsatResult extends MetricResult {
  /** Answers in the top boxes. */
  satisfied: number;
  /** Lowest answer that counts as satisfied (e.g. 4 on 1–5). */
  satisfiedFrom: number;
  /** 95% Wilson score interval of the satisfied share; null when n is 0. */
  ci: ConfidenceInterval | null;
  /** Mean answer; null when n is 0. */
  mean: number | null;
  /** 95% Student-t interval of the mean; null when n < 2. */
  meanCi: ConfidenceInterval | null;
}

/**
 * Customer satisfaction: share of top-box answers (`satisfied / n`, 4–5 on a 1–5 scale by default),
 * with the mean answer.
 *
 * Intervals: the share uses the Wilson score interval (method `wilson`, stays inside [0, 1] and
 * behaves at 0% / 100% and small n); the mean uses `mean ± t(0.975, n−1) · s / √n` (method `t`).
 *
 * Missing data: an empty array gives `n: 0`, `value: null` and a `reason`; `meanCi` is null below
 * two answers.
 *
 * @param scores integer answers on the scale.
 * @param options scale and number of top boxes.
 * @returns the satisfied share, counts, mean and intervals.
 * @throws ValidationError for answers outside the scale or invalid options.
 * @example
 * ```ts
 * csat([5, 4, 3, 5, 1]);
 * // => { value: 0.6, n: 5, satisfied: 3, satisfiedFrom: 4, mean: 3.6,
 * //      ci: { lower: 0.231, upper: 0.882, level: 0.95, method: 'wilson' }, meanCi: {...} }
 * ```
 */
export function csat(scores: readonly number[], options: CsatOptions = {}): CsatResult {
  checkOptions('csat', options, ['scale', 'topBoxes']);
  const scale = readScale(options.scale, { min: 1, max: 5 }, 'csat');
  const boxes = options.topBoxes ?? 2;
  if (!Number.isInteger(boxes) || boxes < 1 || boxes > scale.max - scale.min + 1) {
    throw optionError('csat', 'topBoxes', `must be an integer 1..${scale.max - scale.min + 1}`);
  }
  checkScores(scores, scale.min, scale.max, 'csat');
  const satisfiedFrom = scale.max - boxes + 1;
  const n = scores.length;
  let satisfied = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i] as number;
    sum += s;
    if (s >= satisfiedFrom) satisfied++;
  }
  if (n === 0) {
    return {
      value: null,
      n: 0,
      reason: 'no answers',
      satisfied: 0,
      satisfiedFrom,
      ci: null,
      mean: null,
      meanCi: null,
    };
  }
  const w = wilsonInterval(satisfied, n);
  const mean = sum / n;
  return {
    value: satisfied / n,
    n,
    satisfied,
    satisfiedFrom,
    ci: { lower: w.lower, upper: w.upper, level: 0.95, method: 'wilson' },
    mean,
    meanCi: meanInterval(scores, mean),
  };
}
