/**
 * Pareto/NBD likelihood pieces (Schmittlein, Morrison & Colombo 1987; Fader & Hardie 2005 note
 * "A note on deriving the Pareto/NBD model and related expressions").
 * @module
 */
import { uniqueIndex } from './_betaGeo';
import type { Objective } from './_optimize';
import { digamma, gammaln, logAddExp, logHyp2F1Tied, logSubExp, tanhSinh } from './_special';
import type { CompressedRfm } from './types';

/** Parameters of the Pareto/NBD model. */
export interface ParetoNBDParams {
  /** Shape of the gamma distribution of purchase rates λ. */
  r: number;
  /** Rate parameter of the gamma distribution of purchase rates (time units). */
  alpha: number;
  /** Shape of the gamma distribution of dropout rates μ. */
  s: number;
  /** Rate parameter of the gamma distribution of dropout rates (time units). */
  beta: number;
}

export const PARETO_NAMES = ['r', 'alpha', 's', 'beta'] as const;

/**
 * ln of s·∫_{t_x}^{T} (α+τ)^{−(r+x)} (β+τ)^{−(s+1)} dτ — the "died between t_x and T" term.
 * Uses the ₂F₁ closed form (argument |α−β|/(max(α,β)+t) < 1) and, when that argument is too close
 * to 1 for the series, tanh-sinh quadrature of the integral itself. −Infinity when t_x = T.
 */
export function paretoLogDeathTerm(
  r: number,
  alpha: number,
  s: number,
  beta: number,
  x: number,
  tx: number,
  T: number,
): number {
  if (!(T > tx)) return Number.NEGATIVE_INFINITY;
  const rsx = r + s + x;
  let m: number;
  let b1: number;
  let diff: number;
  if (alpha >= beta) {
    m = alpha;
    b1 = s + 1;
    diff = alpha - beta;
  } else {
    m = beta;
    b1 = r + x;
    diff = beta - alpha;
  }
  const z1 = diff / (m + tx);
  const f1 = logHyp2F1Tied(rsx, b1, z1) - rsx * Math.log(m + tx);
  const f2 = logHyp2F1Tied(rsx, b1, diff / (m + T)) - rsx * Math.log(m + T);
  // Trust the closed form unless the two terms nearly cancel (then quadrature is more accurate).
  if (Number.isFinite(f1) && Number.isFinite(f2) && f1 - f2 > 1e-6) {
    return Math.log(s) - Math.log(rsx) + logSubExp(f1, f2);
  }
  // Quadrature of the integral, normalised by the integrand at t_x.
  const rx = r + x;
  const g0 = -rx * Math.log(alpha + tx) - (s + 1) * Math.log(beta + tx);
  const integral = tanhSinh(
    (_t, fromLo) => {
      const tau = tx + fromLo;
      return Math.exp(-rx * Math.log(alpha + tau) - (s + 1) * Math.log(beta + tau) - g0);
    },
    tx,
    T,
    1e-11,
  );
  return Math.log(s) + g0 + Math.log(integral);
}

/** ln of the bracket and of its first term ("alive at T" term), for one customer. */
export function paretoLogParts(
  p: ParetoNBDParams,
  x: number,
  tx: number,
  T: number,
): { first: number; bracket: number } {
  const first = -(p.r + x) * Math.log(p.alpha + T) - p.s * Math.log(p.beta + T);
  const death = paretoLogDeathTerm(p.r, p.alpha, p.s, p.beta, x, tx, T);
  return { first, bracket: logAddExp(first, death) };
}

/**
 * ln ₂F₁(a, b; a+1; z) and its partial derivatives in a (with c = a+1 tied to a), b and z, by one
 * pass over the positive series (a, b > 0, 0 ≤ z < 1). Writes [ln F, ∂a, ∂b, ∂z] into `out`;
 * returns false when the series did not converge (caller falls back to quadrature).
 */
function log2F1Tied(a: number, b: number, z: number, out: Float64Array): boolean {
  let term = 1;
  let S = 1;
  let Sa = 0;
  let Sb = 0;
  let Sz = 0;
  let Hb = 0;
  const ia = 1 / a;
  for (let n = 1; n < 5000; n++) {
    const k = n - 1;
    term *= (((a + k) * (b + k)) / ((a + 1 + k) * n)) * z;
    Hb += 1 / (b + k);
    S += term;
    Sa += term * (ia - 1 / (a + n));
    Sb += term * Hb;
    Sz += term * n;
    if (term < 1e-16 * S) {
      out[0] = Math.log(S);
      out[1] = Sa / S;
      out[2] = Sb / S;
      out[3] = z > 0 ? Sz / (S * z) : 0;
      return Number.isFinite(S);
    }
    if (S > 1e250) return false;
  }
  return false;
}

const tmp = new Float64Array(4);

/**
 * G(t) = ln[₂F₁(·; z(t)) / (m+t)^{r+s+x}] and ∂G/∂(r, α, s, β), written into `out[0..4]`.
 * Returns false when the series is not usable (then use {@link paretoLogDeathTerm}).
 */
