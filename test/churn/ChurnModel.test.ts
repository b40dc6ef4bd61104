import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { createRng } from '../../src/_lib/random';
import { ChurnModel } from '../../src/churn/ChurnModel';
import { trainChurnModel } from '../../src/churn/trainChurnModel';
import type { ChurnRow } from '../../src/churn/types';

function rowsFor(n: number, seed: string): ChurnRow[] {
  const rng = createRng(seed);
  const out: ChurnRow[] = [];
  for (let i = 0; i < n; i++) {
    const tickets = rng.poisson(1.5);
    const high = Math.min(tickets, rng.poisson(0.5));
    const nps = rng.bernoulli(0.3) ? null : Math.min(10, Math.max(0, Math.round(7 + 2 * rng.normal())));
    const plan = rng.pick(['starter', 'growth', 'enterprise']);
    const logit = -2 + 0.3 * tickets + 0.8 * high - 0.25 * ((nps ?? 6) - 7) + (plan === 'starter' ? 0.6 : 0);
    out.push({
      customerId: `c${i}`,
      features: {
        tickets30d: tickets,
        highPriorityTickets30d: high,
        npsLatest: nps,
        plan,
        annual: rng.bernoulli(0.3),
      },
      churned: rng.next() < 1 / (1 + Math.exp(-logit)),
    });
  }
  return out;
}

const rows = rowsFor(1500, 'model-rows');
const logistic = trainChurnModel(rows);
const trees = trainChurnModel(rows, { model: 'trees', trees: { trees: 40 } });

