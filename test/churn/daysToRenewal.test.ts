import { addMonths } from 'date-fns';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UTC } from '../../src/_lib/time';
import { daysToRenewal } from '../../src/churn/churnFeatures';

const DAY = 86_400_000;

/** The rule written with date-fns, as churnFeatures computed it before the UTC fast path. */
function byDateFns(termStart: number, prevTermStart: number, asOf: number): number {
  const term = !Number.isNaN(prevTermStart)
    ? Math.max(1, Math.round((termStart - prevTermStart) / (30.44 * DAY)))
    : addMonths(termStart, 1, { in: UTC }).getTime() >= asOf
      ? 1
      : 12;
  let next = addMonths(termStart, term, { in: UTC }).getTime();
  for (let guard = 0; next < asOf && guard < 1200; guard++)
    next = addMonths(next, term, { in: UTC }).getTime();
  return (next - asOf) / DAY;
}

describe('daysToRenewal', () => {
  it('rolls a monthly term from 31 January forward month by month, clamping the day (hand-computed)', () => {
    // Jan 31 -> Feb 29 (2024 is a leap year) -> Mar 29 -> Apr 29; as of Apr 15: 14 days.
    const start = Date.UTC(2024, 0, 31);
    expect(daysToRenewal(start, Date.UTC(2023, 11, 31), true, undefined, Date.UTC(2024, 3, 15))).toBe(14);
  });

  it('equals the date-fns computation for any term start, previous start and asOf', () => {
    const instant = fc.integer({ min: Date.UTC(1995, 0, 1), max: Date.UTC(2060, 0, 1) });
    fc.assert(
      fc.property(
        instant,
        fc.option(fc.integer({ min: 1, max: 800 }), { nil: undefined }),
        fc.integer({ min: 0, max: 4000 }),
        (start, prevDays, laterDays) => {
          const prev = prevDays === undefined ? Number.NaN : start - prevDays * DAY;
          const asOf = start + laterDays * DAY * 0.9;
          expect(daysToRenewal(start, prev, true, undefined, asOf)).toBe(byDateFns(start, prev, asOf));
        },
      ),
      { numRuns: 400 },
    );
  });
});
