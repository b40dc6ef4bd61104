import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { compareClvModels } from '../../src/clv/compareClvModels';
import { evaluateClv } from '../../src/clv/evaluateClv';
import { fitBGNBD } from '../../src/clv/fitBGNBD';
import { fitGammaGamma } from '../../src/clv/fitGammaGamma';
import { fitMBGNBD } from '../../src/clv/fitMBGNBD';
import { fitParetoNBD } from '../../src/clv/fitParetoNBD';
import { fitParetoNBDCovariates } from '../../src/clv/fitParetoNBDCovariates';
import { cdnowAvailable } from '../helpers/sharedData';
import { loadCdnowSplit } from './_fhlTenthSample';
import { simulateParetoCov } from './_simulateCov';

describe('evaluateClv on a hand-checkable split', () => {
  // Three customers; the model's conditional expectations are computed by the model itself,
  // so the check is on the bookkeeping: totals, MAE, RMSE, bias and the table.
  const calibration = [
    { frequency: 0, recency: 0, T: 20 },
    { frequency: 2, recency: 15, T: 20 },
    { frequency: 9, recency: 19, T: 20 },
  ];
  const m = fitBGNBD(
    Array.from({ length: 90 }, (_, i) => ({ frequency: i % 4, recency: i % 4 ? 5 + (i % 10) : 0, T: 20 })),
  );
  const holdout = { frequency: [1, 0, 4], duration: 10 };
  const ev = evaluateClv(m, { calibration, holdout, censor: 3 });
  const p = calibration.map((h) => m.conditionalExpectedPurchases(10, h));

  it('reports totals, MAE, RMSE and bias of the conditional expectations', () => {
    const d = p.map((v, i) => v - (holdout.frequency[i] as number));
    expect(ev.purchases.predictedTotal).toBeCloseTo(p[0]! + p[1]! + p[2]!, 12);
    expect(ev.purchases.actualTotal).toBe(5);
    expect(ev.purchases.mae).toBeCloseTo((Math.abs(d[0]!) + Math.abs(d[1]!) + Math.abs(d[2]!)) / 3, 12);
    expect(ev.purchases.rmse).toBeCloseTo(Math.sqrt((d[0]! ** 2 + d[1]! ** 2 + d[2]! ** 2) / 3), 12);
    expect(ev.purchases.bias).toBeCloseTo((d[0]! + d[1]! + d[2]!) / 3, 12);
    expect(ev.warnings.map((w) => w.code)).toEqual(['few_customers']);
  });

  it('groups the calibration-vs-holdout table by frequency with a censored last row', () => {
    expect(ev.calibrationVsHoldout.map((r) => [r.label, r.customers, r.actual])).toEqual([
      ['0', 1, 1],
      ['1', 0, 0],
      ['2', 1, 0],
      ['3+', 1, 4],
    ]);
    expect(ev.calibrationVsHoldout[3]?.predicted).toBeCloseTo(p[2]!, 12);
  });

  it('builds the tracking series: actual counts per period and expected Σ E[X(τ − birth)]', () => {
    const t = evaluateClv(m, {
      calibration,
      holdout,
      tracking: { births: [0, 0, 1], repeatTimes: [0.5, 1.5, 1.5, 2, 2.7], calibrationEnd: 2, end: 3 },
    }).tracking!;
    expect(t.map((q) => q.actual)).toEqual([1, 3, 1]);
    expect(t.map((q) => q.phase)).toEqual(['calibration', 'calibration', 'holdout']);
    // period 2 ends at τ = 2: two customers aged 2, one aged 1.
    expect(t[1]!.cumulativeExpected).toBeCloseTo(2 * m.expectedPurchases(2) + m.expectedPurchases(1), 12);
    expect(t[1]!.expected).toBeCloseTo(t[1]!.cumulativeExpected - t[0]!.cumulativeExpected, 12);
    expect(t[2]!.cumulativeActual).toBe(5);
  });

  it('compares spend with a Gamma-Gamma model', () => {
    const gg = fitGammaGamma(
      Array.from({ length: 60 }, (_, i) => ({ frequency: 1 + (i % 4), monetaryValue: 20 + ((i * 7) % 30) })),
    );
    const e = evaluateClv(m, {
      calibration,
      holdout: { ...holdout, monetaryValue: [30, 0, 25] },
      spend: { model: gg, monetaryValue: [0, 40, 35] },
    });
    expect(e.spend?.actualTotal).toBe(30 + 100);
    const pred =
      p[0]! * gg.conditionalExpectedAverageValue(0, 0)! +
      p[1]! * gg.conditionalExpectedAverageValue(2, 40)! +
      p[2]! * gg.conditionalExpectedAverageValue(9, 35)!;
    expect(e.spend?.predictedTotal).toBeCloseTo(pred, 9);
  });

  it('validates its options with located errors', () => {
    expect(() => evaluateClv(m, { calibration, holdout: { frequency: [1, 2], duration: 10 } })).toThrow(
      /"holdout.frequency" must have one value per customer \(3\)/,
    );
    expect(() => evaluateClv(m, { calibration, holdout, censr: 3 } as never)).toThrow(
      /did you mean "censor"/,
    );
    expect(() =>
      evaluateClv(m, {
        calibration,
        holdout,
        tracking: { births: [0.1, 0.2, 0.3], repeatTimes: [], calibrationEnd: 1, end: 1e8, step: 1000 },
      }),
    ).toThrow(/at most 10,000 periods/);
    expect(() => evaluateClv(m, { calibration, holdout: { frequency: [1, -1, 0], duration: 10 } })).toThrow(
      ValidationError,
    );
    expect(() => evaluateClv({ params: {}, logLikelihood: 0 } as never, { calibration, holdout })).toThrow(
      /must be a fitted/,
    );
  });

  it('evaluates a covariate model with its covariate columns', () => {
    const s = simulateParetoCov({ r: 0.6, alpha: 8, s: 0.7, beta: 12 }, [0.5, 0, 0], [0, 0, 0], 400, 5);
    const cm = fitParetoNBDCovariates(s.rows, { covariates: { web: s.covariates.web }, lifetime: [] });
    const e = evaluateClv(cm, {
      calibration: s.rows,
      holdout: { frequency: s.rows.map(() => 1), duration: 20 },
      covariates: { web: s.covariates.web },
    });
    const i = s.covariates.web.indexOf(1);
    expect(e.perCustomer.predicted[i]).toBeCloseTo(
      cm.customerModel({ web: 1 }).conditionalExpectedPurchases(20, s.rows[i]!),
      12,
    );
    expect(() =>
      evaluateClv(cm, { calibration: s.rows, holdout: { frequency: s.rows.map(() => 1), duration: 20 } }),
    ).toThrow(/"covariates" is required/);
  });
});

