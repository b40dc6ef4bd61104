/**
 * acquisitionMetrics takes an EventStore (#13): rows read from its columns, `properties.channel`
 * from the properties the store kept (`keepProperties: true`). Same result as the events in any
 * input order (events at one instant in compareEvents order, customers by id).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acquisitionMetrics } from '../../src/acquisition/index';
import type { CustomerEvent } from '../../src/events/types';
import { toEventStore } from '../../src/store/index';
import { at, DAY, HOUR, shuffled } from '../helpers/events';

const T0 = at('2025-01-01');
const rawArb = fc.record({
  customer: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
  type: fc.constantFrom('visit', 'signup', 'trial_started', 'subscription_started', 'purchase', 'login'),
  // 1-day grid over 120 days: ties at one instant, month boundaries
  slot: fc.integer({ min: 0, max: 120 }),
  value: fc.option(fc.constantFrom(0.1, 0.2, 0.3, 99.99, 1e6 + 0.01, 0), { nil: undefined }),
  channel: fc.option(fc.constantFrom('ads', 'seo', '', 7), { nil: undefined }),
});
type Raw = typeof rawArb extends fc.Arbitrary<infer T> ? T : never;

function toEvent(r: Raw): CustomerEvent {
  const e: { -readonly [K in keyof CustomerEvent]: CustomerEvent[K] } = {
    customerId: r.customer,
    type: r.type,
    timestamp: T0 + r.slot * DAY,
  };
  if (r.value !== undefined) e.value = r.value;
  if (r.channel !== undefined) e.properties = { channel: r.channel };
  return e;
}

const SPEND = [
  { period: '2025-01', channel: 'ads', amount: 500 },
  { period: '2025-02', channel: 'seo', amount: 120.5 },
  { period: '2025-03', channel: 'ads', amount: 0 },
];

describe('acquisitionMetrics on an EventStore', () => {
  it('equals the events in any input order (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(rawArb, { maxLength: 60, size: 'max' }),
        fc.integer({ min: 0, max: 125 }),
        fc.integer(),
        fc.boolean(),
        (raw, asOfSlot, seed, byChannel) => {
          const events = raw.map(toEvent);
          const options = {
            asOf: T0 + asOfSlot * DAY,
            spend: byChannel ? SPEND : SPEND.map(({ period, amount }) => ({ period, amount })),
            clv: new Map([
              ['a', 300],
              ['c', 0.1],
            ]),
          };
          const store = toEventStore(shuffled(events, seed), { keepProperties: true });
          const viaStore = acquisitionMetrics(store, options);
          expect(viaStore).toEqual(acquisitionMetrics(events, options));
          expect(viaStore).toEqual(acquisitionMetrics(shuffled(events, seed + 1), options));
          expect(viaStore).toEqual(acquisitionMetrics([...events].reverse(), options));
        },
      ),
      { numRuns: 300, seed: 5 },
    );
  });

  it('by hand: the first channel at one instant is the compareEvents-first event, whatever the input order', () => {
    const t = at('2025-01-10');
    // Same instant: 'signup' sorts before 'visit', so a's channel is the signup's (seo).
    const events: CustomerEvent[] = [
      { customerId: 'a', type: 'visit', timestamp: t, properties: { channel: 'ads' } },
      { customerId: 'a', type: 'signup', timestamp: t, properties: { channel: 'seo' } },
      { customerId: 'a', type: 'subscription_started', timestamp: t + HOUR, value: 50 },
    ];
    const options = { asOf: '2025-02-01', spend: [{ period: '2025-01', channel: 'seo', amount: 100 }] };
    const r = acquisitionMetrics(events, options);
    expect(r.cells.map((c) => [c.channel, c.newCustomers, c.cac])).toEqual([['seo', 1, 100]]);
    expect(acquisitionMetrics([...events].reverse(), options)).toEqual(r);
    expect(acquisitionMetrics(toEventStore(events, { keepProperties: true }), options)).toEqual(r);
  });

  it('a store without kept properties reads the channel from its column; an empty store answers, a forged one is refused', () => {
    const events: CustomerEvent[] = [
      { customerId: 'a', type: 'signup', timestamp: T0, properties: { channel: 'ads' } },
    ];
    const options = { asOf: '2025-02-01', spend: [{ period: '2025-01', amount: 10 }] };
    expect(acquisitionMetrics(toEventStore(events), options)).toEqual(acquisitionMetrics(events, options));
    // nothing to read: no channel needed
    expect(acquisitionMetrics(toEventStore([]), options)).toEqual(acquisitionMetrics([], options));
    expect(() => acquisitionMetrics({ kind: 'event-store' } as never, options)).toThrow(
      /^acquisitionMetrics: .*not an EventStore/,
    );
  });
});
