/**
 * Ties up to floating-point rounding, for rank-based scores (health percentiles, RFM bins).
 *
 * The same amounts summed in another order (a JS running total, an exact SQL sum, a database's
 * parallel aggregation) can differ in the last bits: 10.1 + 20.2 is 30.299999999999997 in one and
 * 30.3 in another. Ranking on the raw doubles would then split a tie (two customers who spent the
 * same) in one path and not in the other. Values whose gap is at most 1e-9 × max(|a|, |b|) are one
 * tie here (relative: 1e-300 and 0 stay apart); such gaps come from rounding, not from real money or
 * counts.
 * @module
 */
import { lowerBound } from './search';

/** The relative gap below which two sorted neighbours are one tie. @internal */
export const NEAR_TIE = 1e-9;

/**
 * Each value replaced by the smallest value of its run of near-ties (consecutive sorted values
 * whose gap is within {@link NEAR_TIE} × max(|a|, |b|)); NaN stays NaN. Returns the input itself
 * when there is no near-tie (the usual case), else a new array. O(n log n). @internal
 */
export function snapNearTies(values: Float64Array): Float64Array {
  const n = values.length;
  const sorted = Float64Array.from(values).sort();
  const rep = Float64Array.from(sorted);
  let any = false;
  for (let i = 1; i < n; i++) {
    const a = sorted[i - 1] as number;
    const b = sorted[i] as number;
    if (b === a) rep[i] = rep[i - 1] as number;
    else if (b - a <= NEAR_TIE * Math.max(Math.abs(a), Math.abs(b))) {
      rep[i] = rep[i - 1] as number;
      any = true;
    }
  }
  if (!any) return values;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    out[i] = Number.isNaN(v) ? v : (rep[lowerBound(sorted, v)] as number);
  }
  return out;
}
