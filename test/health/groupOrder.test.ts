import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupByCustomer } from '../../src/events/groupByCustomer';
import type { CustomerEvent } from '../../src/events/types';
import { groupEvents } from '../../src/health/_groupEvents';

const T0 = Date.UTC(2025, 0, 1);

/** The grouping's rows of each customer, as event objects, next to groupByCustomer's timelines. */
function expectSameOrder(events: CustomerEvent[]): void {
  const g = groupEvents(events);
  const timelines = groupByCustomer(events);
  expect(g.ids).toEqual(Array.from(timelines.keys()));
  g.ids.forEach((id, r) => {
    const got = g.eventsOf(r);
    const want = timelines.get(id)?.events ?? [];
    expect(got.length).toBe(want.length);
    for (let k = 0; k < got.length; k++) expect(got[k]).toBe(want[k]); // the same objects, in order
    const ts = g.cols.ts.subarray(g.offsets[r], g.offsets[r + 1]);
    expect(Array.from(ts)).toEqual(want.map((e) => e.timestamp));
  });
}

describe('groupEvents row order (time, then compareEvents, then input order)', () => {
  it('equals groupByCustomer on shuffled input: spread, bunched and tied times, short and long slices', () => {
    const event = fc.record({
      c: fc.integer({ min: 0, max: 3 }),
      // bunched (a few ms apart), spread over a year, or exactly tied
      t: fc.oneof(
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 365 * 86_400_000 }),
        fc.constant(5_000),
      ),
      type: fc.constantFrom('login', 'feature_used', 'purchase'),
      v: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 400 }), (rows) => {
        const events = rows.map(
          (x): CustomerEvent => ({
            customerId: `k${x.c}`,
            type: x.type,
            timestamp: T0 + x.t,
            ...(x.v === undefined ? {} : { value: x.v }),
          }),
        );
        expectSameOrder(events);
      }),
      { numRuns: 80 },
    );
  });

  it('sorts a 5,000-event customer (scratch growth) with clustered and spread times alike', () => {
    const events: CustomerEvent[] = [];
    let x = 7;
    const next = (): number => {
      x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
      return x / 2_147_483_648;
    };
    for (let i = 0; i < 5000; i++) {
      // 80% in one hour (one bucket: the insertion sort's budget runs out), 20% over a year
      const t = next() < 0.8 ? Math.floor(next() * 3_600_000) : Math.floor(next() * 365 * 86_400_000);
      events.push({ customerId: i % 3 === 0 ? 'a' : 'b', type: 'login', timestamp: T0 + t });
    }
    expectSameOrder(events);
    const spread = events.map((e, i) => ({ ...e, timestamp: T0 + ((i * 7919) % 5000) * 60_000 }));
    expectSameOrder(spread);
  });
});
