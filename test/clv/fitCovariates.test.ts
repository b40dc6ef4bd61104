import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { createRng } from '../../src/_lib/random';
import { covariateProblem } from '../../src/clv/_covFit';
import { CovariateRepeatModel } from '../../src/clv/CovariateRepeatModel';
import { fitBGNBD } from '../../src/clv/fitBGNBD';
import { fitBGNBDCovariates } from '../../src/clv/fitBGNBDCovariates';
import { fitParetoNBD } from '../../src/clv/fitParetoNBD';
import { fitParetoNBDCovariates } from '../../src/clv/fitParetoNBDCovariates';
import { loadClvModel } from '../../src/clv/loadClvModel';
import { cdnowAvailable, loadCdnowSummary } from '../helpers/sharedData';
import { simulateBGNBDCov, simulateParetoCov } from './_simulateCov';

const G_TRANS = [0.5, -0.3, 0.2];
const G_LIFE = [-0.4, 0.3, 0];
const COLS = ['web', 'region=south', 'region=west'];

describe('covariate models recover simulated coefficients (5,000 customers, three seeds)', () => {
  for (const seed of [1, 2, 3]) {
    it(`Pareto/NBD, seed ${seed}: every true γ within 3 SE`, () => {
      const s = simulateParetoCov({ r: 0.6, alpha: 8, s: 0.7, beta: 12 }, G_TRANS, G_LIFE, 5000, seed);
      const m = fitParetoNBDCovariates(s.rows, { covariates: s.covariates });
      expect(m.coding[1]).toEqual({
        name: 'region',
        kind: 'categorical',
        columns: ['region=south', 'region=west'],
        levels: ['north', 'south', 'west'],
        reference: 'north',
      });
      COLS.forEach((c, j) => {
        const se = m.standardErrors[`transaction.${c}`] as number;
        const sl = m.standardErrors[`lifetime.${c}`] as number;
        expect(se).toBeGreaterThan(0);
        expect(Math.abs((m.coefficients.transaction[c] as number) - (G_TRANS[j] as number))).toBeLessThan(
          3 * se,
        );
        expect(Math.abs((m.coefficients.lifetime[c] as number) - (G_LIFE[j] as number))).toBeLessThan(3 * sl);
      });
    });
    it(`BG/NBD, seed ${seed}: every true γ within 3 SE`, () => {
      const s = simulateBGNBDCov({ r: 0.6, alpha: 8, a: 0.8, b: 2.5 }, G_TRANS, G_LIFE, 5000, seed);
      const m = fitBGNBDCovariates(s.rows, { covariates: s.covariates });
      COLS.forEach((c, j) => {
        const se = m.standardErrors[`transaction.${c}`] as number;
        const sl = m.standardErrors[`lifetime.${c}`] as number;
        expect(Math.abs((m.coefficients.transaction[c] as number) - (G_TRANS[j] as number))).toBeLessThan(
          3 * se,
        );
        expect(Math.abs((m.coefficients.lifetime[c] as number) - (G_LIFE[j] as number))).toBeLessThan(3 * sl);
      });
    });
  }
});

describe('nesting: all-zero covariates give the no-covariate fit', () => {
  const s = simulateParetoCov({ r: 0.6, alpha: 8, s: 0.7, beta: 12 }, [0, 0, 0], [0, 0, 0], 800, 9);
  const zero = { z: new Array<number>(800).fill(0) };
  it('Pareto/NBD: parameters and log-likelihood to 1e-6', () => {
    const base = fitParetoNBD(s.rows);
    const m = fitParetoNBDCovariates(s.rows, { covariates: zero, allowConstant: true });
    for (const k of ['r', 'alpha', 's', 'beta'] as const)
      expect(Math.abs((m.params[k] as number) - base.params[k])).toBeLessThan(1e-6 * base.params[k]);
    expect(Math.abs(m.logLikelihood - base.logLikelihood)).toBeLessThan(1e-6);
    expect(m.coefficients.transaction.z).toBe(0);
    // The coefficient of a constant 0 is not identified: no SEs, and a warning says so.
    expect(m.warnings.map((w) => w.code)).toContain('standard_errors_unavailable');
  });
  it('BG/NBD: parameters and log-likelihood to 1e-6', () => {
    const base = fitBGNBD(s.rows);
    const m = fitBGNBDCovariates(s.rows, { covariates: zero, allowConstant: true });
    for (const k of ['r', 'alpha', 'a', 'b'] as const)
      expect(Math.abs((m.params[k] as number) - base.params[k])).toBeLessThan(1e-6 * base.params[k]);
    expect(Math.abs(m.logLikelihood - base.logLikelihood)).toBeLessThan(1e-6);
  });
});

