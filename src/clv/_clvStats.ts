/**
 * Small statistical helpers for the CLV extras: normal quantile, chi-square tail, Cholesky factor,
 * multivariate-normal draws and percentile intervals.
 * @module
 */
import type { Rng } from '../_lib/random';
import { erfc, normalQuantile } from '../_lib/stats';

export { erfc, normalQuantile };

import { gammaln, upperGammaContinuedFraction } from './_special';

/**
 * Regularised upper incomplete gamma Q(a, x) = Γ(a, x)/Γ(a): series for x < a + 1, Lentz continued
 * fraction otherwise (Numerical Recipes §6.2).
 */
export function gammaQ(a: number, x: number): number {
  if (!(x > 0)) return 1;
  const lg = gammaln(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 10000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return Math.max(0, 1 - Math.exp(-x + a * Math.log(x) - lg) * sum);
  }
  const h = upperGammaContinuedFraction(a, x, 10000, 1e-15);
  return Math.min(1, Math.exp(-x + a * Math.log(x) - lg) * h);
}

/** P(χ²_df > x). */
export function chiSquareSf(x: number, df: number): number {
  if (!(x > 0)) return 1;
  return gammaQ(df / 2, x / 2);
}

/** One draw of mean + L·z, z ~ N(0, I), written into `out`. */
export function drawNormal(
  mean: ArrayLike<number>,
  L: Float64Array,
  rng: Rng,
  out: Float64Array,
): Float64Array {
  const n = mean.length;
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) z[i] = rng.normal();
  for (let i = 0; i < n; i++) {
    let v = mean[i] as number;
    for (let k = 0; k <= i; k++) v += (L[i * n + k] as number) * (z[k] as number);
    out[i] = v;
  }
  return out;
}

/** Percentile interval of `values` (R-7 quantiles) at the given central level; NaN/Infinity draws are skipped. */
export function percentileInterval(
  values: ArrayLike<number>,
  level: number,
): { lower: number; upper: number; used: number } {
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isFinite(v)) finite.push(v);
  }
  finite.sort((a, b) => a - b);
  const q = (p: number): number => {
    const h = (finite.length - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.min(finite.length - 1, lo + 1);
    return (finite[lo] as number) + (h - lo) * ((finite[hi] as number) - (finite[lo] as number));
  };
  if (finite.length === 0) return { lower: 0, upper: 0, used: 0 };
  const tail = (1 - level) / 2;
  return { lower: q(tail), upper: q(1 - tail), used: finite.length };
}
