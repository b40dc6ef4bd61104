/**
 * Issues #11 and #18 (churn and cluster parts): honest answers on thin data, extreme values,
 * order-invariance, strict model files and located errors.
 */
import { describe, expect, it } from 'vitest';
import { rocAuc } from '../../src/_lib/auc';
import { ValidationError } from '../../src/_lib/errors';
import { createRng } from '../../src/_lib/random';
import { ChurnModel } from '../../src/churn/ChurnModel';
import { applyCalibrator, fitCalibrator } from '../../src/churn/fitCalibrator';
import { loadChurnModel } from '../../src/churn/loadChurnModel';
import { trainChurnModel } from '../../src/churn/trainChurnModel';
import type { ChurnRow } from '../../src/churn/types';
import { CustomerClusterModel, loadClusterModel } from '../../src/segment/CustomerClusterModel';
import { clusterCustomers } from '../../src/segment/clusterCustomers';

function weakRows(n: number, churners: number, seed: string): ChurnRow[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => ({
    features: { a: rng.normal(), b: rng.normal(), plan: rng.next() < 0.5 ? 'pro' : 'free' },
    churned: i < churners,
  }));
}

describe('tree calibration on thin data (#18)', () => {
  it('60 rows, 33% churn, weak features: predictions centre on the churn rate, not far below it', () => {
    const rows = weakRows(60, 20, 'weak60');
    const m = trainChurnModel(rows, { model: 'trees' });
    const p = m.predictProbabilities(rows);
    const mean = p.reduce((s, v) => s + v, 0) / p.length;
    // Was 0.18 for every customer (intercept fitted with the unclamped negative slope).
    expect(mean).toBeGreaterThan(0.25);
    expect(mean).toBeLessThan(0.42);
    expect(m.warnings.map((w) => w.code)).toContain('few_churners_per_feature');
  });

  it('5 rows, 40% churn: calibration is skipped and said so; the prediction is the base rate', () => {
    const rows = weakRows(5, 2, 'weak5');
    const m = trainChurnModel(rows, { model: 'trees' });
    const p = m.predictProbabilities(rows);
    // Was 0.016 against a 40% churn rate. No split is possible (20 rows per leaf): every tree is a
    // root whose value is a shrunken Newton step on its 4-row sample, so the score stays near the
    // base-rate log-odds ln(2/3) (0.374 here).
    for (const v of p) expect(Math.abs(v - 0.4)).toBeLessThan(0.05);
    expect(m.warnings.map((w) => w.code)).toContain('calibration_skipped');
  });

  it('a Platt fit with a negative slope becomes slope 0 with the intercept refitted (log-odds of the rate)', () => {
    // Higher scores churn less: 3 churners of 8, all at the low scores.
    const cal = fitCalibrator([-3, -2, -1, 0, 1, 2, 3, 4], [1, 1, 1, 0, 0, 0, 0, 0], 'platt');
    expect(cal).toEqual({ kind: 'platt', a: 0, b: Math.log(3 / 5) });
    expect(applyCalibrator(cal, 10)).toBeCloseTo(3 / 8, 12);
  });
});

describe('determinism (#18)', () => {
  it('a tree model trained on the same rows in reverse order gives the same probabilities', () => {
    const rows = weakRows(400, 0, 'order').map((r, i) => ({
      features: r.features,
      churned: (r.features.a as number) + 0.5 * ((i * 7919) % 3) > 0.8,
    }));
    const a = trainChurnModel(rows, { model: 'trees', trees: { trees: 20 } });
    const b = trainChurnModel([...rows].reverse(), { model: 'trees', trees: { trees: 20 } });
    expect(Array.from(b.predictProbabilities(rows))).toEqual(Array.from(a.predictProbabilities(rows)));
  });
});