describe('ChurnModel.predict', () => {
  it('logistic: contributions add up to the log-odds minus the intercept', () => {
    for (const p of logistic.predict(rows.slice(0, 100))) {
      const sum = Object.values(p.contributions).reduce((a, b) => a + b, 0);
      expect(p.base.logOdds + sum).toBeCloseTo(p.logOdds, 10);
      expect(p.probability).toBeCloseTo(1 / (1 + Math.exp(-p.logOdds)), 12);
    }
  });

  it('trees: contributions add up to the probability minus the base probability', () => {
    for (const p of trees.predict(rows.slice(0, 100))) {
      const sum = Object.values(p.contributions).reduce((a, b) => a + b, 0);
      expect(p.base.probability + sum).toBeCloseTo(p.probability, 10);
    }
  });

  it('property: the additivity holds for arbitrary (even odd) rows, for both kinds', () => {
    fc.assert(
      fc.property(
        fc.record({
          tickets30d: fc.option(fc.integer({ min: 0, max: 50 })),
          highPriorityTickets30d: fc.option(fc.double({ min: -5, max: 50, noNaN: true })),
          npsLatest: fc.option(fc.oneof(fc.integer({ min: 0, max: 10 }), fc.constant(Number.NaN))),
          plan: fc.option(fc.constantFrom('starter', 'growth', 'enterprise', 'unseen')),
          annual: fc.option(fc.boolean()),
        }),
        (features) => {
          const [pl] = logistic.predict([{ features }]);
          const [pt] = trees.predict([{ features }]);
          if (!pl || !pt) throw new Error('no prediction');
          const sl = Object.values(pl.contributions).reduce((a, b) => a + b, 0);
          const st = Object.values(pt.contributions).reduce((a, b) => a + b, 0);
          expect(pl.base.logOdds + sl).toBeCloseTo(pl.logOdds, 9);
          expect(pt.base.probability + st).toBeCloseTo(pt.probability, 9);
          expect(pl.probability >= 0 && pl.probability <= 1).toBe(true);
          expect(pt.probability >= 0 && pt.probability <= 1).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('explains a risky customer in sentences, largest effect first', () => {
    const [p] = logistic.predict(
      [
        {
          customerId: 'acme',
          features: {
            tickets30d: 3,
            highPriorityTickets30d: 3,
            npsLatest: 2,
            plan: 'starter',
            annual: false,
          },
        },
      ],
      { maxReasons: 2 },
    );
    expect(p?.customerId).toBe('acme');
    expect(p?.reasons).toHaveLength(2);
    const [r0, r1] = p?.reasons ?? [];
    expect(Math.abs(r0?.contribution ?? 0)).toBeGreaterThanOrEqual(Math.abs(r1?.contribution ?? 0));
    const hp = p?.reasons.find((r) => r.feature === 'highPriorityTickets30d');
    expect(hp?.sentence).toMatch(/^3 high-priority tickets in the last 30 days: \+\d+ points$/);
    // points = 100·(p − σ(logOdds − contribution)): the drop if this feature were average.
    const pr = p as NonNullable<typeof p>;
    const c = pr.contributions.highPriorityTickets30d as number;
    expect(hp?.points).toBeCloseTo(100 * (pr.probability - 1 / (1 + Math.exp(-(pr.logOdds - c)))), 10);
    expect(p?.band).toBe(pr.probability >= 0.5 ? 'high' : pr.probability >= 0.2 ? 'medium' : 'low');
  });

  it('treats missing and unseen values as documented: imputed number, no category', () => {
    const [a] = logistic.predict([{ features: { tickets30d: null, plan: 'never-seen' } }]);
    const [b] = logistic.predict([{ features: {} }]);
    expect(a?.probability).toBeCloseTo(b?.probability as number, 12);
    expect(a?.reasons.every((r) => r.value === null || typeof r.value !== 'number')).toBe(true);
  });

  it('reads feature names like __proto__ and constructor as ordinary data', () => {
    const odd: ChurnRow[] = Array.from({ length: 60 }, (_, i) => {
      const features = JSON.parse(`{"__proto__": ${i % 7}, "constructor": "k${i % 3}"}`);
      return { features, churned: i % 3 === 0 };
    });
    const m = trainChurnModel(odd);
    expect(m.featureNames).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const [p] = m.predict([{ features: {} }]);
    expect(Number.isFinite(p?.probability)).toBe(true);
  });
});

describe('tree calibration', () => {
  it('isotonic and uncalibrated tree models keep contributions additive and survive JSON', () => {
    for (const calibration of ['isotonic', 'none'] as const) {
      const m = trainChurnModel(rows.slice(0, 600), { model: 'trees', calibration, trees: { trees: 20 } });
      expect(m.trees?.calibrator.kind).toBe(calibration);
      for (const p of m.predict(rows.slice(0, 50))) {
        const sum = Object.values(p.contributions).reduce((a, b) => a + b, 0);
        expect(p.base.probability + sum).toBeCloseTo(p.probability, 10);
      }
      const back = ChurnModel.fromJSON(JSON.parse(JSON.stringify(m)));
      expect(back.predict(rows.slice(0, 5))).toEqual(m.predict(rows.slice(0, 5)));
    }
  });

  it('Platt-calibrated tree probabilities agree on average with the (well-specified) logistic model', () => {
    // The held-out sample's own churn rate is 0.293 against 0.331 in training (sampling noise), so
    // the fair reference is the correctly specified logistic model: mean 0.328 on these rows.
    const held = rowsFor(3000, 'held-out');
    const mean = (p: Float64Array) => p.reduce((a, b) => a + b, 0) / p.length;
    expect(
      Math.abs(mean(trees.predictProbabilities(held)) - mean(logistic.predictProbabilities(held))),
    ).toBeLessThan(0.01);
  });
});

describe('ChurnModel JSON', () => {
  it('round-trips both kinds through JSON text with identical predictions', () => {
    for (const m of [logistic, trees]) {
      const back = ChurnModel.fromJSON(JSON.parse(JSON.stringify(m)));
      expect(Array.from(back.predictProbabilities(rows.slice(0, 50)))).toEqual(
        Array.from(m.predictProbabilities(rows.slice(0, 50))),
      );
      expect(back.predict(rows.slice(0, 3))).toEqual(m.predict(rows.slice(0, 3)));
    }
  });

  it('rejects malformed model files with located issues', () => {
    const good = JSON.parse(JSON.stringify(logistic));
    const bad1 = {
      ...good,
      logistic: { ...good.logistic, coefficients: good.logistic.coefficients.slice(1) },
    };
    expect(() => ChurnModel.fromJSON(bad1)).toThrow(ValidationError);
    expect(() => ChurnModel.fromJSON({ ...good, format: 'other' })).toThrow(
      /ChurnModel.fromJSON: invalid model JSON/,
    );
    expect(() => ChurnModel.fromJSON(null)).toThrow(ValidationError);
    expect(() => ChurnModel.fromJSON({ ...good, baseRate: 'NaN' })).toThrow(ValidationError);
    const t = JSON.parse(JSON.stringify(trees));
    // A child pointing back to the root would loop forever: refused.
    const firstInternal = (t.trees.trees[0].feature as number[]).findIndex((f) => f >= 0);
    t.trees.trees[0].left[firstInternal] = 0;
    try {
      ChurnModel.fromJSON(t);
      throw new Error('accepted a cyclic tree');
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).issues[0]?.path.slice(0, 3)).toEqual(['trees', 'trees', 0]);
    }
    const col = JSON.parse(JSON.stringify(trees));
    col.trees.trees[0].feature[0] = 10_000;
    expect(() => ChurnModel.fromJSON(col)).toThrow(ValidationError);
  });
});

describe('tree scoring from bins (the predictProbabilities fast path)', () => {
  // Reference: the encoded matrix scored node by node on raw values (the path of `predict`).
  const slow = (m: ChurnModel, rs: readonly ChurnRow[]): number[] =>
    Array.from(m.probabilitiesOfEncoded(m.encoder.encode(rs.map((r) => r.features))));

  it('property: gives exactly the raw-value probabilities for arbitrary (even odd) values', () => {
    const cell = fc.oneof(
      fc.double(),
      fc.integer({ min: -3, max: 60 }),
      fc.constantFrom(null, undefined, true, false, -0, Number.NaN, Number.POSITIVE_INFINITY),
      fc.constantFrom('starter', 'growth', 'enterprise', 'unseen', '3', '', 'x', '__proto__'),
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            tickets30d: cell,
            highPriorityTickets30d: cell,
            npsLatest: cell,
            plan: cell,
            annual: cell,
          }),
          { minLength: 1, maxLength: 9 },
        ),
        (features) => {
          const rs = features.map((f) => ({ features: f as ChurnRow['features'], churned: false }));
          expect(Array.from(trees.predictProbabilities(rs))).toEqual(slow(trees, rs));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives the same probabilities from a columnar table as from the rows', () => {
    const some = rows.slice(0, 300);
    const table = {
      asOf: 0,
      customerIds: some.map((r) => r.customerId ?? ''),
      names: ['tickets30d', 'highPriorityTickets30d', 'npsLatest', 'annual'],
      columns: Object.create(null) as Record<string, Float64Array>,
      missing: Object.create(null) as Record<string, Uint8Array>,
      categorical: Object.create(null) as Record<string, (string | null)[]>,
    };
    for (const name of table.names) {
      table.columns[name] = Float64Array.from(some, (r) => Number(r.features[name] ?? Number.NaN));
      table.missing[name] = Uint8Array.from(some, (r) => (r.features[name] === null ? 1 : 0));
    }
    table.categorical.plan = some.map((r) => r.features.plan as string);
    expect(Array.from(trees.predictProbabilities(table))).toEqual(slow(trees, some));
  });

  it('handles standardised columns, missing indicators and layouts it cannot bin (fallback)', () => {
    // A tree model read from JSON over the logistic model's encoder (centred, scaled, with a
    // "npsLatest (missing)" indicator): one stump per column, one deeper tree, and 300 thresholds on
    // column 0 (more than one byte of bins holds, so that model takes the raw-value path).
    const enc = logistic.toJSON().encoder;
    const d = enc.columns.length;
    const stump = (f: number, t: number, a: number, b: number) => ({
      feature: [f, -1, -1],
      threshold: [t, 0, 0],
      left: [1, -1, -1],
      right: [2, -1, -1],
      value: [0, a, b],
    });
    const deep = {
      feature: [0, 1, -1, 2, -1, -1, -1],
      threshold: [0.1, -0.2, 0, 0.3, 0, 0, 0],
      left: [1, 3, -1, 5, -1, -1, -1],
      right: [2, 4, -1, 6, -1, -1, -1],
      value: [0, 0.1, -0.2, 0.3, -0.4, 0.5, -0.6],
    };
    const base = (treesJson: unknown[]) => ({
      format: 'customer-vitals/churn-model',
      version: 1,
      kind: 'trees',
      encoder: enc,
      bands: { medium: 0.2, high: 0.5 },
      baseRate: 0.2,
      nTrain: 1,
      trees: { initScore: -1, calibrator: { kind: 'none' }, trees: treesJson },
    });
    const stumps = Array.from({ length: d }, (_, j) => stump(j, ((j % 5) - 2) / 4, 0.1 * j, -0.05 * j));
    const many = Array.from({ length: 300 }, (_, k) => stump(0, (k - 150) / 50, 0.01, -0.01));
    for (const json of [base([...stumps, deep]), base([...many, deep])]) {
      const m = ChurnModel.fromJSON(json);
      const some = rows.slice(0, 400);
      expect(Array.from(m.predictProbabilities(some))).toEqual(slow(m, some));
    }
  });

  it('treats a feature named like an Object.prototype member as missing where a row lacks it', () => {
    const CONSTRUCTOR: string = 'constructor';
    const TO_STRING: string = 'toString';
    // Rows without their own `constructor`/`toString` used to read the inherited function and fail
    // training with "design matrix cell is not a finite number".
    const rows = Array.from({ length: 200 }, (_, i) => {
      const features: Record<string, number | string | null> = { x: i % 7 };
      if (i % 2 === 0) features[CONSTRUCTOR] = i % 3;
      if (i % 3 === 0) features[TO_STRING] = 'a';
      return { features, churned: i % 5 === 0 };
    });
    const model = trainChurnModel(rows);
    const [absent, present] = model.predict([
      { features: { x: 1 } },
      { features: { x: 1, [CONSTRUCTOR]: 0 } },
    ]);
    expect(Number.isFinite(absent?.probability)).toBe(true);
    expect(Number.isFinite(present?.probability)).toBe(true);
    const nullProto = Object.assign(Object.create(null), { x: 1 });
    expect(model.predict([{ features: nullProto }])[0]?.probability).toBe(absent?.probability);
  });
});
