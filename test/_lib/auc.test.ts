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

describe('rocAuc / rocAucInterval on hostile input (#18 fuzz)', () => {
  it('names the function and the argument instead of a TypeError on a missing or non-array argument', () => {
    // Before: rocAuc([...], undefined) threw "Cannot read properties of undefined (reading 'length')".
    expect(() => rocAuc([0.1, 0.2], undefined as never)).toThrow(
      /^rocAuc: .*labels must be an array, got undefined/,
    );
    expect(() => rocAucInterval(null as never, [0, 1])).toThrow(
      /^rocAucInterval: .*scores must be an array, got null/,
    );
    expect(() => rocAuc('01' as never, '01' as never)).toThrow(ValidationError);
  });

  it('rejects labels other than 0/1/true/false instead of counting them as negatives', () => {
    // Before: 'yes' counted as a negative: rocAuc([0.9, 0.1], ['yes', 0]) was null (no positive).
    expect(() => rocAuc([0.9, 0.1], ['yes', 0] as never)).toThrow(
      /rocAuc: .*label must be 0, 1, true or false, got "yes"/,
    );
    expect(() => rocAucInterval([0.9, 0.1], [10n, 0] as never)).toThrow(/got 10n/);
  });

  it('skips scores that are not finite numbers (a string, a symbol) like NaN', () => {
    // Two usable pairs: positive 0.8 vs negative 0.1 → AUC 1.
    expect(rocAuc([0.8, 'x', Symbol.iterator, 0.1] as never, [1, 1, 0, 0])).toBe(1);
  });
});