function paretoG(
  r: number,
  alpha: number,
  s: number,
  beta: number,
  x: number,
  t: number,
  out: Float64Array,
  o: number,
): boolean {
  const rsx = r + s + x;
  if (alpha >= beta) {
    const m = alpha + t;
    const z = (alpha - beta) / m;
    if (z > 0.95 || !log2F1Tied(rsx, s + 1, z, tmp)) return false;
    const lm = Math.log(m);
    const [lf, da, db, dz] = tmp as unknown as [number, number, number, number];
    out[o] = lf - rsx * lm;
    out[o + 1] = da - lm; // ∂/∂r: a
    out[o + 2] = (dz * (beta + t)) / (m * m) - rsx / m; // ∂/∂α: z and m
    out[o + 3] = da + db - lm; // ∂/∂s: a and b
    out[o + 4] = -dz / m; // ∂/∂β: z
    return true;
  }
  const m = beta + t;
  const z = (beta - alpha) / m;
  if (z > 0.95 || !log2F1Tied(rsx, r + x, z, tmp)) return false;
  const lm = Math.log(m);
  const [lf, da, db, dz] = tmp as unknown as [number, number, number, number];
  out[o] = lf - rsx * lm;
  out[o + 1] = da + db - lm; // ∂/∂r: a and b
  out[o + 2] = -dz / m; // ∂/∂α: z
  out[o + 3] = da - lm; // ∂/∂s: a
  out[o + 4] = (dz * (alpha + t)) / (m * m) - rsx / m; // ∂/∂β: z and m
  return true;
}

/**
 * Central difference of f(q, i) in the parameter `key`, with relative step h:
 * (f(q with key·(1+h)) − f(q with key·(1−h))) / (2h·key). Leaves q as it found it.
 */
function centralSlope(
  f: (q: ParetoNBDParams, i: number) => number,
  q: ParetoNBDParams,
  key: keyof ParetoNBDParams,
  i: number,
  h: number,
): number {
  const v = q[key];
  q[key] = v * (1 + h);
  const up = f(q, i);
  q[key] = v * (1 - h);
  const slope = (up - f(q, i)) / (2 * h * v);
  q[key] = v;
  return slope;
}

/**
 * Negative log-likelihood over compressed data as a function of log-parameters, with its analytic
 * gradient: the ₂F₁ series is summed together with its parameter derivatives in one pass, and the
 * "alive at T" parts are shared by all rows with the same (x, T). Rows whose series argument is too
 * close to 1 use the quadrature form with a central-difference gradient for that row only.
 */
