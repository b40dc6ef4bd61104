/**
 * Shared machinery of the beta-geometric repeat-purchase models, BG/NBD (Fader, Hardie & Lee 2005)
 * and MBG/NBD (Batislam, Denizel & Filiztekin 2007). Both assume Poisson purchasing at rate
 * λ ~ Gamma(r, α) and a coin flip with p ~ Beta(a, b) deciding dropout after each repeat purchase;
 * MBG/NBD also flips at the first purchase (shift k = 1), which removes BG/NBD's flaw that a
 * customer without repeat purchases is certainly alive.
 * @module
 */

import { InsufficientDataError, optionError, ValidationError, type ValidationIssue } from '../_lib/errors';
import { checkFitOptions, checkOptions } from './_errors';
import { DEGENERATE_ADVICE, fitLogParameters, type Objective } from './_optimize';
import {
  betaln,
  digamma,
  gammaln,
  gaussLegendre8,
  log2F1,
  logAddExp,
  scaledUpperGamma,
  tanhSinh,
} from './_special';
import { compressRfm } from './compressRfm';
import type {
  CompressedRfm,
  CustomerHistory,
  FitOptions,
  LifetimeValueOptions,
  MonthlyLifetimeValueOptions,
  RfmInput,
} from './types';

/** Parameters of BG/NBD and MBG/NBD. */
export interface BetaGeoParams {
  /** Shape of the gamma distribution of purchase rates. */
  r: number;
  /** Scale (rate parameter) of the gamma distribution of purchase rates, in model time units. */
  alpha: number;
  /** Beta distribution of the dropout probability p. */
  a: number;
  b: number;
}

export const BETA_GEO_NAMES = ['r', 'alpha', 'a', 'b'] as const;

/** Distinct values of a column and, per row, the index of its value (built once per fit). */
export function uniqueIndex(values: Float64Array, rows: number): { uniq: Float64Array; idx: Int32Array } {
  const map = new Map<number, number>();
  const idx = new Int32Array(rows);
  const list: number[] = [];
  for (let i = 0; i < rows; i++) {
    const v = values[i] as number;
    let k = map.get(v);
    if (k === undefined) {
      k = list.length;
      list.push(v);
      map.set(v, k);
    }
    idx[i] = k;
  }
  return { uniq: Float64Array.from(list), idx };
}

/**
 * Negative log-likelihood and its gradient (in log-parameters) over compressed data; shift 0 is
 * BG/NBD, 1 MBG/NBD. Everything that depends only on x, on T or on t_x is computed once per
 * distinct value (daily data has few distinct T and t_x), so each row costs one exp and one log1p.
 */
