import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { aliveSeries } from '../../src/clv/aliveSeries';
import { fitBGNBD } from '../../src/clv/fitBGNBD';
import { fitBGNBDCovariates } from '../../src/clv/fitBGNBDCovariates';
import { fitCohortsSBG } from '../../src/clv/fitCohortsSBG';
import { fitParetoNBD } from '../../src/clv/fitParetoNBD';
import { fitShiftedBetaGeometric } from '../../src/clv/fitShiftedBetaGeometric';
import { frequencyRecencyMatrix } from '../../src/clv/frequencyRecencyMatrix';
import { newCustomerPurchases } from '../../src/clv/newCustomerPurchases';
import { purchasePmfSeries } from '../../src/clv/purchasePmfSeries';
import { cdnowAvailable, loadCdnowSummary } from '../helpers/sharedData';
import { simulateBetaGeo } from './_simulate';
import { simulateBGNBDCov } from './_simulateCov';

const rows = simulateBetaGeo({ r: 0.6, alpha: 5, a: 0.9, b: 2.5 }, 1000, 31);
const bg = fitBGNBD(rows, { standardErrors: false });
const pn = fitParetoNBD(rows, { standardErrors: false });

describe('purchasePmfSeries', () => {
  it('counts customers per frequency and sums P(X(T_i) = n) over each customer', () => {
    const few = [
      { frequency: 0, recency: 0, T: 10 },
      { frequency: 1, recency: 4, T: 20 },
      { frequency: 5, recency: 9, T: 20 },
    ];
    const r = purchasePmfSeries(bg, few, { max: 2 });
    expect(r.warnings.map((w) => w.code)).toEqual(['few_customers']);
    const s = r.points;
    expect(s.map((p) => [p.label, p.actual])).toEqual([
      ['0', 1],
      ['1', 1],
      ['2+', 1],
    ]);
    // expected(1) = P(X(10) = 1) + 2·P(X(20) = 1)
    expect(s[1]!.expected).toBeCloseTo(
      bg.probabilityOfPurchases(1, 10) + 2 * bg.probabilityOfPurchases(1, 20),
      12,
    );
    expect(s.reduce((a, p) => a + p.expected, 0)).toBeCloseTo(3, 9);
  });
  it.skipIf(!cdnowAvailable)('fits the CDNOW calibration histogram (FHL 2005 Figure 1: 1,411 zeros)', () => {
    const cd = loadCdnowSummary().map((c) => ({ frequency: c.x, recency: c.tx, T: c.T }));
    const s = purchasePmfSeries(fitBGNBD(cd, { standardErrors: false }), cd).points;
    expect(s[0]!.actual).toBe(1411);
    expect(Math.abs(s[0]!.expected - 1411) / 1411).toBeLessThan(0.02);
    expect(s.reduce((a, p) => a + p.expected, 0)).toBeCloseTo(2357, 6);
  });
  it('rejects a bad max', () => {
    expect(() => purchasePmfSeries(bg, rows, { max: 0 })).toThrow(
      /option "max" must be an integer in \[1, 1000\]/,
    );
  });
});

describe('frequencyRecencyMatrix', () => {
  it('gives the model values on the grid and null for impossible histories', () => {
    const fr = frequencyRecencyMatrix(pn, { T: 30, t: 10, maxFrequency: 2, recencySteps: 4 });
    expect(fr.recencies).toEqual([0, 10, 20, 30]);
    expect(fr.expectedPurchases[0]).toEqual([
      pn.conditionalExpectedPurchases(10, { frequency: 0, recency: 0, T: 30 }),
      null,
      null,
      null,
    ]);
    expect(fr.probabilityAlive[2]![0]).toBeNull();
    expect(fr.warnings).toEqual([]);
    expect(frequencyRecencyMatrix(bg, { T: 30 }).warnings.map((w) => w.code)).toEqual([
      'always_alive_without_repeat',
    ]);
    expect(fr.probabilityAlive[2]![2]).toBeCloseTo(
      pn.probabilityAlive({ frequency: 2, recency: 20, T: 30 }),
      12,
    );
    // More recent last purchase: more likely alive.
    expect(fr.probabilityAlive[2]![3]!).toBeGreaterThan(fr.probabilityAlive[2]![1]!);
  });
  it('validates T', () => {
    expect(() => frequencyRecencyMatrix(pn, { T: 0 })).toThrow(ValidationError);
  });
});

describe('aliveSeries', () => {
  it('decays between purchases and jumps back at each purchase', () => {
    const r = aliveSeries(pn, { purchases: [10, 4], end: 20, step: 5 });
    expect(r.warnings).toEqual([]);
    expect(aliveSeries(bg, { purchases: [], end: 5 }).warnings.map((w) => w.code)).toEqual([
      'always_alive_without_repeat',
    ]);
    const s = r.points;
    expect(s.map((p) => p.t)).toEqual([0, 4, 5, 10, 15, 20]);
    expect(s.map((p) => p.frequency)).toEqual([0, 1, 1, 2, 2, 2]);
    expect(s[0]!.probabilityAlive).toBe(1);
    expect(s[4]!.probabilityAlive).toBeLessThan(s[3]!.probabilityAlive);
    expect(s[5]!.probabilityAlive).toBeCloseTo(pn.probabilityAlive({ frequency: 2, recency: 10, T: 20 }), 12);
  });
  it('reports a bad purchase time with its index', () => {
    try {
      aliveSeries(pn, { purchases: [3, -1], end: 10 });
      expect.unreachable();
    } catch (e) {
      expect((e as ValidationError).issues[0]).toMatchObject({ index: 1, path: ['purchases'] });
    }
  });
});

