import hyp2f1 from '@stdlib/math-base-special-hyp2f1';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { betaln, gammaln } from '../../src/clv/_special';
import { BGBBModel } from '../../src/clv/BGBBModel';
import { fitBGBB } from '../../src/clv/fitBGBB';
import { expectPurchaseDistribution, expectRecovered } from './_checks';
import { simulateBGBB } from './_simulate';

/**
 * The 22 recency/frequency patterns of the 11,104 first-time supporters of a nonprofit (1995
 * cohort, 6 annual opportunities 1996–2001): Fader, Hardie & Shang (2010), "Customer-base analysis
 * in a discrete-time noncontractual setting", Marketing Science 29(6), Table 1 (as distributed with
 * the `lifetimes` package as donations.csv). [x, t_x, count], n = 6.
 */
const DONATIONS: [number, number, number][] = [
  [6, 6, 1203],
  [5, 6, 728],
  [4, 6, 512],
  [3, 6, 357],
  [2, 6, 234],
  [1, 6, 129],
  [5, 5, 335],
  [4, 5, 284],
  [3, 5, 225],
  [2, 5, 173],
  [1, 5, 119],
  [4, 4, 240],
  [3, 4, 181],
  [2, 4, 155],
  [1, 4, 78],
  [3, 3, 322],
  [2, 3, 255],
  [1, 3, 129],
  [2, 2, 613],
  [1, 2, 277],
  [1, 1, 1091],
  [0, 0, 3464],
];
const rows = DONATIONS.map(([x, tx, c]) => ({ frequency: x, recency: tx, n: 6, count: c }));

describe('fitBGBB on the donations data (Fader, Hardie & Shang 2010)', () => {
  const m = fitBGBB(rows);

  it('reproduces the published estimates α 1.204, β 0.750, γ 0.657, δ 2.783, LL −33,225.6', () => {
    expect(m.customers).toBe(11104);
    expect(m.params.alpha).toBeCloseTo(1.204, 2);
    expect(m.params.beta).toBeCloseTo(0.75, 2);
    expect(m.params.gamma).toBeCloseTo(0.657, 2);
    expect(m.params.delta).toBeCloseTo(2.783, 1);
    expect(m.logLikelihood).toBeCloseTo(-33225.6, 0);
  });

  it('P(X(n)=x) sums to 1 over x and E[X(n)] is its mean', () => {
    expectPurchaseDistribution(m, 6, 7, 12, 12);
  });

  it('matches the closed forms of FHS 2010 for E[X(n*)] and DERT (with ₂F₁)', () => {
    const { alpha, beta, gamma, delta } = m.params;
    // E[X(n)] = α/(α+β)·δ/(γ−1)·[1 − Γ(γ+δ)Γ(1+δ+n)/(Γ(γ+δ+n)Γ(1+δ))]
    const n = 5;
    const ratio = Math.exp(
      gammaln(gamma + delta) + gammaln(1 + delta + n) - gammaln(gamma + delta + n) - gammaln(1 + delta),
    );
    const closed = (alpha / (alpha + beta)) * (delta / (gamma - 1)) * (1 - ratio);
    expect(m.expectedPurchases(n)).toBeCloseTo(closed, 10);
    // DERT(d | x, t_x, n) = B(α+x+1, β+n−x)/B(α,β) · B(γ, δ+n+1)/(B(γ,δ)(1+d)) · 2F1(1, δ+n+1; γ+δ+n+1; 1/(1+d)) / L
    const h = { frequency: 3, recency: 5, n: 6 };
    const d = 0.1;
    const lL = Math.log(
      Math.exp(
        betaln(alpha + 3, beta + 3) - betaln(alpha, beta) + betaln(gamma, delta + 6) - betaln(gamma, delta),
      ) +
        Math.exp(
          betaln(alpha + 3, beta + 2) -
            betaln(alpha, beta) +
            betaln(gamma + 1, delta + 5) -
            betaln(gamma, delta),
        ),
    );
    const dert =
      Math.exp(
        betaln(alpha + 4, beta + 3) -
          betaln(alpha, beta) +
          betaln(gamma, delta + 7) -
          betaln(gamma, delta) -
          lL,
      ) *
      (hyp2f1(1, delta + 7, gamma + delta + 7, 1 / 1.1) / 1.1);
    expect(m.discountedExpectedTransactions(h, d)).toBeCloseTo(dert, 7);
  });

  it('prices a donor: CLV = value × margin × DERT, and the undiscounted horizon equals E[X(n, n+n*)]', () => {
    const h = { frequency: 4, recency: 6, n: 6 };
    const c = m.customerLifetimeValue(h, { valuePerTransaction: 50, discountRate: 0.1, margin: 0.8 });
    expect(c.value).toBeCloseTo(40 * m.discountedExpectedTransactions(h, 0.1), 10);
    const five = m.customerLifetimeValue(h, { valuePerTransaction: 1, horizon: 5 });
    expect(five.discountedTransactions).toBeCloseTo(m.conditionalExpectedPurchases(5, h), 12);
    expect(five.expectedTransactions).toBeCloseTo(m.conditionalExpectedPurchases(5, h), 12);
  });

  it('ranks a lapsed donor below a loyal one for P(alive)', () => {
    expect(m.probabilityAlive({ frequency: 6, recency: 6, n: 6 })).toBeGreaterThan(
      m.probabilityAlive({ frequency: 3, recency: 3, n: 6 }),
    );
    expect(BGBBModel.fromJSON(JSON.parse(JSON.stringify(m))).params).toEqual(m.params);
  });
});

describe('fitBGBB parameter recovery and validation', () => {
  it('recovers simulated parameters within 4 standard errors', () => {
    const truth = { alpha: 1.2, beta: 0.75, gamma: 0.66, delta: 2.8 };
    const m = fitBGBB(simulateBGBB(truth, 10000, 8, 13));
    expectRecovered(m, truth);
  });

  it('rejects non-integer or inconsistent patterns', () => {
    expect(() => fitBGBB([{ frequency: 3, recency: 2, n: 6 }])).toThrow(ValidationError);
    expect(() => fitBGBB([{ frequency: 1, recency: 2.5, n: 6 }])).toThrow(ValidationError);
  });
});
