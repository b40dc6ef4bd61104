import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { type AcceptedEventSink, parseEventStream, parseEvents } from '../../src/events/index';
import type { ParseEventsResult } from '../../src/events/parseEvents';
import type { CustomerEvent, RejectedRow } from '../../src/events/types';
import { EventStoreBuilder, storeEvents, toEventStore } from '../../src/store/index';

const T0 = Date.UTC(2024, 0, 1);

async function* chunks<T>(list: readonly T[], size: number): AsyncGenerator<T[]> {
  for (let i = 0; i < list.length; i += size) yield list.slice(i, i + size);
}

/**
 * How the stream reaches the builder: directly (the builder interns eventIds for the duplicate
 * check), through a sink without `internEventId` (the stream keeps its own id index), or into a
 * builder that interned other ids before (codes of this stream's ids do not start at 0).
 */
type SinkKind = 'builder' | 'plain' | 'preseeded';

function sinkOf(b: EventStoreBuilder, kind: SinkKind): AcceptedEventSink {
  if (kind === 'plain')
    return { append: (e) => b.append(e), at: (row) => b.at(row), drop: (row) => b.drop(row) };
  if (kind === 'preseeded') for (const id of ['zz', 'e3', 'yy']) b.internEventId(id);
  return b;
}

/** Streams `rows` into a store builder; returns the parse result and the finished store's events. */
async function viaSink(
  rows: readonly unknown[],
  size = 7,
  options: Record<string, unknown> = {},
  kind: SinkKind = 'builder',
) {
  const b = new EventStoreBuilder();
  const rejected: RejectedRow[] = [];
  const r = await parseEventStream(chunks(rows, size), {
    into: sinkOf(b, kind),
    maxRejected: 10_000,
    onRejected: (x) => rejected.push(x),
    ...options,
  });
  return { r, rejected, events: storeEvents(b.finish()) };
}

const counts = (r: ParseEventsResult) => ({
  received: r.stats.received,
  accepted: r.stats.accepted,
  rejected: r.stats.rejected,
  duplicates: r.stats.duplicates,
  merged: r.stats.merged,
  unknownTypes: r.stats.unknownTypes,
  byType: Object.fromEntries([...r.stats.byType].sort()),
  byIssue: Object.fromEntries([...r.stats.byIssue].map(([k, v]) => [k, v.count]).sort()),
});

const shape = (rs: readonly RejectedRow[]) =>
  rs.map((x) => ({ index: x.index, issues: x.issues })).sort((a, b) => a.index - b.index);

