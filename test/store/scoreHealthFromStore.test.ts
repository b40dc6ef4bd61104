/**
 * scoreHealthFromStore reads the store's columns directly: its results must be byte-identical to
 * scoreHealth on the same events (as an array in any order, or as timelines), whatever the order
 * the store was built from.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/_lib/random';
import { groupByCustomer } from '../../src/events/groupByCustomer';
import { parseEvents } from '../../src/events/parseEvents';
import type { CustomerEvent } from '../../src/events/types';
import type { Scorecard } from '../../src/health/scorecardSchema';
import { scoreHealth } from '../../src/health/scoreHealth';
import { generateSaasEvents } from '../../src/sample';
import { orderedHealthFromStore, scoreHealthFromStore } from '../../src/store/scoreHealthFromStore';
import { toEventStore } from '../../src/store/toEventStore';
import { DAY, ev } from '../helpers/events';

/** sha1 of the JSON of the scores and of the run warnings (what "identical" means here). */
function digest(list: ReturnType<typeof scoreHealth>): string {
  return createHash('sha1')
    .update(JSON.stringify(list))
    .update(JSON.stringify(list.warnings))
    .update(list.scorecard)
    .digest('hex');
}

/** The three orders exports come in: by time (a log), by customer then time, and shuffled (seeded). */
function orders(events: readonly CustomerEvent[]): Record<string, CustomerEvent[]> {
  const byTime = [...events].sort((a, b) => a.timestamp - b.timestamp);
  const byCustomer = [...events].sort((a, b) =>
    a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : a.timestamp - b.timestamp,
  );
  const shuffled = [...events];
  const rng = createRng('store-identity');
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = shuffled[i] as CustomerEvent;
    shuffled[i] = shuffled[j] as CustomerEvent;
    shuffled[j] = t;
  }
  return { 'by time': byTime, 'by customer': byCustomer, shuffled };
}

/** Every input form of the same events gives the same digest. */
function expectIdentical(
  events: readonly CustomerEvent[],
  options: Parameters<typeof scoreHealth>[1],
): string {
  const reference = digest(scoreHealth(events, options));
  expect(digest(scoreHealth(groupByCustomer(events), options))).toBe(reference);
  for (const [order, list] of Object.entries(orders(events))) {
    expect(digest(scoreHealth(list, options)), `events ${order}`).toBe(reference);
    const store = toEventStore(list);
    expect(digest(scoreHealthFromStore(store, options)), `store from ${order}`).toBe(reference);
    // Batches of 3 customers: percentiles still rank everyone, warnings are the run's.
    const batched = scoreHealthFromStore(store, { ...options, batchCustomers: 3 });
    expect(digest(batched), `store from ${order}, batches of 3`).toBe(reference);
  }
  return reference;
}

