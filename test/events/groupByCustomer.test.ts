import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CustomerEvent, groupByCustomer, parseEvents } from '../../src/events/index';
import { generateSaasEvents } from '../../src/sample/index';
import { shuffled } from '../helpers/events';

const ev = (
  customerId: string,
  timestamp: number,
  type = 'login',
  extra: Partial<CustomerEvent> = {},
): CustomerEvent => ({
  customerId,
  type,
  timestamp,
  ...extra,
});

const snapshot = (m: ReturnType<typeof groupByCustomer>) =>
  [...m].map(([id, t]) => [id, t.events.map((e) => JSON.stringify(e))] as const);

describe('groupByCustomer', () => {
  it('groups by customer, sorts by time, and iterates customers in id order', () => {
    const m = groupByCustomer([ev('b', 3), ev('a', 2), ev('b', 1), ev('a', 1, 'purchase', { value: 5 })]);
    expect([...m.keys()]).toEqual(['a', 'b']);
    expect(m.get('b')?.events.map((e) => e.timestamp)).toEqual([1, 3]);
    expect(m.get('a')?.firstTimestamp).toBe(1);
    expect(m.get('a')?.lastTimestamp).toBe(2);
  });
  it('gives fast access by type and an empty list for absent types', () => {
    const m = groupByCustomer([ev('a', 1), ev('a', 2, 'purchase', { value: 1 }), ev('a', 3)]);
    const t = m.get('a')!;
    expect(t.ofType('login').map((e) => e.timestamp)).toEqual([1, 3]);
    expect(t.ofType('nps_response')).toEqual([]);
    expect(t.byType.get('purchase')).toHaveLength(1);
  });
  it('orders same-instant events deterministically (type, eventId, value, properties)', () => {
    const a = ev('c', 5, 'login', { properties: { userId: 'u2' } });
    const b = ev('c', 5, 'login', { properties: { userId: 'u1' } });
    const c = ev('c', 5, 'feature_used', { properties: { feature: 'x' } });
    const d = ev('c', 5, 'login', { eventId: 'e1' });
    expect(snapshot(groupByCustomer([a, b, c, d]))).toEqual(snapshot(groupByCustomer([d, c, b, a])));
    expect(groupByCustomer([a, b, c, d]).get('c')?.events[0]?.type).toBe('feature_used');
  });
  it('orders events that differ only in the key order of their properties', () => {
    // Found by the shuffle property: { k, j } and { j, k } compared equal, so their order followed the input.
    const a = ev('c', 1, 'login', { properties: { k: 1, j: 2 } });
    const b = ev('c', 1, 'login', { properties: { j: 2, k: 1 } });
    expect(snapshot(groupByCustomer([a, b]))).toEqual(snapshot(groupByCustomer([b, a])));
  });
  it('treats ids like __proto__ and constructor as ordinary customers', () => {
    const m = groupByCustomer([ev('__proto__', 1), ev('constructor', 2), ev('hasOwnProperty', 3)]);
    expect([...m.keys()]).toEqual(['__proto__', 'constructor', 'hasOwnProperty']);
    expect(m.get('__proto__')?.events).toHaveLength(1);
    expect(({} as Record<string, unknown>).events).toBeUndefined();
  });
  it('never changes its output when the input is shuffled (property)', () => {
    const arbEvent = fc.record({
      customerId: fc.constantFrom('a', 'b', '__proto__', 'constructor', 'z'),
      type: fc.constantFrom('login', 'purchase', 'feature_used'),
      timestamp: fc.integer({ min: 0, max: 20 }),
      value: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
      eventId: fc.option(fc.constantFrom('e1', 'e2', 'e3'), { nil: undefined }),
      properties: fc.option(
        fc.dictionary(fc.constantFrom('k', 'j', '__proto__'), fc.integer({ min: 0, max: 2 })),
        { nil: undefined },
      ),
    });
    fc.assert(
      fc.property(fc.array(arbEvent, { maxLength: 40 }), fc.integer(), (raw, seed) => {
        const events = raw.map((r) => {
          const e: Record<string, unknown> = {
            customerId: r.customerId,
            type: r.type,
            timestamp: r.timestamp,
          };
          if (r.value !== undefined) e.value = r.value;
          if (r.eventId !== undefined) e.eventId = r.eventId;
          if (r.properties !== undefined) e.properties = r.properties;
          return e as unknown as CustomerEvent;
        });
        expect(snapshot(groupByCustomer(shuffled(events, seed)))).toEqual(snapshot(groupByCustomer(events)));
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300) },
    );
  });
  it('gives the same timelines for a generated sample in reverse order', () => {
    const { events } = parseEvents(generateSaasEvents({ customers: 5, seed: 3, end: '2024-04-01' }).events);
    expect(snapshot(groupByCustomer([...events].reverse()))).toEqual(snapshot(groupByCustomer(events)));
  });
});
