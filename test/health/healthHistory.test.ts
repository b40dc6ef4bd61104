import { describe, expect, it } from 'vitest';
import { explainChange } from '../../src/health/explainChange';
import { healthAlerts } from '../../src/health/healthAlerts';
import { healthHistory } from '../../src/health/healthHistory';
import type { Scorecard } from '../../src/health/scorecardSchema';
import { DAY } from '../helpers/events';
import { AS_OF, ev } from './_helpers';
import { card, events } from './_history';

describe('healthHistory', () => {
  it('recomputes every date from the events up to it, with delta and direction from actual scores', () => {
    const [h] = healthHistory(events, { from: AS_OF - 60 * DAY, to: AS_OF, every: 30, scorecard: card });
    expect(h?.points.map((p) => p.asOf)).toEqual([AS_OF - 60 * DAY, AS_OF - 30 * DAY, AS_OF]);
    // −60 d: 30 logins in its last 30 days → 100 × 3/4 + 100 × 1/4 = 100
    // −30 d: the logins 30.5 … 59.5 days ago → 30 → 100
    // today: 0 logins (the latest was 30.5 days ago), 1 open ticket → 0
    expect(h?.points.map((p) => p.score)).toEqual([100, 100, 0]);
    expect(h?.points.map((p) => p.delta)).toEqual([null, 0, -100]);
    expect(h?.points.map((p) => p.direction)).toEqual([null, 'flat', 'down']);
    expect(h?.points[2]?.band).toBe('at risk');
  });

  it('steps by calendar months in UTC', () => {
    const [h] = healthHistory(events, {
      from: '2025-01-31',
      to: '2025-05-31',
      every: 'month',
      scorecard: card,
    });
    expect(h?.points.map((p) => new Date(p.asOf).toISOString().slice(0, 10))).toEqual([
      '2025-02-28',
      '2025-03-31',
      '2025-04-30',
      '2025-05-31',
    ]);
  });

  it('rejects a reversed range', () => {
    expect(() => healthHistory(events, { from: AS_OF, to: AS_OF - DAY })).toThrow(
      /healthHistory: option "to" is before "from"/,
    );
  });
});

describe('missing data in history, changes and alerts', () => {
  // Customer z has only a ticket until 20 days ago, then logins: its score is null before the logins
  // under a logins-only scorecard.
  const loginsOnly: Scorecard = {
    id: 'lo',
    groups: [
      {
        id: 'g',
        weight: 1,
        measures: [
          { id: 'logins', signal: 'logins', weight: 1, curve: { type: 'linear', worst: 0, best: 10 } },
        ],
      },
    ],
  };
  const evs = [
    ev('z', 'ticket_opened', 40, undefined, { ticketId: 'x' }),
    ev('z', 'login', 5),
    ev('z', 'login', 4),
  ];

  it('gives null deltas and raises no drop or band alert around null scores', () => {
    const history = healthHistory(evs, {
      from: AS_OF - 30 * DAY,
      to: AS_OF,
      every: 15,
      scorecard: loginsOnly,
    });
    expect(history[0]?.points.map((p) => [p.score, p.delta, p.direction])).toEqual([
      [null, null, null],
      [null, null, null],
      [20, null, null], // 2 logins / 10
    ]);
    expect(healthAlerts(history, { drop: { points: 1, withinDays: 60 }, bandChange: true })).toEqual([]);
  });

  it('explains a change from a null score as every measure newly counted', () => {
    const history = healthHistory(evs, {
      from: AS_OF - 15 * DAY,
      to: AS_OF,
      every: 15,
      scorecard: loginsOnly,
    });
    const [before, after] = history[0]?.points ?? [];
    const c = explainChange(before?.result as never, after?.result as never);
    expect(c.delta).toBeNull();
    expect(c.computedDelta).toBe(20);
    expect(c.changes.map((x) => [x.measure, x.delta, x.fromWeight])).toEqual([['logins', 20, 20]]);
    expect(c.summary).toBe('No comparison: one of the two scores is null.');
  });
});
