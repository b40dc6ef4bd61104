import { describe, expect, it } from 'vitest';
import type { CustomerEvent } from '../../src/events/types';
import { type EventGroups, groupEvents } from '../../src/health/_groupEvents';
import type { Scorecard } from '../../src/health/scorecardSchema';
import { scoreHealth } from '../../src/health/scoreHealth';
import { DAY, shuffled } from '../helpers/events';
import { AS_OF, ev } from './_helpers';

/** A small mixed data set: logins, features, tickets (some high priority), surveys, billing; shuffled. */
function dataSet(customers: number, perCustomer: number, seed: number): CustomerEvent[] {
  const out: CustomerEvent[] = [];
  for (let c = 0; c < customers; c++) {
    const id = `c${seed}-${c}`;
    for (let i = 0; i < perCustomer; i++) {
      const daysAgo = ((i * 7 + c * 3) % 120) + 0.25;
      const userId = `${id}-u${i % 3}`;
      switch (i % 6) {
        case 0:
          out.push(ev(id, 'login', daysAgo, undefined, { userId }));
          break;
        case 1:
          out.push(ev(id, 'feature_used', daysAgo, 1, { userId, feature: `f${i % 4}` }));
          break;
        case 2:
          out.push(
            ev(id, 'ticket_opened', daysAgo, undefined, {
              ticketId: `t${i}`,
              priority: i % 4 ? 'low' : 'high',
            }),
          );
          break;
        case 3:
          out.push(ev(id, 'ticket_resolved', daysAgo - 0.1, undefined, { ticketId: `t${i - 1}` }));
          break;
        case 4:
          out.push(ev(id, 'nps_response', daysAgo, (c + i) % 11));
          break;
        default:
          out.push(ev(id, 'invoice_paid', daysAgo, 100));
      }
    }
  }
  return shuffled(out, seed);
}

function columnsOf(g: EventGroups): Record<string, number[]> {
  const c = g.cols;
  return {
    offsets: Array.from(g.offsets),
    ts: Array.from(c.ts),
    kind: Array.from(c.kind),
    val: Array.from(c.val),
    user: Array.from(c.user),
    feat: Array.from(c.feat),
    tkt: Array.from(c.tkt),
    flag: Array.from(c.flag),
    sizes: [c.users, c.features, c.tickets],
  };
}

describe('grouping buffer (one per call, nothing kept between calls)', () => {
  it('gives each grouping a buffer of its own, filled the same way for the same events', () => {
    const small = dataSet(20, 9, 2);
    const g1 = groupEvents(dataSet(30, 12, 1));
    const a = groupEvents(small);
    const b = groupEvents(small);
    expect(a.buffer).not.toBe(g1.buffer);
    expect(a.buffer).not.toBe(b.buffer);
    expect(columnsOf(a)).toEqual(columnsOf(b));
    expect(a.ids).toEqual(b.ids);
    expect(a.eventsOf(3)).toEqual(b.eventsOf(3));
  });

  it('gives the same scores after another data set was scored', () => {
    const x = dataSet(25, 10, 5);
    const y = dataSet(40, 11, 6);
    const first = scoreHealth(x, { asOf: AS_OF });
    scoreHealth(y, { asOf: AS_OF });
    const again = scoreHealth(x, { asOf: AS_OF });
    expect(again).toEqual(first);
    expect(again.warnings).toEqual(first.warnings);
  });

  it('does not share the buffer with a custom signal that calls scoreHealth itself', () => {
    const card: Scorecard = {
      id: 'c',
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
              curve: { type: 'linear', worst: 0, best: 4 },
            },
            {
              id: 'users',
              signal: 'activeUsers',
              days: 60,
              weight: 1,
              curve: { type: 'linear', worst: 0, best: 3 },
            },
            { id: 'nested', signal: 'nested', weight: 1, curve: { type: 'linear', worst: 0, best: 10 } },
          ],
        },
      ],
    };
    const x = dataSet(25, 10, 7);
    const inner = dataSet(30, 10, 8);
    const innerScored = scoreHealth(inner, { asOf: AS_OF }).length;
    const direct = { nested: { compute: () => innerScored, describe: (v: number) => `${v} scored` } };
    const reentrant = {
      nested: {
        compute: () => scoreHealth(inner, { asOf: AS_OF }).length,
        describe: (v: number) => `${v} scored`,
      },
    };
    const expected = scoreHealth(x, { asOf: AS_OF, scorecard: card, signals: direct });
    const got = scoreHealth(x, { asOf: AS_OF, scorecard: card, signals: reentrant });
    expect(got).toEqual(expected);
    // the logins measure still reads this call's columns: 30-day logins of the first customer
    const c0 = expected.find((s) => s.customerId === 'c7-0');
    const logins = x.filter(
      (e) => e.customerId === 'c7-0' && e.type === 'login' && e.timestamp > AS_OF - 30 * DAY,
    ).length;
    expect(c0?.measures.find((m) => m.id === 'logins')?.value).toBe(logins);
  });
});