describe('extreme values (#18)', () => {
  it('a ±1e308 feature that separates the classes perfectly is used, with finite outputs', () => {
    // 100 rows: trees need 20 rows a leaf on each side of the split.
    const rows: ChurnRow[] = Array.from({ length: 100 }, (_, i) => ({
      features: { x: i % 2 === 0 ? 1e308 : -1e308, noise: (i * 37) % 11 },
      churned: i % 2 === 0,
    }));
    for (const model of ['logistic', 'trees'] as const) {
      const m = trainChurnModel(rows, { model });
      const p = m.predictProbabilities(rows);
      expect(p.every((v) => Number.isFinite(v))).toBe(true);
      expect(
        rocAuc(
          p,
          rows.map((r) => r.churned),
        ),
      ).toBe(1);
      for (const pr of m.predict(rows.slice(0, 4))) {
        expect(Number.isFinite(pr.logOdds)).toBe(true);
        for (const r of pr.reasons) expect(Number.isFinite(r.points)).toBe(true);
      }
      // And it survives JSON.
      expect(Array.from(loadChurnModel(JSON.parse(JSON.stringify(m))).predictProbabilities(rows))).toEqual(
        Array.from(p),
      );
    }
  });

  it('reasons for p ≈ 1 or ≈ 0 are odds, never "+0.0 points"', () => {
    // Two features that each saturate the probability: without either one it is still ≈ 1, so
    // their effect in points would print as "+0.0 points".
    const rows: ChurnRow[] = Array.from({ length: 400 }, (_, i) => ({
      features: { tickets: i % 10, failedPayments: (i * 7) % 10 },
      churned: i % 10 >= 6 || (i * 7) % 10 >= 6,
    }));
    const m = trainChurnModel(rows, { l2: 0.01 });
    const [hi] = m.predict([{ features: { tickets: 90, failedPayments: 90 } }]);
    expect(hi?.probability).toBeGreaterThan(0.9999);
    expect(hi?.reasons.length).toBeGreaterThan(0);
    for (const r of hi?.reasons ?? []) {
      expect(r.sentence).not.toMatch(/[+−]0\.0 points/);
      expect(r.sentence).toMatch(/: odds ×[\d.e+]+ \(the probability is already near 100%\)$/);
    }
  });
});

describe('strict model files and inputs (#18)', () => {
  const rows = weakRows(80, 30, 'json');
  const logistic = trainChurnModel(rows);
  const trees = trainChurnModel(rows, { model: 'trees', trees: { trees: 5 } });

  it('writes the { model, version } envelope and still reads the old format', () => {
    const json = JSON.parse(JSON.stringify(logistic));
    expect(json.model).toBe('churn');
    expect(json.version).toBe(1);
    const { model: _m, ...rest } = json;
    const old = { format: 'customer-vitals/churn-model', ...rest };
    expect(ChurnModel.fromJSON(old).predictProbabilities(rows)).toEqual(logistic.predictProbabilities(rows));
    expect(() => loadChurnModel({ ...json, model: 'bgnbd' })).toThrow(/expected model "churn"/);
  });

  it('rejects medium > high, a negative Platt slope and duplicate feature names', () => {
    const j = JSON.parse(JSON.stringify(logistic));
    expect(() => ChurnModel.fromJSON({ ...j, bands: { medium: 0.6, high: 0.5 } })).toThrow(/medium <= high/);
    const t = JSON.parse(JSON.stringify(trees));
    t.trees.calibrator = { kind: 'platt', a: -1, b: 0 };
    expect(() => ChurnModel.fromJSON(t)).toThrow(ValidationError);
    const dup = JSON.parse(JSON.stringify(logistic));
    dup.encoder.features[1].name = dup.encoder.features[0].name;
    expect(() => ChurnModel.fromJSON(dup)).toThrow(/duplicate feature name/);
  });

  it('predict(null) and predict([null]) are located ValidationErrors', () => {
    expect(() => logistic.predict(null as never)).toThrow(ValidationError);
    expect(() => logistic.predict([null] as never)).toThrow(/row must be an object/);
    expect(() => trees.predictProbabilities([{ features: 3 }] as never)).toThrow(ValidationError);
    expect(() => logistic.predict(rows, { maxReason: 2 } as never)).toThrow(/did you mean "maxReasons"/);
  });

  it('rejects unknown training options with the closest name (README once said kind)', () => {
    expect(() => trainChurnModel(rows, { kind: 'trees' } as never)).toThrow(/unknown option "kind"/);
    expect(() => trainChurnModel(rows, { modle: 'trees' } as never)).toThrow(/did you mean "model"/);
  });

  it('10,000 categorical levels train fast and share "(other)" beyond maxCategories', () => {
    const many: ChurnRow[] = Array.from({ length: 20_000 }, (_, i) => ({
      features: { city: `c${i % 10_000}`, x: i % 7 },
      churned: i % 3 === 0,
    }));
    const t0 = performance.now();
    const m = trainChurnModel(many);
    expect(performance.now() - t0).toBeLessThan(10_000); // was > 10 minutes
    expect(m.encoder.features.find((f) => f.name === 'city')?.categories.length).toBe(31);
    expect(m.warnings.map((w) => w.code)).toContain('categories_capped');
    expect(() => trainChurnModel(many, { maxCategories: 5000 })).toThrow(/maxCategories/);
  });
});

