import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addPeriods,
  findPeriod,
  findPeriodNear,
  isValidTimeZone,
  periodBoundaries,
  periodEnd,
  periodRange,
  periodStart,
} from '../../src/_lib/period';
import { at, HOUR } from '../helpers/events';

// src/_lib/period.ts is created by the metrics module; its tests live here with the metrics suite.
describe('period boundaries', () => {
  it('cuts UTC months, quarters and ISO weeks', () => {
    const t = at('2024-02-29T13:45:00Z');
    expect(periodStart(t, 'month')).toBe(at('2024-02-01'));
    expect(periodEnd(t, 'month')).toBe(at('2024-03-01'));
    expect(periodStart(t, 'quarter')).toBe(at('2024-01-01'));
    // 2024-02-29 is a Thursday; the ISO week starts Monday 2024-02-26, a Sunday week on the 25th.
    expect(periodStart(t, 'week')).toBe(at('2024-02-26'));
    expect(periodStart(t, 'week', 'UTC', 0)).toBe(at('2024-02-25'));
    expect(periodStart(t, 'day')).toBe(at('2024-02-29'));
    expect(addPeriods(at('2024-01-01'), 'quarter', 3)).toBe(at('2024-10-01'));
  });

  it('gives a 23-hour and a 25-hour day across New York DST changes', () => {
    const spring = periodStart(at('2024-03-10T12:00:00Z'), 'day', 'America/New_York');
    expect(spring).toBe(at('2024-03-10T05:00:00Z')); // midnight EST = 05:00Z
    expect(periodEnd(spring, 'day', 'America/New_York') - spring).toBe(23 * HOUR);
    const autumn = periodStart(at('2024-11-03T12:00:00Z'), 'day', 'America/New_York');
    expect(autumn).toBe(at('2024-11-03T04:00:00Z')); // midnight EDT = 04:00Z
    expect(periodEnd(autumn, 'day', 'America/New_York') - autumn).toBe(25 * HOUR);
  });

  it('puts New York month starts at local midnight on both sides of DST', () => {
    const b = periodBoundaries(at('2024-02-15'), at('2024-04-15'), 'month', { timeZone: 'America/New_York' });
    expect(Array.from(b)).toEqual([
      at('2024-02-01T05:00:00Z'),
      at('2024-03-01T05:00:00Z'),
      at('2024-04-01T04:00:00Z'),
      at('2024-05-01T04:00:00Z'),
    ]);
  });

  it('covers every whole period intersecting [from, to) and finds instants by binary search', () => {
    const b = periodBoundaries(at('2024-01-15'), at('2024-03-01'), 'month');
    expect(Array.from(b)).toEqual([at('2024-01-01'), at('2024-02-01'), at('2024-03-01')]);
    expect(periodRange(at('2024-01-15'), at('2024-03-01T00:00:00.001Z'), 'month')).toHaveLength(3);
    expect(periodBoundaries(at('2024-03-01'), at('2024-03-01'), 'month')).toHaveLength(0);
    expect(findPeriod(b, at('2024-02-01'))).toBe(1); // a boundary belongs to the later period
    expect(findPeriod(b, at('2024-02-01') - 1)).toBe(0);
    expect(findPeriod(b, at('2024-03-01'))).toBe(-1);
    expect(findPeriod(b, at('2023-12-31'))).toBe(-1);
  });

  it('rejects unknown time zones', () => {
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('Pacific/Kiritimati')).toBe(true);
    expect(() => periodStart(0, 'day', 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('UTC fast path', () => {
  it('agrees with date-fns in Etc/UTC for any instant, period and week start', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: at('1969-01-01'), max: at('2100-01-01') }),
        fc.constantFrom('day', 'week', 'month', 'quarter') as fc.Arbitrary<
          'day' | 'week' | 'month' | 'quarter'
        >,
        fc.integer({ min: 0, max: 6 }) as fc.Arbitrary<0 | 1 | 2 | 3 | 4 | 5 | 6>,
        fc.integer({ min: -30, max: 30 }),
        (t, period, weekStartsOn, k) => {
          const fast = periodStart(t, period, 'UTC', weekStartsOn);
          expect(fast).toBe(periodStart(t, period, 'Etc/UTC', weekStartsOn));
          expect(addPeriods(fast, period, k)).toBe(addPeriods(fast, period, k, 'Etc/UTC'));
          expect(addPeriods(t, period, k)).toBe(addPeriods(t, period, k, 'Etc/UTC'));
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('findPeriodNear', () => {
  it('returns what findPeriod returns, whatever the hint', () => {
    const b = periodBoundaries(at('2024-01-01'), at('2025-01-01'), 'week');
    fc.assert(
      fc.property(
        fc.integer({ min: at('2023-12-01'), max: at('2025-02-01') }),
        fc.integer({ min: -1, max: 60 }),
        (t, hint) => {
          expect(findPeriodNear(b, t, hint)).toBe(findPeriod(b, t));
        },
      ),
      { numRuns: 500, seed: 11 },
    );
  });
});
