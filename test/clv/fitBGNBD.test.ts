import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConvergenceError, InsufficientDataError, ValidationError } from '../../src/_lib/errors';
import { BGNBDModel } from '../../src/clv/BGNBDModel';
import { compressRfm } from '../../src/clv/compressRfm';
import { fitBGNBD } from '../../src/clv/fitBGNBD';
import { cdnowAvailable, loadCdnowSummary } from '../helpers/sharedData';
import { expectPurchaseDistribution, expectRecovered } from './_checks';
import { simulateBetaGeo } from './_simulate';

const model = (r: number, alpha: number, a: number, b: number): BGNBDModel =>
  BGNBDModel.fromJSON({
    model: 'bgnbd',
    version: 1,
    params: { r, alpha, a, b },
    logLikelihood: 0,
    standardErrors: { r: null, alpha: null, a: null, b: null },
    iterations: 0,
    customers: 0,
  });

describe.skipIf(!cdnowAvailable)('fitBGNBD on the CDNOW 2,357-customer sample', () => {
  const rows = cdnowAvailable
    ? loadCdnowSummary().map((c) => ({ frequency: c.x, recency: c.tx, T: c.T }))
    : [];
  const m = cdnowAvailable ? fitBGNBD(rows) : (null as unknown as BGNBDModel);

  it('reproduces the published estimates of Fader, Hardie & Lee (2005)', () => {
    // Published: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4
    expect(m.params.r).toBeCloseTo(0.243, 3);
    expect(m.params.alpha).toBeCloseTo(4.414, 2);
    expect(m.params.a).toBeCloseTo(0.793, 3);
    expect(m.params.b).toBeCloseTo(2.426, 2);
    expect(m.logLikelihood).toBeCloseTo(-9582.4, 1);
    expect(m.converged).toBe(true);
    for (const k of ['r', 'alpha', 'a', 'b']) expect(m.standardErrors[k]).toBeGreaterThan(0);
  });

  it("gives Hardie's spreadsheet value 1.226 for E[Y(39) | x=2, t_x=30.43, T=38.86]", () => {
    expect(m.conditionalExpectedPurchases(39, { frequency: 2, recency: 30.43, T: 38.86 })).toBeCloseTo(
      1.226,
      3,
    );
  });

  it('gives the same fit on compressed data', () => {
    const c = compressRfm(rows);
    expect(c.rows).toBeLessThan(rows.length);
    expect(fitBGNBD(c, { standardErrors: false }).logLikelihood).toBeCloseTo(m.logLikelihood, 6);
  });

  it('P(X(t)=n) sums to 1 and matches E[X(t)]', () => {
    expectPurchaseDistribution(m, 39, 400, 10, 6);
  });
});

describe('fitBGNBD parameter recovery', () => {
  it('recovers simulated parameters within 4 standard errors', () => {
    const truth = { r: 0.6, alpha: 5, a: 0.9, b: 2.5 };
    const data = simulateBetaGeo(truth, 6000, 11, 0, 52);
    const m = fitBGNBD(data);
    for (const k of ['r', 'alpha', 'a', 'b'] as const) {
      const se = m.standardErrors[k] as number;
      expect(se).toBeGreaterThan(0);
      expect(Math.abs(m.params[k] - truth[k])).toBeLessThan(4 * se);
    }
  });
});

describe('fitBGNBD with a + b < 1 (where 2F1-based implementations break)', () => {
  it('recovers a = 0.3, b = 0.5 within 4 standard errors and predicts finite values', () => {
    const truth = { r: 0.8, alpha: 5, a: 0.3, b: 0.5 };
    const m = fitBGNBD(simulateBetaGeo(truth, 5000, 4, 0, 52));
    expectRecovered(m, truth);
    expect(m.params.a + m.params.b).toBeLessThan(1);
    const e = m.conditionalExpectedPurchases(52, { frequency: 0, recency: 0, T: 30 });
    expect(Number.isFinite(e) && e > 0).toBe(true);
    const clv = m.customerLifetimeValue(
      { frequency: 3, recency: 20, T: 30 },
      { valuePerTransaction: 1, discountRate: 0.002 },
    );
    expect(Number.isFinite(clv.value) && clv.value > 0).toBe(true);
  });
});