describe('cluster model magnitudes (#18)', () => {
  const res = clusterCustomers(
    Array.from({ length: 60 }, (_, i) => ({
      customerId: `c${i}`,
      usage: (i % 3) * 10 + (i % 5),
      tickets: i % 4,
    })),
    { k: 3, seed: 2 },
  );

  it('a feature scale of 1e-320 is refused; old files still load', () => {
    const j = JSON.parse(JSON.stringify(res.model));
    expect(j.model).toBe('customer-clusters');
    j.features[0].scale = 1e-320;
    expect(() => CustomerClusterModel.fromJSON(j)).toThrow(ValidationError);
    const { model: _m, ...rest } = JSON.parse(JSON.stringify(res.model));
    expect(loadClusterModel({ type: 'CustomerClusterModel', ...rest }).clusters.length).toBe(3);
  });

  it('±1e308 values assign without Infinity or NaN', () => {
    const out = res.model.assign([
      { customerId: 'big', usage: 1e308, tickets: -1e308 },
      { customerId: 'small', usage: -1e308, tickets: 1e308 },
    ]);
    for (const c of out.customers) {
      expect(Number.isFinite(c.distance)).toBe(true);
      expect(c.nextDistance === null || Number.isFinite(c.nextDistance)).toBe(true);
    }
  });

  it('rejects unknown options with the closest name', () => {
    expect(() => clusterCustomers([], { kRnage: [2, 4] } as never)).toThrow(/did you mean "kRange"/);
  });
});

describe('logistic fits on columns far from zero or constant', () => {
  const rng = createRng('far-columns');
  const base = Array.from({ length: 2000 }, () => {
    const x = rng.normal();
    const z = rng.normal();
    return { x, z, w: rng.normal(), churned: rng.next() < 1 / (1 + Math.exp(-x - 0.5 * z)) };
  });
  const train = (t: (z: number) => number, k: number) =>
    trainChurnModel(base.map((r) => ({ features: { x: r.x, t: t(r.z), k }, churned: r.churned })));
  const coef = (m: ChurnModel, name: string) => {
    const c = m.toJSON().logistic?.coefficients ?? [];
    return c[m.featureNames.indexOf(name)] as number;
  };

  it('a constant column gets a coefficient of exactly 0, whatever its size (1e6 and 1e200 made Newton fail)', () => {
    const ref = train((z) => z, 0);
    for (const k of [5, 1e6, 1e200, -3e150]) {
      const m = train((z) => z, k);
      expect(coef(m, 'k')).toBe(0);
      expect(coef(m, 'x')).toBeCloseTo(coef(ref, 'x'), 12);
      expect(m.predictProbabilities([{ features: { x: 0.3, t: 0.1, k } }])[0]).toBeCloseTo(
        ref.predictProbabilities([{ features: { x: 0.3, t: 0.1, k: 0 } }])[0] as number,
        12,
      );
    }
  });

  it('a column far from zero (an epoch time) is centred for the fit: same standardised coefficients (1.7e12 ± 1e3 made Newton fail)', () => {
    const ref = train((z) => z * 1e3, 0);
    for (const off of [1e6, 1.7e12]) {
      const m = train((z) => off + z * 1e3, 0);
      // The raw times themselves are rounded to 2.4e-4 at 1.7e12 (2.4e-7 of their spread).
      expect(coef(m, 't')).toBeCloseTo(coef(ref, 't'), 6);
      expect(coef(m, 'x')).toBeCloseTo(coef(ref, 'x'), 6);
      const p = m.predictProbabilities([{ features: { x: 0.3, t: off + 500, k: 0 } }])[0] as number;
      expect(p).toBeCloseTo(
        ref.predictProbabilities([{ features: { x: 0.3, t: 500, k: 0 } }])[0] as number,
        6,
      );
    }
  });

  it('scoring cells far beyond the training data gives finite encodings and log-odds (±Infinity, and Infinity − Infinity = NaN)', () => {
    // Two columns with a spread of 1e-3: 1e308 is 1e311 deviations away.
    const m = trainChurnModel(
      base.map((r) => ({ features: { x: r.x, t: r.z * 1e-3, u: r.w * 1e-3 }, churned: r.churned })),
    );
    const rows = [1, -1].flatMap((a) =>
      [1, -1].map((b) => ({ features: { x: 0, t: a * 1e308, u: b * 1e308 } })),
    );
    const enc = m.encoder.encode(rows.map((r) => r.features));
    expect(Array.from(enc).every(Number.isFinite)).toBe(true);
    expect(Math.max(...Array.from(enc).map(Math.abs))).toBe(1e150);
    const p = m.predictProbabilities(rows);
    expect(Array.from(p).every((v) => v >= 0 && v <= 1)).toBe(true);
    for (const r of m.predict(rows)) expect(Number.isFinite(r.logOdds)).toBe(true);
  });
});
