import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { medianInPlace } from '../../src/segment/_util';

describe('selection helpers of the cluster preparation', () => {
  it('medianInPlace: 5 → middle value, 4 → mean of the two middle values (hand-checked)', () => {
    expect(medianInPlace(Float64Array.of(9, 1, 5, 3, 7), 5)).toBe(5); // sorted 1 3 5 7 9
    expect(medianInPlace(Float64Array.of(10, 0, 1, 10), 4)).toBe(5.5); // sorted 0 1 10 10 → (1 + 10) / 2
    expect(medianInPlace(Float64Array.of(4, 2, 99), 2)).toBe(3); // only the first two values count
    // 100 values 1..100 (bucketed path): (50 + 51) / 2; with one huge outlier the buckets are wide.
    const hundred = Float64Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(medianInPlace(hundred, 100)).toBe(50.5);
    const skewed = Float64Array.from({ length: 101 }, (_, i) => (i === 100 ? 1e15 : i));
    expect(medianInPlace(skewed, 101)).toBe(50);
  });

  it('property: equals the median of the sorted values (few values, ties, wide and narrow ranges)', () => {
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
        fc.integer({ min: 1, max: 40 }),
        (values, repeat) => {
          // Repeating the values reaches the bucketed path (more than 64 values) with many ties.
          const all = Array.from({ length: repeat }, () => values).flat();
          const sorted = Float64Array.from(all).sort();
          const m = sorted.length;
          const median =
            m % 2 === 1
              ? (sorted[(m - 1) >> 1] as number)
              : ((sorted[m / 2 - 1] as number) + (sorted[m / 2] as number)) / 2;
          expect(medianInPlace(Float64Array.from(all), m)).toBe(median);
        },
      ),
      { numRuns: 500, seed: 18 },
    );
  });
});