describe('compareClvModels', () => {
  const calibration = simulateParetoCov(
    { r: 0.6, alpha: 8, s: 0.7, beta: 12 },
    [0, 0, 0],
    [0, 0, 0],
    300,
    8,
  ).rows;
  const holdout = { frequency: calibration.map((c) => (c.frequency > 2 ? 2 : 0)), duration: 25 };
  const models = { 'BG/NBD': fitBGNBD(calibration), 'Pareto/NBD': fitParetoNBD(calibration) };
  it('computes AIC and BIC from the log-likelihood and names the best by the stated criterion', () => {
    const c = compareClvModels(models, { calibration, holdout, criterion: 'aic' });
    const bg = c.rows[0]!;
    expect(bg.aic).toBeCloseTo(-2 * models['BG/NBD'].logLikelihood + 8, 9);
    expect(bg.bic).toBeCloseTo(-2 * models['BG/NBD'].logLikelihood + 4 * Math.log(300), 9);
    const best = c.rows.reduce((a, b) => (b.aic < a.aic ? b : a));
    expect(c.best).toBe(best.name);
    expect(c.explanation).toMatch(new RegExp(`^${best.name.replace('/', '\\/')} has the lowest AIC`));
  });
  it('rejects an unknown criterion and an empty model list', () => {
    expect(() => compareClvModels(models, { calibration, holdout, criterion: 'r2' as never })).toThrow(
      /must be one of aic, bic, mae, rmse, totalError/,
    );
    expect(() => compareClvModels({}, { calibration, holdout })).toThrow(/at least one named model/);
    expect(() => compareClvModels(models, undefined as never)).toThrow(ValidationError);
  });
});

