/**
 * Issue #14 (cold start): the priming `trainChurnModel` runs before its first fit in a process depends
 * on a guess from the first rows (sparse-looking rows of 1,000 or more get the larger sparse priming
 * fit and no dense kernels). Each test file runs in a fresh module registry, so the first call here
 * is a process's first fit: it must work, and give the same model as the calls after it.
 */
import { describe, expect, it } from 'vitest';
import { InsufficientDataError } from '../../src/_lib/errors';
import { createRng } from '../../src/_lib/random';
import { trainChurnModel } from '../../src/churn/trainChurnModel';
import type { ChurnRow } from '../../src/churn/types';

/** Activity-like rows: counts that are mostly 0, some nulls, one category (the CLI's kind of rows). */
function sparseLooking(n: number, seed: string): ChurnRow[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const features: Record<string, number | string | null> = {};
    let logit = -1;
    for (let j = 0; j < 12; j++) {
      const v = rng.next() < 0.75 ? 0 : rng.poisson(2);
      features[`n${j}`] = rng.next() < 0.05 ? null : v;
      if (j < 3) logit += 0.4 * v;
    }
    features.plan = rng.next() < 0.2 ? 'pro' : 'free';
    return { features, churned: rng.next() < 1 / (1 + Math.exp(-logit)) };
  });
}

describe('first fit of a process (#14)', () => {
  it('trains sparse-looking rows on the first call, the same model as on later calls', () => {
    const rows = sparseLooking(1500, 'cold-sparse');
    const first = JSON.stringify(trainChurnModel(rows).toJSON());
    const again = JSON.stringify(trainChurnModel(rows).toJSON());
    expect(again).toBe(first);
    // A dense-looking table afterwards (the dense kernels were not primed): still the same on repeat.
    const rng = createRng('cold-dense');
    const dense = Array.from({ length: 1200 }, () => ({
      features: { a: rng.normal(), b: rng.normal() + 3, c: rng.poisson(4) + 1 },
      churned: rng.next() < 0.3,
    }));
    const d1 = JSON.stringify(trainChurnModel(dense).toJSON());
    expect(JSON.stringify(trainChurnModel(dense).toJSON())).toBe(d1);
  });

  it('does not throw from its guess on hostile rows (the row checks report them)', () => {
    const hostile = Object.defineProperty({}, 'x', {
      enumerable: true,
      get() {
        throw new Error('getter');
      },
    });
    // One row, one class: the row checks refuse it before anything reads the getter again.
    const rows = [{ features: hostile, churned: true } as unknown as ChurnRow];
    expect(() => trainChurnModel(rows)).toThrow(InsufficientDataError);
  });
});
