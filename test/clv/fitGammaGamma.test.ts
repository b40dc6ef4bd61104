import { describe, expect, it } from 'vitest';
import { InsufficientDataError, ValidationError } from '../../src/_lib/errors';
import { fitGammaGamma, gammaGammaObjective } from '../../src/clv/fitGammaGamma';
import { GammaGammaModel } from '../../src/clv/GammaGammaModel';
import { ParetoNBDModel } from '../../src/clv/ParetoNBDModel';
import { cdnowAvailable, loadCdnowSummary } from '../helpers/sharedData';
import { expectRecovered } from './_checks';
import { simulateGammaGamma } from './_simulate';

describe.skipIf(!cdnowAvailable)('fitGammaGamma on the CDNOW sample', () => {
  const rows = cdnowAvailable
    ? loadCdnowSummary().map((c) => ({ frequency: c.x, monetaryValue: c.zbar }))
    : [];
  const m = cdnowAvailable ? fitGammaGamma(rows) : (null as unknown as GammaGammaModel);

  it('reproduces Fader, Hardie & Lee (2005, "RFM and CLV"): p 6.25, q 3.74, γ 15.44 on 946 repeat buyers', () => {
    expect(m.params.p).toBeCloseTo(6.25, 2);
    expect(m.params.q).toBeCloseTo(3.74, 2);
    expect(m.params.gamma).toBeCloseTo(15.44, 1);
    // LL −4055.9177 in Fader & Hardie (2013), "The Gamma-Gamma model of monetary value" (via CLVTools' tests).
    expect(m.logLikelihood).toBeCloseTo(-4055.92, 1);
    expect(m.report.used).toBe(946);
    expect(m.report.excludedNoRepeat).toBe(2357 - 946);
    expect(m.report.warnings).toEqual([]);
    expect(Math.abs(m.report.frequencySpendCorrelation as number)).toBeLessThan(0.3);
  });

  it('shrinks a customer mean towards the population mean', () => {
    const { p, q, gamma } = m.params;
    // E[Z | x=2, z̄=22.35] = p(γ + 2·22.35)/(2p + q − 1)
    const expected = (p * (gamma + 2 * 22.35)) / (2 * p + q - 1);
    expect(m.conditionalExpectedAverageValue(2, 22.35)).toBeCloseTo(expected, 12);
    const mean = m.expectedAverageValue() as number;
    expect(mean).toBeCloseTo((p * gamma) / (q - 1), 12);
    expect(m.conditionalExpectedAverageValue(0, 0)).toBeCloseTo(mean, 12);
  });
});

