/**
 * Scoring curves: map a signal value to a 0–100 score.
 * @module
 */
import { ValidationError } from '../_lib/errors';
import { showValue } from '../_lib/safe';
import type { HealthCurve } from './scorecardSchema';

/** The located error of a hostile argument (cold path: only built when something is wrong). */
function curveError(path: string, message: string): ValidationError {
  return new ValidationError('applyCurve', [{ path: [path], code: 'invalid_value', message }]);
}

/** A finite number field of the curve, else a located error. */
function finiteField(curve: Record<string, unknown>, key: string): number {
  const v = curve[key];
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw curveError(key, `curve.${key} must be a finite number, got ${showValue(v)}`);
  return v;
}

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
 * Missing data: a NaN value (or NaN previous for baseline) gives null; so does a `percentile`
 * curve. Hostile input (a curve that is not an object, an unknown curve type, a non-number value,
 * non-finite `worst`/`best`, a `step` point that is not a finite number) is a `ValidationError`; the
 * checks are a few `typeof` tests, cheap enough for the scoring loops that call this per cell.
 *
 * @param curve the curve.
 * @param value the signal value (NaN = no data).
 * @param previous the signal value `lagDays` earlier, for `baseline`.
 * @returns the score in [0, 100], or null when there is no data.
 * @throws ValidationError (message starting `applyCurve:`) on hostile input, see above.
 * @example
 * ```ts
 * applyCurve({ type: 'linear', worst: 0, best: 20 }, 5); // => 25
 * applyCurve({ type: 'step', thresholds: [1, 3], points: [100, 60, 20] }, 2); // => 60
 * applyCurve({ type: 'baseline', worst: -80, best: 0 }, 16, 40); // => 25 (−60% change)
 * ```
 */
export function applyCurve(curve: HealthCurve, value: number, previous = Number.NaN): number | null {
  if (typeof curve !== 'object' || curve === null)
    throw curveError('curve', `curve must be an object, got ${showValue(curve)}`);
  if (typeof value !== 'number') throw curveError('value', `value must be a number, got ${showValue(value)}`);
  if (typeof previous !== 'number')
    throw curveError('previous', `previous must be a number, got ${showValue(previous)}`);
  if (Number.isNaN(value)) return null;
  const c = curve as unknown as Record<string, unknown>;
  switch (curve.type) {
    case 'step': {
      const th = curve.thresholds;
      const points = curve.points;
      if (!Array.isArray(th) || !Array.isArray(points) || points.length === 0)
        throw curveError('curve', 'a step curve needs arrays thresholds and points (at least one point)');
      let i = 0;
      while (i < th.length && value >= (th[i] as number)) i++;
      const score = points[Math.min(i, points.length - 1)];
      if (typeof score !== 'number' || !Number.isFinite(score))
        throw curveError('points', `curve.points holds ${showValue(score)}, not a finite number`);
      return score;
    }
    case 'linear':
      return linear(value, finiteField(c, 'worst'), finiteField(c, 'best'));
    case 'baseline': {
      const worst = finiteField(c, 'worst');
      const best = finiteField(c, 'best');
      const change = percentChange(value, previous);
      if (change === null) return null;
      if (change === Number.POSITIVE_INFINITY) return best >= worst ? 100 : 0;
      return linear(change, worst, best);
    }
    case 'percentile':
      return null;
    default:
      throw curveError('type', `unknown curve type ${showValue(c.type)}`);
  }
}

/** Percent change from `previous` to `value`; +Infinity when previous is 0 and value > 0; null without data. */
export function percentChange(value: number, previous: number): number | null {
  if (Number.isNaN(value) || Number.isNaN(previous)) return null;
  if (previous === 0) return value === 0 ? null : value > 0 ? Number.POSITIVE_INFINITY : null;
  return ((value - previous) / Math.abs(previous)) * 100;
}

function linear(value: number, worst: number, best: number): number | null {
  if (best === worst) return value >= best ? 100 : 0;
  const s = ((value - worst) / (best - worst)) * 100;
  // ±Infinity/±Infinity (an infinite value or change) or an overflowing span: no usable score.
  if (Number.isNaN(s)) return null;
  return Math.min(100, Math.max(0, s));
}
