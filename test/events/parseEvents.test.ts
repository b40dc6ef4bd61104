import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { EventSchema, parseEvents, TimestampSchema } from '../../src/events/index';
import { fastAccept } from '../../src/events/parseEvents';

const ok = { customerId: 'acme', type: 'login', timestamp: '2024-03-01T10:00:00Z' };
/** 2024-03-01T00:00:00Z: inside the default plausibility window (1990..2100). */
const T0 = Date.UTC(2024, 2, 1);
const issuesOf = (row: unknown) => {
  const r = parseEvents([row]);
  expect(r.stats.accepted + r.stats.rejected).toBe(1);
  return r.rejected[0]?.issues ?? [];
};
const codes = (row: unknown) => issuesOf(row).map((i) => `${i.path.join('.')}:${i.code}`);

describe('parseEvents: accepted rows', () => {
  it('normalises an ISO timestamp with offset to epoch ms UTC', () => {
    const { events } = parseEvents([{ ...ok, timestamp: '2024-03-01T12:00:00+02:00' }]);
    expect(events[0]?.timestamp).toBe(Date.UTC(2024, 2, 1, 10));
  });
  it('reads date-only and offset-less ISO strings as UTC, whatever the machine time zone', () => {
    const { events } = parseEvents([
      { ...ok, timestamp: '2024-03-01' },
      { ...ok, timestamp: '2024-03-01T10:30' },
    ]);
    expect(events.map((e) => e.timestamp)).toEqual([Date.UTC(2024, 2, 1), Date.UTC(2024, 2, 1, 10, 30)]);
  });
  it('accepts Date objects and epoch milliseconds', () => {
    const t = Date.UTC(2023, 11, 31, 23, 59);
    const { events } = parseEvents([
      { ...ok, timestamp: new Date(t) },
      { ...ok, timestamp: t },
    ]);
    expect(events.map((e) => e.timestamp)).toEqual([t, t]);
  });
  it('keeps unknown event types and counts them', () => {
    const r = parseEvents([{ ...ok, type: 'webinar_attended' }, ok]);
    expect(r.events.map((e) => e.type)).toEqual(['webinar_attended', 'login']);
    expect(r.stats.unknownTypes).toBe(1);
    expect(r.stats.byType.get('login')).toBe(1);
  });
  it('treats null and empty-string optional fields as absent and reads numeric strings in value', () => {
    const { events } = parseEvents([
      { ...ok, type: 'purchase', value: '12.50', eventId: '', properties: null },
      { ...ok, value: null },
    ]);
    expect(events[0]).toEqual({
      customerId: 'acme',
      type: 'purchase',
      timestamp: Date.parse(ok.timestamp),
      value: 12.5,
    });
    expect(events[1]?.value).toBeUndefined();
  });
  it('renames fields (including dotted paths) and types with a mapping', () => {
    const rows = [{ user_id: 'u1', event: 'Order Completed', ts: '2024-01-02', props: { amount: 30 } }];
    const { events, stats } = parseEvents(rows, {
      mapping: {
        fields: { customerId: 'user_id', type: 'event', timestamp: 'ts', value: 'props.amount' },
        types: { 'Order Completed': 'purchase' },
      },
    });
    expect(stats.rejected).toBe(0);
    expect(events[0]).toEqual({
      customerId: 'u1',
      type: 'purchase',
      timestamp: Date.UTC(2024, 0, 2),
      value: 30,
    });
  });
  it('trims surrounding white space of ids and types', () => {
    const { events } = parseEvents([{ ...ok, customerId: ' acme ', type: ' login ' }]);
    expect(events[0]?.customerId).toBe('acme');
    expect(events[0]?.type).toBe('login');
  });
});