describe('scoreHealthFromStore reads the columns directly, with identical results', () => {
  it('equals scoreHealth on events (three orders) and timelines: SaaS sample, default scorecard', () => {
    const { events } = parseEvents(generateSaasEvents({ customers: 25, seed: 11 }).events);
    const asOf = Date.UTC(2025, 6, 1);
    const scores = scoreHealth(events, { asOf });
    expect(scores.length).toBeGreaterThan(20); // the comparison is not over an empty list
    expect(scores.some((s) => s.explanation.negative.length > 0)).toBe(true);
    expectIdentical(events, { asOf });
    // Another date: windows cut at other places, some customers not yet started.
    expectIdentical(events, { asOf: asOf - 200 * DAY });
  });

  it('merges numeric and string ids as the event path does, counts an event at asOf, reads priorities', () => {
    const asOf = Date.UTC(2025, 5, 1);
    const d = (days: number): number => asOf - days * DAY;
    const events = [
      // userId 7 and '7' are one user in the event path: the store keeps them apart in its
      // dictionary, the grouping maps both to one id.
      ev('a', 'login', d(3), undefined, { userId: 7 }),
      ev('a', 'login', d(2), undefined, { userId: '7' }),
      ev('a', 'login', d(40), undefined, { userId: 'u2' }),
      ev('a', 'feature_used', d(1), 1, { userId: true, feature: 'reports' }), // a non-id userId
      ev('a', 'feature_used', d(1), 2, { userId: 'u2', feature: 5 }), // a non-string feature
      ev('a', 'ticket_opened', d(10), undefined, { ticketId: 12, priority: 'URGENT' }),
      ev('a', 'ticket_resolved', d(9), undefined, { ticketId: '12' }),
      ev('a', 'ticket_opened', d(5), undefined, { ticketId: 't9', priority: 'low' }),
      ev('a', 'login', asOf, undefined, { userId: 'u3' }), // exactly at asOf: counts
      ev('a', 'login', asOf + 1, undefined, { userId: 'u4' }), // after asOf: ignored
      ev('b', 'session', d(60), 30, { userId: 'u2' }),
      ev('b', 'nps_response', d(20), 9),
      ev('b', 'login', d(20), undefined, { userId: 'x' }), // a tie at one instant with the NPS answer
      ev('c', 'login', asOf + DAY), // first event after asOf: not scored
    ];
    const [a] = scoreHealthFromStore(toEventStore(events), { asOf });
    const value = (id: string): number | null | undefined => a?.measures.find((m) => m.id === id)?.value;
    // Users active in the last 30 days: 7 (= '7'), u2 (d−1), u3 (at asOf); `true` is no id, u4 is late.
    expect(value('activeUsers')).toBe(3);
    // 6 activity events in 90 days (asOf + 1 ignored) over those 3 users: 2 per user.
    expect(value('activityPerUser')).toBe(2);
    expect(value('featureBreadth')).toBe(1); // 'reports'; the numeric feature 5 is not a feature name
    expect(value('highPriorityTickets')).toBe(1); // 'URGENT' (case-insensitive), not 'low'
    expect(value('openTickets')).toBe(1); // 12 opened and resolved as '12'; t9 still open
    expect(value('resolutionTime')).toBe(24); // d−10 → d−9
    expectIdentical(events, { asOf });
  });

  it('reads sparse property columns (a field on under a quarter of the rows) like dense ones', () => {
    const asOf = Date.UTC(2025, 5, 1);
    const events: CustomerEvent[] = [];
    for (let k = 0; k < 40; k++)
      events.push(ev(`s${k % 4}`, 'csat_response', asOf - (k + 1) * DAY, 1 + (k % 5)));
    events.push(ev('s0', 'login', asOf - 2 * DAY, undefined, { userId: 'a' }));
    events.push(ev('s0', 'login', asOf - 3 * DAY, undefined, { userId: 'b' }));
    events.push(ev('s1', 'session', asOf - 4 * DAY, 5, { userId: 'a' })); // same name, other customer
    const store = toEventStore(events);
    expect(store.props.userId.rows).not.toBeNull(); // sparse: 3 of 43 rows
    const [s0, s1] = scoreHealthFromStore(store, { asOf });
    expect(s0?.measures.find((m) => m.id === 'activeUsers')?.value).toBe(2);
    expect(s1?.measures.find((m) => m.id === 'activeUsers')?.value).toBe(1);
    expectIdentical(events, { asOf });
  });

  it('materialises events only for custom signals, one customer at a time, with the same values', () => {
    const card: Scorecard = {
      id: 'custom',
      groups: [
        {
          id: 'g',
          weight: 1,
          measures: [
            { id: 'api', signal: 'apiCalls', weight: 1, curve: { type: 'linear', worst: 0, best: 4 } },
            {
              id: 'logins',
              signal: 'logins',
              days: 30,
              weight: 1,
              curve: { type: 'linear', worst: 0, best: 10 },
            },
          ],
        },
      ],
    };
    const asOf = Date.UTC(2025, 0, 31);
    const events = [
      ev('a', 'api_call', asOf - 2 * DAY),
      ev('a', 'api_call', asOf - DAY),
      ev('a', 'login', asOf - DAY),
      ev('b', 'login', asOf - 3 * DAY),
      ev('b', 'api_call', asOf - 90 * DAY),
    ];
    const seen: string[] = [];
    const signals = {
      apiCalls: {
        compute: (
          t: { customerId: string; ofType(type: string): readonly CustomerEvent[] },
          ctx: { asOf: number },
        ) => {
          seen.push(t.customerId);
          const n = t
            .ofType('api_call')
            .filter((e) => e.timestamp <= ctx.asOf && e.timestamp > ctx.asOf - 30 * DAY).length;
          return n === 0 ? null : n;
        },
        describe: (v: number) => `${v} API calls in the last 30 days`,
      },
    };
    const fromStore = scoreHealthFromStore(toEventStore(events), { asOf, scorecard: card, signals });
    expect(seen).toEqual(['a', 'b']);
    // a: 2 API calls → (2 − 0) / (4 − 0) × 100 = 50; 1 login → 10; equal weights → 30.
    expect(fromStore[0]?.score).toBeCloseTo(30, 12);
    expectIdentical(events, { asOf, scorecard: card, signals });
  });

  it('chooses the purchase scorecard for purchase-only data and says so, as scoreHealth does', () => {
    const asOf = Date.UTC(2025, 3, 1);
    const events: CustomerEvent[] = [];
    for (let c = 0; c < 12; c++)
      for (let k = 0; k <= c % 4; k++)
        events.push(ev(`p${c}`, k === 3 ? 'refund' : 'purchase', asOf - (10 + 17 * k + c) * DAY, 20 + c));
    const list = scoreHealthFromStore(toEventStore(events), { asOf });
    expect(list.scorecard).toBe('purchases');
    expect(list.warnings.map((w) => w.code)).toContain('auto_scorecard');
    expectIdentical(events, { asOf });
  });

  it('rejects a store whose timestamps are outside the date range, naming the function', () => {
    const store = toEventStore([ev('a', 'login', 9e15)]);
    expect(() => scoreHealthFromStore(store, { asOf: 0 })).toThrow(/scoreHealthFromStore.*valid date range/s);
  });
});

