import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConvergenceError, InsufficientDataError, ValidationError } from '../../src/_lib/errors';
import { fitParetoNBD } from '../../src/clv/fitParetoNBD';
import { ParetoNBDModel } from '../../src/clv/ParetoNBDModel';
import { cdnowAvailable, loadCdnowSummary } from '../helpers/sharedData';
import { expectPurchaseDistribution, expectRecovered } from './_checks';
import { simulatePareto } from './_simulate';

const model = (r: number, alpha: number, s: number, beta: number): ParetoNBDModel =>
  ParetoNBDModel.fromJSON({
    model: 'paretonbd',
    version: 1,
    params: { r, alpha, s, beta },
    logLikelihood: 0,
    standardErrors: { r: null, alpha: null, s: null, beta: null },
    iterations: 0,
    customers: 0,
  });

describe.skipIf(!cdnowAvailable)('fitParetoNBD on the CDNOW sample', () => {
  const rows = cdnowAvailable
    ? loadCdnowSummary().map((c) => ({ frequency: c.x, recency: c.tx, T: c.T }))
    : [];
  const m = cdnowAvailable ? fitParetoNBD(rows) : (null as unknown as ParetoNBDModel);

  it('reproduces the published estimates (Fader, Hardie & Lee 2005): r 0.553, α 10.58, s 0.606, β 11.67, LL −9595.0', () => {
    expect(m.params.r).toBeCloseTo(0.553, 3);
    expect(m.params.alpha).toBeCloseTo(10.58, 1);
    expect(m.params.s).toBeCloseTo(0.606, 3);
    expect(m.params.beta).toBeCloseTo(11.67, 1);
    expect(m.logLikelihood).toBeCloseTo(-9595.0, 0);
    // Standard errors as reported by CLVTools (tests/testthat/test_correctness_pnbd.R) on the same data.
    expect(m.standardErrors.r as number).toBeCloseTo(0.0476264, 4);
    expect(m.standardErrors.alpha as number).toBeCloseTo(0.8427222, 2);
    expect(m.standardErrors.s as number).toBeCloseTo(0.1872594, 3);
    expect(m.standardErrors.beta as number).toBeCloseTo(6.2105448, 1);
  });

  it('P(X(t)=n) sums to 1 with mean E[X(t)]', () => {
    expectPurchaseDistribution(m, 39, 300, 8, 5);
  });
});

describe('fitParetoNBD parameter recovery', () => {
  it('recovers simulated parameters within 4 standard errors', () => {
    const truth = { r: 0.55, alpha: 10.5, s: 0.6, beta: 11.7 };
    const m = fitParetoNBD(simulatePareto(truth, 4000, 17, 78));
    expectRecovered(m, truth);
  });
});

/** P(alive) from the likelihood's integral form by composite Simpson (independent of the 2F1 code). */
function pAliveBySimpson(
  p: { r: number; alpha: number; s: number; beta: number },
  x: number,
  tx: number,
  T: number,
): number {
  const rx = p.r + x;
  // death/first = s ∫_{tx}^{T} ((α+T)/(α+τ))^{r+x} ((β+T)/(β+τ))^{s} / (β+τ) dτ
  const f = (tau: number): number =>
    Math.exp(rx * Math.log((p.alpha + T) / (p.alpha + tau)) + p.s * Math.log((p.beta + T) / (p.beta + tau))) /
    (p.beta + tau);
  const n = 20000;
  const h = (T - tx) / n;
  let sum = f(tx) + f(T);
  for (let i = 1; i < n; i++) sum += (i % 2 === 1 ? 4 : 2) * f(tx + i * h);
  return 1 / (1 + (p.s * sum * h) / 3);
}

describe('fitParetoNBD when nobody drops out (β → ∞)', () => {
  it('returns finite estimates with huge β and honest (huge) standard errors, or a ConvergenceError, never NaN', () => {
    const data = simulatePareto({ r: 0.8, alpha: 5, s: 1, beta: 1e6 }, 3000, 3, 52);
    let m: ParetoNBDModel | null = null;
    try {
      m = fitParetoNBD(data);
    } catch (e) {
      expect(e).toBeInstanceOf(ConvergenceError);
    }
    if (m) {
      for (const v of Object.values(m.params)) expect(Number.isFinite(v)).toBe(true);
      expect(m.params.beta / m.params.s).toBeGreaterThan(1e4); // mean dropout rate s/β is tiny
      expect(m.params.r).toBeCloseTo(0.8, 0);
      const h = { frequency: 4, recency: 20, T: 50 };
      expect(m.probabilityAlive(h)).toBeGreaterThan(0.99);
      expect(Number.isFinite(m.conditionalExpectedPurchases(52, h))).toBe(true);
      expect(
        Number.isFinite(m.customerLifetimeValue(h, { valuePerTransaction: 1, discountRate: 0.002 }).value),
      ).toBe(true);
    }
  });
});