describe('fitGammaGamma', () => {
  it('recovers simulated parameters within 4 standard errors', () => {
    const truth = { p: 6, q: 4, gamma: 15 };
    const m = fitGammaGamma(simulateGammaGamma(truth, 4000, 9));
    expectRecovered(m, truth);
  });

  it('excludes and reports non-positive spend, and warns when spend depends on frequency', () => {
    const base = simulateGammaGamma({ p: 6, q: 4, gamma: 15 }, 300, 4);
    // Make spend grow with frequency.
    const dependent = base.map((r) => ({
      frequency: r.frequency,
      monetaryValue: r.monetaryValue * r.frequency ** 2,
    }));
    const m = fitGammaGamma([
      ...dependent,
      { frequency: 2, monetaryValue: 0 },
      { frequency: 0, monetaryValue: 0 },
    ]);
    expect(m.report.excludedNonPositiveSpend).toBe(1);
    expect(m.report.excludedNoRepeat).toBe(1);
    expect(m.report.warnings.some((w) => /correlated/.test(w))).toBe(true);
    expect(m.report.warnings.some((w) => /excluded/.test(w))).toBe(true);
  });

  it('combines with a purchase model into a CLV', () => {
    const gg = fitGammaGamma(simulateGammaGamma({ p: 6, q: 4, gamma: 15 }, 500, 3), {
      standardErrors: false,
    });
    const pn = ParetoNBDModel.fromJSON({
      model: 'paretonbd',
      version: 1,
      params: { r: 0.553, alpha: 10.58, s: 0.606, beta: 11.67 },
      logLikelihood: 0,
      standardErrors: { r: null, alpha: null, s: null, beta: null },
      iterations: 0,
      customers: 0,
    });
    const cust = { frequency: 3, recency: 20, T: 30, monetaryValue: 40 };
    const res = gg.customerLifetimeValue(pn, cust, { discountRate: 0.002, horizon: 52, margin: 0.3 });
    const avg = gg.conditionalExpectedAverageValue(3, 40) as number;
    const dert = pn.customerLifetimeValue(cust, {
      valuePerTransaction: 1,
      discountRate: 0.002,
      horizon: 52,
    }).discountedTransactions;
    expect(res.averageValue).toBeCloseTo(avg, 12);
    expect(res.value as number).toBeCloseTo(avg * 0.3 * dert, 10);
  });

  it('returns null (not Infinity) for the mean when q <= 1', () => {
    const m = GammaGammaModel.fromJSON({
      model: 'gammagamma',
      version: 1,
      params: { p: 2, q: 0.8, gamma: 10 },
      logLikelihood: -1,
      standardErrors: { p: null, q: null, gamma: null },
      iterations: 1,
      customers: 1,
      report: {
        used: 1,
        excludedNoRepeat: 0,
        excludedNonPositiveSpend: 0,
        frequencySpendCorrelation: null,
        warnings: [],
      },
    });
    expect(m.expectedAverageValue()).toBeNull();
    expect(m.conditionalExpectedAverageValue(0, 0)).toBeNull();
    // x = 1: px + q − 1 = 1.8 > 0 → p(γ + z̄)/1.8 = 2·(10 + 5)/1.8
    expect(m.conditionalExpectedAverageValue(1, 5)).toBeCloseTo(30 / 1.8, 12);
    expect(GammaGammaModel.fromJSON(JSON.parse(JSON.stringify(m))).params).toEqual(m.params);
  });

  it('validates rows and needs two usable customers', () => {
    expect(() => fitGammaGamma([{ frequency: 1.5, monetaryValue: 3 }])).toThrow(ValidationError);
    expect(() =>
      fitGammaGamma([
        { frequency: 1, monetaryValue: 3 },
        { frequency: 0, monetaryValue: 0 },
      ]),
    ).toThrow(InsufficientDataError);
  });

  it('has an analytic gradient equal to central differences of its log-likelihood', () => {
    const X = Float64Array.from([1, 2, 2, 5, 9]);
    const Z = Float64Array.from([12.5, 30, 7.25, 41, 18]);
    const W = Float64Array.from([1, 2, 1, 1, 3]);
    const f = gammaGammaObjective(X, Z, W);
    for (const phi of [
      [Math.log(6.25), Math.log(3.74), Math.log(15.44)],
      [Math.log(0.4), Math.log(12), Math.log(2)],
    ]) {
      const th = Float64Array.from(phi);
      const g = new Float64Array(3);
      f(th, g);
      for (let i = 0; i < 3; i++) {
        const h = 1e-6;
        const up = Float64Array.from(th);
        up[i] = (up[i] as number) + h;
        const dn = Float64Array.from(th);
        dn[i] = (dn[i] as number) - h;
        const numeric = (f(up, null) - f(dn, null)) / (2 * h);
        expect(Math.abs((g[i] as number) - numeric)).toBeLessThan(1e-5 * Math.max(1, Math.abs(numeric)));
      }
    }
  });

  it('leaves customers with net spend <= 0 out with a count and a warning, never a NaN', () => {
    const rows = simulateGammaGamma({ p: 6, q: 4, gamma: 15 }, 300, 4).map((r) => ({ ...r }));
    rows.push({ frequency: 2, monetaryValue: -12.5 }, { frequency: 1, monetaryValue: 0 });
    const m = fitGammaGamma(rows);
    expect(m.report.excludedNonPositiveSpend).toBe(2);
    expect(m.warnings.find((w) => w.code === 'negative_net_revenue')?.message).toMatch(
      /^2 customers with mean spend <= 0/,
    );
    for (const v of Object.values(m.params)) expect(Number.isFinite(v)).toBe(true);
    expect(Number.isFinite(m.conditionalExpectedAverageValue(2, 0) as number)).toBe(true);
  });
});
