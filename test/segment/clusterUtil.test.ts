import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { medianInPlace, selectKth } from '../../src/segment/_util';

describe('selection helpers of the cluster preparation', () => {
  it('medianInPlace: 5 → middle value, 4 → mean of the two middle values (hand-checked)', () => {
    expect(medianInPlace(Float64Array.of(9, 1, 5, 3, 7), 5)).toBe(5); // sorted 1 3 5 7 9
    expect(medianInPlace(Float64Array.of(10, 0, 1, 10), 4)).toBe(5.5); // sorted 0 1 10 10 → (1 + 10) / 2
    expect(medianInPlace(Float64Array.of(4, 2, 99), 2)).toBe(3); // only the first two values count
  });

  it('property: selectKth returns the k-th smallest and partitions around it; the median equals the sorted one', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.integer({ min: -5, max: 5 }),
            fc.double({ noNaN: true, min: -1e6, max: 1e6 }).map((v) => (v === 0 ? 0 : v)) /* no −0 */,
          ),
          {
            minLength: 1,
            maxLength: 60,
          },
        ),
        fc.nat(),
        (values, kRaw) => {
          const sorted = Float64Array.from(values).sort();
          const k = kRaw % values.length;
          const a = Float64Array.from(values);
          const v = selectKth(a, k, 0, a.length - 1);
          expect(v).toBe(sorted[k]);
          for (let i = 0; i < k; i++) expect(a[i] as number).toBeLessThanOrEqual(v);
          for (let i = k + 1; i < a.length; i++) expect(a[i] as number).toBeGreaterThanOrEqual(v);
          expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from(sorted));
          const m = sorted.length;
          const median =
            m % 2 === 1
              ? (sorted[(m - 1) >> 1] as number)
              : ((sorted[m / 2 - 1] as number) + (sorted[m / 2] as number)) / 2;
          expect(medianInPlace(Float64Array.from(values), m)).toBe(median);
        },
      ),
      { numRuns: 500, seed: 18 },
    );
  });
});
