/**
 * Shared machinery of the beta-geometric repeat-purchase models, BG/NBD (Fader, Hardie & Lee 2005)
 * and MBG/NBD (Batislam, Denizel & Filiztekin 2007). Both assume Poisson purchasing at rate
 * λ ~ Gamma(r, α) and a coin flip with p ~ Beta(a, b) deciding dropout after each repeat purchase;
 * MBG/NBD also flips at the first purchase (shift k = 1), which removes BG/NBD's flaw that a
 * customer without repeat purchases is certainly alive.
 * @module
 */
import { InsufficientDataError } from '../_lib/errors';
import { type Objective, minimize, standardErrorsFromLogHessian } from './_optimize';
import { betaln, digamma, gammaln, log2F1, logAddExp, scaledUpperGamma, tanhSinh } from './_special';
import { compressRfm } from './compressRfm';
import type { CompressedRfm, CustomerHistory, FitOptions, LifetimeValueOptions, RfmInput } from './types';

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

/** Log-likelihood and gradient (in log-parameters) over compressed data. shift: 0 BG/NBD, 1 MBG/NBD. */
export function betaGeoObjective(data: CompressedRfm, shift: 0 | 1): Objective {
  const { x, tx, T, count, rows } = data;
  let maxX = 0;
  for (let i = 0; i < rows; i++) maxX = Math.max(maxX, x[i] as number);
  const useTable = maxX <= 100_000;
  const present = new Uint8Array(useTable ? maxX + 1 : 0);
  const xs = new Float64Array(useTable ? maxX + 1 : 0);
  if (useTable) for (let i = 0; i < rows; i++) present[x[i] as number] = 1;
  const distinct: number[] = [];
  for (let v = 0; v < present.length; v++) if (present[v] === 1) distinct.push(v);
  // per distinct x: A1 part without r ln α, its r-derivative, A2 and its derivatives
  const g1 = new Float64Array(xs.length);
  const dg1 = new Float64Array(xs.length);
  const a2 = new Float64Array(xs.length);
  const da2a = new Float64Array(xs.length);
  const da2b = new Float64Array(xs.length);
  return (phi, grad) => {
    const r = Math.exp(phi[0] as number);
    const alpha = Math.exp(phi[1] as number);
    const a = Math.exp(phi[2] as number);
    const b = Math.exp(phi[3] as number);
    if (!(r > 0 && alpha > 0 && a > 0 && b > 0 && Number.isFinite(r + alpha + a + b))) return Number.POSITIVE_INFINITY;
    const lr = gammaln(r);
    const dr = digamma(r);
    const lab = gammaln(a + b);
    const dab = digamma(a + b);
    const lb = gammaln(b);
    const db = digamma(b);
    const withGrad = grad !== null;
    if (useTable) {
      for (let k = 0; k < distinct.length; k++) {
        const v = distinct[k] as number;
        g1[v] = gammaln(r + v) - lr;
        a2[v] = gammaln(b + v + shift) + lab - lb - gammaln(a + b + v + shift);
        if (withGrad) {
          dg1[v] = digamma(r + v) - dr;
          const dabx = digamma(a + b + v + shift);
          da2a[v] = dab - dabx;
          da2b[v] = digamma(b + v + shift) + dab - db - dabx;
        }
      }
    }
    const lnAlpha = Math.log(alpha);
    const lnA = Math.log(a);
    let ll = 0;
    let gr = 0;
    let gal = 0;
    let ga = 0;
    let gb = 0;
    for (let i = 0; i < rows; i++) {
      const xi = x[i] as number;
      const w = count[i] as number;
      let G1: number;
      let A2: number;
      if (useTable) {
        G1 = g1[xi] as number;
        A2 = a2[xi] as number;
      } else {
        G1 = gammaln(r + xi) - lr;
        A2 = gammaln(b + xi + shift) + lab - lb - gammaln(a + b + xi + shift);
      }
      const rx = r + xi;
      const lT = Math.log(alpha + (T[i] as number));
      const A3 = -rx * lT;
      let li: number;
      let w4 = 0;
      let lTx = 0;
      const bx1 = b + xi + shift - 1;
      if (xi > 0 || shift === 1) {
        lTx = Math.log(alpha + (tx[i] as number));
        const A4 = lnA - Math.log(bx1) - rx * lTx;
        const L = logAddExp(A3, A4);
        w4 = Math.exp(A4 - L);
        li = G1 + r * lnAlpha + A2 + L;
      } else {
        li = G1 + r * lnAlpha + A2 + A3;
      }
      ll += w * li;
      if (withGrad) {
        const w3 = 1 - w4;
        let dG1: number;
        let dA2a: number;
        let dA2b: number;
        if (useTable) {
          dG1 = dg1[xi] as number;
          dA2a = da2a[xi] as number;
          dA2b = da2b[xi] as number;
        } else {
          dG1 = digamma(r + xi) - dr;
          const dabx = digamma(a + b + xi + shift);
          dA2a = dab - dabx;
          dA2b = digamma(b + xi + shift) + dab - db - dabx;
        }
        gr += w * (dG1 + lnAlpha - w3 * lT - w4 * lTx);
        gal += w * (r / alpha - (w3 * rx) / (alpha + (T[i] as number)) - (w4 * rx) / (alpha + (tx[i] as number)));
        ga += w * (dA2a + w4 / a);
        gb += w * (dA2b - (w4 > 0 ? w4 / bx1 : 0));
      }
    }
    if (grad) {
      grad[0] = -gr * r;
      grad[1] = -gal * alpha;
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
  iterations: number;
  customers: number;
}

/** Fits BG/NBD (shift 0) or MBG/NBD (shift 1) by maximum likelihood. */
export function fitBetaGeo(fn: string, input: RfmInput, shift: 0 | 1, options: FitOptions = {}): BetaGeoFit {
  const data = compressRfm(input, { fn });
  if (data.customers < 2) {
    throw new InsufficientDataError(fn, 'needs at least 2 customers to fit', { available: data.customers, required: 2 });
  }
  let sx = 0;
  let sT = 0;
  let repeaters = 0;
  for (let i = 0; i < data.rows; i++) {
    const c = data.count[i] as number;
    sx += c * (data.x[i] as number);
    sT += c * (data.T[i] as number);
    if ((data.x[i] as number) > 0) repeaters += c;
  }
  if (repeaters === 0) {
    throw new InsufficientDataError(fn, 'no customer has a repeat purchase, so purchase rates cannot be estimated', {
      available: 0,
      required: 1,
    });
  }
  if (!(sT > 0)) throw new InsufficientDataError(fn, 'all customers have T = 0 (no observation time)');
  const meanX = sx / data.customers;
  const meanT = sT / data.customers;
  const init = options.initialParams ?? {};
  const r0 = init.r ?? 0.5;
  const x0 = [
    Math.log(r0),
    Math.log(init.alpha ?? Math.max(1e-3, (r0 * meanT) / Math.max(meanX, 1e-3))),
    Math.log(init.a ?? 1),
    Math.log(init.b ?? 2),
  ];
  const f = betaGeoObjective(data, shift);
  const res = minimize(fn, f, x0, { analyticGradient: true, maxIterations: options.maxIterations });
  const se =
    options.standardErrors === false
      ? [null, null, null, null]
      : standardErrorsFromLogHessian(f, res.theta, true);
  const p = Array.from(res.theta, (v) => Math.exp(v));
  return {
    params: { r: p[0] as number, alpha: p[1] as number, a: p[2] as number, b: p[3] as number },
    logLikelihood: -res.value,
    standardErrors: { r: se[0] ?? null, alpha: se[1] ?? null, a: se[2] ?? null, b: se[3] ?? null },
    iterations: res.iterations,
    customers: data.customers,
  };
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
export function betaGeoDiscounted(rho: number, A: number, a: number, bb: number, delta: number, H: number): number {
  const lB = betaln(a, bb);
  if (!(delta > 0)) return betaGeoFuture(rho, A, a, bb, H);
  const finite = Number.isFinite(H);
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

/** Validates one customer history; throws RangeError-free ValidationError via caller. */
export function checkHistory(h: CustomerHistory): string | null {
  if (!Number.isInteger(h.frequency) || h.frequency < 0) return '"frequency" must be an integer >= 0';
  if (!Number.isFinite(h.recency) || h.recency < 0) return '"recency" must be a finite number >= 0';
  if (!Number.isFinite(h.T) || h.T < h.recency) return '"T" must be a finite number >= recency';
  return null;
}

/** Validated discount / horizon options; returns [delta, H, margin, value]. */
export function lifetimeOptions(fn: string, o: LifetimeValueOptions): [number, number, number, number] {
  const delta = o.discountRate ?? 0;
  const H = o.horizon ?? Number.POSITIVE_INFINITY;
  const margin = o.margin ?? 1;
  const v = o.valuePerTransaction;
  if (!Number.isFinite(v)) throw new RangeError(`${fn}: option "valuePerTransaction" must be a finite number`);
  if (!(delta >= 0) || !Number.isFinite(delta)) throw new RangeError(`${fn}: option "discountRate" must be a finite number >= 0`);
  if (!(H > 0)) throw new RangeError(`${fn}: option "horizon" must be > 0`);
  if (!Number.isFinite(margin)) throw new RangeError(`${fn}: option "margin" must be a finite number`);
  if (delta === 0 && !Number.isFinite(H)) {
    throw new RangeError(`${fn}: an infinite "horizon" needs a "discountRate" > 0 (the undiscounted sum can be infinite)`);
  }
  return [delta, H, margin, v];
}

/** Negative-binomial probability P(N(t) = n) for N ~ NBD(r, α) and the tail P(N(t) ≥ n). */
export function nbdPmfAndTail(r: number, alpha: number, t: number, n: number): { logPmf: number; tail: number } {
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
