import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { type CustomerEvent, compareEvents, groupByCustomer, parseEvents } from '../../src/events/index';

const ok = { customerId: 'acme', type: 'login', timestamp: '2024-03-01T10:00:00Z' };

// Regression tests for the events items of the hostile-input issue: each failed before.
describe('parseEvents: hostile input never throws and is rejected with a located issue', () => {
  it.each(['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'])(
    'keeps a type named like an Object.prototype member (%s) as an unknown type',
    (type) => {
      const r = parseEvents([{ ...ok, type }]);
      expect(r.rejected).toEqual([]);
      expect(r.events[0]?.type).toBe(type);
      expect(r.stats.unknownTypes).toBe(1);
    },
  );
  it('rejects 20,000-level deep properties (no stack overflow)', () => {
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 20_000; i++) {
      const next = {};
      deep.a = next;
      deep = next;
    }
    const r = parseEvents([{ ...ok, properties: root }, ok]);
    expect(r.stats.accepted).toBe(1);
    expect(r.rejected[0]?.issues[0]).toMatchObject({ code: 'too_deep' });
    expect(r.rejected[0]?.issues[0]?.path.slice(0, 2)).toEqual(['properties', 'a']);
  });
  it('rejects circular properties, also with a duplicate eventId or a same-instant tie', () => {
    const props: Record<string, unknown> = { feature: 'x' };
    props.self = props;
    const r = parseEvents([
      { ...ok, eventId: 'e1', properties: props },
      { ...ok, eventId: 'e1', properties: props },
      { ...ok, properties: props },
    ]);
    expect(r.stats.rejected).toBe(3);
    expect(r.rejected[0]?.issues[0]).toMatchObject({ path: ['properties', 'self'], code: 'invalid_value' });
    expect(r.rejected[0]?.issues[0]?.message).toContain('circular');
  });
  it('rejects BigInt values (in value and in properties) with their path', () => {
    const r = parseEvents([
      { ...ok, value: 5n },
      { ...ok, properties: { n: { big: 1n } } },
    ]);
    expect(r.rejected.map((x) => x.issues[0]?.path.join('.'))).toEqual(['value', 'properties.n.big']);
  });
  it('says "row must be a plain object, got Date" for a Date row', () => {
    const r = parseEvents([new Date(0), new Map(), null]);
    expect(r.rejected.map((x) => x.issues[0]?.message)).toEqual([
      'row must be a plain object, got Date',
      'row must be a plain object, got Map',
      'row must be a plain object, got null',
    ]);
  });
  it('rejects out-of-range instants at the door (1e20, Number.MAX_VALUE, +275760-09-13)', () => {
    const r = parseEvents([
      { ...ok, timestamp: 1e20 },
      { ...ok, timestamp: Number.MAX_VALUE },
      { ...ok, timestamp: '+275760-09-13T00:00:00Z' },
      { ...ok, timestamp: new Date(8.64e15) },
    ]);
    expect(r.stats.accepted).toBe(0);
    expect(r.rejected.every((x) => x.issues[0]?.code === 'implausible_timestamp')).toBe(true);
  });
  it('throws a ValidationError, not a TypeError, for a bad mapping and unknown options', () => {
    expect(() => parseEvents([ok], { mapping: { fields: { customerId: {} as never } } })).toThrow(
      ValidationError,
    );
    expect(() => parseEvents([ok], { maping: {} } as never)).toThrow(/did you mean "mapping"/);
    expect(() => parseEvents([ok], null as never)).toThrow(ValidationError);
  });
});

describe('groupByCustomer: hostile input', () => {
  it('throws a ValidationError for null and non-arrays', () => {
    expect(() => groupByCustomer(null as never)).toThrow(ValidationError);
    expect(() => groupByCustomer('x' as never)).toThrow(/expects an array of events/);
    expect(() => groupByCustomer([null] as never)).toThrow(ValidationError);
  });
  it('orders same-instant events with circular or BigInt properties without throwing', () => {
    const circular: Record<string, unknown> = { k: 1 };
    circular.self = circular;
    const a: CustomerEvent = { customerId: 'c', type: 'x', timestamp: 1, properties: circular };
    const b: CustomerEvent = { customerId: 'c', type: 'x', timestamp: 1, properties: { k: 2n } };
    expect(() => compareEvents(a, b)).not.toThrow();
    expect(groupByCustomer([a, b]).get('c')?.events).toHaveLength(2);
    expect(groupByCustomer([b, a]).get('c')?.events).toEqual(groupByCustomer([a, b]).get('c')?.events);
  });
});

describe('parseEvents with a mapping: fuzzed rows', () => {
  it('never throws and always reconciles counts, whatever the cell values', async () => {
    const fc = (await import('fast-check')).default;
    const mapping = JSON.parse(`{
      "fields": { "customerId": "c", "timestamp": "t", "eventId": "e" },
      "derive": {
        "value": { "abs": { "product": ["q", "p"] } },
        "type": { "cases": [{ "when": "q < 0", "then": { "const": "refund" } }, { "when": { "field": "e", "op": "starts_with", "value": "C" }, "then": { "const": "refund" } }], "else": { "const": "purchase" } },
        "properties.k": { "concat": ["k", { "lower": "c" }] }
      },
      "timestamp": { "format": "M/d/yyyy H:mm", "timeZone": "America/New_York" },
      "aggregate": { "by": "eventId" }
    }`);
    const cell = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom(
        'NA',
        '',
        '2/30/2025 1:00',
        '3/10/2024 2:30',
        '12/1/2010 8:26',
        'C1',
        '-3',
        '1.5',
        '1e400',
        '1,5',
      ),
      fc.double(),
      fc.integer(),
      fc.bigInt(),
      fc.constant(null),
      fc.date(),
      fc.object({ maxDepth: 3 }),
    );
    const row = fc.record({ c: cell, t: cell, e: cell, q: cell, p: cell, k: cell }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.array(fc.oneof(row, cell), { maxLength: 30 }), (rows) => {
        // The columns are declared (as a CSV header would): a row without a cell is a row issue.
        const r = parseEvents(rows, { mapping, columns: ['c', 't', 'e', 'q', 'p', 'k'] });
        expect(r.stats.accepted + r.stats.rejected).toBe(rows.length);
        expect(r.events.length).toBe(r.stats.accepted - r.stats.merged);
        for (const e of r.events) {
          expect(Number.isFinite(e.timestamp)).toBe(true);
          if (e.value !== undefined) expect(Number.isFinite(e.value)).toBe(true);
        }
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});