describe.skipIf(!cdnowAvailable)('CDNOW sample with a pure-noise covariate', () => {
  const rows = cdnowAvailable
    ? loadCdnowSummary().map((c) => ({ frequency: c.x, recency: c.tx, T: c.T }))
    : [];
  const rng = createRng('noise');
  const noise = rows.map(() => rng.normal());
  for (const [name, fitCov, fitBase] of [
    ['Pareto/NBD', fitParetoNBDCovariates, fitParetoNBD],
    ['BG/NBD', fitBGNBDCovariates, fitBGNBD],
  ] as const) {
    it(`${name}: γ within 2 SE of 0 and the likelihood-ratio test does not reject`, () => {
      const m = fitCov(rows, { covariates: { noise } });
      const base = fitBase(rows, { standardErrors: false });
      for (const proc of ['transaction', 'lifetime'] as const) {
        const g = m.coefficients[proc].noise as number;
        expect(Math.abs(g)).toBeLessThan(2 * (m.standardErrors[`${proc}.noise`] as number));
      }
      const lr = m.likelihoodRatioTest(base);
      expect(lr.df).toBe(2);
      expect(lr.rejected).toBe(false);
      expect(lr.pValue).toBeGreaterThan(0.05);
      console.log(
        `[cdnow noise covariate] ${name}: γ_trans ${m.coefficients.transaction.noise?.toFixed(4)} (SE ${m.standardErrors['transaction.noise']?.toFixed(4)}), γ_life ${m.coefficients.lifetime.noise?.toFixed(4)} (SE ${m.standardErrors['lifetime.noise']?.toFixed(4)}), LR ${lr.statistic.toFixed(3)} p ${lr.pValue.toFixed(3)}`,
      );
    });
  }
});

