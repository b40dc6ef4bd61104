import hyp2f1 from '@stdlib/math-base-special-hyp2f1';
import { describe, expect, it } from 'vitest';
import { InsufficientDataError, ValidationError } from '../../src/_lib/errors';
import { fitShiftedBetaGeometric } from '../../src/clv/fitShiftedBetaGeometric';
import { ShiftedBetaGeometricModel } from '../../src/clv/ShiftedBetaGeometricModel';
import { expectRecovered } from './_checks';
import { simulateSbg } from './_simulate';

// Fader & Hardie (2007), "How to project customer retention", J. Interactive Marketing 21(1), Table 1.
const REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241];
const HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491];

describe('fitShiftedBetaGeometric on Fader & Hardie (2007)', () => {
  it('reproduces γ 0.704, δ 1.182 (regular) and γ 0.668, δ 3.806 (high end)', () => {
    const reg = fitShiftedBetaGeometric({ survivors: REGULAR });
    expect(reg.params.gamma).toBeCloseTo(0.704, 3);
    expect(reg.params.delta).toBeCloseTo(1.182, 3);
    expect(reg.logLikelihood).toBeCloseTo(-1680.3, 1);
    const hi = fitShiftedBetaGeometric({ survivors: HIGH_END });
    expect(hi.params.gamma).toBeCloseTo(0.668, 3);
    expect(hi.params.delta).toBeCloseTo(3.806, 2);
    expect(hi.logLikelihood).toBeCloseTo(-1611.2, 1);
  });

  it('gives the same fit from per-customer (tenure, churned) rows', () => {
    const rows = [];
    for (let t = 1; t < REGULAR.length; t++)
      rows.push({ periods: t, churned: true, count: (REGULAR[t - 1] as number) - (REGULAR[t] as number) });
    rows.push({ periods: 7, churned: false, count: 241 });
    const m = fitShiftedBetaGeometric(rows);
    expect(m.params.gamma).toBeCloseTo(0.704, 3);
    expect(m.customers).toBe(1000);
  });

  it('projects survival and retention by the recursion r(t) = (δ+t−1)/(γ+δ+t−1)', () => {
    const m = fitShiftedBetaGeometric({ survivors: REGULAR });
    const { gamma, delta } = m.params;
    expect(m.retentionRate(1)).toBeCloseTo(delta / (gamma + delta), 14);
    expect(m.survival(2)).toBeCloseTo((delta / (gamma + delta)) * ((delta + 1) / (gamma + delta + 1)), 14);
    const proj = m.projectSurvival(12);
    expect(proj[0]).toBe(1);
    for (let t = 1; t <= 12; t++) expect(proj[t]).toBeCloseTo(m.survival(t), 14);
    // Fitted to 7 years, the model's year-7 survival is close to the observed 24.1%.
    expect(proj[7] as number).toBeCloseTo(0.241, 1);
    expect(m.churnProbability(3)).toBeCloseTo(m.survival(2) - m.survival(3), 14);
  });

  it('computes DEL and DERL matching their ₂F₁ closed forms (Fader & Hardie 2010)', () => {
    const m = fitShiftedBetaGeometric({ survivors: REGULAR });
    const { gamma, delta } = m.params;
    const d = 0.1;
    // DEL = 2F1(1, δ; γ+δ; 1/(1+d))
    expect(m.discountedExpectedLifetime(d)).toBeCloseTo(hyp2f1(1, delta, gamma + delta, 1 / (1 + d)), 8);
    // DERL after n−1 = 4 renewals: (δ+n−1)/(γ+δ+n−1)·2F1(1, δ+n; γ+δ+n; 1/(1+d)), n = 5
    const n = 5;
    const derl =
      ((delta + n - 1) / (gamma + delta + n - 1)) * hyp2f1(1, delta + n, gamma + delta + n, 1 / (1 + d));
    expect(m.discountedExpectedResidualLifetime(4, d)).toBeCloseTo(derl, 8);
    expect(m.lifetimeValue(100, { discountRate: d, renewals: 4 })).toBeCloseTo(100 * derl, 6);
  });

  it('gives the customer CLV with its parts; expected remaining periods only when finite (γ > 1)', () => {
    const m = fitShiftedBetaGeometric({ survivors: REGULAR });
    const c = m.customerLifetimeValue({ valuePerPeriod: 100, discountRate: 0.1, renewals: 4, margin: 0.5 });
    expect(c.value).toBeCloseTo(50 * m.discountedExpectedResidualLifetime(4, 0.1), 10);
    expect(c.renewalProbability).toBeCloseTo(m.retentionRate(5), 14);
    expect(c.expectedRemainingPeriods).toBeNull(); // γ = 0.704 ≤ 1: the mean lifetime is infinite
    const hi = new ShiftedBetaGeometricModel(
      { gamma: 2, delta: 3 },
      { logLikelihood: 0, standardErrors: { gamma: null, delta: null }, iterations: 0, customers: 0 },
    );
    // new customer (renewals 0, n = 1): Σ_{t≥1} S(t) = δ/(γ−1) = 3
    expect(
      hi.customerLifetimeValue({ valuePerPeriod: 1, discountRate: 0.1 }).expectedRemainingPeriods,
    ).toBeCloseTo(3, 12);
    // Check by summing S(t) directly: the tail beyond 200,000 periods is about Γ(5)/Γ(3)/200000 = 6e-5.
    const curve = hi.projectSurvival(200_000);
    let sum = 0;
    for (let t = 1; t < curve.length; t++) sum += curve[t] as number;
    expect(sum).toBeCloseTo(3, 3);
  });

  it('recovers simulated parameters within 4 standard errors', () => {
    const truth = { gamma: 0.7, delta: 1.2 };
    const m = fitShiftedBetaGeometric({ survivors: simulateSbg(truth, 20000, 10, 5) });
    expectRecovered(m, truth);
  });

  it('validates input and refuses data without churn', () => {
    expect(() => fitShiftedBetaGeometric({ survivors: [100, 120] })).toThrow(ValidationError);
    expect(() => fitShiftedBetaGeometric({ survivors: [100, 100, 100] })).toThrow(InsufficientDataError);
    expect(() => fitShiftedBetaGeometric([{ periods: 0, churned: true }])).toThrow(ValidationError);
    const m = fitShiftedBetaGeometric({ survivors: REGULAR });
    expect(ShiftedBetaGeometricModel.fromJSON(JSON.parse(JSON.stringify(m))).params).toEqual(m.params);
    expect(() => m.discountedExpectedLifetime(0)).toThrow(
      /ShiftedBetaGeometricModel.discountedExpectedLifetime: "discountRate" must be/,
    );
  });
});