describe('newCustomerPurchases', () => {
  it('is E[X(t)] of the model, and of the customer parameters with covariates', () => {
    const r = newCustomerPurchases(bg, { t: [0, 10, 52] });
    expect(r.points.map((p) => p.expectedPurchases)).toEqual([
      0,
      bg.expectedPurchases(10),
      bg.expectedPurchases(52),
    ]);
    const s = simulateBGNBDCov({ r: 0.6, alpha: 8, a: 0.8, b: 2.5 }, [0.6, 0, 0], [0, 0, 0], 800, 3);
    const cm = fitBGNBDCovariates(s.rows, { covariates: { web: s.covariates.web }, lifetime: [] });
    const web = newCustomerPurchases(cm, { t: 52, covariates: { web: 1 } });
    const store = newCustomerPurchases(cm, { t: 52, covariates: { web: 0 } });
    expect(web.params.alpha).toBeCloseTo(
      (cm.params.alpha as number) * Math.exp(-(cm.coefficients.transaction.web as number)),
      12,
    );
    expect(web.points[0]!.expectedPurchases).toBeGreaterThan(store.points[0]!.expectedPurchases);
    expect(() => newCustomerPurchases(cm, { t: 52 })).toThrow(/"covariates" is required/);
    expect(() => newCustomerPurchases(bg, { t: -1 })).toThrow(ValidationError);
  });
});

describe('fitCohortsSBG', () => {
  const cohorts = [
    { name: 'regular', survivors: [1000, 631, 468, 382, 326, 289, 262, 241] },
    { name: 'high end', survivors: [1000, 869, 743, 653, 593, 551, 517, 491] },
  ];
  it('separate: reproduces Fader & Hardie (2007) per segment, with intervals around the projections', () => {
    const r = fitCohortsSBG(cohorts, { periods: 12, draws: 400, seed: 2 });
    // Published: regular γ 0.704, δ 1.182; high end γ 0.668, δ 3.806.
    expect(r.cohorts[0]!.model.params.gamma).toBeCloseTo(0.704, 3);
    expect(r.cohorts[0]!.model.params.delta).toBeCloseTo(1.182, 3);
    expect(r.cohorts[1]!.model.params.gamma).toBeCloseTo(0.668, 3);
    expect(r.cohorts[1]!.model.params.delta).toBeCloseTo(3.806, 2);
    expect(r.poolingTest!.df).toBe(2);
    expect(r.poolingTest!.pValue).toBeLessThan(1e-6);
    const s12 = r.cohorts[0]!.survival[12]!;
    expect(s12.estimate).toBeCloseTo(
      fitShiftedBetaGeometric({ survivors: cohorts[0]!.survivors }).survival(12),
      12,
    );
    expect(s12.lower).toBeLessThan(s12.estimate);
    expect(s12.upper).toBeGreaterThan(s12.estimate);
    expect(r.cohorts[0]!.survival[0]).toMatchObject({ estimate: 1, lower: 1, upper: 1 });
    expect(r.cohorts[0]!.retention).toHaveLength(12);
    expect(r.cohorts[1]!.derl.lower).toBeLessThan(r.cohorts[1]!.derl.estimate);
    expect(r.warnings).toEqual([]);
  });
  it('shared: one (γ, δ) for every cohort, and a warning when the LR test rejects pooling', () => {
    const r = fitCohortsSBG(cohorts, { pooling: 'shared', draws: 50 });
    expect(r.cohorts[0]!.model.params).toEqual(r.cohorts[1]!.model.params);
    expect(r.logLikelihood).toBe(r.poolingTest!.sharedLogLikelihood);
    expect(r.warnings.map((w) => w.code)).toEqual(['pooling_rejected']);
  });
  it('refuses a request that would take minutes (draws × DERL terms bounded)', () => {
    expect(() => fitCohortsSBG(cohorts, { draws: 100000, discountRate: 0.001 })).toThrow(/keep it under 5e7/);
  });
  it('locates invalid cohorts', () => {
    try {
      fitCohortsSBG([
        { name: 'a', survivors: [10, 8, 9] },
        { name: 'a', survivors: [5, 4] },
      ]);
      expect.unreachable();
    } catch (e) {
      const codes = (e as ValidationError).issues.map((i) => [i.index, i.code]);
      expect(codes).toEqual([
        [0, 'invalid_count'],
        [1, 'duplicate_id'],
      ]);
    }
  });
});
