import { checkOptions } from '../_lib/errors';
import { checkScores, meanInterval, optionError, readScale, wilsonInterval } from './_shared';
import type { ConfidenceInterval, MetricResult } from './types';

/** Options of {@link ces}. */
export interface CesOptions {
  /**
   * Integer answer scale, the lowest answer meaning "very easy": `{ min, max }`, or a number `n`
   * meaning `1..n` (`7` is 1–7). @default { min: 1, max: 7 }
   */
  scale?: { min: number; max: number } | number;
  /**
   * Highest answer that counts as low effort.
   * @default the answers strictly below the scale midpoint: `ceil((min + max) / 2) − 1` (3 on 1–7)
   */
  lowEffortMax?: number;
}

/** Result of {@link ces}. `value` is the mean effort on the scale (lower = easier). */
export interface CesResult extends MetricResult {
  /** 95% Student-t interval of the mean; null when n < 2. */
  ci: ConfidenceInterval | null;
  /** Answers at or below `lowEffortMax`. */
  lowEffort: number;
  lowEffortMax: number;
  /** Share of low-effort answers (fraction); null when n is 0. */
  lowEffortShare: number | null;
  /** 95% Wilson interval of the low-effort share; null when n is 0. */
  lowEffortCi: ConfidenceInterval | null;
}

/**
 * Customer Effort Score: mean answer (1 = very easy ... 7 = very hard by default, as in the event
 * vocabulary) and the share of low-effort answers.
 *
 * Intervals: mean ± t(0.975, n−1)·s/√n (method `t`); the share uses the Wilson score interval.
 *
 * Missing data: an empty array gives `n: 0`, `value: null` and a `reason`; the mean's CI is null
 * below two answers.
 *
 * @param scores integer answers on the scale.
 * @param options scale and low-effort cut-off.
 * @returns the mean effort, its CI and the low-effort share.
 * @throws ValidationError for answers outside the scale or invalid options.
 * @example
 * ```ts
 * ces([1, 2, 2, 5, 7]);
 * // => { value: 3.4, n: 5, lowEffort: 3, lowEffortMax: 3, lowEffortShare: 0.6,
 * //      ci: { lower: 0.283, upper: 6.517, level: 0.95, method: 't' }, lowEffortCi: {...} }
 * ```
 */
export function ces(scores: readonly number[], options: CesOptions = {}): CesResult {
  checkOptions('ces', options, ['scale', 'lowEffortMax']);
  const scale = readScale(options.scale, { min: 1, max: 7 }, 'ces');
  const lowEffortMax = options.lowEffortMax ?? Math.ceil((scale.min + scale.max) / 2) - 1;
  if (!Number.isInteger(lowEffortMax) || lowEffortMax < scale.min || lowEffortMax > scale.max) {
    throw optionError('ces', 'lowEffortMax', `must be an integer ${scale.min}..${scale.max}`);
  }
  checkScores(scores, scale.min, scale.max, 'ces');
  const n = scores.length;
  let sum = 0;
  let lowEffort = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i] as number;
    sum += s;
    if (s <= lowEffortMax) lowEffort++;
  }
  if (n === 0) {
    return {
      value: null,
      n: 0,
      reason: 'no answers',
      ci: null,
      lowEffort: 0,
      lowEffortMax,
      lowEffortShare: null,
      lowEffortCi: null,
    };
  }
  const mean = sum / n;
  const w = wilsonInterval(lowEffort, n);
  return {
    value: mean,
    n,
    ci: meanInterval(scores, mean),
    lowEffort,
    lowEffortMax,
    lowEffortShare: lowEffort / n,
    lowEffortCi: { lower: w.lower, upper: w.upper, level: 0.95, method: 'wilson' },
  };
}