describe('ParetoNBDModel predictions', () => {
  const m = model(0.553, 10.58, 0.606, 11.67);

  it('gives one-time buyers a probability alive that falls with T', () => {
    const p1 = m.probabilityAlive({ frequency: 0, recency: 0, T: 5 });
    const p2 = m.probabilityAlive({ frequency: 0, recency: 0, T: 50 });
    expect(p1).toBeLessThan(1);
    expect(p2).toBeLessThan(p1);
  });

  it('computes P(alive) = 1 when t_x = T (no time to have died unseen)', () => {
    expect(m.probabilityAlive({ frequency: 3, recency: 20, T: 20 })).toBeCloseTo(1, 14);
  });

  it('matches the integral definition of the likelihood where the 2F1 switches to quadrature (huge β)', () => {
    // With β = 1e7 the 2F1 argument (β−α)/(β+t_x) ≈ 1; μ ≈ s/β is tiny, so P(alive) must be ≈ 1 and finite.
    const big = model(0.553, 10.58, 0.606, 1e7);
    const h = { frequency: 2, recency: 5, T: 60 };
    const p = big.probabilityAlive(h);
    expect(p).toBeCloseTo(pAliveBySimpson(big.params, 2, 5, 60), 10);
    expect(p).toBeGreaterThan(0.9999);
    expect(p).toBeLessThanOrEqual(1);
    expect(Number.isFinite(big.conditionalExpectedPurchases(52, h))).toBe(true);
    // Continuity across the series/quadrature switch at argument 0.95: α = 1, β slightly either side.
    const h2 = { frequency: 1, recency: 2, T: 30 };
    // z1 = (β−α)/(β+t_x) = 0.95 at β = (0.95·2 + 1)/0.05 = 58
    const lo = model(0.5, 1, 0.6, 57.999).probabilityAlive(h2);
    const hi = model(0.5, 1, 0.6, 58.001).probabilityAlive(h2);
    expect(lo).toBeCloseTo(pAliveBySimpson({ r: 0.5, alpha: 1, s: 0.6, beta: 57.999 }, 1, 2, 30), 9);
    expect(hi).toBeCloseTo(pAliveBySimpson({ r: 0.5, alpha: 1, s: 0.6, beta: 58.001 }, 1, 2, 30), 9);
  });

  it('gives finite P(alive) where CLVTools once produced NaN (x in the hundreds, t_x close to T)', () => {
    // Case from CLVTools' test_correctness_pnbd.R.
    const m2 = model(0.5143, 2.8845, 0.2856, 14.1087);
    const xs = [221, 254, 161, 204];
    const txs = [103.42857, 97.14286, 94.71429, 98.57143];
    const Ts = [103.57143, 97.28571, 98.0, 99.42857];
    for (let i = 0; i < 4; i++) {
      const p = m2.probabilityAlive({ frequency: xs[i]!, recency: txs[i]!, T: Ts[i]! });
      expect(Number.isFinite(p) && p >= 0 && p <= 1).toBe(true);
      expect(p).toBeCloseTo(pAliveBySimpson(m2.params, xs[i]!, txs[i]!, Ts[i]!), 8);
    }
  });

  it('stays finite for x in the hundreds', () => {
    // ~10 purchases a week, then a week of silence: the model rightly doubts the customer is alive.
    const h = { frequency: 500, recency: 51, T: 52 };
    expect(Number.isFinite(m.conditionalExpectedPurchases(52, h))).toBe(true);
    expect(m.probabilityAlive(h)).toBeCloseTo(pAliveBySimpson(m.params, 500, 51, 52), 9);
    expect(m.probabilityAlive({ frequency: 500, recency: 51.99, T: 52 })).toBeGreaterThan(0.9);
  });

  it('DERT equals the numerically integrated ∫ e^{-δt} dE[Y(t)] and the finite-horizon limit', () => {
    const h = { frequency: 2, recency: 30.43, T: 38.86 };
    const delta = 0.02;
    const inf = m.customerLifetimeValue(h, {
      valuePerTransaction: 1,
      discountRate: delta,
    }).discountedTransactions;
    const fin = m.customerLifetimeValue(h, {
      valuePerTransaction: 1,
      discountRate: delta,
      horizon: 3000,
    }).discountedTransactions;
    expect(fin).toBeCloseTo(inf, 8);
    let sum = 0;
    let prev = 0;
    for (let t = 0.5; t <= 3000; t += 0.5) {
      const cur = m.conditionalExpectedPurchases(t, h);
      sum += Math.exp(-delta * (t - 0.25)) * (cur - prev);
      prev = cur;
    }
    expect(inf).toBeCloseTo(sum, 4);
    // Without discounting over 39 weeks it is the conditional expectation.
    const undiscounted = m.customerLifetimeValue(h, { valuePerTransaction: 1, horizon: 39 });
    expect(undiscounted.discountedTransactions).toBeCloseTo(m.conditionalExpectedPurchases(39, h), 12);
  });

  it('is continuous at s = 1 (the removable singularity of E[Y(t)])', () => {
    const h = { frequency: 1, recency: 3, T: 10 };
    const a = model(0.5, 10, 0.9999999, 12).conditionalExpectedPurchases(20, h);
    const b = model(0.5, 10, 1, 12).conditionalExpectedPurchases(20, h);
    expect(a).toBeCloseTo(b, 6);
  });

  it('predictConditional equals the per-customer method (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.1, max: 80, noNaN: true }),
        (x, f, T) => {
          const tx = x === 0 ? 0 : f * T;
          const one = m.conditionalExpectedPurchases(26, { frequency: x, recency: tx, T });
          const many = m.predictConditional(26, { frequency: [x], recency: [tx], T: [T] })[0] as number;
          return Math.abs(one - many) < 1e-12 * Math.max(1, one) && one >= 0;
        },
      ),
      { numRuns: 100, seed: 2 },
    );
  });

  it('validates input and JSON', () => {
    expect(() => m.probabilityAlive({ frequency: 1.5, recency: 1, T: 2 })).toThrow(ValidationError);
    expect(() => fitParetoNBD([])).toThrow(InsufficientDataError);
    expect(() => ParetoNBDModel.fromJSON({ ...m.toJSON(), params: { r: 1, alpha: 1, s: 1 } })).toThrow(
      ValidationError,
    );
  });
});