describe('parseEvents: every validation rule rejects with a located issue', () => {
  it.each([
    [
      'missing customerId',
      { type: 'login', timestamp: 1 },
      'customerId:invalid_type',
      'customerId is required',
    ],
    // '' and white space are placeholder ids by default (mapping.placeholderIds).
    ['empty customerId', { ...ok, customerId: '  ' }, 'customerId:placeholder_id', 'is a placeholder'],
    [
      'NA customerId',
      { ...ok, customerId: 'NA' },
      'customerId:placeholder_id',
      'customerId "NA" is a placeholder',
    ],
    [
      'numeric customerId',
      { ...ok, customerId: 42 },
      'customerId:invalid_type',
      'customerId must be a string, got a number',
    ],
    ['missing type', { customerId: 'a', timestamp: 1 }, 'type:invalid_type', 'type is required'],
    [
      'unparseable timestamp',
      { ...ok, timestamp: 'yesterday' },
      'timestamp:invalid_timestamp',
      'timestamp "yesterday" is not ISO 8601',
    ],
    [
      'impossible date',
      { ...ok, timestamp: '2024-02-30' },
      'timestamp:invalid_date',
      'February 2024 has 29 days, not 30',
    ],
    [
      'non-finite timestamp',
      { ...ok, timestamp: Number.POSITIVE_INFINITY },
      'timestamp:not_finite',
      'timestamp must be a finite number',
    ],
    [
      'invalid Date',
      { ...ok, timestamp: new Date(Number.NaN) },
      'timestamp:invalid_timestamp',
      'Invalid Date',
    ],
    [
      'epoch seconds',
      { ...ok, timestamp: 1735787045 },
      'timestamp:implausible_timestamp',
      'it looks like epoch seconds (2025-01-02T03:04:05.000Z): set mapping.timestamp.unit to "s"',
    ],
    [
      'beyond the range of dates',
      { ...ok, timestamp: 1e20 },
      'timestamp:implausible_timestamp',
      'beyond the range of dates',
    ],
    ['boolean timestamp', { ...ok, timestamp: true }, 'timestamp:invalid_type', 'got a boolean'],
    ['NaN value', { ...ok, value: Number.NaN }, 'value:not_finite', 'value must be a finite number'],
    ['text value', { ...ok, value: 'abc' }, 'value:invalid_number', 'value "abc" is not a plain number'],
    ['BigInt value', { ...ok, value: 10n }, 'value:invalid_type', 'BigInt'],
    ['array properties', { ...ok, properties: [1, 2] }, 'properties:not_plain_object', 'got an array'],
    ['Date properties', { ...ok, properties: new Date(0) }, 'properties:not_plain_object', 'got a Date'],
    [
      'NPS above 10',
      { ...ok, type: 'nps_response', value: 11 },
      'value:out_of_range',
      'between 0 and 10, got 11',
    ],
    [
      'NPS not integer',
      { ...ok, type: 'nps_response', value: 7.5 },
      'value:not_integer',
      'must be an integer',
    ],
    ['NPS without score', { ...ok, type: 'nps_response' }, 'value:missing_value', 'needs a value'],
    ['CSAT 0', { ...ok, type: 'csat_response', value: 0 }, 'value:out_of_range', 'between 1 and 5'],
    ['CES 8', { ...ok, type: 'ces_response', value: 8 }, 'value:out_of_range', 'between 1 and 7'],
    [
      'negative purchase',
      { ...ok, type: 'purchase', value: -5 },
      'value:negative_amount',
      'must not be negative, got -5',
    ],
    ['purchase without amount', { ...ok, type: 'purchase' }, 'value:missing_value', 'order amount'],
    [
      'negative MRR',
      { ...ok, type: 'subscription_changed', value: -1 },
      'value:negative_amount',
      'MRR must not be negative',
    ],
    ['fractional seats', { ...ok, type: 'seats_changed', value: 2.5 }, 'value:out_of_range', 'whole number'],
    [
      'feature_used without feature',
      { ...ok, type: 'feature_used', properties: {} },
      'properties.feature:missing_property',
      'properties.feature',
    ],
    [
      'ticket without ticketId',
      { ...ok, type: 'ticket_opened' },
      'properties.ticketId:missing_property',
      'properties.ticketId',
    ],
    [
      'feedback without text',
      { ...ok, type: 'feedback', properties: { text: 3 } },
      'properties.text:missing_property',
      'properties.text',
    ],
    ['empty eventId', { ...ok, eventId: '   ' }, 'eventId:too_small', 'eventId must not be empty'],
  ])('%s', (_name, row, code, message) => {
    const issues = issuesOf(row);
    expect(issues.map((i) => `${i.path.join('.')}:${i.code}`)).toContain(code);
    expect(issues.map((i) => i.message).join(' | ')).toContain(message);
  });

  it('reports every broken field of a row, not just the first', () => {
    expect(codes({ customerId: '', timestamp: 'x', value: Number.NaN })).toEqual([
      'customerId:placeholder_id',
      'timestamp:invalid_timestamp',
      'type:invalid_type',
      'value:not_finite',
    ]);
  });
  it('also reports broken per-type rules when the base shape is broken', () => {
    expect(codes({ customerId: '', type: 'nps_response', timestamp: 'x', value: 11 })).toEqual([
      'customerId:placeholder_id',
      'timestamp:invalid_timestamp',
      'value:out_of_range',
    ]);
    expect(codes({ type: 'feature_used', timestamp: T0, properties: {} })).toEqual([
      'customerId:invalid_type',
      'properties.feature:missing_property',
    ]);
  });
  it('rejects rows that are not objects, and a non-array input as one row', () => {
    const r = parseEvents([null, 3, 'x', [ok]]);
    expect(r.rejected.map((x) => [x.index, x.issues[0]?.code])).toEqual([
      [0, 'invalid_row'],
      [1, 'invalid_row'],
      [2, 'invalid_row'],
      [3, 'invalid_row'],
    ]);
    expect(parseEvents({ not: 'rows' }).stats).toMatchObject({ received: 1, accepted: 0, rejected: 1 });
  });
  it('keeps row indexes of rejected rows and the rejected row itself', () => {
    const bad = { ...ok, customerId: '' };
    const r = parseEvents([ok, bad, ok]);
    expect(r.rejected).toHaveLength(1);
    expect(r.rejected[0]?.index).toBe(1);
    expect(r.rejected[0]?.row).toBe(bad);
  });
});

