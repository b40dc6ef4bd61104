/**
 * Small statistical helpers for the CLV extras: normal quantile, chi-square tail, Cholesky factor,
 * multivariate-normal draws and percentile intervals.
 * @module
 */
import type { Rng } from '../_lib/random';
import { gammaln } from './_special';

/** Standard normal quantile Φ⁻¹(p) (Acklam's rational approximation, |error| < 1.2e-9 after one Newton step). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return p <= 0 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  let x: number;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - lo) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x =
      -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  // One Newton step on Φ(x) − p.
  const e = 0.5 * erfc(-x / Math.SQRT2) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** Complementary error function (Numerical Recipes erfcc, relative error < 1.2e-7, refined by Newton above). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

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
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
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
