/**
 * Pareto/NBD likelihood pieces (Schmittlein, Morrison & Colombo 1987; Fader & Hardie 2005 note
 * "A note on deriving the Pareto/NBD model and related expressions").
 * @module
 */
import type { Objective } from './_optimize';
import { gammaln, log2F1, logAddExp, logSubExp, tanhSinh } from './_special';
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
export function paretoLogDeathTerm(r: number, alpha: number, s: number, beta: number, x: number, tx: number, T: number): number {
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
  if (z1 <= 0.95) {
    const f1 = log2F1(rsx, b1, rsx + 1, z1) - rsx * Math.log(m + tx);
    const f2 = log2F1(rsx, b1, rsx + 1, diff / (m + T)) - rsx * Math.log(m + T);
    if (Number.isFinite(f1) && Number.isFinite(f2) && f1 > f2) {
      return Math.log(s) - Math.log(rsx) + logSubExp(f1, f2);
    }
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
export function paretoLogParts(p: ParetoNBDParams, x: number, tx: number, T: number): { first: number; bracket: number } {
  const first = -(p.r + x) * Math.log(p.alpha + T) - p.s * Math.log(p.beta + T);
  const death = paretoLogDeathTerm(p.r, p.alpha, p.s, p.beta, x, tx, T);
  return { first, bracket: logAddExp(first, death) };
}

/** Negative log-likelihood over compressed data as a function of log-parameters (no gradient). */
export function paretoObjective(data: CompressedRfm): Objective {
  const { x, tx, T, count, rows } = data;
  let maxX = 0;
  for (let i = 0; i < rows; i++) maxX = Math.max(maxX, x[i] as number);
  const useTable = maxX <= 100_000;
  const present = new Uint8Array(useTable ? maxX + 1 : 0);
  if (useTable) for (let i = 0; i < rows; i++) present[x[i] as number] = 1;
  const distinct: number[] = [];
  for (let v = 0; v < present.length; v++) if (present[v] === 1) distinct.push(v);
  const g1 = new Float64Array(present.length);
  const p: ParetoNBDParams = { r: 1, alpha: 1, s: 1, beta: 1 };
  return (phi) => {
    p.r = Math.exp(phi[0] as number);
    p.alpha = Math.exp(phi[1] as number);
    p.s = Math.exp(phi[2] as number);
    p.beta = Math.exp(phi[3] as number);
    if (!Number.isFinite(p.r + p.alpha + p.s + p.beta) || !(p.r > 0 && p.alpha > 0 && p.s > 0 && p.beta > 0)) {
      return Number.POSITIVE_INFINITY;
    }
    const lr = gammaln(p.r);
    for (let k = 0; k < distinct.length; k++) {
      const v = distinct[k] as number;
      g1[v] = gammaln(p.r + v) - lr;
    }
    const constant = p.r * Math.log(p.alpha) + p.s * Math.log(p.beta);
    let ll = 0;
    let total = 0;
    for (let i = 0; i < rows; i++) {
      const xi = x[i] as number;
      const w = count[i] as number;
      const G1 = useTable ? (g1[xi] as number) : gammaln(p.r + xi) - lr;
      const parts = paretoLogParts(p, xi, tx[i] as number, T[i] as number);
      ll += w * (G1 + parts.bracket);
      total += w;
    }
    return -(ll + total * constant);
  };
}
