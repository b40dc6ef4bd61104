/**
 * Special functions and quadrature used by the CLV models (private to the module).
 *
 * ln Γ, ψ and ln B come from `src/_lib/special.ts` (own implementations, no run-time dependency). The Gauss
 * hypergeometric series, the upper incomplete gamma function for any real order and the
 * tanh-sinh quadrature are implemented here because the models need them in regimes the stdlib
 * 0.1.x `hyp2f1` does not cover safely (parameters in the hundreds, arguments close to 1, log
 * scale); each is tested against known values in `test/clv/_special.test.ts`.
 * @module
 */
import { gammaln } from '../_lib/special';

export { betaln, digamma, gammaln } from '../_lib/special';

const EULER_GAMMA = 0.5772156649015329;

/** ln(e^a + e^b) without overflow. */
export function logAddExp(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** ln(e^a − e^b) for a ≥ b (−Infinity when equal). */
export function logSubExp(a: number, b: number): number {
  if (b === Number.NEGATIVE_INFINITY) return a;
  const d = b - a;
  if (d >= 0) return Number.NEGATIVE_INFINITY;
  return a + (d > -Math.LN2 ? Math.log(-Math.expm1(d)) : Math.log1p(-Math.exp(d)));
}

/** (1 − e^{−k·L}) / k, continuous in k (equals L at k = 0). */
export function expm1Ratio(k: number, L: number): number {
  const kl = k * L;
  if (Math.abs(kl) < 1e-8) return L * (1 - kl / 2);
  return -Math.expm1(-kl) / k;
}

/**
 * Natural log of the Gauss hypergeometric function ₂F₁(a, b; c; z) by its power series, for
 * c > 0 and 0 ≤ z < 1 with a, b of any sign (the sum must be positive, which holds whenever
 * a·b ≥ 0 or the series is dominated by its first term). Terms are summed with rescaling, so
 * values far beyond 1e308 are fine. Returns NaN when the series has not converged after
 * `maxTerms` terms (arguments too close to 1), so callers can switch to another representation.
 */
export function log2F1(a: number, b: number, c: number, z: number, maxTerms = 100000): number {
  if (z === 0) return 0;
  let term = 1;
  let sum = 1;
  let logScale = 0;
  for (let n = 0; n < maxTerms; n++) {
    term *= (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    sum += term;
    if (term === 0) return logScale + Math.log(sum);
    if (Math.abs(term) <= 1e-17 * Math.abs(sum) && n > 2) {
      // Remaining terms shrink at least geometrically once the ratio is below 1.
      const ratio = Math.abs((((a + n + 1) * (b + n + 1)) / ((c + n + 1) * (n + 2))) * z);
      if (ratio < 1) return sum > 0 ? logScale + Math.log(sum) : Number.NaN;
    }
    if (Math.abs(sum) > 1e250) {
      sum *= 1e-250;
      term *= 1e-250;
      logScale += 575.6462732485114; // 250 ln 10
    }
  }
  return Number.NaN;
}

/** ln|Γ(y)| and the sign of Γ(y), for any real y that is not a non-positive integer. */
export function logAbsGamma(y: number): { log: number; sign: number } {
  if (y > 0) return { log: gammaln(y), sign: 1 };
  const sp = Math.sin(Math.PI * y);
  return { log: Math.log(Math.PI) - Math.log(Math.abs(sp)) - gammaln(1 - y), sign: sp > 0 ? 1 : -1 };
}

/**
 * ln ₂F₁(a, b; a+1; z) for a > 0, b > 0, a + 1 − b > 0 and 0 ≤ z < 1, also close to 1 where the
 * power series is hopeless: for z > 0.9 it uses the z → 1 − z connection formula, which for
 * c = a + 1 reduces to
 * ₂F₁(a, b; a+1; z) = Γ(a+1)Γ(1−b)/Γ(a+1−b)·z^{−a} + a/(b−1)·(1−z)^{1−b}·₂F₁(1, a+1−b; 2−b; 1−z)
 * (used when a(1 − z) ≤ 2, where its two terms do not cancel).
 * Returns NaN when b is within 1e-6 of an integer there (both terms have poles; callers then use
 * quadrature) or when the result is not positive.
 */
export function logHyp2F1Tied(a: number, b: number, z: number): number {
  // The connection formula cancels badly when a(1 − z) is large; the series is fine there.
  if (z <= 0.9 || a * (1 - z) > 2) {
    const v = log2F1(a, b, a + 1, z);
    if (Number.isFinite(v) || z <= 0.9) return v;
  }
  if (Math.abs(b - Math.round(b)) < 1e-6) return Number.NaN;
  const w = 1 - z;
  const g1 = logAbsGamma(1 - b);
  const l1 = gammaln(a + 1) + g1.log - gammaln(a + 1 - b) - a * Math.log(z);
  // S2 = Σ (a+1−b)_n/(2−b)_n w^n
  let term = 1;
  let S2 = 1;
  for (let n = 0; n < 10000; n++) {
    term *= ((a + 1 - b + n) / (2 - b + n)) * w;
    S2 += term;
    if (Math.abs(term) < 1e-17 * Math.abs(S2) && 2 - b + n > 0) break;
  }
  const coef = a / (b - 1);
  const sign2 = (coef > 0 ? 1 : -1) * (S2 > 0 ? 1 : -1);
  const l2 = Math.log(Math.abs(coef)) + (1 - b) * Math.log(w) + Math.log(Math.abs(S2));
  // F = sign1·e^{l1} + sign2·e^{l2}
  let out: number;
  if (g1.sign > 0 && sign2 > 0) out = logAddExp(l1, l2);
  else if (g1.sign > 0 && sign2 < 0) out = logSubExp(l1, l2);
  else if (g1.sign < 0 && sign2 > 0) out = logSubExp(l2, l1);
  else out = Number.NaN;
  return Number.isFinite(out) ? out : Number.NaN;
}

/**
 * ln Γ(a, z), the upper incomplete gamma function, for any real a and z > 0 (also a ≤ 0, where
 * Γ(a) itself is undefined). Works with the scaled ratio R = Γ(a,z)·z^{−a}·e^{z}: a continued
 * fraction for z ≥ 1, and for z < 1 a series at a₀ ∈ (−½, ½] (with the removable singularity at
 * a₀ = 0 handled analytically) followed by the stable recurrences R(a−1) = (z·R(a) − 1)/(a − 1),
 * R(a+1) = (a·R(a) + 1)/z.
 */
export function logUpperGamma(a: number, z: number): number {
  return Math.log(scaledUpperGamma(a, z)) + a * Math.log(z) - z;
}

/** R(a, z) = Γ(a, z)·z^{−a}·e^{z} (see {@link logUpperGamma}). */
export function scaledUpperGamma(a: number, z: number): number {
  if (!(z > 0)) return Number.NaN;
  // The continued fraction converges fast for z ≥ 1, and for any z when a is very negative (its
  // partial denominators z + 1 − a + 2i are then large); the series-plus-recurrence route below
  // would take |a| steps (seconds for a = −1e7, as BG/NBD gives a purchase-rate shape that large).
  if (z >= 1 || a < -50) return upperGammaContinuedFraction(a, z);
  // Reduce to a0 in (-0.5, 0.5].
  let k = Math.round(a);
  let a0 = a - k;
  if (a0 <= -0.5) {
    a0 += 1;
    k -= 1;
  }
  let R = smallZUpperGamma(a0, z) * Math.exp(z - a0 * Math.log(z));
  let cur = a0;
  if (k > 0) {
    for (let j = 0; j < k; j++) {
      R = (cur * R + 1) / z;
      cur += 1;
    }
  } else {
    for (let j = 0; j < -k; j++) {
      R = (z * R - 1) / (cur - 1);
      cur -= 1;
    }
  }
  return R;
}

/**
 * The continued fraction of Γ(a,z) = e^{-z} z^a · CF (modified Lentz), to relative step `tol` within
 * `maxIter` terms (the defaults are `scaledUpperGamma`'s). @internal
 */
export function upperGammaContinuedFraction(a: number, z: number, maxIter = 100000, tol = 1e-16): number {
  // Modified Lentz for Γ(a,z) = e^{-z} z^a / (z+1-a- 1(1-a)/(z+3-a- 2(2-a)/(z+5-a- ...))).
  const tiny = 1e-300;
  let b = z + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < maxIter; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < tol) break;
  }
  return h;
}

