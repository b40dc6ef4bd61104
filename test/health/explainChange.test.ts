import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { explainChange } from '../../src/health/explainChange';
import { healthHistory } from '../../src/health/healthHistory';
import type { Scorecard } from '../../src/health/scorecardSchema';
import { scoreHealth } from '../../src/health/scoreHealth';
import { DAY } from '../helpers/events';
import { AS_OF, ev } from './_helpers';
import { card, events } from './_history';

describe('explainChange', () => {
  it('attributes the change measure by measure, summing to the delta, ranked, with sentences', () => {
    const [h] = healthHistory(events, { from: AS_OF - 30 * DAY, to: AS_OF, every: 30, scorecard: card });
    const before = h?.points[0]?.result;
    const after = h?.points[1]?.result;
    if (before === undefined || after === undefined) throw new Error('missing points');
    const c = explainChange(before, after);
    expect(c.delta).toBe(-100);
    expect(c.changes.reduce((s, x) => s + x.delta, 0)).toBeCloseTo(c.computedDelta, 12);
    expect(c.changes.map((x) => [x.measure, x.delta])).toEqual([
      ['logins', expect.closeTo(-75, 10)],
      ['tickets', expect.closeTo(-25, 10)],
    ]);
    expect(c.changes[0]?.fromScore).toBeCloseTo(-75, 10); // 0.75 × (0 − 100)
    expect(c.changes[0]?.sentence).toBe('0 logins in the last 30 days (score 100 → 0): −75 points');
    expect(c.summary).toBe(
      'Score fell 100 points (100 → 0); main causes: 0 logins in the last 30 days (score 100 → 0): −75 points; ' +
        '1 open support ticket (score 100 → 0): −25 points',
    );
  });

  it('splits a change caused by re-spread weights from a change of the measure itself', () => {
    const c2: Scorecard = {
      id: 'w',
      groups: [
        {
          id: 'g',
          weight: 1,
          measures: [
            {
              id: 'logins',
              signal: 'logins',
              days: 30,
              weight: 1,
              curve: { type: 'linear', worst: 0, best: 30 },
            },
            { id: 'nps', signal: 'npsLatest', weight: 1, curve: { type: 'linear', worst: 0, best: 10 } },
          ],
        },
      ],
    };
    const evs = [...events, ev('a', 'nps_response', 45, 5)];
    const [h] = healthHistory(evs, {
      from: AS_OF - 50 * DAY,
      to: AS_OF - 40 * DAY,
      every: 10,
      scorecard: c2,
    });
    const c = explainChange(h?.points[0]?.result as never, h?.points[1]?.result as never);
    // Before: logins only (30 → 100). After: logins 100 (w ½) + NPS 50 (w ½) = 75.
    expect(c.delta).toBeCloseTo(-25, 10);
    const logins = c.changes.find((x) => x.measure === 'logins');
    expect(logins?.fromScore).toBeCloseTo(0, 12);
    expect(logins?.fromWeight).toBeCloseTo(-50, 10);
    expect(c.changes.find((x) => x.measure === 'nps')?.sentence).toBe(
      'Latest NPS answer 5/10 (detractor); newly counted: +25 points',
    );
  });

  it('never names a change that rounds to 0.0 points as a cause', () => {
    const two: Scorecard = {
      id: 't',
      groups: [
        {
          id: 'g',
          weight: 1,
          measures: [
            {
              id: 'logins',
              signal: 'logins',
              days: 30,
              weight: 1,
              curve: { type: 'linear', worst: 0, best: 30 },
            },
            {
              id: 'days',
              signal: 'daysSinceActivity',
              weight: 1,
              curve: { type: 'linear', worst: 10000, best: 0 },
            },
          ],
        },
      ],
    };
    // From one day to the next: logins drop 30 → 29 (−1.7 points), days since activity moves by a
    // fraction of a day on a 10,000-day scale (≈ 0.005 points).
    const [h] = healthHistory(events, {
      from: AS_OF - 30 * DAY,
      to: AS_OF - 29 * DAY,
      every: 1,
      scorecard: two,
    });
    const c = explainChange(h?.points[0]?.result as never, h?.points[1]?.result as never);
    const tiny = c.changes.find((x) => x.measure === 'days');
    expect(Math.abs(tiny?.delta ?? 1)).toBeLessThan(0.05);
    expect(tiny?.sentence).toMatch(/under 0\.1 points$/);
    expect(tiny?.sentence).not.toMatch(/[+−]0\.0 points/);
    expect(c.summary).not.toMatch(/Days since/);
  });

  it('rejects results of different customers, or values that are not health scores', () => {
    const [a, b] = scoreHealth([ev('a', 'login', 1), ev('b', 'login', 1)], { asOf: AS_OF, scorecard: card });
    expect(() => explainChange(a as never, b as never)).toThrow(
      /explainChange: option "after" is for customer "b" but "before" is for "a"/,
    );
    expect(() => explainChange(null as never, a as never)).toThrow(ValidationError);
    expect(() => explainChange(a as never, {} as never)).toThrow(/"after" must be a HealthScore/);
  });
});
