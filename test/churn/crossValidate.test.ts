import { describe, expect, it } from 'vitest';
import { InsufficientDataError } from '../../src/_lib/errors';
import { crossValidate } from '../../src/churn/crossValidate';
import type { ChurnRow } from '../../src/churn/types';

const rows: ChurnRow[] = Array.from({ length: 103 }, (_, i) => ({
  features: { x: (i * 37) % 101, g: i % 2 === 0 ? 'even' : 'odd' },
  churned: (i * 37) % 101 > 70,
}));

describe('crossValidate', () => {
  it('keeps the churn rate in every fold (stratified) and scores every row once', () => {
    const cv = crossValidate(rows, { folds: 5, seed: 3 });
    const positives = rows.filter((r) => r.churned).length;
    expect(cv.folds).toHaveLength(5);
    for (const f of cv.folds) {
      expect(Math.abs(f.positives - positives / 5)).toBeLessThanOrEqual(1);
      expect(Math.abs(f.n - rows.length / 5)).toBeLessThanOrEqual(1);
    }
    expect(cv.folds.reduce((a, f) => a + f.n, 0)).toBe(rows.length);
    expect(cv.pooled.n).toBe(rows.length);
    expect(cv.outOfFold.every((p) => p > 0 && p < 1)).toBe(true);
    // x > 70 decides churn: even out of fold the ranking is near perfect.
    expect(cv.pooled.rocAuc as number).toBeGreaterThan(0.95);
  });

  it('is reproducible for a seed', () => {
    expect(crossValidate(rows, { seed: 9 }).fold).toEqual(crossValidate(rows, { seed: 9 }).fold);
  });

  it('needs at least one row of each class per fold', () => {
    expect(() => crossValidate(rows.slice(0, 10), { folds: 5 })).toThrow(InsufficientDataError);
  });
});

describe('crossValidate on hostile rows (#18 fuzz)', () => {
  it('locates a null row or a row without a boolean churned instead of "reading \'churned\'"', () => {
    // Fuzz seed 3: crossValidate([true, null]) threw TypeError: Cannot read properties of null.
    expect(() => crossValidate([true, null] as never)).toThrow(
      /^crossValidate: .*each row must be an object/,
    );
    // A string label used to count as churned (truthy) silently.
    expect(() => crossValidate([{ features: {}, churned: 'no' }] as never)).toThrow(/boolean "churned"/);
  });
});