describe('parseEvents: duplicates', () => {
  it('drops repeated eventIds, reports them, and keeps counts reconciled', () => {
    const r = parseEvents([
      { ...ok, eventId: 'e1' },
      { ...ok, eventId: 'e2' },
      { ...ok, eventId: 'e1' },
    ]);
    expect(r.events).toHaveLength(2);
    expect(r.stats).toMatchObject({ received: 3, accepted: 2, rejected: 1, duplicates: 1 });
    expect(r.rejected[0]).toMatchObject({
      index: 2,
      issues: [{ code: 'duplicate_event_id', path: ['eventId'] }],
    });
    expect(r.rejected[0]?.issues[0]?.message).toContain('row 0');
  });
  it('keeps the same one of two conflicting duplicates whatever their order', () => {
    const a = { ...ok, eventId: 'e1', timestamp: T0 + 1000 };
    const b = { ...ok, eventId: 'e1', timestamp: T0 + 500 };
    expect(parseEvents([a, b]).events[0]?.timestamp).toBe(T0 + 500);
    expect(parseEvents([b, a]).events[0]?.timestamp).toBe(T0 + 500);
    expect(parseEvents([a, b]).rejected[0]?.index).toBe(0);
  });
  it('does not throw for duplicates in strict mode', () => {
    expect(
      parseEvents(
        [
          { ...ok, eventId: 'x' },
          { ...ok, eventId: 'x' },
        ],
        { strict: true },
      ).stats.duplicates,
    ).toBe(1);
  });
});

