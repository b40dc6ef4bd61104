/** Hostile and extreme input to the metrics functions (#18): fast located errors, never a hang. */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { ces } from '../../src/metrics/ces';
import { csat } from '../../src/metrics/csat';
import { mrrMovements } from '../../src/metrics/mrrMovements';
import { revenueRetention } from '../../src/metrics/revenueRetention';
import { stickiness } from '../../src/metrics/stickiness';
import { supportMetrics } from '../../src/metrics/supportMetrics';
import { transactionalMetrics } from '../../src/metrics/transactionalMetrics';
import { ev } from '../helpers/events';
import { scenario } from './_fixtures';

function quick(f: () => unknown): number {
  const t0 = performance.now();
  try {
    f();
  } catch {
    // the caller checks the error separately
  }
  return performance.now() - t0;
}

describe('series ranges that used to loop', () => {
  it('rejects to >= 8.64e15 at once (the date arithmetic would give NaN and never end)', () => {
    for (const fn of [mrrMovements, revenueRetention]) {
      expect(() => fn(scenario, { from: '2024-01-01', to: 8.64e15 })).toThrow(
        /option "to" is (outside the supported date range|not a valid date)/,
      );
      expect(quick(() => fn(scenario, { from: '2024-01-01', to: 8.64e15 }))).toBeLessThan(1000);
      expect(() => fn(scenario, { from: 0, to: 1e20 })).toThrow(ValidationError);
    }
  });

  it('counts periods before building them: days from 2000 to 9999 fail immediately', () => {
    const opts = { from: '2000-01-01', to: '9999-12-31', period: 'day' as const };
    expect(() => mrrMovements(scenario, opts)).toThrow(/option "period" gives more than 100000 periods/);
    expect(quick(() => mrrMovements(scenario, opts))).toBeLessThan(200);
  });

  it('handles events at the last valid JS date or at 1e20 ms without looping', () => {
    const far = [
      ...scenario,
      ev('Z', 'subscription_started', 8.64e15, 10),
      ev('Y', 'subscription_started', 1e20, 5),
    ];
    const t0 = performance.now();
    const range = { from: '2024-01-01', to: '2024-03-01' };
    const out = mrrMovements(far, range);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(out).toHaveLength(2);
    // Z and Y start far after the range: the movements are those of the scenario alone.
    expect(out.map((p) => p.cents)).toEqual(mrrMovements(scenario, range).map((p) => p.cents));
  });
});

describe('options', () => {
  it('rejects unknown option keys in every metrics function, naming the closest valid key', () => {
    expect(() =>
      mrrMovements(scenario, { from: '2024-01-01', to: '2024-03-01', perod: 'day' } as never),
    ).toThrow(/mrrMovements: unknown option "perod"; did you mean "period"\?/);
    expect(() =>
      stickiness(scenario, { from: '2024-01-01', to: '2024-03-01', levl: 'users' } as never),
    ).toThrow(/did you mean "level"\?/);
    expect(() => supportMetrics(scenario, { asOf: '2024-03-01', custmers: 3 } as never)).toThrow(
      /did you mean "customers"\?/,
    );
    expect(() => transactionalMetrics(scenario, { form: '2024-01-01' } as never)).toThrow(
      /did you mean "from"\?/,
    );
    expect(() => csat([5], { topBox: 2 } as never)).toThrow(/did you mean "topBoxes"\?/);
    expect(() => mrrMovements(null as never, { from: '2024-01-01', to: '2024-03-01' })).toThrow(
      ValidationError,
    );
  });

  it('accepts csat(scores, { scale: 5 }) as 1..5 and ces { scale: 7 } as 1..7', () => {
    // 4 and 5 are the top two boxes of 1..5: 2 of 3 satisfied.
    expect(csat([5, 4, 2], { scale: 5 })).toMatchObject({ value: 2 / 3, n: 3, satisfiedFrom: 4 });
    expect(csat([5, 4, 2], { scale: 5 })).toEqual(csat([5, 4, 2], { scale: { min: 1, max: 5 } }));
    expect(ces([1, 2, 6], { scale: 7 })).toEqual(ces([1, 2, 6]));
    expect(() => csat([5], { scale: 1 })).toThrow(/option "scale" as a number means 1\.\.n/);
    expect(() => csat([5], { scale: { min: 5 } as never })).toThrow(
      /must be \{ min, max \} \(integers, max > min\) or a number n meaning 1\.\.n/,
    );
  });
});

describe('the asOf rule in metrics', () => {
  it('counts a ticket opened exactly at asOf, and not one a millisecond later', () => {
    const asOf = Date.UTC(2024, 2, 10);
    const events = [
      ev('a', 'login', asOf - 5),
      ev('a', 'ticket_opened', asOf, undefined, { ticketId: 't1' }),
      ev('a', 'ticket_opened', asOf + 1, undefined, { ticketId: 't2' }),
    ];
    const s = supportMetrics(events, { asOf });
    expect(s.opened).toBe(1);
    expect(s.openAtAsOf).toBe(1);
  });
});
