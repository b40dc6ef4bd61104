import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { healthAlerts } from '../../src/health/healthAlerts';
import { healthHistory } from '../../src/health/healthHistory';
import { DAY } from '../helpers/events';
import { AS_OF } from './_helpers';
import { card, events } from './_history';

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

  it('reads raw measure values when asked, and alerts again only after the condition cleared', () => {
    const history = healthHistory(events, { from: AS_OF - 40 * DAY, to: AS_OF, every: 10, scorecard: card });
    // Logins values: 30, 30, 20, 10, 0 → below 15 from −10 d on, one alert.
    const alerts = healthAlerts(history, { measures: [{ measure: 'logins', below: 15, on: 'value' }] });
    expect(alerts.map((a) => [a.kind, a.measure, a.from, a.to])).toEqual([['measure', 'logins', 20, 10]]);
    expect(alerts[0]?.reason).toMatch(/^Logins value is below 15 \(now 10, was 20\)/);
  });

  it('rejects unknown rule keys, bad drop rules and a history that is not an array', () => {
    const history = healthHistory(events, { from: AS_OF - 10 * DAY, to: AS_OF, every: 10, scorecard: card });
    expect(() => healthAlerts(history, { drops: { points: 5, withinDays: 7 } } as never)).toThrow(
      /unknown option "drops"; did you mean "drop"\?/,
    );
    expect(() => healthAlerts(history, { drop: { points: 0, withinDays: 7 } })).toThrow(
      /option "drop" needs positive "points" and "withinDays"/,
    );
    expect(() => healthAlerts(null as never, {})).toThrow(ValidationError);
    expect(healthAlerts(history, {})).toEqual([]);
  });
});
