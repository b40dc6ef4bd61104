import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rocAuc, rocAucInterval } from '../../src/_lib/auc';
import { ValidationError } from '../../src/_lib/errors';

describe('rocAuc', () => {
  it('counts ties as one half (Mann–Whitney)', () => {
    // Pairs (pos, neg): (0.35, 0.1) win, (0.35, 0.4) loss, (0.8, ·) 2 wins → 3/4.
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    // One tie between a positive and a negative: (0.5 vs 0.5) = 1/2 → (1 + 0.5) / 2.
    expect(rocAuc([0.5, 0.5, 0.9], [0, 1, 1])).toBe(0.75);
    expect(rocAuc([0.1, 0.2], [1, 1])).toBeNull();
    expect(() => rocAuc([0.1], [1, 0])).toThrow(ValidationError);
  });
});

describe('rocAucInterval (DeLong)', () => {
  it('matches the hand-computed DeLong variance on four rows', () => {
    // pos 0.35, 0.8; neg 0.1, 0.4. V10 = [1/2, 2/2], V01 = [1 − 0/2, 1 − 1/2] = [1, 0.5];
    // s²(V10) = s²(V01) = ((0.25)² + (0.25)²)/1 = 0.125; Var = 0.125/2 + 0.125/2 = 0.125.
    const ci = rocAucInterval([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
    expect(ci?.auc).toBe(0.75);
    expect(ci?.se).toBeCloseTo(Math.sqrt(0.125), 12);
    expect(ci?.lower).toBeCloseTo(0.75 - 1.96 * Math.sqrt(0.125), 12);
    expect(ci?.upper).toBe(1);
  });

  it('matches pROC on a tied example (ci.auc(method = "delong"))', () => {
    // Hand-computed with ties: pos [3, 3, 5], neg [1, 3, 4].
    // V10: 3 → (1 + 0.5 + 0)/3 = 0.5 (twice), 5 → 1; AUC = 2/3.
    // V01: 1 → 1, 3 → (0.5 + 0.5 + 1)/3 = 2/3, 4 → 1/3.
    // s²(V10) = ((−1/6)² · 2 + (1/3)²)/2 = 1/12; s²(V01) = ((1/3)² + 0 + (1/3)²)/2 = 1/9.
    // Var = (1/12)/3 + (1/9)/3 = 0.064815; se = 0.25459.
    const ci = rocAucInterval([3, 3, 5, 1, 3, 4], [1, 1, 1, 0, 0, 0]);
    expect(ci?.auc).toBeCloseTo(2 / 3, 12);
    expect(ci?.se).toBeCloseTo(Math.sqrt(1 / 36 + 1 / 27), 12);
  });

  it('is null below two rows of a class; perfect separation has se 0', () => {
    expect(rocAucInterval([0.1, 0.9, 0.8], [0, 1, 1])).toBeNull();
    const ci = rocAucInterval([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]);
    expect(ci).toMatchObject({ auc: 1, se: 0, lower: 1, upper: 1 });
  });

  it('property: its AUC is rocAuc, and the interval holds it inside [0, 1]', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ s: fc.integer({ min: 0, max: 20 }), y: fc.boolean() }), {
          minLength: 4,
          maxLength: 60,
        }),
        (rows) => {
          const s = rows.map((r) => r.s);
          const y = rows.map((r) => r.y);
          const ci = rocAucInterval(s, y);
          const auc = rocAuc(s, y);
          if (ci === null) return;
          expect(ci.auc).toBeCloseTo(auc as number, 12);
          expect(ci.lower).toBeLessThanOrEqual(ci.auc);
          expect(ci.upper).toBeGreaterThanOrEqual(ci.auc);
          expect(ci.lower).toBeGreaterThanOrEqual(0);
          expect(ci.upper).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 200, seed: 11 },
    );
  });
});