describe('BGNBDModel predictions', () => {
  const m = model(0.243, 4.414, 0.793, 2.426);

  it('says a customer with no repeat purchase is alive (the known BG/NBD flaw)', () => {
    expect(m.probabilityAlive({ frequency: 0, recency: 0, T: 500 })).toBe(1);
  });

  it('computes P(alive) by the closed form', () => {
    // 1 / (1 + a/(b+x-1) · ((α+T)/(α+t_x))^(r+x)), x=2, t_x=30.43, T=38.86:
    // = 1 / (1 + 0.793/3.426 · (43.274/34.844)^2.243)
    const expected = 1 / (1 + (0.793 / 3.426) * (43.274 / 34.844) ** 2.243);
    expect(m.probabilityAlive({ frequency: 2, recency: 30.43, T: 38.86 })).toBeCloseTo(expected, 12);
  });

  it('stays finite for x in the hundreds', () => {
    const h = { frequency: 400, recency: 51, T: 52 };
    const e = m.conditionalExpectedPurchases(52, h);
    expect(Number.isFinite(e)).toBe(true);
    expect(e).toBeGreaterThan(50);
    expect(m.probabilityAlive(h)).toBeGreaterThan(0);
    const clv = m.customerLifetimeValue(h, { valuePerTransaction: 10, discountRate: 0.002 });
    expect(Number.isFinite(clv.value)).toBe(true);
  });

  it('is continuous across a = 1 and finite for a + b < 1 (where the 2F1 form breaks)', () => {
    const h = { frequency: 1, recency: 10, T: 30 };
    const below = model(0.5, 5, 0.999, 2).conditionalExpectedPurchases(20, h);
    const at = model(0.5, 5, 1, 2).conditionalExpectedPurchases(20, h);
    const above = model(0.5, 5, 1.001, 2).conditionalExpectedPurchases(20, h);
    expect(at).toBeGreaterThan(Math.min(below, above) - 1e-9);
    expect(at).toBeLessThan(Math.max(below, above) + 1e-9);
    expect(Math.abs(below - above)).toBeLessThan(1e-3);
    const small = model(0.5, 5, 0.3, 0.4);
    for (const t of [1, 10, 100, 10000]) {
      const v = small.expectedPurchases(t);
      expect(Number.isFinite(v) && v > 0).toBe(true);
      expect(
        Number.isFinite(small.conditionalExpectedPurchases(t, { frequency: 0, recency: 0, T: 20 })),
      ).toBe(true);
    }
  });

  it('discounted CLV equals the numerically integrated ∫ e^{-δt} dE[Y(t)]', () => {
    const h = { frequency: 3, recency: 20, T: 30 };
    const delta = 0.01;
    const dert = m.customerLifetimeValue(h, {
      valuePerTransaction: 1,
      discountRate: delta,
      horizon: 200,
    }).discountedTransactions;
    // Midpoint sum over 0.25-week steps.
    let sum = 0;
    let prev = 0;
    for (let t = 0.25; t <= 200 + 1e-9; t += 0.25) {
      const cur = m.conditionalExpectedPurchases(t, h);
      sum += Math.exp(-delta * (t - 0.125)) * (cur - prev);
      prev = cur;
    }
    expect(dert).toBeCloseTo(sum, 5);
  });

  it('agrees between the finite-horizon (Gauss–Legendre) and lifetime (incomplete-gamma) DERT computations', () => {
    // With δ = 0.01/week, e^{-δH} at H = 4000 weeks is 4e-18: the two must coincide.
    const h = { frequency: 2, recency: 30.43, T: 38.86 };
    const inf = m.customerLifetimeValue(h, {
      valuePerTransaction: 1,
      discountRate: 0.01,
    }).discountedTransactions;
    const fin = m.customerLifetimeValue(h, {
      valuePerTransaction: 1,
      discountRate: 0.01,
      horizon: 4000,
    }).discountedTransactions;
    expect(fin).toBeCloseTo(inf, 6);
  });

  it('expected purchases grow with t and P(alive) stays in [0, 1] (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        fc.double({ min: 0.1, max: 100, noNaN: true }),
        (x, frac, T, t) => {
          const h = { frequency: x, recency: x === 0 ? 0 : frac * T, T };
          const p = m.probabilityAlive(h);
          const e1 = m.conditionalExpectedPurchases(t, h);
          const e2 = m.conditionalExpectedPurchases(t * 2, h);
          return p >= 0 && p <= 1 && Number.isFinite(e1) && e1 >= 0 && e2 >= e1 - 1e-9;
        },
      ),
      { numRuns: 200, seed: 1 },
    );
  });

  it('round-trips through JSON and rejects invalid JSON with located issues', () => {
    const back = BGNBDModel.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    expect(back.params).toEqual(m.params);
    expect(() => BGNBDModel.fromJSON({ ...m.toJSON(), params: { r: -1, alpha: 1, a: 1, b: 1 } })).toThrow(
      ValidationError,
    );
    expect(() => BGNBDModel.fromJSON({ ...m.toJSON(), model: 'paretonbd' })).toThrow(/BGNBDModel.fromJSON/);
  });
});

describe('fitBGNBD errors', () => {
  it('reports every invalid row with its index', () => {
    try {
      fitBGNBD([
        { frequency: 1, recency: 2, T: 5 },
        { frequency: -1, recency: 0, T: 5 },
        { frequency: 1, recency: 9, T: 5 },
      ]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      const err = e as ValidationError;
      expect(err.issues.map((i) => i.index)).toEqual([1, 2]);
      expect(err.message).toMatch(/^fitBGNBD: /);
    }
  });

  it('throws InsufficientDataError without repeat buyers', () => {
    expect(() =>
      fitBGNBD([
        { frequency: 0, recency: 0, T: 5 },
        { frequency: 0, recency: 0, T: 8 },
      ]),
    ).toThrow(InsufficientDataError);
  });

  it('throws ConvergenceError with the optimiser state instead of returning a half-fitted model', () => {
    const data = simulateBetaGeo({ r: 0.6, alpha: 5, a: 0.9, b: 2.5 }, 300, 2);
    try {
      fitBGNBD(data, { maxIterations: 1 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConvergenceError);
      const st = (e as ConvergenceError).state;
      expect(st.params).toHaveLength(4);
      expect(Number.isFinite(st.value)).toBe(true);
      expect(st.reason).toBeTruthy();
    }
  });
});