describe('options and validation', () => {
  const s = simulateParetoCov({ r: 0.6, alpha: 8, s: 0.7, beta: 12 }, G_TRANS, [0, 0, 0], 600, 4);
  it('an equality constraint gives one shared coefficient', () => {
    const m = fitParetoNBDCovariates(s.rows, { covariates: { web: s.covariates.web }, constrain: ['web'] });
    expect(m.parameterNames).toEqual(['log r', 'log alpha', 'log s', 'log beta', 'constrained.web']);
    expect(m.coefficients.transaction.web).toBe(m.coefficients.lifetime.web);
    expect(m.constrained).toEqual(['web']);
  });
  it('L2 regularisation shrinks coefficients towards 0 and warns', () => {
    const free = fitParetoNBDCovariates(s.rows, { covariates: { web: s.covariates.web }, lifetime: [] });
    const reg = fitParetoNBDCovariates(s.rows, {
      covariates: { web: s.covariates.web },
      lifetime: [],
      lambda: 1,
    });
    expect(Math.abs(reg.coefficients.transaction.web as number)).toBeLessThan(
      Math.abs(free.coefficients.transaction.web as number),
    );
    expect(reg.warnings.map((w) => w.code)).toContain('regularized');
    expect(free.warnings).toEqual([]);
  });
  it('states the reference level and honours a chosen one', () => {
    const m = fitBGNBDCovariates(s.rows, {
      covariates: { region: s.covariates.region },
      reference: { region: 'west' },
    });
    expect(m.coding[0]?.reference).toBe('west');
    expect(Object.keys(m.coefficients.transaction)).toEqual(['region=north', 'region=south']);
  });
  it('reports missing, non-numeric and constant covariates with their row and column', () => {
    const web = [...s.covariates.web] as (number | string | null)[];
    web[3] = null;
    const mixed = [...s.covariates.web] as (number | string)[];
    mixed[5] = 'yes';
    const constant = new Array<number>(600).fill(2);
    try {
      fitParetoNBDCovariates(s.rows, { covariates: { web, mixed, constant } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      const issues = (e as ValidationError).issues;
      expect(issues).toContainEqual(
        expect.objectContaining({ index: 3, path: ['covariates', 'web'], code: 'missing_value' }),
      );
      expect(issues).toContainEqual(
        expect.objectContaining({ index: 5, path: ['covariates', 'mixed'], code: 'invalid_number' }),
      );
      expect(issues).toContainEqual(
        expect.objectContaining({ path: ['covariates', 'constant'], code: 'invalid_value' }),
      );
    }
  });
  it('rejects unknown options and covariate names with a suggestion', () => {
    expect(() =>
      fitParetoNBDCovariates(s.rows, { covariates: { web: s.covariates.web }, lamda: 1 } as never),
    ).toThrow(/did you mean "lambda"/);
    expect(() =>
      fitParetoNBDCovariates(s.rows, { covariates: { web: s.covariates.web }, transaction: ['wbe'] }),
    ).toThrow(/did you mean "web"/);
    expect(() => fitParetoNBDCovariates(s.rows, { covariates: { web: [1, 0] } })).toThrow(
      /2 values for 600 customers/,
    );
  });
  it('predicts per customer with its covariates, round-trips through JSON and refuses bad JSON', () => {
    const m = fitParetoNBDCovariates(s.rows, { covariates: s.covariates, lifetime: [] });
    const cols = { frequency: [2, 0], recency: [20, 0], T: [40, 40] };
    const p = m.predict(10, cols, { web: [1, 0], region: ['south', 'north'] });
    const one = m
      .customerModel({ web: 1, region: 'south' })
      .conditionalExpectedPurchases(10, { frequency: 2, recency: 20, T: 40 });
    expect(p.expectedPurchases[0]).toBeCloseTo(one, 12);
    // Reference customer: base parameters exactly.
    expect(m.customerParams({ web: 0, region: 'north' })).toEqual({ ...m.params });
    const back = CovariateRepeatModel.fromJSON(JSON.parse(JSON.stringify(m)));
    expect(back.expectedPurchases(52, { web: 1, region: 'west' })).toBeCloseTo(
      m.expectedPurchases(52, { web: 1, region: 'west' }),
      12,
    );
    // The standalone loader knows the covariate envelope too.
    const loaded = loadClvModel(JSON.parse(JSON.stringify(m)));
    expect(loaded).toBeInstanceOf(CovariateRepeatModel);
    expect((loaded as CovariateRepeatModel).expectedPurchases(52, { web: 1, region: 'west' })).toBeCloseTo(
      m.expectedPurchases(52, { web: 1, region: 'west' }),
      12,
    );
    expect(() => m.customerParams({ web: 1, region: 'east' })).toThrow(/must be one of north, south, west/);
    expect(() =>
      CovariateRepeatModel.fromJSON({ ...m.toJSON(), lambda: { transaction: -1, lifetime: 0 } }),
    ).toThrow(ValidationError);
    expect(() => CovariateRepeatModel.fromJSON({ ...m.toJSON(), version: 2 })).toThrow(
      /unsupported version 2/,
    );
    expect(() => CovariateRepeatModel.fromJSON({ ...m.toJSON(), model: 'bgnbd' })).toThrow(
      /expected model "paretonbd-cov" or "bgnbd-cov"/,
    );
  });
});

describe('the analytic gradient of the covariate likelihood', () => {
  // Central differences (h = 1e-5) of the penalised −LL at an arbitrary θ, against the chain-rule gradient.
  const s = simulateParetoCov({ r: 0.6, alpha: 8, s: 0.7, beta: 12 }, G_TRANS, G_LIFE, 300, 12);
  const numeric = s.covariates.web.map((w, i) => w + 0.1 * (i % 7));
  for (const kind of ['paretonbd', 'bgnbd'] as const) {
    it(`${kind}: matches central differences, with a constraint and an L2 penalty`, () => {
      const p = covariateProblem('test', kind, s.rows, {
        covariates: { x: numeric, region: s.covariates.region },
        constrain: ['x'],
        lambda: { transaction: 0.01, lifetime: 0.02 },
      });
      const theta = Float64Array.from(
        { length: p.P },
        (_, j) => [-0.4, 2, -0.2, 1.5][j] ?? 0.15 * (j % 3) - 0.1,
      );
      const g = new Float64Array(p.P);
      p.f(theta, g);
      for (let j = 0; j < p.P; j++) {
        const h = 1e-5;
        const t = Float64Array.from(theta);
        t[j] = (theta[j] as number) + h;
        const up = p.f(t, null);
        t[j] = (theta[j] as number) - h;
        const down = p.f(t, null);
        const fd = (up - down) / (2 * h);
        expect(Math.abs((g[j] as number) - fd)).toBeLessThan(1e-4 * Math.max(1, Math.abs(fd)));
      }
    });
  }
});