export function paretoObjective(data: CompressedRfm): Objective {
  const MAX_SHAPE = 1e4;
  const { x, tx, T, count, rows } = data;
  const X = uniqueIndex(x, rows);
  const TT = uniqueIndex(T, rows);
  const TX = uniqueIndex(tx, rows);
  // Distinct (x, T) and (x, t_x) pairs: G is computed once per pair and evaluation.
  const pairsOf = (col: Float64Array, colIdx: Int32Array, nUniq: number) => {
    const map = new Map<number, number>();
    const idx = new Int32Array(rows);
    const px: number[] = [];
    const pt: number[] = [];
    for (let i = 0; i < rows; i++) {
      const key = (X.idx[i] as number) * nUniq + (colIdx[i] as number);
      let k = map.get(key);
      if (k === undefined) {
        k = px.length;
        px.push(x[i] as number);
        pt.push(col[i] as number);
        map.set(key, k);
      }
      idx[i] = k;
    }
    return { idx, x: Float64Array.from(px), t: Float64Array.from(pt) };
  };
  const PT = pairsOf(T, TT.idx, TT.uniq.length);
  const PX = pairsOf(tx, TX.idx, TX.uniq.length);
  const pairIdx = PT.idx;
  const np = PT.x.length;
  const GT = new Float64Array(np * 5);
  const GTok = new Uint8Array(np);
  const laTs = new Float64Array(TT.uniq.length);
  const lbTs = new Float64Array(TT.uniq.length);
  const iaTs = new Float64Array(TT.uniq.length);
  const ibTs = new Float64Array(TT.uniq.length);
  const nq = PX.x.length;
  const GX = new Float64Array(nq * 5);
  const GXok = new Uint8Array(nq);
  const g1 = new Float64Array(X.uniq.length);
  const dg1 = new Float64Array(X.uniq.length);
  const p: ParetoNBDParams = { r: 1, alpha: 1, s: 1, beta: 1 };
  const lp = (q: ParetoNBDParams, i: number): number =>
    paretoLogDeathTerm(q.r, q.alpha, q.s, q.beta, x[i] as number, tx[i] as number, T[i] as number);
  return (phi, grad) => {
    const r = Math.exp(phi[0] as number);
    const alpha = Math.exp(phi[1] as number);
    const s = Math.exp(phi[2] as number);
    const beta = Math.exp(phi[3] as number);
    if (!Number.isFinite(r + alpha + s + beta) || !(r > 0 && alpha > 0 && s > 0 && beta > 0))
      return Number.POSITIVE_INFINITY;
    // Shapes beyond 1e4 are outside any meaningful fit (the gamma mixtures are points), and there the
    // ₂F₁ series needs millions of terms: treat as infeasible so the optimiser stops at the
    // boundary (reported as degenerate) instead of crawling through quadrature.
    if (r > MAX_SHAPE || s > MAX_SHAPE) return Number.POSITIVE_INFINITY;
    p.r = r;
    p.alpha = alpha;
    p.s = s;
    p.beta = beta;
    const withGrad = grad !== null;
    const lr = gammaln(r);
    const dr = withGrad ? digamma(r) : 0;
    for (let k = 0; k < X.uniq.length; k++) {
      const v = X.uniq[k] as number;
      g1[k] = gammaln(r + v) - lr;
      if (withGrad) dg1[k] = digamma(r + v) - dr;
    }
    for (let k = 0; k < np; k++)
      GTok[k] = paretoG(r, alpha, s, beta, PT.x[k] as number, PT.t[k] as number, GT, k * 5) ? 1 : 0;
    for (let k = 0; k < nq; k++)
      GXok[k] = paretoG(r, alpha, s, beta, PX.x[k] as number, PX.t[k] as number, GX, k * 5) ? 1 : 0;
    for (let k = 0; k < TT.uniq.length; k++) {
      const tv = TT.uniq[k] as number;
      laTs[k] = Math.log(alpha + tv);
      lbTs[k] = Math.log(beta + tv);
      iaTs[k] = 1 / (alpha + tv);
      ibTs[k] = 1 / (beta + tv);
    }
    const ls = Math.log(s);
    let ll = 0;
    let gR = 0;
    let gA = 0;
    let gS = 0;
    let gB = 0;
    for (let i = 0; i < rows; i++) {
      const xi = x[i] as number;
      const ti = T[i] as number;
      const txi = tx[i] as number;
      const w = count[i] as number;
      const rx = r + xi;
      const tk = TT.idx[i] as number;
      const laT = laTs[tk] as number;
      const lbT = lbTs[tk] as number;
      const first = -rx * laT - s * lbT;
      const pk = pairIdx[i] as number;
      let death = Number.NEGATIVE_INFINITY;
      let dR = 0;
      let dA = 0;
      let dS = 0;
      let dB = 0;
      if (ti > txi) {
        const o = pk * 5;
        const qk = PX.idx[i] as number;
        const q5 = qk * 5;
        if (GTok[pk] === 1 && GXok[qk] === 1 && (GX[q5] as number) > (GT[o] as number)) {
          const G1 = GX[q5] as number;
          const G2 = GT[o] as number;
          const e = Math.exp(G2 - G1);
          death = ls - Math.log(r + s + xi) + G1 + Math.log1p(-e);
          if (withGrad) {
            const w1 = 1 / (1 - e);
            const w2 = e / (1 - e);
            const irsx = 1 / (r + s + xi);
            dR = -irsx + w1 * (GX[q5 + 1] as number) - w2 * (GT[o + 1] as number);
            dA = w1 * (GX[q5 + 2] as number) - w2 * (GT[o + 2] as number);
            dS = 1 / s - irsx + w1 * (GX[q5 + 3] as number) - w2 * (GT[o + 3] as number);
            dB = w1 * (GX[q5 + 4] as number) - w2 * (GT[o + 4] as number);
          }
        } else {
          death = lp(p, i);
          if (withGrad) {
            const h = 1e-6;
            const q = { r, alpha, s, beta };
            dR = centralSlope(lp, q, 'r', i, h);
            dA = centralSlope(lp, q, 'alpha', i, h);
            dS = centralSlope(lp, q, 's', i, h);
            dB = centralSlope(lp, q, 'beta', i, h);
          }
        }
      }
      const k = X.idx[i] as number;
      let bracket: number;
      let wD = 0;
      if (death === Number.NEGATIVE_INFINITY) bracket = first;
      else if (death > first) {
        const e = Math.exp(first - death);
        bracket = death + Math.log1p(e);
        wD = 1 / (1 + e);
      } else {
        const e = Math.exp(death - first);
        bracket = first + Math.log1p(e);
        wD = e / (1 + e);
      }
      ll += w * ((g1[k] as number) + bracket);
      if (withGrad) {
        const wF = 1 - wD;
        gR += w * ((dg1[k] as number) + wF * -laT + wD * dR);
        gA += w * (wF * -rx * (iaTs[tk] as number) + wD * dA);
        gS += w * (wF * -lbT + wD * dS);
        gB += w * (wF * -s * (ibTs[tk] as number) + wD * dB);
      }
    }
    const total = data.customers;
    ll += total * (r * Math.log(alpha) + s * Math.log(beta));
    if (grad) {
      grad[0] = -(gR + total * Math.log(alpha)) * r;
      grad[1] = -(gA + (total * r) / alpha) * alpha;
      grad[2] = -(gS + total * Math.log(beta)) * s;
      grad[3] = -(gB + (total * s) / beta) * beta;
    }
    return -ll;
  };
}