describe('parseEventStream into a sink (EventStoreBuilder)', () => {
  it('keeps no accepted event object and gives the store parseEvents would give, with the same counts', async () => {
    // 12 rows: a duplicate identical to its first row (earlier kept), a later duplicate that sorts
    // first (timestamp 1 s earlier: it replaces the kept row), a duplicate that sorts after (dropped),
    // an invalid row, a placeholder id, an unknown type.
    const rows = [
      { customerId: 'a', type: 'login', timestamp: T0 + 5000, eventId: 'e1' },
      { customerId: 'a', type: 'login', timestamp: T0 + 6000, eventId: 'e2' },
      { customerId: 'b', type: 'purchase', timestamp: T0, value: 10, eventId: 'e3' },
      { customerId: 'a', type: 'login', timestamp: T0 + 5000, eventId: 'e1' },
      { customerId: 'a', type: 'login', timestamp: T0 + 5000, eventId: 'e2' },
      { customerId: 'b', type: 'purchase', timestamp: T0, value: 12, eventId: 'e3' },
      { customerId: 'c', type: 'login' },
      { customerId: 'NA', type: 'login', timestamp: T0 },
      { customerId: 'c', type: 'my_custom_type', timestamp: T0 + 1 },
      { customerId: 'c', type: 'feature_used', timestamp: T0 + 2, properties: { feature: 'x', userId: 'u' } },
      { customerId: 'd', type: 'login', timestamp: T0 + 3 },
      { customerId: 'd', type: 'login', timestamp: T0 + 3 },
    ];
    const whole = parseEvents(rows);
    const { r, rejected, events } = await viaSink(rows, 5);
    expect(r.events).toEqual([]);
    // received 12 = accepted 7 (e1, e2 as the 5th row, e3 value 10, c x2, d x2) + rejected 5
    // (two duplicates of e1/e3, the replaced first e2, the row without timestamp, the placeholder).
    expect(counts(r)).toEqual(counts(whole));
    expect(r.stats.accepted + r.stats.rejected).toBe(12);
    expect(r.stats.accepted).toBe(7);
    expect(r.stats.duplicates).toBe(3);
    expect(events).toEqual(storeEvents(toEventStore(whole.events)));
    expect(events.find((e) => e.eventId === 'e2')?.timestamp).toBe(T0 + 5000);
    expect(shape(rejected)).toEqual(shape(whole.rejected));
    expect(shape(r.rejected)).toEqual(shape(whole.rejected));
  });

  it('leaves out a customer whose only row was replaced by a row of another customer with its eventId', async () => {
    const rows = [
      { customerId: 'z', type: 'login', timestamp: T0 + 10, eventId: 'same' },
      { customerId: 'y', type: 'login', timestamp: T0 + 1, eventId: 'same' },
      { customerId: 'y', type: 'login', timestamp: T0 + 2 },
    ];
    const whole = parseEvents(rows);
    const b = new EventStoreBuilder();
    const r = await parseEventStream(rows, { into: b });
    const store = b.finish();
    expect(store.customerIds).toEqual(['y']);
    expect(store.length).toBe(2);
    expect(storeEvents(store)).toEqual(storeEvents(toEventStore(whole.events)));
    expect(counts(r)).toEqual(counts(whole));
  });

  it('keeps the earlier of two identical rows whose properties are not in the key order of the store', async () => {
    const e = { customerId: 'a', type: 'feature_used', timestamp: T0, eventId: 'k' };
    const rows = [
      { ...e, properties: { feature: 'f', userId: 'u', plan: 'x' } },
      { ...e, properties: { feature: 'f', userId: 'u', plan: 'x' } },
    ];
    const whole = parseEvents(rows);
    const { rejected } = await viaSink(rows, 1);
    expect(shape(rejected)).toEqual(shape(whole.rejected));
    expect(rejected.map((x) => x.index)).toEqual([1]);
  });

  it('appends the merged events at the end with mapping.aggregate (lines merge only then)', async () => {
    const rows = [
      { id: 'a', kind: 'purchase', at: '2024-01-01T10:00:00Z', amount: 5, order: 'o1' },
      { id: 'a', kind: 'purchase', at: '2024-01-01T10:00:00Z', amount: 7, order: 'o1' },
      { id: 'b', kind: 'purchase', at: '2024-01-02T10:00:00Z', amount: 1, order: 'o2' },
    ];
    const mapping = {
      fields: { customerId: 'id', type: 'kind', timestamp: 'at', value: 'amount', eventId: 'order' },
      aggregate: { by: 'eventId' as const, value: 'sum' as const },
    };
    const whole = parseEvents(rows, { mapping });
    const { r, events } = await viaSink(rows, 2, { mapping });
    expect(r.events).toEqual([]);
    expect(events).toEqual(storeEvents(toEventStore(whole.events)));
    expect(events.map((e) => e.value)).toEqual([12, 1]); // 5 + 7 merged
    expect(counts(r)).toEqual(counts(whole));
  });

  it('property: any rows, any order, any chunking: same counts, rejections and store as parseEvents', async () => {
    const row = fc.record({
      c: fc.integer({ min: 0, max: 2 }),
      t: fc.integer({ min: 0, max: 2 }),
      type: fc.constantFrom('login', 'purchase', 'custom_x', ''),
      v: fc.option(fc.integer({ min: 0, max: 1 }), { nil: undefined }),
      id: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
      f: fc.option(fc.constantFrom('p', 'q'), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { maxLength: 60 }),
        fc.integer({ min: 1, max: 9 }),
        fc.constantFrom<SinkKind>('builder', 'plain', 'preseeded'),
        async (spec, size, kind) => {
          const rows = spec.map((s) => ({
            customerId: `c${s.c}`,
            type: s.type,
            timestamp: T0 + s.t * 1000,
            ...(s.v === undefined ? {} : { value: s.v }),
            ...(s.id === undefined ? {} : { eventId: `e${s.id}` }),
            ...(s.f === undefined ? {} : { properties: { feature: s.f } }),
          }));
          const whole = parseEvents(rows);
          const { r, rejected, events } = await viaSink(rows, size, {}, kind);
          expect(counts(r)).toEqual(counts(whole));
          expect(r.stats.accepted + r.stats.rejected).toBe(r.stats.received);
          expect(events.length).toBe(whole.events.length);
          expect(events).toEqual(storeEvents(toEventStore(whole.events as CustomerEvent[])));
          expect(shape(rejected)).toEqual(shape(whole.rejected));
        },
      ),
      { numRuns: 300, seed: 20261130 },
    );
  });

  it('interns each eventId once, in the sink: one internEventId call per row with an id, codes handed to append', async () => {
    const b = new EventStoreBuilder();
    const calls: string[] = [];
    const codes: (number | undefined)[] = [];
    const sink: AcceptedEventSink = {
      append: (e, code) => {
        codes.push(code);
        b.append(e, code);
      },
      at: (row) => b.at(row),
      drop: (row) => b.drop(row),
      internEventId: (id) => {
        calls.push(id);
        return b.internEventId(id);
      },
    };
    const rows = [
      { customerId: 'a', type: 'login', timestamp: T0 + 2000, eventId: 'x' },
      { customerId: 'a', type: 'login', timestamp: T0 },
      { customerId: 'b', type: 'login', timestamp: T0 + 1000, eventId: 'y' },
      // same id as row 0, earlier: replaces it (row 0 withdrawn)
      { customerId: 'a', type: 'login', timestamp: T0 + 1000, eventId: 'x' },
    ];
    const r = await parseEventStream(rows, { into: sink, maxRejected: 10 });
    expect(calls).toEqual(['x', 'y', 'x']);
    // x -> 0, no id -> undefined, y -> 1, x again -> 0
    expect(codes).toEqual([0, undefined, 1, 0]);
    expect(r.stats.duplicates).toBe(1);
    expect(r.rejected.map((x) => x.index)).toEqual([0]);
    const s = b.finish();
    expect(s.eventId.values).toEqual(['x', 'y']);
    expect(storeEvents(s)).toEqual(storeEvents(toEventStore(parseEvents(rows).events as CustomerEvent[])));
  });

  it('refuses a sink whose internEventId gives no integer code', async () => {
    const b = new EventStoreBuilder();
    const sink: AcceptedEventSink = {
      append: (e) => b.append(e),
      at: (row) => b.at(row),
      drop: (row) => b.drop(row),
      internEventId: () => -1,
    };
    await expect(
      parseEventStream([{ customerId: 'a', type: 'login', timestamp: T0, eventId: 'x' }], { into: sink }),
    ).rejects.toThrow(/internEventId must return an integer code >= 0, got -1/);
  });

  it('rejects an "into" that is not a sink, naming the option', async () => {
    await expect(parseEventStream([], { into: {} as never })).rejects.toThrow(ValidationError);
    await expect(parseEventStream([], { into: [] as never })).rejects.toThrow(/option "into" must be a sink/);
  });
});