describe('parseEvents: strict mode', () => {
  it('throws a ValidationError carrying all issues with row numbers in the message', () => {
    const rows = [ok, { ...ok, customerId: '' }, { ...ok, type: 'nps_response', value: 12 }, {}, {}];
    let err: unknown;
    try {
      parseEvents(rows, { strict: true });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    const v = err as ValidationError;
    expect(v.fn).toBe('parseEvents');
    expect(v.message).toMatch(
      /^parseEvents: invalid rows \(4 of 5\): row 1, field "customerId": customerId "" is a placeholder \(mapping.placeholderIds\), not a customer; row 2, field "value"/,
    );
    expect(v.message).toContain('more');
    expect(new Set(v.issues.map((i) => i.index))).toEqual(new Set([1, 2, 3, 4]));
  });
  it('returns normally when every row is valid', () => {
    expect(parseEvents([ok], { strict: true }).events).toHaveLength(1);
  });
});

describe('parseEvents: prototype safety', () => {
  it('keeps __proto__ and constructor keys as plain data and pollutes nothing', () => {
    const rows = JSON.parse(
      '[{"customerId":"__proto__","type":"feature_used","timestamp":1709251200000,"properties":{"feature":"constructor","__proto__":{"polluted":true}}},' +
        '{"customerId":"constructor","type":"login","timestamp":1709251200001,"properties":{"constructor":{"prototype":{"polluted":true}}}}]',
    );
    const r = parseEvents(rows);
    expect(r.stats.accepted).toBe(2);
    expect(r.events.map((e) => e.customerId)).toEqual(['__proto__', 'constructor']);
    expect(Object.hasOwn(r.events[0]?.properties ?? {}, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as unknown as Record<string, unknown>).polluted).toBeUndefined();
  });
  it('does not read field values from the prototype chain', () => {
    const row = Object.create({ customerId: 'inherited', type: 'login', timestamp: 1 });
    // An object with a custom prototype is not a plain object: rejected, never read through.
    expect(parseEvents([row]).rejected[0]?.issues[0]?.code).toBe('invalid_row');
    const plain = JSON.parse('{"type":"login","timestamp":1}');
    expect(codes(plain)).toContain('customerId:invalid_type');
  });
});

describe('parseEvents: properties', () => {
  const json = fc.jsonValue();
  it('never throws in non-strict mode and always reconciles counts, for any JSON input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          json,
          fc.array(json),
          fc.array(
            fc.dictionary(
              fc.constantFrom(
                'customerId',
                'type',
                'timestamp',
                'value',
                'properties',
                'eventId',
                '__proto__',
              ),
              json,
            ),
          ),
        ),
        (input) => {
          const r = parseEvents(input);
          expect(r.stats.accepted + r.stats.rejected).toBe(r.stats.received);
          expect(r.events.length).toBe(r.stats.accepted);
          expect(r.rejected.length).toBe(r.stats.rejected);
          for (const rej of r.rejected) expect(rej.issues.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  const fieldValue = fc.oneof(
    fc.constant(undefined),
    fc.constant(null),
    fc.string({ maxLength: 6 }),
    fc.constantFrom(
      'acme',
      ' b ',
      '',
      '2024-01-01',
      '2024-02-30',
      '2024-01-01T10:00:00Z',
      '12',
      '-3',
      'nps_response',
      'purchase',
      'feature_used',
      'ticket_opened',
      'feedback',
      'seats_changed',
      'csat_response',
    ),
    fc.double(),
    fc.integer({ min: -3, max: 12 }),
    fc.boolean(),
    fc.date({ noInvalidDate: false }),
    fc.dictionary(
      fc.constantFrom('feature', 'ticketId', 'text', '__proto__'),
      fc.oneof(fc.string({ maxLength: 3 }), fc.integer()),
    ),
    fc.array(fc.integer(), { maxLength: 2 }),
  );
  it('fast path and zod schema accept exactly the same rows and build the same events', () => {
    fc.assert(
      fc.property(
        fc.tuple(fieldValue, fieldValue, fieldValue, fieldValue, fieldValue, fieldValue),
        ([c, t, ts, v, p, id]) => {
          // parseEvents reads the timestamp first (strings and Dates become epoch ms) and hands the
          // fast path that number, as here.
          const read = TimestampSchema.safeParse(ts);
          const fast = fastAccept(c, t, read.success ? read.data : ts, v, p, id);
          const row: Record<string, unknown> = {};
          if (c !== undefined) row.customerId = c;
          if (t !== undefined) row.type = t;
          if (ts !== undefined) row.timestamp = ts;
          if (v !== undefined) row.value = v;
          if (p !== undefined) row.properties = p;
          if (id !== undefined) row.eventId = id;
          const ref = EventSchema.safeParse(row);
          expect(fast !== null).toBe(ref.success);
          if (fast && ref.success) {
            expect(fast.timestamp).toBe(ref.data.timestamp);
            expect(fast.customerId).toBe(ref.data.customerId);
            expect(fast.type).toBe(ref.data.type);
            expect(fast.value).toBe(ref.data.value);
            expect(fast.eventId).toBe(ref.data.eventId);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
