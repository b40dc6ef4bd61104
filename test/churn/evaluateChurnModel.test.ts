import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { evaluateChurnModel } from '../../src/churn/evaluateChurnModel';
import { rocAuc } from '../../src/churn/rocAuc';
import { trainChurnModel } from '../../src/churn/trainChurnModel';
import ref from './fixtures/sklearn_reference.json';
import { SKLEARN_TEST, SKLEARN_TRAIN, SYNTH_COLUMNS, syntheticChurnTable } from './fixtures/synthetic';

describe('rocAuc', () => {
  it('counts positive-over-negative pairs, ties as one half', () => {
    // Pairs (pos, neg): (0.35, 0.1) win, (0.35, 0.4) loss, (0.8, 0.1) win, (0.8, 0.4) win → 3/4.
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(rocAuc([0.5, 0.5], [false, true])).toBe(0.5);
  });

  it('is null when one class is missing, never NaN', () => {
    expect(rocAuc([0.1, 0.2], [1, 1])).toBeNull();
    expect(rocAuc([], [])).toBeNull();
  });

  it('property: equals the brute-force pair count', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.boolean()), { minLength: 2, maxLength: 60 }),
        (data) => {
          const s = data.map((d) => d[0] / 5);
          const y = data.map((d) => d[1]);
          let num = 0;
          let den = 0;
          for (let i = 0; i < s.length; i++)
            for (let j = 0; j < s.length; j++)
              if (y[i] && !y[j]) {
                den++;
                num += (s[i] as number) > (s[j] as number) ? 1 : s[i] === s[j] ? 0.5 : 0;
              }
          const auc = rocAuc(s, y);
          if (den === 0) expect(auc).toBeNull();
          else expect(auc).toBeCloseTo(num / den, 12);
        },
      ),
    );
  });
});

describe('evaluateChurnModel', () => {
  it('computes every figure of a four-customer example by hand', () => {
    const ev = evaluateChurnModel({ probabilities: [0.1, 0.4, 0.35, 0.8], churned: [0, 0, 1, 1] });
    expect(ev.rocAuc).toBe(0.75);
    // Ranked 0.8(+) 0.4(−) 0.35(+) 0.1(−): AP = 0.5·1 + 0.5·(2/3) = 0.8333
    expect(ev.prAuc).toBeCloseTo(0.5 + 0.5 * (2 / 3), 12);
    // Brier = (0.1² + 0.4² + 0.65² + 0.2²)/4 = (0.01 + 0.16 + 0.4225 + 0.04)/4
    expect(ev.brier).toBeCloseTo(0.158125, 12);
    // Log loss = −(ln 0.9 + ln 0.6 + ln 0.35 + ln 0.8)/4
    expect(ev.logLoss).toBeCloseTo(-(Math.log(0.9) + Math.log(0.6) + Math.log(0.35) + Math.log(0.8)) / 4, 12);
    // Top 10% = ceil(0.4) = 1 customer (p = 0.8, churned): rate 1 / base 0.5 = lift 2, capture 1/2.
    expect(ev.top10).toEqual({ fraction: 0.1, n: 1, lift: 2, capture: 0.5 });
    expect(ev.calibration.map((b) => b.meanPredicted)).toEqual([0.1, 0.35, 0.4, 0.8]);
    expect(ev.calibration.map((b) => b.observedRate)).toEqual([0, 1, 0, 1]);
  });

  it('builds ten equal-count calibration bins and top-20% lift on 20 customers', () => {
    // p = 0.025, 0.075, ..., 0.975; churners = the 4 riskiest → top 20% (4 rows) captures all of them.
    const p = Array.from({ length: 20 }, (_, i) => (i + 0.5) / 20);
    const y = p.map((_, i) => (i >= 16 ? 1 : 0));
    const ev = evaluateChurnModel({ probabilities: p, churned: y });
    expect(ev.calibration).toHaveLength(10);
    expect(ev.calibration.every((b) => b.n === 2)).toBe(true);
    expect(ev.calibration[0]?.meanPredicted).toBeCloseTo((0.025 + 0.075) / 2, 12);
    expect(ev.top20).toEqual({ fraction: 0.2, n: 4, lift: 1 / 0.2, capture: 1 });
    expect(ev.rocAuc).toBe(1);
  });

  it('reports null figures with a reason for empty or one-class input (no NaN)', () => {
    const empty = evaluateChurnModel({ probabilities: [], churned: [] });
    expect(empty.n).toBe(0);
    expect(empty.rocAuc).toBeNull();
    expect(empty.reason).toBe('no rows');
    const one = evaluateChurnModel({ probabilities: [0.2, 0.3], churned: [0, 0] });
    expect(one.rocAuc).toBeNull();
    expect(one.prAuc).toBeNull();
    expect(one.brier).toBeCloseTo((0.04 + 0.09) / 2, 12);
    expect(one.top10.lift).toBeNull();
    expect(one.reason).toMatch(/one class/);
  });

  it('rejects probabilities outside [0, 1] and mismatched lengths', () => {
    expect(() => evaluateChurnModel({ probabilities: [1.2], churned: [1] })).toThrow(ValidationError);
    expect(() => evaluateChurnModel({ probabilities: [0.2], churned: [1, 0] })).toThrow(ValidationError);
  });

  it('evaluates a model on labelled rows', () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({
      features: { x: i },
      churned: i % 4 === 0 || i > 30,
    }));
    const model = trainChurnModel(rows);
    const ev = evaluateChurnModel(model, rows);
    expect(ev.n).toBe(40);
    expect(ev.rocAuc).toBe(
      rocAuc(
        model.predictProbabilities(rows),
        rows.map((r) => r.churned),
      ),
    );
  });
});

describe('evaluateChurnModel against scikit-learn metrics', () => {
  const toRows = (t: ReturnType<typeof syntheticChurnTable>) =>
    Array.from({ length: t.n }, (_, i) => {
      const features: Record<string, number> = {};
      SYNTH_COLUMNS.forEach((c, j) => {
        features[c] = t.x[i * t.p + j] as number;
      });
      return { features, churned: t.y[i] === 1 };
    });
  // Same model as scikit-learn's (coefficients agree to ~1e-15), so the same held-out probabilities.
  const model = trainChurnModel(toRows(syntheticChurnTable(SKLEARN_TRAIN.n, SKLEARN_TRAIN.seed)), { l2: 1 });
  const test = toRows(syntheticChurnTable(SKLEARN_TEST.n, SKLEARN_TEST.seed));
  const p = model.predictProbabilities(test);
  const y = test.map((r) => r.churned);

  it('matches roc_auc_score, average_precision_score, brier_score_loss and log_loss', () => {
    const ev = evaluateChurnModel({ probabilities: p, churned: y });
    const r = ref.metrics.continuous;
    expect(ev.rocAuc).toBeCloseTo(r.rocAuc, 9);
    expect(ev.prAuc).toBeCloseTo(r.averagePrecision, 9);
    expect(ev.brier).toBeCloseTo(r.brier, 9);
    expect(ev.logLoss).toBeCloseTo(r.logLoss, 9);
  });

  it('handles tied scores like scikit-learn (probabilities rounded to one decimal)', () => {
    const rounded = Array.from(p, (v) => Math.round(v * 10) / 10);
    const ev = evaluateChurnModel({ probabilities: rounded, churned: y });
    const r = ref.metrics.rounded;
    expect(ev.rocAuc).toBeCloseTo(r.rocAuc, 9);
    expect(ev.prAuc).toBeCloseTo(r.averagePrecision, 9);
    expect(ev.brier).toBeCloseTo(r.brier, 9);
  });
});
