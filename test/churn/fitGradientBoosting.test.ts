import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { createRng } from '../../src/_lib/random';
import { scoreRowsAt } from '../../src/churn/_treeScoring';
import { ensembleBase, fitGradientBoosting, scoreTrees } from '../../src/churn/fitGradientBoosting';
import { fitLogisticRegression } from '../../src/churn/fitLogisticRegression';
import { rocAuc } from '../../src/churn/rocAuc';
import { trainChurnModel } from '../../src/churn/trainChurnModel';

/** Churn iff x1 and x2 have the same sign (an interaction no linear model can express), 10% noise. */
function xorData(n: number, seed: string) {
  const rng = createRng(seed);
  const x = new Float64Array(n * 3);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const a = rng.next() * 2 - 1;
    const b = rng.next() * 2 - 1;
    x[i * 3] = a;
    x[i * 3 + 1] = b;
    x[i * 3 + 2] = rng.normal(); // noise column
    y[i] = a * b > 0 !== rng.next() < 0.1 ? 1 : 0;
  }
  return { x, y, n };
}

describe('fitGradientBoosting', () => {
  const train = xorData(2000, 'xor-train');
  const test = xorData(1000, 'xor-test');

  it('learns an interaction a logistic regression cannot', () => {
    const fit = fitGradientBoosting(train.x, train.y, 3, { trees: 60, seed: 1 });
    const scores = Array.from({ length: test.n }, (_, i) => scoreTrees(fit, test.x, i * 3));
    const lr = fitLogisticRegression(train.x, train.y, 3, { l2: 1 });
    const lrScores = Array.from({ length: test.n }, (_, i) => {
      let e = lr.intercept;
      for (let j = 0; j < 3; j++) e += (lr.coefficients[j] as number) * (test.x[i * 3 + j] as number);
      return e;
    });
    // Bayes AUC here is about 0.9 (10% flipped labels); a linear score is near chance.
    expect(rocAuc(scores, test.y) as number).toBeGreaterThan(0.85);
    expect(rocAuc(lrScores, test.y) as number).toBeLessThan(0.6);
  });

  it('is deterministic for a seed and varies with it (row subsampling)', () => {
    const a = fitGradientBoosting(train.x, train.y, 3, { trees: 5, seed: 'a' });
    const b = fitGradientBoosting(train.x, train.y, 3, { trees: 5, seed: 'a' });
    const c = fitGradientBoosting(train.x, train.y, 3, { trees: 5, seed: 'c' });
    expect(a).toEqual(b);
    expect(a.trees[0]?.value).not.toEqual(c.trees[0]?.value);
  });

  it('starts from the log-odds of the base rate and honours the leaf and size limits', () => {
    const fit = fitGradientBoosting(train.x, train.y, 3, { trees: 3, maxLeaves: 4, seed: 1 });
    let pos = 0;
    for (const v of train.y) pos += v;
    expect(fit.initScore).toBeCloseTo(Math.log(pos / (train.n - pos)), 12);
    for (const t of fit.trees) {
      const leaves = Array.from(t.feature).filter((f) => f < 0).length;
      expect(leaves).toBeLessThanOrEqual(4);
      expect(t.feature.length).toBe(2 * leaves - 1);
    }
  });

  it('path attribution adds up: base + Σ contributions = raw score, for every row', () => {
    const fit = fitGradientBoosting(train.x, train.y, 3, { trees: 20, seed: 1 });
    const base = ensembleBase(fit);
    for (let i = 0; i < 200; i++) {
      const contrib = new Float64Array(3);
      const raw = scoreTrees(fit, test.x, i * 3, contrib);
      expect(base + (contrib[0] as number) + (contrib[1] as number) + (contrib[2] as number)).toBeCloseTo(
        raw,
        10,
      );
      expect(scoreTrees(fit, test.x, i * 3)).toBe(raw);
    }
  });

  it('does not split a constant column and stops at minSamplesLeaf', () => {
    const x = new Float64Array(50).fill(3);
    const y = Uint8Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? 1 : 0));
    const fit = fitGradientBoosting(x, y, 1, { trees: 2 });
    expect(fit.trees.every((t) => t.feature.length === 1)).toBe(true);
  });

  it('refuses non-finite cells (missing values must be encoded first)', () => {
    expect(() => fitGradientBoosting(Float64Array.from([1, Number.NaN]), [0, 1], 1)).toThrow(ValidationError);
    expect(() => fitGradientBoosting(Float64Array.from([1, 2]), [0, 3], 1)).toThrow(/fitGradientBoosting: /);
  });

  it('rejects a huge column count at once instead of hanging (fuzz seed 3: no rows, p = 1735787045)', () => {
    // Before: with no rows any p matched x.length = 0 · p, and the per-feature arrays and loops ran
    // 1.7e9 times (> 20 s, the fuzz watchdog stopped it).
    const t0 = performance.now();
    expect(() => fitGradientBoosting([], [], 1735787045)).toThrow(
      /fitGradientBoosting: .*p must be an integer from 0 to 100000/,
    );
    expect(performance.now() - t0).toBeLessThan(100);
  });

  it('rejects out-of-range numeric options with the option named', () => {
    const x = [0, 1, 2, 3];
    const y = [0, 1, 0, 1];
    expect(() => fitGradientBoosting(x, y, 1, { trees: 1e9 })).toThrow(/option "trees" must be an integer/);
    expect(() => fitGradientBoosting(x, y, 1, { learningRate: Number.NaN })).toThrow(/option "learningRate"/);
    expect(() => fitGradientBoosting(x, y, 1, { subsample: 0 })).toThrow(/option "subsample"/);
    expect(() => fitGradientBoosting(x, y, 1, { maxBins: 1000 })).toThrow(/option "maxBins"/);
    expect(() => fitGradientBoosting(x, y, 1, { seed: Number.NaN })).toThrow(/option "seed"/);
    // Defaults still fit: no rows gives the prior (log-odds of 0.5 = 0) and empty-leaf trees.
    expect(fitGradientBoosting([], [], 3, { trees: 2 }).initScore).toBe(0);
  });

  it('scores chosen rows by bins exactly as scoreTrees does row by row (the calibration slice)', () => {
    const fit = fitGradientBoosting(train.x, train.y, 3, { trees: 30, seed: 2 });
    const idx = Array.from({ length: 700 }, (_, k) => (k * 37) % test.n);
    const fast = scoreRowsAt(fit, test.x, 3, idx);
    idx.forEach((i, k) => {
      expect(fast[k]).toBe(scoreTrees(fit, test.x, i * 3));
    });
  });
});

describe('boosted trees: determinism (same data and seed, same model bytes)', () => {
  const rng = createRng('det');
  const rows = Array.from({ length: 600 }, () => {
    const a = rng.normal();
    const b = rng.int(4);
    return { features: { a, b, c: rng.next() }, churned: a + b / 2 + rng.normal() > 1 };
  });
  const options = { model: 'trees', trees: { trees: 15 }, seed: 3 } as const;

  it('trains byte-identical JSON twice and from the rows in another order', () => {
    const one = JSON.stringify(trainChurnModel(rows, options).toJSON());
    expect(JSON.stringify(trainChurnModel(rows, options).toJSON())).toBe(one);
    const reversed = [...rows].reverse();
    expect(JSON.stringify(trainChurnModel(reversed, options).toJSON())).toBe(one);
  });

  it('gives another (equally valid) ensemble for another seed', () => {
    const one = JSON.stringify(trainChurnModel(rows, options).toJSON());
    expect(JSON.stringify(trainChurnModel(rows, { ...options, seed: 4 }).toJSON())).not.toBe(one);
  });
});
