import { describe, expect, it } from 'vitest';
import type { CustomerEvent } from '../../src/events/types';
import { explainChange } from '../../src/health/explainChange';
import { healthAlerts } from '../../src/health/healthAlerts';
import { healthHistory } from '../../src/health/healthHistory';
import type { Scorecard } from '../../src/health/scorecardSchema';
import { DAY } from '../helpers/events';
import { AS_OF, ev } from './_helpers';

/** Logins 0→30 per 30 days (weight 3) and open tickets (weight 1). */
const card: Scorecard = {
  id: 'h',
  groups: [
    {
      id: 'g',
      weight: 1,
      measures: [
        {
          id: 'logins',
          label: 'Logins',
          signal: 'logins',
          days: 30,
          weight: 3,
          curve: { type: 'linear', worst: 0, best: 30 },
        },
        {
          id: 'tickets',
          label: 'Open tickets',
          signal: 'openTickets',
          weight: 1,
          curve: { type: 'step', thresholds: [1], points: [100, 0] },
        },
      ],
    },
  ],
};

// One login a day from 120.5 to 30.5 days ago, none since; a ticket opened 10 days ago.
const events: CustomerEvent[] = [];
for (let d = 30; d <= 120; d++) events.push(ev('a', 'login', d + 0.5));
events.push(ev('a', 'ticket_opened', 10, undefined, { ticketId: 't1' }));

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
});

describe('healthAlerts', () => {
  it('raises drop, band and measure alerts once, each with its reason', () => {
    const history = healthHistory(events, { from: AS_OF - 40 * DAY, to: AS_OF, every: 10, scorecard: card });
    const alerts = healthAlerts(history, {
      drop: { points: 20, withinDays: 30 },
      bandChange: true,
      measures: [{ measure: 'tickets', below: 50 }],
    });
    // Scores: −40 d 100; −30 d 100; −20 d: 20 logins → 75 × 20/30 + 25 = 75 (still healthy);
    // −10 d: 10 logins → 25, ticket opened at that instant → 0 → 25 (at risk); today 0 (drop still active).
    expect(history[0]?.points.map((p) => p.score)).toEqual([
      100,
      100,
      expect.closeTo(75, 10),
      expect.closeTo(25, 10),
      0,
    ]);
    expect(alerts.map((a) => [a.kind, new Date(a.asOf).toISOString().slice(0, 10)])).toEqual([
      ['drop', '2025-05-12'],
      ['band', '2025-05-22'],
      ['measure', '2025-05-22'],
    ]);
    const drop = alerts[0];
    expect(drop?.from).toBe(100);
    expect(drop?.reason).toBe(
      'Score fell 25 points (100 → 75) within 30 days; main cause: 20 logins in the last 30 days (score 100 → 67): −25 points',
    );
    expect(alerts[1]?.reason).toBe(
      'Band changed from healthy to at risk (75 → 25); largest drag: 10 logins in the last 30 days',
    );
    expect(alerts[2]?.reason).toBe('Open tickets score is below 50 (now 0, was 100): 1 open support ticket');
  });

  it('only alerts on transitions into the listed bands', () => {
    const history = healthHistory(events, { from: AS_OF - 40 * DAY, to: AS_OF, every: 10, scorecard: card });
    const alerts = healthAlerts(history, { bandChange: { to: ['at risk'] } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.reason).toMatch(/^Band changed from healthy to at risk/);
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