export function betaGeoObjective(data: CompressedRfm, shift: 0 | 1): Objective {
  const { count, rows } = data;
  const X = uniqueIndex(data.x, rows);
  const TT = uniqueIndex(data.T, rows);
  const TX = uniqueIndex(data.tx, rows);
  const nx = X.uniq.length;
  const xv = X.uniq;
  const g1 = new Float64Array(nx);
  const dg1 = new Float64Array(nx);
  const a2 = new Float64Array(nx);
  const da2a = new Float64Array(nx);
  const da2b = new Float64Array(nx);
  const lbx = new Float64Array(nx);
  const ibx = new Float64Array(nx);
  const lT = new Float64Array(TT.uniq.length);
  const iT = new Float64Array(TT.uniq.length);
  const lTx = new Float64Array(TX.uniq.length);
  const iTx = new Float64Array(TX.uniq.length);
  const xi = X.idx;
  const ti = TT.idx;
  const txi = TX.idx;
  return (phi, grad) => {
    const r = Math.exp(phi[0] as number);
    const alpha = Math.exp(phi[1] as number);
    const a = Math.exp(phi[2] as number);
    const b = Math.exp(phi[3] as number);
    if (!(r > 0 && alpha > 0 && a > 0 && b > 0 && Number.isFinite(r + alpha + a + b)))
      return Number.POSITIVE_INFINITY;
    const withGrad = grad !== null;
    const lr = gammaln(r);
    const lab = gammaln(a + b);
    const lb = gammaln(b);
    const dr = withGrad ? digamma(r) : 0;
    const dab = withGrad ? digamma(a + b) : 0;
    const db = withGrad ? digamma(b) : 0;
    for (let k = 0; k < nx; k++) {
      const v = xv[k] as number;
      g1[k] = gammaln(r + v) - lr;
      a2[k] = gammaln(b + v + shift) + lab - lb - gammaln(a + b + v + shift);
      const bx1 = b + v + shift - 1;
      lbx[k] = bx1 > 0 ? Math.log(bx1) : 0;
      ibx[k] = bx1 > 0 ? 1 / bx1 : 0;
      if (withGrad) {
        dg1[k] = digamma(r + v) - dr;
        const dabx = digamma(a + b + v + shift);
        da2a[k] = dab - dabx;
        da2b[k] = digamma(b + v + shift) + dab - db - dabx;
      }
    }
    for (let k = 0; k < lT.length; k++) {
      const u = alpha + (TT.uniq[k] as number);
      lT[k] = Math.log(u);
      iT[k] = 1 / u;
    }
    for (let k = 0; k < lTx.length; k++) {
      const u = alpha + (TX.uniq[k] as number);
      lTx[k] = Math.log(u);
      iTx[k] = 1 / u;
    }
    const lnAlpha = Math.log(alpha);
    const lnA = Math.log(a);
    let ll = 0;
    let gr = 0;
    let gal = 0;
    let ga = 0;
    let gb = 0;
    for (let i = 0; i < rows; i++) {
      const k = xi[i] as number;
      const x = xv[k] as number;
      const w = count[i] as number;
      const rx = r + x;
      const t = ti[i] as number;
      const A3 = -rx * (lT[t] as number);
      let L: number;
      let w4 = 0;
      const j = txi[i] as number;
      if (x > 0 || shift === 1) {
        const A4 = lnA - (lbx[k] as number) - rx * (lTx[j] as number);
        if (A4 > A3) {
          const e = Math.exp(A3 - A4);
          L = A4 + Math.log1p(e);
          w4 = 1 / (1 + e);
        } else {
          const e = Math.exp(A4 - A3);
          L = A3 + Math.log1p(e);
          w4 = e / (1 + e);
        }
      } else {
        L = A3;
      }
      ll += w * ((g1[k] as number) + (a2[k] as number) + L);
      if (withGrad) {
        const w3 = 1 - w4;
        gr += w * ((dg1[k] as number) - w3 * (lT[t] as number) - w4 * (lTx[j] as number));
        gal += w * rx * (w3 * (iT[t] as number) + w4 * (iTx[j] as number));
        ga += w * ((da2a[k] as number) + w4 / a);
        gb += w * ((da2b[k] as number) - w4 * (ibx[k] as number));
      }
    }
    const total = data.customers;
    ll += total * r * lnAlpha;
    if (grad) {
      grad[0] = -(gr + total * lnAlpha) * r;
      grad[1] = -(total * (r / alpha) - gal) * alpha;
      grad[2] = -ga * a;
      grad[3] = -gb * b;
    }
    return -ll;
  };
}

export interface BetaGeoFit {
  params: BetaGeoParams;
  logLikelihood: number;
  standardErrors: Record<string, number | null>;
  standardErrorsReason: string | null;
  iterations: number;
  customers: number;
  warnings: { code: 'degenerate_fit' | 'standard_errors_unavailable'; message: string }[];
}

/**
 * Compresses the input of a purchase-rate fit (BG/NBD, MBG/NBD, Pareto/NBD) and checks that it can
 * be fitted: at least 2 customers, one repeat buyer and some observation time. Returns the
 * compressed data with the mean frequency and mean T used for starting values.
 */