const ZETA = [
  1.6449340668482264, 1.2020569031595942, 1.0823232337111381, 1.03692775514337, 1.017343061984449,
  1.0083492773819227, 1.0040773561979444, 1.0020083928260821, 1.0009945751278182, 1.0004941886041194,
  1.000246086553308, 1.0001227133475785,
];

/** Γ(1+a) − 1 without cancellation for small |a| (Taylor series of ln Γ(1+a) with ζ values). */
function expm1LnGamma1p(a: number): number {
  if (Math.abs(a) >= 0.05) return Math.expm1(gammaln(1 + a));
  let L = -EULER_GAMMA * a;
  let pw = a;
  for (let k = 2; k <= 13; k++) {
    pw *= -a;
    L += ((ZETA[k - 2] as number) * pw) / k;
  }
  return Math.expm1(L);
}

/** Γ(a0, z) for |a0| ≤ ½ and 0 < z < 1, without cancellation at a0 → 0. */
function smallZUpperGamma(a0: number, z: number): number {
  const lz = Math.log(z);
  // (Γ(1+a0) − 1)/a0 + (1 − z^{a0})/a0
  let head: number;
  if (Math.abs(a0) < 1e-15) head = -EULER_GAMMA - lz;
  else head = expm1LnGamma1p(a0) / a0 - Math.expm1(a0 * lz) / a0;
  // − z^{a0} Σ_{n≥1} (−z)^n / (n! (a0 + n))
  let term = 1;
  let sum = 0;
  for (let n = 1; n < 200; n++) {
    term *= -z / n;
    const t = term / (a0 + n);
    sum += t;
    if (Math.abs(t) < 1e-18 * Math.abs(sum)) break;
  }
  return head - Math.exp(a0 * lz) * sum;
}

