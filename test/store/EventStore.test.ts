/**
 * EventStore: columns, ordering, dictionaries, incremental build, and the views the modules read
 * (results through the store equal results from the events).
 */
import { describe, expect, it } from 'vitest';
import { churnFeatures } from '../../src/churn/churnFeatures';
import { groupByCustomer } from '../../src/events/groupByCustomer';
import { parseEvents } from '../../src/events/parseEvents';
import { scoreHealth } from '../../src/health/scoreHealth';
import { generateSaasEvents } from '../../src/sample';
import { dictCode, EventStoreBuilder, isEventStore } from '../../src/store/EventStore';
import { scoreHealthFromStore } from '../../src/store/scoreHealthFromStore';
import { storeEvents, storeTimelines } from '../../src/store/storeEvents';
import { toEventStore } from '../../src/store/toEventStore';
import { ev } from '../helpers/events';

describe('EventStore', () => {
  it('holds events in typed columns sorted by customer id, then time, with dictionaries', () => {
    const s = toEventStore([
      ev('b', 'login', 20, undefined, { userId: 'u1' }),
      ev('a', 'purchase', 30, 9.5),
      ev('b', 'feature_used', 10, 2, { userId: 'u1', feature: 'export', extra: true }),
      ev('a', 'login', 5),
    ]);
    expect(isEventStore(s)).toBe(true);
    expect(s.customerIds).toEqual(['a', 'b']);
    expect(Array.from(s.offsets)).toEqual([0, 2, 4]);
    expect(Array.from(s.time)).toEqual([5, 30, 10, 20]);
    expect(Array.from(s.customer)).toEqual([0, 0, 1, 1]);
    expect(s.types[s.typeCode[1] as number]).toBe('purchase');
    expect(Array.from(s.hasValue)).toEqual([0, 1, 1, 0]);
    expect(Array.from(s.value)).toEqual([0, 9.5, 2, 0]); // never NaN: absent values are 0 with hasValue 0
    const users = s.props.userId;
    expect(Array.from(users.codes ?? [])).toEqual([-1, -1, 0, 0]);
    expect(s.props.ticketId.codes).toBeNull(); // no event has a ticketId: the column costs nothing
    expect(users.values).toEqual(['u1']);
    expect(s.extra).toBeUndefined(); // other properties are dropped unless keepProperties
  });

  it('keeps a rare field sparse (rows that have it, ascending) and reads it back by row', () => {
    const input = Array.from({ length: 12 }, (_, i) =>
      ev('c', i === 7 ? 'ticket_opened' : 'login', i, undefined, i === 7 ? { ticketId: 't9' } : undefined),
    );
    const s = toEventStore(input);
    const col = s.props.ticketId;
    expect(Array.from(col.rows ?? [])).toEqual([7]);
    expect(dictCode(col, 7)).toBe(0);
    expect(dictCode(col, 6)).toBe(-1);
    expect(storeEvents(s)).toEqual(input);
  });

  it('round-trips events (properties the modules read; all of them with keepProperties)', () => {
    const input = [
      ev('x', 'ticket_opened', 3, undefined, { ticketId: 7, priority: 'High', note: 'n' }),
      ev('x', 'login', 1, undefined, { userId: 'u' }),
    ];
    const sorted = [...input].sort((a, b) => a.timestamp - b.timestamp);
    expect(storeEvents(toEventStore(input, { keepProperties: true }))).toEqual(sorted);
    const lean = storeEvents(toEventStore(input));
    expect(lean[1]?.properties).toEqual({ ticketId: 7, priority: 'High' });
  });

  it('builds the same store from chunks appended in any order as from one array', () => {
    const { events } = parseEvents(generateSaasEvents({ customers: 6, seed: 2 }).events);
    const b = new EventStoreBuilder({ capacity: 16 });
    const reversed = [...events].reverse();
    for (let i = 0; i < reversed.length; i += 1000) b.appendAll(reversed.slice(i, i + 1000));
    const chunked = b.finish();
    const whole = toEventStore(events);
    expect(Array.from(chunked.time)).toEqual(Array.from(whole.time));
    expect(storeEvents(chunked)).toEqual(storeEvents(whole));
    expect(() => b.append(events[0] as never)).toThrow(/after finish/);
  });

  it('accepts a parseEvents result, timelines, an iterable or a store (one normalisation path)', () => {
    const parsed = parseEvents([{ customerId: 'a', type: 'login', timestamp: '2025-01-01T00:00:00Z' }]);
    const s = toEventStore(parsed);
    expect(s.length).toBe(1);
    expect(toEventStore(s)).toBe(s);
    expect(toEventStore(groupByCustomer(parsed.events)).length).toBe(1);
    expect(toEventStore(new Set(parsed.events)).length).toBe(1);
    expect(() => toEventStore(42 as never)).toThrow(/expected an event store/);
  });

  it('storeTimelines is a read-only Map view that modules accept: results equal those from events', () => {
    const sample = generateSaasEvents({ customers: 12, seed: 9 });
    const { events } = parseEvents(sample.events);
    const tl = storeTimelines(toEventStore(events, { keepProperties: true }));
    // Without keepProperties only the properties the modules read are kept: same module results.
    const lean = storeTimelines(toEventStore(events));
    expect(tl).toBeInstanceOf(Map);
    expect(tl.size).toBe(groupByCustomer(events).size);
    expect([...tl.keys()]).toEqual([...groupByCustomer(events).keys()]);
    const first = [...tl.keys()][0] as string;
    expect(tl.get(first)?.events).toEqual(groupByCustomer(events).get(first)?.events);
    expect(() => (tl as Map<string, unknown>).clear()).toThrow(/read-only/);
    const asOf = '2025-07-01';
    const a = churnFeatures(events, { asOf });
    const b = churnFeatures(lean, { asOf });
    // The churn functions take a store directly (read one customer at a time).
    const c = churnFeatures(toEventStore(events), { asOf });
    expect(c.customerIds).toEqual(a.customerIds);
    for (const name of a.names)
      expect(Array.from(c.columns[name] as Float64Array)).toEqual(
        Array.from(a.columns[name] as Float64Array),
      );
    expect(b.customerIds).toEqual(a.customerIds);
    for (const name of a.names)
      expect(Array.from(b.columns[name] as Float64Array)).toEqual(
        Array.from(a.columns[name] as Float64Array),
      );
    const h1 = scoreHealth(events, { asOf });
    const h2 = scoreHealth(lean, { asOf });
    expect(JSON.stringify(h2)).toBe(JSON.stringify(h1));
  });
});

describe('scoreHealthFromStore', () => {
  it('scores exactly as scoreHealth, batch by batch (percentiles over everyone, warnings)', () => {
    const sample = generateSaasEvents({ customers: 25, seed: 4 });
    const { events } = parseEvents(sample.events);
    const asOf = '2025-07-01';
    const js = scoreHealth(events, { asOf });
    const st = scoreHealthFromStore(toEventStore(events), { asOf, batchCustomers: 7 });
    expect(JSON.stringify(st)).toBe(JSON.stringify(js));
    expect(st.warnings).toEqual(js.warnings);
    expect(() => scoreHealthFromStore(toEventStore(events), { asOf, batchCustomers: 0 })).toThrow(
      /batchCustomers/,
    );
  });
});