export function prepareRepeatFit(
  fn: string,
  input: RfmInput,
): { data: CompressedRfm; meanX: number; meanT: number; maxT: number } {
  const data = compressRfm(input, { fn });
  if (data.customers < 2) {
    throw new InsufficientDataError(fn, 'needs at least 2 customers to fit', {
      available: data.customers,
      required: 2,
    });
  }
  let sx = 0;
  let sT = 0;
  let repeaters = 0;
  let maxT = 0;
  const issues: ValidationIssue[] = [];
  for (let i = 0; i < data.rows; i++) {
    const c = data.count[i] as number;
    if ((data.T[i] as number) > maxT) maxT = data.T[i] as number;
    if ((data.x[i] as number) > 0 && (data.tx[i] as number) === 0 && issues.length < 20)
      issues.push({
        index: i,
        path: ['recency'],
        code: 'invalid_recency',
        message: `"recency" is 0 with "frequency" ${data.x[i]}: in continuous time a repeat purchase comes after the first, so recency must be > 0 (count the repeat purchases on distinct days, as rfmSummary does)`,
      });
    sx += c * (data.x[i] as number);
    sT += c * (data.T[i] as number);
    if ((data.x[i] as number) > 0) repeaters += c;
  }
  if (repeaters === 0) {
    throw new InsufficientDataError(
      fn,
      'no customer has a repeat purchase, so purchase rates cannot be estimated',
      {
        available: 0,
        required: 1,
      },
    );
  }
  if (!(sT > 0)) throw new InsufficientDataError(fn, 'all customers have T = 0 (no observation time)');
  if (issues.length > 0) throw new ValidationError(fn, issues, 'rows');
  if (data.rows < 2)
    throw new InsufficientDataError(
      fn,
      `all ${data.customers} customers have the same history (frequency ${data.x[0]}, recency ${data.tx[0]}, T ${data.T[0]}), so purchase rates and dropout cannot be told apart; at least 2 distinct histories are needed`,
      { available: 1, required: 2 },
    );
  const meanX = sx / data.customers;
  const meanT = sT / data.customers;
  return { data, meanX, meanT, maxT };
}

/** Fits BG/NBD (shift 0) or MBG/NBD (shift 1) by maximum likelihood. */
export function fitBetaGeo(fn: string, input: RfmInput, shift: 0 | 1, options: FitOptions = {}): BetaGeoFit {
  checkFitOptions(fn, options, BETA_GEO_NAMES);
  const { data, meanX, meanT } = prepareRepeatFit(fn, input);
  const init = options.initialParams ?? {};
  const r0 = init.r ?? 0.5;
  const x0 = [
    Math.log(r0),
    Math.log(init.alpha ?? Math.max(1e-3, (r0 * meanT) / Math.max(meanX, 1e-3))),
    Math.log(init.a ?? 1),
    Math.log(init.b ?? 2),
  ];
  const f = betaGeoObjective(data, shift);
  const { params, diag } = fitLogParameters(fn, f, x0, BETA_GEO_NAMES, true, options, data.customers, {
    shapes: ['r', 'a', 'b'],
    meaning: (p) => {
      const drop = p.a / (p.a + p.b);
      return drop < 1e-3
        ? `The data show no dropout: the mean chance of leaving after a purchase is ${drop.toPrecision(2)}, so P(alive) ≈ 1 for every customer, however long they have been silent.`
        : null;
    },
    advice: DEGENERATE_ADVICE,
  });
  return { params, ...diag };
}

/**
 * E_p[(1/p)(1 − (1 + p·t/A)^{−ρ})] for p ~ Beta(a, bb): the expected purchases in (0, t] of a
 * customer alive now with purchase-rate posterior Gamma(ρ, A) and dropout posterior Beta(a, bb).
 * Closed form (a+bb−1)/(a−1)·[1 − (A/(A+t))^ρ ₂F₁(ρ, bb; a+bb−1; t/(A+t))] when it is well
 * conditioned; otherwise (a+bb ≤ 1, a ≈ 1, t ≫ A) the defining integral by tanh-sinh quadrature.
 */
export function betaGeoFuture(rho: number, A: number, a: number, bb: number, t: number): number {
  if (!(t > 0)) return 0;
  const c = a + bb - 1;
  const z = t / (A + t);
  if (c > 0.05 && Math.abs(a - 1) > 1e-3 && z <= 0.99) {
    const lf = log2F1(rho, bb, c, z);
    if (Number.isFinite(lf)) {
      const e = rho * Math.log1p(-z) + lf;
      // 1 - exp(e), over (a - 1); both change sign together.
      const v = (c / (a - 1)) * -Math.expm1(e);
      if (Number.isFinite(v) && v >= 0) return v;
    }
  }
  const kappa = t / A;
  const lB = betaln(a, bb);
  return tanhSinh(
    (_p, p, q) => {
      const h = -Math.expm1(-rho * Math.log1p(p * kappa)) / p;
      return h * Math.exp((a - 1) * Math.log(p) + (bb - 1) * Math.log(q) - lB);
    },
    0,
    1,
  );
}

