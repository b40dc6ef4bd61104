/**
 * Scoring curves: map a signal value to a 0–100 score.
 * @module
 */
import type { HealthCurve } from './scorecardSchema';

/**
 * Maps a value to 0–100 with a `step`, `linear` or `baseline` curve (`percentile` needs the other
 * customers and is handled by `scoreHealth`; here it returns null).
 *
 * - `step`: `points[i]` where `i` is the number of thresholds `<= value`.
 * - `linear`: `100 × (value − worst) / (best − worst)`, clamped to [0, 100].
 * - `baseline`: the percent change `c = 100 × (value − previous) / previous` through the linear curve
 *   (worst, best); when `previous` is 0 the change is +∞ (100 points) if `value > 0`, and no data if
 *   `value` is 0 as well.
 *
 * Missing data: a NaN value (or NaN previous for baseline) gives null.
 *
 * @param curve the curve.
 * @param value the signal value (NaN = no data).
 * @param previous the signal value `lagDays` earlier, for `baseline`.
 * @returns the score in [0, 100], or null when there is no data.
 * @example
 * ```ts
 * applyCurve({ type: 'linear', worst: 0, best: 20 }, 5); // => 25
 * applyCurve({ type: 'step', thresholds: [1, 3], points: [100, 60, 20] }, 2); // => 60
 * applyCurve({ type: 'baseline', worst: -80, best: 0 }, 16, 40); // => 25 (−60% change)
 * ```
 */
export function applyCurve(curve: HealthCurve, value: number, previous = Number.NaN): number | null {
  if (Number.isNaN(value)) return null;
  switch (curve.type) {
    case 'step': {
      const th = curve.thresholds;
      let i = 0;
      while (i < th.length && value >= (th[i] as number)) i++;
      return curve.points[Math.min(i, curve.points.length - 1)] as number;
    }
    case 'linear':
      return linear(value, curve.worst, curve.best);
    case 'baseline': {
      const change = percentChange(value, previous);
      if (change === null) return null;
      if (change === Number.POSITIVE_INFINITY) return curve.best >= curve.worst ? 100 : 0;
      return linear(change, curve.worst, curve.best);
    }
    default:
      return null;
  }
}

/** Percent change from `previous` to `value`; +Infinity when previous is 0 and value > 0; null without data. */
export function percentChange(value: number, previous: number): number | null {
  if (Number.isNaN(value) || Number.isNaN(previous)) return null;
  if (previous === 0) return value === 0 ? null : value > 0 ? Number.POSITIVE_INFINITY : null;
  return ((value - previous) / Math.abs(previous)) * 100;
}

function linear(value: number, worst: number, best: number): number {
  if (best === worst) return value >= best ? 100 : 0;
  const s = ((value - worst) / (best - worst)) * 100;
  return Math.min(100, Math.max(0, s));
}