// ---------------------------------------------------------------------------------------------
// Quadrature

const GL8_X = [
  -0.9602898564975363, -0.7966664774136267, -0.525532409916329, -0.1834346424956498, 0.1834346424956498,
  0.525532409916329, 0.7966664774136267, 0.9602898564975363,
];
const GL8_W = [
  0.1012285362903763, 0.2223810344533745, 0.3137066458778873, 0.362683783378362, 0.362683783378362,
  0.3137066458778873, 0.2223810344533745, 0.1012285362903763,
];

/** Composite 8-point Gauss–Legendre quadrature of f on [lo, hi] with `panels` equal panels. */
export function gaussLegendre8(f: (x: number) => number, lo: number, hi: number, panels: number): number {
  const width = (hi - lo) / panels;
  let total = 0;
  for (let p = 0; p < panels; p++) {
    const mid = lo + (p + 0.5) * width;
    let sum = 0;
    for (let i = 0; i < 8; i++) sum += (GL8_W[i] as number) * f(mid + (GL8_X[i] as number) * (width / 2));
    total += sum * (width / 2);
  }
  return total;
}

/**
 * Tanh-sinh (double-exponential) quadrature of f on [lo, hi]. `f(x, fromLo, toHi)` receives the
 * distances to both ends computed without cancellation, so integrands with algebraic endpoint
 * singularities (x^{a−1}, (1−x)^{b−1}) are integrated to ~1e-12 relative accuracy.
 */
export function tanhSinh(
  f: (x: number, fromLo: number, toHi: number) => number,
  lo: number,
  hi: number,
  relTol = 1e-12,
): number {
  const half = (hi - lo) / 2;
  const evalAt = (t: number): number => {
    const s = (Math.PI / 2) * Math.sinh(t);
    const cs = Math.cosh(s);
    // u = tanh(s); 1 - u = e^{-s}/cosh(s), 1 + u = e^{s}/cosh(s)
    const oneMinus = Math.exp(-s) / cs;
    const onePlus = Math.exp(s) / cs;
    const wgt = ((Math.PI / 2) * Math.cosh(t)) / (cs * cs);
    if (!(wgt > 0) || oneMinus === 0 || onePlus === 0) return 0;
    const fromLo = half * onePlus;
    const toHi = half * oneMinus;
    const x = s > 0 ? hi - toHi : lo + fromLo;
    const v = f(x, fromLo, toHi);
    return Number.isFinite(v) ? v * wgt : 0;
  };
  let h = 1;
  let sum = evalAt(0);
  for (let k = 1; k <= 6; k++) {
    const t = k * h;
    const a = evalAt(t);
    const b = evalAt(-t);
    sum += a + b;
  }
  let estimate = sum * h * half;
  for (let level = 1; level <= 10; level++) {
    h /= 2;
    let add = 0;
    for (let t = h; t <= 6.5; t += 2 * h) add += evalAt(t) + evalAt(-t);
    sum += add;
    const next = sum * h * half;
    if (level >= 3 && Math.abs(next - estimate) <= relTol * Math.abs(next)) return next;
    estimate = next;
  }
  return estimate;
}