/** E_p[(1 + p·t/A)^{−ρ}]: probability that a customer alive now is still alive after t more. */
export function betaGeoSurvival(rho: number, A: number, a: number, bb: number, t: number): number {
  if (!(t > 0)) return 1;
  const kappa = t / A;
  const lB = betaln(a, bb);
  return tanhSinh(
    (_p, p, q) =>
      Math.exp(-rho * Math.log1p(p * kappa) + (a - 1) * Math.log(p) + (bb - 1) * Math.log(q) - lB),
    0,
    1,
  );
}

/**
 * Discounted expected residual transactions of a customer alive now, over [0, H], continuous
 * discount δ: E_p[E_λ ∫₀^H e^{−δt} λ e^{−λpt} dt]. The λ-expectation is closed form through the
 * scaled upper incomplete gamma function R: (ρ/p)[R(−ρ, δA/p) − e^{−δH}(A/(A+pH))^ρ R(−ρ, δ(A+pH)/p)];
 * the p-expectation is a tanh-sinh integral.
 */
export function betaGeoDiscounted(
  rho: number,
  A: number,
  a: number,
  bb: number,
  delta: number,
  H: number,
): number {
  const lB = betaln(a, bb);
  if (!(delta > 0)) return betaGeoFuture(rho, A, a, bb, H);
  const finite = Number.isFinite(H);
  if (finite) {
    // By parts: ∫₀^H e^{−δt} dY(t) = e^{−δH}Y(H) + δ∫₀^H e^{−δt}Y(t) dt, Y smooth on the scale A.
    const panels = Math.min(256, Math.max(1, Math.ceil(H / A), Math.ceil(delta * H)));
    const integral = gaussLegendre8(
      (t) => Math.exp(-delta * t) * betaGeoFuture(rho, A, a, bb, t),
      0,
      H,
      panels,
    );
    return Math.exp(-delta * H) * betaGeoFuture(rho, A, a, bb, H) + delta * integral;
  }
  return tanhSinh(
    (_p, p, q) => {
      let inner = scaledUpperGamma(-rho, (delta * A) / p);
      if (finite) {
        const Ah = A + p * H;
        inner -= Math.exp(-delta * H + rho * Math.log(A / Ah)) * scaledUpperGamma(-rho, (delta * Ah) / p);
      }
      const v = (rho / p) * inner;
      return v * Math.exp((a - 1) * Math.log(p) + (bb - 1) * Math.log(q) - lB);
    },
    0,
    1,
    1e-10,
  );
}

/** ln P(alive | x, t_x, T) for shift 0/1, and the posterior quantities. */
export function betaGeoLogAlive(p: BetaGeoParams, h: CustomerHistory, shift: 0 | 1): number {
  const { r, alpha, a, b } = p;
  const x = h.frequency;
  if (x === 0 && shift === 0) return 0;
  const rx = r + x;
  const A3 = -rx * Math.log(alpha + h.T);
  const A4 = Math.log(a) - Math.log(b + x + shift - 1) - rx * Math.log(alpha + h.recency);
  return A3 - logAddExp(A3, A4);
}

/** Checks one customer history; returns the problem in words, or null when valid. */
export function checkHistory(h: CustomerHistory): string | null {
  if (h === null || typeof h !== 'object') return 'the history must be an object { frequency, recency, T }';
  if (!Number.isInteger(h.frequency) || h.frequency < 0 || h.frequency > MAX_FREQUENCY)
    return `"frequency" must be an integer in [0, ${MAX_FREQUENCY}]`;
  if (!Number.isFinite(h.recency) || h.recency < 0) return '"recency" must be a finite number >= 0';
  if (!Number.isFinite(h.T) || h.T < h.recency || h.T > MAX_TIME)
    return `"T" must be a finite number >= recency and <= ${MAX_TIME}`;
  return null;
}

/**
 * Limits of a customer history the predictions accept: beyond them no real history exists (1e5
 * repeat purchases; 1e15 time units, ~2e13 years in weeks) and the special functions would spend
 * seconds per customer (a recurrence of length x, quadrature over 300 orders of magnitude).
 */
export const MAX_FREQUENCY = 1e5;
export const MAX_TIME = 1e15;

/**
 * The horizon to use for discounting: beyond δ·H = 60 the discount factor e^{−δH} < 1e-26 makes the
 * rest of the sum invisible in double precision, so the (fast) infinite-horizon form is used; a
 * finite-horizon quadrature at H = 1e300 took seconds.
 */
export function discountHorizon(delta: number, H: number): number {
  return delta > 0 && delta * H > 60 ? Number.POSITIVE_INFINITY : H;
}

