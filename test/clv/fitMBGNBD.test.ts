import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { fitMBGNBD } from '../../src/clv/fitMBGNBD';
import { MBGNBDModel } from '../../src/clv/MBGNBDModel';
import { cdnowAvailable, loadCdnowSummary } from '../helpers/sharedData';
import { expectPurchaseDistribution, expectRecovered } from './_checks';
import { simulateBetaGeo } from './_simulate';

describe.skipIf(!cdnowAvailable)('fitMBGNBD on the CDNOW sample', () => {
  const rows = cdnowAvailable
    ? loadCdnowSummary().map((c) => ({ frequency: c.x, recency: c.tx, T: c.T }))
    : [];
  const m = cdnowAvailable ? fitMBGNBD(rows) : (null as unknown as MBGNBDModel);

  it('reproduces the BTYDplus / lifetimes estimates r 0.525, alpha 6.183, a 0.891, b 1.614', () => {
    // Batislam et al. (2007) fitted a Turkish grocery panel that is not public; the reference
    // implementations (BTYDplus mbgnbd.EstimateParameters, lifetimes' test suite) report these on CDNOW.
    expect(m.params.r).toBeCloseTo(0.525, 3);
    expect(m.params.alpha).toBeCloseTo(6.183, 2);
    expect(m.params.a).toBeCloseTo(0.891, 3);
    expect(m.params.b).toBeCloseTo(1.614, 2);
    expect(m.logLikelihood).toBeCloseTo(-9582.13, 1);
  });

  it('gives one-time buyers a probability alive below 1 that falls with T', () => {
    const p1 = m.probabilityAlive({ frequency: 0, recency: 0, T: 10 });
    const p2 = m.probabilityAlive({ frequency: 0, recency: 0, T: 38.86 });
    // 1/(1 + a/b · ((α+T)/α)^r) at T = 38.86: 1/(1 + 0.891/1.614 · (45.043/6.183)^0.525)
    expect(p2).toBeCloseTo(
      1 / (1 + (m.params.a / m.params.b) * ((m.params.alpha + 38.86) / m.params.alpha) ** m.params.r),
      12,
    );
    expect(p2).toBeLessThan(p1);
    expect(p1).toBeLessThan(1);
  });

  it('matches the closed form b/(a−1)·[1 − (α/(α+t))^r ₂F₁(r, b+1; a+b; t/(α+t))] for E[X(t)]', () => {
    // Values of that formula at the fitted parameters, computed independently with mpmath:
    // t = 1: 0.05306062, t = 32: 1.03660928, t = 78: 1.80363608
    expect(m.expectedPurchases(1)).toBeCloseTo(0.05306062, 4);
    expect(m.expectedPurchases(32)).toBeCloseTo(1.03660928, 3);
    expect(m.expectedPurchases(78)).toBeCloseTo(1.80363608, 3);
  });

  it('P(X(t)=n) sums to 1 and has mean E[X(t)]', () => {
    expectPurchaseDistribution(m, 39, 400, 10, 6);
  });
});

describe('fitMBGNBD parameter recovery', () => {
  it('recovers simulated parameters within 4 standard errors', () => {
    const truth = { r: 0.5, alpha: 6, a: 0.9, b: 1.6 };
    const m = fitMBGNBD(simulateBetaGeo(truth, 6000, 21, 1, 52));
    expectRecovered(m, truth);
  });

  it('round-trips through JSON', () => {
    const m = fitMBGNBD(simulateBetaGeo({ r: 0.5, alpha: 6, a: 0.9, b: 1.6 }, 500, 5, 1), {
      standardErrors: false,
    });
    expect(m.standardErrors.r).toBeNull();
    const back = MBGNBDModel.fromJSON(JSON.parse(JSON.stringify(m)));
    expect(back.conditionalExpectedPurchases(10, { frequency: 2, recency: 5, T: 20 })).toBe(
      m.conditionalExpectedPurchases(10, { frequency: 2, recency: 5, T: 20 }),
    );
    expect(() => MBGNBDModel.fromJSON({})).toThrow(ValidationError);
  });
});
