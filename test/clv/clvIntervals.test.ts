import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { clvIntervals } from '../../src/clv/clvIntervals';
import { fitBGNBD } from '../../src/clv/fitBGNBD';
import { fitMBGNBD } from '../../src/clv/fitMBGNBD';
import { fitParetoNBD } from '../../src/clv/fitParetoNBD';
import { fitParetoNBDCovariates } from '../../src/clv/fitParetoNBDCovariates';
import { fitShiftedBetaGeometric } from '../../src/clv/fitShiftedBetaGeometric';
import { simulateBetaGeo, simulatePareto } from './_simulate';
import { simulateParetoCov } from './_simulateCov';

const rows = simulateBetaGeo({ r: 0.6, alpha: 5, a: 0.9, b: 2.5 }, 1500, 21);
const m = fitBGNBD(rows);
const customer = { frequency: 3, recency: 30, T: 45 };

describe('clvIntervals', () => {
  it('parametric: parameter intervals match exp(ln θ̂ ± z·SE/θ̂) of the Hessian (4,000 draws)', () => {
    const iv = clvIntervals(m, rows, { t: 52, draws: 4000, seed: 3 });
    expect(iv.method).toBe('parametric');
    expect(iv.usedDraws).toBe(4000);
    // 90% normal interval in log space: ±1.6449·se(ln θ), se(ln θ) = se(θ)/θ (delta method used by the fit).
    for (const k of ['r', 'alpha', 'a', 'b'] as const) {
      const th = m.params[k];
      const sl = (m.standardErrors[k] as number) / th;
      const p = iv.parameters[k]!;
      expect(p.estimate).toBe(th);
      expect(Math.log(p.lower)).toBeCloseTo(Math.log(th) - 1.6449 * sl, 1);
      expect(Math.log(p.upper)).toBeCloseTo(Math.log(th) + 1.6449 * sl, 1);
    }
    expect(iv.expectedPurchases.lower).toBeLessThan(iv.expectedPurchases.estimate);
    expect(iv.expectedPurchases.upper).toBeGreaterThan(iv.expectedPurchases.estimate);
    expect(iv.expectedPurchases.method).toMatch(
      /^90% percentile interval of 4000 parametric-bootstrap draws/,
    );
  });

  it('is deterministic for a seed and changes with it', () => {
    const a = clvIntervals(m, rows, { t: 20, customers: [customer], draws: 50, seed: 'x' });
    const b = clvIntervals(m, rows, { t: 20, customers: [customer], draws: 50, seed: 'x' });
    const c = clvIntervals(m, rows, { t: 20, customers: [customer], draws: 50, seed: 'y' });
    expect(b).toEqual(a);
    expect(c.customers[0]?.expectedPurchases.lower).not.toBe(a.customers[0]?.expectedPurchases.lower);
  });

  it('bootstrap over customers refits and brackets CET, P(alive) and CLV', () => {
    const iv = clvIntervals(m, rows, {
      t: 26,
      customers: [customer],
      clv: { valuePerTransaction: 30, discountRate: 0.01, horizon: 104 },
      method: 'bootstrap',
      draws: 30,
      seed: 5,
    });
    expect(iv.usedDraws).toBe(30);
    expect(iv.warnings).toEqual([]);
    const c = iv.customers[0]!;
    for (const q of [c.expectedPurchases, c.probabilityAlive, c.lifetimeValue!]) {
      expect(q.lower).toBeLessThanOrEqual(q.estimate * 1.05);
      expect(q.upper).toBeGreaterThanOrEqual(q.estimate * 0.95);
      expect(q.method).toMatch(/nonparametric bootstrap/);
    }
    expect(c.probabilityAlive.upper).toBeLessThanOrEqual(1);
  });

  it('works for MBG/NBD and Pareto/NBD', () => {
    const pr = simulatePareto({ r: 0.6, alpha: 8, s: 0.7, beta: 12 }, 800, 2);
    const mm = fitMBGNBD(rows, { standardErrors: false });
    const pm = fitParetoNBD(pr, { standardErrors: false });
    for (const [model, data] of [
      [mm, rows],
      [pm, pr],
    ] as const) {
      const iv = clvIntervals(model, data, { t: 10, customers: [customer], draws: 40 });
      expect(iv.customers[0]!.probabilityAlive.lower).toBeLessThanOrEqual(
        iv.customers[0]!.probabilityAlive.estimate,
      );
    }
  });

  it('validates options, customers and the model with located errors', () => {
    expect(() => clvIntervals(m, rows, { t: 10, drawz: 5 } as never)).toThrow(/did you mean "draws"/);
    expect(() => clvIntervals(m, rows, { t: -1 })).toThrow(/option "t" must be a finite number >= 0/);
    expect(() => clvIntervals(m, rows, { t: 1, level: 1.5 })).toThrow(ValidationError);
    const many = Array.from({ length: 30 }, () => customer);
    expect(() => clvIntervals(m, rows, { t: 1, customers: many, draws: 100000 })).toThrow(/too much work/);
    try {
      clvIntervals(m, rows, { t: 1, customers: [{ frequency: 1, recency: 5, T: 2 }] });
      expect.unreachable();
    } catch (e) {
      expect((e as ValidationError).issues[0]).toMatchObject({ index: 0, code: 'invalid_history' });
    }
    const sbg = fitShiftedBetaGeometric({ survivors: [100, 60, 40, 30] });
    expect(() => clvIntervals(sbg as never, rows, { t: 1 })).toThrow(
      /must be a BGNBDModel, MBGNBDModel, ParetoNBDModel or CovariateRepeatModel/,
    );
  });

  it('covariate models: parametric draws from the stored covariance, each customer at its own covariates', () => {
    const sim = simulateParetoCov({ r: 0.6, alpha: 8, s: 0.7, beta: 12 }, [0.5, 0, 0], [0, 0, 0], 1500, 6);
    const cm = fitParetoNBDCovariates(sim.rows, { covariates: { web: sim.covariates.web }, lifetime: [] });
    const h = { frequency: 2, recency: 20, T: 40 };
    const iv = clvIntervals(cm, sim.rows, {
      t: 26,
      customers: [h, h],
      customerCovariates: [{ web: 1 }, { web: 0 }],
      covariates: { web: 1 },
      draws: 3000,
      seed: 4,
    });
    const g = iv.parameters['transaction.web']!;
    const se = cm.standardErrors['transaction.web'] as number;
    // Coefficient interval ≈ γ̂ ± 1.6449·SE (normal draws on the coefficient scale).
    expect(g.estimate).toBe(cm.coefficients.transaction.web);
    expect(g.lower).toBeCloseTo(g.estimate - 1.6449 * se, 1);
    expect(g.upper).toBeCloseTo(g.estimate + 1.6449 * se, 1);
    expect(iv.expectedPurchases.estimate).toBeCloseTo(cm.expectedPurchases(26, { web: 1 }), 12);
    const [web, store] = iv.customers;
    expect(web!.expectedPurchases.estimate).toBeCloseTo(
      cm.customerModel({ web: 1 }).conditionalExpectedPurchases(26, h),
      12,
    );
    expect(web!.expectedPurchases.estimate).toBeGreaterThan(store!.expectedPurchases.estimate);
    expect(web!.expectedPurchases.lower).toBeLessThan(web!.expectedPurchases.estimate);
    expect(iv.description).toMatch(/covariance of the covariate fit/);
    expect(() => clvIntervals(cm, sim.rows, { t: 1, method: 'bootstrap' })).toThrow(
      /"parametric" intervals only/,
    );
    expect(() => clvIntervals(cm, sim.rows, { t: 1, customers: [h] })).toThrow(
      /one covariate record per customer/,
    );
    expect(() => clvIntervals(m, rows, { t: 1, covariates: { web: 1 } })).toThrow(/needs a covariate model/);
  });
});