/** Validated discount / horizon options; returns [delta, H, margin, value]. */
export function lifetimeOptions(fn: string, o: LifetimeValueOptions): [number, number, number, number] {
  checkOptions(fn, o, ['valuePerTransaction', 'discountRate', 'horizon', 'margin']);
  if (o === undefined) throw optionError(fn, 'valuePerTransaction', 'is required', 'required');
  const delta = o.discountRate ?? 0;
  const H = o.horizon ?? Number.POSITIVE_INFINITY;
  const margin = o.margin ?? 1;
  const v = o.valuePerTransaction;
  if (!Number.isFinite(v)) throw optionError(fn, 'valuePerTransaction', `must be a finite number`);
  if (!(delta >= 0) || !Number.isFinite(delta))
    throw optionError(fn, 'discountRate', `must be a finite number >= 0`);
  if (!(H > 0)) throw optionError(fn, 'horizon', `must be > 0`);
  if (!Number.isFinite(margin)) throw optionError(fn, 'margin', `must be a finite number`);
  if (delta === 0 && !Number.isFinite(H)) {
    throw optionError(
      fn,
      'horizon',
      'is infinite, which needs a "discountRate" > 0 (the undiscounted sum can be infinite)',
    );
  }
  return [delta, H, margin, v];
}

/**
 * The monthly-sum CLV of the `lifetimes` package from a model's E[Y(t) | history] (`expected`):
 * Σ_{i=1..months} (E[Y(i·m)] − E[Y((i−1)·m)]) · value · margin / (1 + d)^i, m = `monthLength`.
 */
export function monthlySumLifetimeValue(
  fn: string,
  options: MonthlyLifetimeValueOptions,
  expected: (t: number) => number,
): number {
  checkOptions(fn, options, [
    'valuePerTransaction',
    'months',
    'monthlyDiscountRate',
    'monthLength',
    'margin',
  ]);
  if (options === undefined) throw optionError(fn, 'valuePerTransaction', 'is required', 'required');
  const months = options.months ?? 12;
  if (!Number.isInteger(months) || months < 0 || months > 12000)
    throw optionError(
      fn,
      'months',
      `must be a whole number of months in [0, 12000], got ${String(months)} (the sum runs month by month)`,
    );
  if (!(options.monthLength > 0) || !Number.isFinite(options.monthLength))
    throw optionError(fn, 'monthLength', `must be a finite number > 0, got ${String(options.monthLength)}`);
  if (!Number.isFinite(options.valuePerTransaction))
    throw optionError(fn, 'valuePerTransaction', 'must be a finite number');
  const d = options.monthlyDiscountRate ?? 0.01;
  if (!(d > -1) || !Number.isFinite(d))
    throw optionError(fn, 'monthlyDiscountRate', 'must be a finite number > -1');
  const margin = options.margin ?? 1;
  if (!Number.isFinite(margin)) throw optionError(fn, 'margin', 'must be a finite number');
  let prev = 0;
  let total = 0;
  for (let i = 1; i <= months; i++) {
    const cur = expected(i * options.monthLength);
    total += ((cur - prev) * options.valuePerTransaction * margin) / (1 + d) ** i;
    prev = cur;
  }
  return total;
}

/** Negative-binomial probability P(N(t) = n) for N ~ NBD(r, α) and the tail P(N(t) ≥ n). */
export function nbdPmfAndTail(
  r: number,
  alpha: number,
  t: number,
  n: number,
): { logPmf: number; tail: number } {
  const lp0 = r * Math.log(alpha / (alpha + t));
  const lz = Math.log(t / (alpha + t));
  const logPmf = gammaln(r + n) - gammaln(r) - gammaln(n + 1) + lp0 + n * lz;
  if (n === 0) return { logPmf, tail: 1 };
  // head = Σ_{j<n} pmf_j
  let head = 0;
  let term = Math.exp(lp0);
  for (let j = 0; j < n; j++) {
    head += term;
    term *= ((r + j) / (j + 1)) * Math.exp(lz);
  }
  if (head < 0.5) return { logPmf, tail: 1 - head };
  // Sum the tail directly to avoid cancellation.
  let tail = 0;
  let tj = Math.exp(logPmf);
  for (let j = n; j < n + 100000; j++) {
    tail += tj;
    tj *= ((r + j) / (j + 1)) * Math.exp(lz);
    if (tj < 1e-17 * tail) break;
  }
  return { logPmf, tail };
}