describe('EventStoreBuilder.at / drop (the sink side)', () => {
  it('reads back an appended row and leaves dropped rows and emptied customers out of the store', () => {
    const b = new EventStoreBuilder();
    b.append({ customerId: 'b', type: 'login', timestamp: 3, properties: { userId: 'u1' } });
    b.append({ customerId: 'a', type: 'purchase', timestamp: 1, value: 4, eventId: 'x' });
    b.append({ customerId: 'b', type: 'login', timestamp: 2 });
    expect(b.at(1)).toEqual({ customerId: 'a', type: 'purchase', timestamp: 1, value: 4, eventId: 'x' });
    b.drop(1);
    b.drop(1); // twice is once
    b.drop(0);
    const s = b.finish();
    expect(s.customerIds).toEqual(['b']);
    expect(storeEvents(s)).toEqual([{ customerId: 'b', type: 'login', timestamp: 2 }]);
    expect(s.eventId.codes).toBeNull();
    expect(s.props.userId.codes).toBeNull();
  });
  it('takes an interned eventId code in append (a wrong code is looked up instead) and reserves room once', () => {
    const b = new EventStoreBuilder({ capacity: 16 });
    expect(b.internEventId('x')).toBe(0);
    expect(b.internEventId('y')).toBe(1);
    expect(b.internEventId('x')).toBe(0);
    b.reserve(100);
    b.reserve(10); // smaller than the room there is: nothing to do
    b.append({ customerId: 'a', type: 'login', timestamp: 1, eventId: 'y' }, 1);
    b.append({ customerId: 'a', type: 'login', timestamp: 2, eventId: 'x' }, 1); // wrong code: looked up
    b.append({ customerId: 'a', type: 'login', timestamp: 3, eventId: 'z' }, 7); // unknown code: interned
    for (let i = 0; i < 40; i++) b.append({ customerId: 'b', type: 'login', timestamp: i });
    expect(() => b.reserve(Number.NaN)).toThrow(/reserve: capacity must be an integer/);
    const s = b.finish();
    expect(s.eventId.values).toEqual(['x', 'y', 'z']);
    expect(
      storeEvents(s)
        .slice(0, 3)
        .map((e) => e.eventId),
    ).toEqual(['y', 'x', 'z']);
    expect(s.length).toBe(43);
    expect(() => b.internEventId('x')).toThrow(/after finish/);
  });
  it('refuses rows that do not exist and use after finish', () => {
    const b = new EventStoreBuilder();
    b.append({ customerId: 'a', type: 'login', timestamp: 1 });
    expect(() => b.at(1)).toThrow(/no row 1/);
    expect(() => b.drop(-1)).toThrow(ValidationError);
    b.finish();
    expect(() => b.at(0)).toThrow(/after finish/);
  });
});
