import { describe, expect, it } from 'vitest';
import { groupByCustomer } from '../../src/events/groupByCustomer';
import type { CustomerEvent } from '../../src/events/types';
import { groupEventRange, planEvents } from '../../src/health/_eventPlan';
import { type EventGroups, groupEvents } from '../../src/health/_groupEvents';
import type { Scorecard } from '../../src/health/scorecardSchema';
import { type ScoreHealthOptions, scoreEventArray, scoreHealth } from '../../src/health/scoreHealth';
import { DAY, shuffled } from '../helpers/events';
import { AS_OF, ev } from './_helpers';

/**
 * Customers of 1 to 40 events (one of 300), mixing activity with users and features, tickets
 * (some high priority, numeric and string ids), surveys, billing and purchases; some times tied
 * (same instant, different types or values); shuffled.
 */
function dataSet(customers: number, seed: number): CustomerEvent[] {
  const out: CustomerEvent[] = [];
  for (let c = 0; c < customers; c++) {
    const id = `k${(c * 7919) % customers}`;
    const n = c === 3 ? 300 : 1 + ((c * 13) % 40);
    for (let i = 0; i < n; i++) {
      const daysAgo = ((i * 11 + c * 5) % 150) + (i % 4 === 0 ? 0 : 0.25);
      const userId = i % 5 === 0 ? 7 : `${id}-u${i % 3}`;
      switch (i % 7) {
        case 0:
          out.push(ev(id, 'login', daysAgo, undefined, { userId }));
          break;
        case 1:
          out.push(ev(id, 'feature_used', daysAgo, 1, { userId, feature: `f${i % 4}` }));
          break;
        case 2:
          out.push(
            ev(id, 'ticket_opened', daysAgo, undefined, {
              ticketId: i % 2 ? `t${i}` : i,
              priority: i % 3 ? 'low' : 'HIGH',
            }),
          );
          break;
        case 3:
          out.push(ev(id, 'ticket_resolved', daysAgo - 0.1, undefined, { ticketId: `t${i - 1}` }));
          break;
        case 4:
          out.push(ev(id, 'nps_response', daysAgo, (c + i) % 11));
          break;
        case 5:
          out.push(ev(id, 'purchase', daysAgo, 10 + (i % 3)));
          break;
        default:
          out.push(ev(id, 'invoice_paid', daysAgo, 100));
      }
    }
  }
  return shuffled(out, seed);
}

/** Each customer's rows (columns and source events) of a grouping, by customer id. */
function rowsById(g: EventGroups): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const c = g.cols;
  g.ids.forEach((id, r) => {
    const lo = g.offsets[r] as number;
    const hi = g.offsets[r + 1] as number;
    const pick = (a: ArrayLike<number>): number[] => Array.from(a).slice(lo, hi);
    out.set(id, {
      ts: pick(c.ts),
      kind: pick(c.kind),
      val: pick(c.val),
      user: pick(c.user),
      feat: pick(c.feat),
      tkt: pick(c.tkt),
      flag: pick(c.flag),
      events: g.eventsOf(r),
    });
  });
  return out;
}

describe('event ranges (scoreHealth groups an event array one range of customers at a time)', () => {
  const events = dataSet(120, 3);

  it('groups each range as the whole grouping does (rows, columns, ids, source events)', () => {
    const whole = groupEvents(events);
    const plan = planEvents(events, 'scoreHealth', undefined, 150);
    expect(plan.bounds.length).toBeGreaterThan(10);
    const got = new Map<string, unknown>();
    let maxRows = 0;
    for (let k = 0; k + 1 < plan.bounds.length; k++) {
      const g = groupEventRange(plan, k);
      maxRows = Math.max(maxRows, g.cols.ts.length);
      // a range holds at most 150 events, unless it is one customer with more
      expect(g.cols.ts.length <= 150 || g.ids.length === 1).toBe(true);
      for (const [id, rows] of rowsById(g)) got.set(id, rows);
    }
    expect(maxRows).toBe(plan.maxRows);
    expect(maxRows).toBe(300);
    expect([...got.keys()]).toEqual(whole.ids);
    expect(got).toEqual(rowsById(whole));
    // and in groupByCustomer's order (time, then the library's order of ties)
    const timelines = groupByCustomer(events);
    for (const [id, t] of timelines) expect((got.get(id) as { events: unknown }).events).toEqual(t.events);
  });

  it('groups the same from records in a Float64Array (very large inputs) as in a plain array', () => {
    const plain = planEvents(events, 'scoreHealth', undefined, 150);
    const typed = planEvents(events, 'scoreHealth', undefined, 150, 0);
    expect(Array.isArray(plain.rec)).toBe(true);
    expect(typed.rec).toBeInstanceOf(Float64Array);
    for (let k = 0; k + 1 < plain.bounds.length; k++)
      expect(rowsById(groupEventRange(typed, k))).toEqual(rowsById(groupEventRange(plain, k)));
  });

  it('gives ranges that share one buffer the same rows as ranges with their own', () => {
    const plan = planEvents(events, 'scoreHealth', undefined, 100);
    const shared = new ArrayBuffer(38 * plan.maxRows);
    for (let k = 0; k + 1 < plan.bounds.length; k++) {
      const a = rowsById(groupEventRange(plan, k, shared));
      expect(a).toEqual(rowsById(groupEventRange(plan, k)));
    }
  });

  it('scores the same whatever the range size, and as from timelines (percentiles over everyone)', () => {
    const card: Scorecard = {
      id: 'ranked',
      groups: [
        {
          id: 'g',
          weight: 1,
          measures: [
            { id: 'logins', signal: 'logins', days: 60, weight: 1, curve: { type: 'percentile' } },
            {
              id: 'users',
              signal: 'activeUsers',
              days: 30,
              weight: 1,
              curve: { type: 'linear', worst: 0, best: 3 },
            },
            { id: 'tickets', signal: 'openTickets', weight: 1, curve: { type: 'linear', worst: 5, best: 0 } },
          ],
        },
      ],
    };
    const asOf2 = AS_OF - 20 * DAY;
    for (const options of [{ asOf: AS_OF }, { asOf: asOf2, scorecard: card }] as (ScoreHealthOptions & {
      asOf: number;
    })[]) {
      const expected = scoreHealth(groupByCustomer(events), options);
      for (const rows of [1, 64, 1000, 1 << 16]) {
        const got = scoreEventArray(events, options, 'scoreHealth', options.asOf, rows);
        expect(got).toEqual(expected);
        expect(got.warnings).toEqual(expected.warnings);
      }
    }
  });

  it('scores an empty array and reports invalid events first, in input order', () => {
    const empty = scoreEventArray([], { asOf: AS_OF }, 'scoreHealth', AS_OF, 10);
    expect(empty.length).toBe(0);
    expect(empty.warnings).toEqual(scoreHealth(new Map(), { asOf: AS_OF }).warnings);
    const bad = [...events.slice(0, 5), { customerId: 5, type: 'login', timestamp: AS_OF }, ...events];
    expect(() =>
      scoreHealth(bad as CustomerEvent[], { asOf: AS_OF, scorecard: { id: 'x' } as never }),
    ).toThrow(/events\[5\]|index 5|customerId/);
  });
});