describe.skipIf(!cdnowAvailable)(
  'CDNOW 39/39 weeks: BG/NBD tracking and calibration-vs-holdout (Fader, Hardie & Lee 2005)',
  () => {
    it('reproduces the data behind the paper figures and tracks cumulative repeat transactions to week 78', () => {
      const s = loadCdnowSplit();
      expect(s.calibration).toHaveLength(2357);
      const m = fitBGNBD(s.calibration);
      // Published estimates (FHL 2005, Table/Section 4): r 0.243, α 4.414, a 0.793, b 2.426.
      expect(m.params.r).toBeCloseTo(0.243, 3);
      const ev = evaluateClv(m, {
        calibration: s.calibration,
        holdout: { frequency: s.holdout, duration: 39 },
        tracking: { births: s.births, repeatTimes: s.repeatTimes, calibrationEnd: 39, end: 78 },
      });
      const tr = ev.tracking!;
      expect(tr).toHaveLength(78);
      // The data the paper plots: 2,457 repeat transactions in weeks 1–39 and 1,882 in weeks 40–78.
      expect(tr[38]!.cumulativeActual).toBe(2457);
      expect(tr[77]!.cumulativeActual).toBe(2457 + 1882);
      expect(ev.purchases.actualTotal).toBe(1882);
      // Model line of the cumulative tracking plot (paper's Figure 2): close to the actual line at
      // week 39 (within 2%) and below it at week 78 by less than 5% — the published plot shows the
      // model slightly under the actual curve at the end of the forecast period.
      expect(Math.abs(tr[38]!.cumulativeExpected / 2457 - 1)).toBeLessThan(0.02);
      const end = tr[77]!.cumulativeExpected / 4339 - 1;
      expect(end).toBeLessThan(0);
      expect(end).toBeGreaterThan(-0.05);
      // Calibration-vs-holdout (paper's Figure 4): the x = 0 group, 1,411 customers, buys 0.237 on
      // average in the holdout; the model says 0.225. Groups 1..7+ are under-predicted by < 30%.
      const t0 = ev.calibrationVsHoldout[0]!;
      expect(t0.customers).toBe(1411);
      expect(t0.actual).toBeCloseTo(0.2367, 4);
      expect(t0.predicted).toBeCloseTo(0.225, 3);
      for (const r of ev.calibrationVsHoldout) expect(Math.abs(r.predicted / r.actual - 1)).toBeLessThan(0.3);
      console.log(
        `[cdnow tracking] week 39: actual 2457, BG/NBD ${tr[38]!.cumulativeExpected.toFixed(1)}; week 78: actual 4339, BG/NBD ${tr[77]!.cumulativeExpected.toFixed(1)}; conditional holdout total ${ev.purchases.predictedTotal.toFixed(1)} vs 1882`,
      );
      const cmp = compareClvModels(
        { 'BG/NBD': m, 'MBG/NBD': fitMBGNBD(s.calibration), 'Pareto/NBD': fitParetoNBD(s.calibration) },
        { calibration: s.calibration, holdout: { frequency: s.holdout, duration: 39 }, criterion: 'bic' },
      );
      expect(cmp.best).toBe('MBG/NBD');
      expect(cmp.rows.map((r) => r.parameters)).toEqual([4, 4, 4]);
    });
  },
);
