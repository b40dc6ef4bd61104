import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { createRng } from '../../src/_lib/random';
import { ChurnModel, crossValidate, loadChurnModel, trainChurnModel } from '../../src/churn/index';
import type { ChurnRow } from '../../src/churn/types';
import { auditFairness } from '../../src/fairness/index';

/**
 * 600 customers: `gender` is sensitive; `tenureDays` = gender + noise (a constructed proxy);
 * `seats` is drawn independently of gender; churn depends on `tickets30d` only.
 */
function sample(n = 600, seed = 11): ChurnRow[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => {
    const gender = rng.next() < 0.5 ? 'f' : 'm';
    const tickets30d = Math.floor(rng.next() * 6);
    return {
      customerId: `c${i}`,
      churned: rng.next() < 0.05 + 0.12 * tickets30d,
      features: {
        gender,
        tenureDays: (gender === 'f' ? 200 : 400) + 150 * rng.next(),
        seats: 1 + Math.floor(rng.next() * 20),
        tickets30d,
      },
    };
  });
}

const proxies = (m: ChurnModel) => m.warnings.filter((w) => w.code === 'proxy_feature');

describe('trainChurnModel({ sensitive })', () => {
  const rows = sample();
  const model = trainChurnModel(rows, { sensitive: ['gender'] });

  it('keeps the sensitive column out of the model features and records it', () => {
    expect(model.featureNames).toEqual(['seats', 'tenureDays', 'tickets30d']);
    expect(model.featureNames).not.toContain('gender');
    expect(model.sensitive).toEqual(['gender']);
    expect(trainChurnModel(rows).featureNames).toContain('gender');
    expect(trainChurnModel(rows).sensitive).toEqual([]);
    const trees = trainChurnModel(rows, { model: 'trees', sensitive: ['gender'], trees: { trees: 10 } });
    expect(trees.featureNames).not.toContain('gender');
    expect(trees.sensitive).toEqual(['gender']);
  });

  it('reports the constructed proxy, not the independent feature', () => {
    const w = proxies(model);
    expect(w).toHaveLength(1);
    // tenureDays: group means 275 vs 475, within-group sd 150/√12 ≈ 43 → η ≈ 100/√(100² + 43²) ≈ 0.92.
    expect(w[0]?.message).toMatch(
      /^tenureDays is associated with gender \(correlation ratio η 0\.9\d\): it can act as a proxy$/,
    );
    expect(w.some((x) => x.message.includes('seats'))).toBe(false);
    // A threshold above every association reports nothing.
    expect(proxies(trainChurnModel(rows, { sensitive: ['gender'], proxyThreshold: 0.99 }))).toEqual([]);
  });

  it('gives the hand-computed association in the sentence (η and Cramér’s V)', () => {
    // The 4-row table of findProxyFeatures' hand check, repeated 3 times (η and V do not change):
    // η(x | g) = √0.8 = 0.894, V(c, g) = √(1/3) = 0.577.
    const base = [
      { g: 'a', x: 1, c: 'p' },
      { g: 'a', x: 2, c: 'p' },
      { g: 'b', x: 3, c: 'p' },
      { g: 'b', x: 4, c: 'q' },
    ];
    const hand: ChurnRow[] = [0, 1, 2].flatMap((k) =>
      base.map((f, i) => ({ features: f, churned: (i + k) % 2 === 0 })),
    );
    const m = trainChurnModel(hand, { sensitive: ['g'] });
    expect(proxies(m).map((w) => w.message)).toEqual([
      'x is associated with g (correlation ratio η 0.89): it can act as a proxy',
      "c is associated with g (Cramér's V 0.58): it can act as a proxy",
    ]);
    expect(proxies(trainChurnModel(hand, { sensitive: ['g'], proxyThreshold: 0.6 })).length).toBe(1);
  });

  it('scores rows that still hold the sensitive column exactly as rows without it', () => {
    const withIt = model.predictProbabilities(rows);
    const withoutIt = model.predictProbabilities(
      rows.map((r) => {
        const { gender: _g, ...features } = r.features;
        return { features };
      }),
    );
    expect(Array.from(withIt)).toEqual(Array.from(withoutIt));
    // Flipping the sensitive value changes nothing either.
    const flipped = model.predictProbabilities(
      rows.map((r) => ({ features: { ...r.features, gender: r.features.gender === 'f' ? 'm' : 'f' } })),
    );
    expect(Array.from(flipped)).toEqual(Array.from(withIt));
    expect(model.predict(rows.slice(0, 3)).every((p) => p.reasons.every((r) => r.feature !== 'gender'))).toBe(
      true,
    );
  });

  it('auditFairness by the attribute runs on the predictions', () => {
    const probabilities = Array.from(model.predictProbabilities(rows));
    const audit = auditFairness({
      probabilities,
      outcomes: rows.map((r) => (r.churned ? 1 : 0)),
      groups: rows.map((r) => String(r.features.gender)),
    });
    expect(audit.groups.map((g) => g.group).sort()).toEqual(['f', 'm']);
    expect(audit.groups.reduce((s, g) => s + g.n, 0)).toBe(rows.length);
    expect(audit.demographicParityDifference).not.toBeNull();
  });

  it('round-trips `sensitive` and the warnings through JSON; old files without it still load', () => {
    const json = model.toJSON();
    expect(json.sensitive).toEqual(['gender']);
    const back = loadChurnModel(JSON.parse(JSON.stringify(json)));
    expect(back.sensitive).toEqual(['gender']);
    expect(proxies(back)).toEqual(proxies(model));
    const { sensitive: _s, ...old } = json;
    expect(ChurnModel.fromJSON(old).sensitive).toEqual([]);
    expect(trainChurnModel(rows).toJSON()).not.toHaveProperty('sensitive');
  });

  it('crossValidate passes sensitive and proxyThreshold on', () => {
    const cv = crossValidate(rows, { folds: 3, sensitive: ['gender'], proxyThreshold: 0.5 });
    expect(cv.folds).toHaveLength(3);
    // Same folds, same models as training on rows that never had the column.
    const stripped = rows.map((r) => {
      const { gender: _g, ...features } = r.features;
      return { ...r, features };
    });
    expect(Array.from(cv.outOfFold)).toEqual(Array.from(crossValidate(stripped, { folds: 3 }).outOfFold));
  });

  it('is strict at the door', () => {
    const err = (o: object) => {
      try {
        trainChurnModel(rows, o);
      } catch (e) {
        return e;
      }
      return null;
    };
    const typo = err({ sensitive: ['gendr'] });
    expect(typo).toBeInstanceOf(ValidationError);
    expect(String((typo as Error).message)).toContain('did you mean "gender"');
    expect(err({ sensitive: 'gender' })).toBeInstanceOf(ValidationError);
    expect(err({ sensitive: [''] })).toBeInstanceOf(ValidationError);
    expect(err({ proxyThreshold: 2 })).toBeInstanceOf(ValidationError);
    expect(err({ proxyThreshold: Number.NaN })).toBeInstanceOf(ValidationError);
    expect(err({ sensitiv: ['gender'] })).toBeInstanceOf(ValidationError);
    // Duplicates are collapsed.
    expect(trainChurnModel(rows, { sensitive: ['gender', 'gender'] }).sensitive).toEqual(['gender']);
  });
});