describe('orderedHealthFromStore (what the CLI writes): the same scores, lowest first, built on request', () => {
  it('gives scoreHealthFromStore sorted by score (unscored last) then id, with the same warnings', () => {
    const { events } = parseEvents(generateSaasEvents({ customers: 40, seed: 5 }).events);
    const asOf = Date.UTC(2025, 6, 1);
    const store = toEventStore(events);
    // Overrides and a thin customer: an overridden score and an unscored one take part in the order.
    const extra = [...events, ev('zz-thin', 'purchase', asOf - 400 * DAY, 5)];
    for (const [input, options] of [
      [store, { asOf }],
      [toEventStore(extra), { asOf, batchCustomers: 7 }],
      [
        store,
        {
          asOf,
          overrides: [
            { customerId: events[0]?.customerId as string, score: 1, reason: 'test', expiresAt: asOf + DAY },
          ],
        },
      ],
    ] as const) {
      const all = [...scoreHealthFromStore(input, options)].sort(
        (a, b) => (a.score ?? 101) - (b.score ?? 101) || (a.customerId < b.customerId ? -1 : 1),
      );
      const list = scoreHealthFromStore(input, options);
      const lazy = orderedHealthFromStore(input, options);
      expect(lazy.length).toBe(all.length);
      expect(lazy.length).toBeGreaterThan(30);
      expect(JSON.stringify(Array.from({ length: lazy.length }, (_, i) => lazy.at(i)))).toBe(
        JSON.stringify(all),
      );
      expect(lazy.warnings).toEqual(list.warnings);
      expect(lazy.scorecard).toBe(list.scorecard);
      // Asked twice, the same score (assembly does not consume state).
      expect(JSON.stringify(lazy.at(3))).toBe(JSON.stringify(all[3]));
    }
  });

  it('checks its options as scoreHealthFromStore does', () => {
    const store = toEventStore([ev('a', 'login', Date.UTC(2025, 0, 1))]);
    expect(() => orderedHealthFromStore(store, { asOf: '2025-01-02', batchCustomer: 3 } as never)).toThrow(
      /did you mean "batchCustomers"/,
    );
  });
});
