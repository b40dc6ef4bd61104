import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { zodIssues } from '../../src/_lib/errors';
import { isPlainObject } from '../../src/_lib/safe';
import { TimestampReader, toEpochMs, utcMs } from '../../src/_lib/time';
import { parseEvents } from '../../src/events/index';
import { NumberReader } from '../../src/events/numberFormat';
import { checkTypeRules, type EventIssue, EventSchema, eventIssues } from '../../src/events/schemas';

/*
 * The shortcuts parseEvents takes per row (#14), each checked against the slow, obvious way:
 * rejection issues without zod, ISO and formatted dates without Date.UTC, placeholder ids skipped
 * by first character, plain numbers computed while scanning.
 */

/**
 * The reference: what parseEvents reported before eventIssues, by way of the zod schema. The engine's
 * own issues first; then the schema's issues on paths the engine did not report; then the per-type
 * rules on whatever is usable, on paths not reported yet.
 */
function viaSchema(
  own: EventIssue[],
  customerId: unknown,
  type: unknown,
  value: unknown,
  properties: unknown,
  eventId: unknown,
): EventIssue[] {
  const candidate: Record<string, unknown> = { timestamp: 0 };
  if (customerId !== undefined) candidate.customerId = customerId;
  if (type !== undefined) candidate.type = type;
  if (value !== undefined) candidate.value = value;
  if (properties !== undefined) candidate.properties = properties;
  if (eventId !== undefined) candidate.eventId = eventId;
  const all = own.map((i) => ({ ...i }));
  const parsed = EventSchema.safeParse(candidate);
  if (parsed.success) return all;
  const taken = new Set(all.map((i) => i.path.join('.')));
  for (const i of zodIssues(parsed.error)) if (!taken.has(i.path.join('.'))) all.push(i);
  if (typeof type !== 'string') return all;
  if (!(value === undefined || (typeof value === 'number' && Number.isFinite(value)))) return all;
  if (!(properties === undefined || isPlainObject(properties))) return all;
  const seen = new Set(all.map((i) => i.path.join('.')));
  checkTypeRules({ type: type.trim(), value, properties }, (path, code, message) => {
    if (!seen.has(path.join('.'))) all.push({ path, code, message });
  });
  return all;
}

const anyValue = fc.oneof(
  fc.constant(undefined),
  fc.string({ maxLength: 4 }),
  fc.constantFrom(
    'acme',
    ' b ',
    '',
    '  ',
    'purchase',
    ' purchase ',
    'refund',
    'nps_response',
    'csat_response',
    'ces_response',
    'feature_used',
    'ticket_opened',
    'ticket_resolved',
    'feedback',
    'seats_changed',
    'subscription_started',
    'session',
    'constructor',
    'toString',
  ),
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -1, 0, 3, 7.5, 11),
  fc.integer({ min: -3, max: 12 }),
  fc.boolean(),
  fc.date({ noInvalidDate: false }),
  fc.dictionary(
    fc.constantFrom('feature', 'ticketId', 'text', 'plan'),
    fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.constant(null)),
  ),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.constant(Object.create(null) as object),
  fc.constant(Symbol('s')),
  fc.constantFrom([], { length: 0 }, () => 1),
);
/** Issues the engine reports itself before the schema (placeholder ids, unreadable values, ...). */
const ownIssue = fc.constantFrom<EventIssue>(
  { path: ['customerId'], code: 'placeholder_id', message: 'customerId "NA" is a placeholder' },
  { path: ['customerId'], code: 'expression_failed', message: 'customerId: failed' },
  { path: ['type'], code: 'expression_failed', message: 'type: failed' },
  { path: ['timestamp'], code: 'invalid_timestamp', message: 'timestamp "x" is not ISO 8601' },
  { path: ['value'], code: 'invalid_number', message: 'value "n/a" is not a plain number' },
  { path: ['properties'], code: 'expression_failed', message: 'properties: failed' },
  { path: ['properties', 'feature'], code: 'expression_failed', message: 'properties.feature: failed' },
  { path: ['properties', 'a'], code: 'too_deep', message: 'properties nested deeper than 32 levels' },
  { path: ['eventId'], code: 'expression_failed', message: 'eventId: failed' },
);

describe('eventIssues', () => {
  it('hand-written row issues equal the schema’s: same paths, codes, messages and order', () => {
    fc.assert(
      fc.property(
        fc.array(ownIssue, { maxLength: 3 }),
        fc.tuple(anyValue, anyValue, anyValue, anyValue, anyValue),
        (own, [c, t, v, p, id]) => {
          const expected = viaSchema(own, c, t, v, p, id);
          const got = own.map((i) => ({ ...i }));
          expect(eventIssues(got, c, t, 0, v, p, id)).toBe(true);
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('reports a row the schema rejects only for its per-type rule (purchase without a value)', () => {
    const got: EventIssue[] = [];
    eventIssues(got, 'acme', 'purchase', 0, undefined, undefined, undefined);
    expect(got).toEqual([
      { path: ['value'], code: 'missing_value', message: 'purchase needs a value (the order amount)' },
    ]);
  });

  it('reports every broken field of one row, in field order, then the per-type rule', () => {
    const got: EventIssue[] = [];
    eventIssues(got, ' ', 7, 0, 'x', [], 12);
    expect(got.map((i) => `${i.path.join('.')}:${i.code}:${i.message}`)).toEqual([
      'customerId:too_small:customerId must not be empty',
      'type:invalid_type:type must be a string, got a number',
      'value:invalid_type:value must be a number, got a string',
      'properties:not_plain_object:properties must be a plain object, got an array',
      'eventId:invalid_type:eventId must be a string, got a number',
    ]);
  });

  it('hands the row back to the schema when the timestamp is outside the schema’s range', () => {
    const got: EventIssue[] = [];
    expect(eventIssues(got, 'acme', 'login', 1e20, undefined, undefined, undefined)).toBe(false);
    expect(got).toEqual([]);
  });
});

describe('dates without Date.UTC', () => {
  const fields = fc.record({
    y: fc.integer({ min: 100, max: 9999 }),
    mo: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 31 }),
    h: fc.integer({ min: 0, max: 23 }),
    mi: fc.integer({ min: 0, max: 59 }),
    s: fc.integer({ min: 0, max: 59 }),
    ms: fc.integer({ min: 0, max: 999 }),
  });
  const p2 = (n: number) => String(n).padStart(2, '0');

  it('utcMs equals Date.UTC on every calendar date and time (years 100-9999)', () => {
    fc.assert(
      fc.property(fields, ({ y, mo, d, h, mi, s, ms }) => {
        expect(utcMs(y, mo, d, h, mi, s, ms)).toBe(Date.UTC(y, mo - 1, d, h, mi, s, ms));
      }),
      { numRuns: 5000 },
    );
    // Hand-checked: 2024-02-29 is day 19,782 since 1970 (54 years: 19,723 days to 2024-01-01, + 31 + 28).
    expect(utcMs(2024, 2, 29, 0, 0, 0, 0)).toBe(19_782 * 86_400_000);
    expect(utcMs(1970, 1, 1, 0, 0, 0, 0)).toBe(0);
    expect(utcMs(275_761, 1, 1, 0, 0, 0, 0)).toBeNaN(); // beyond ±8.64e15 ms, as Date.UTC
  });

  it('ISO strings and formatted dates read as Date.UTC of their fields', () => {
    const reader = new TimestampReader({ format: 'M/d/yyyy H:mm:ss', window: null });
    fc.assert(
      fc.property(fields, ({ y, mo, d, h, mi, s, ms }) => {
        const day = Math.min(d, new Date(Date.UTC(y, mo, 0)).getUTCDate());
        const expected = Date.UTC(y, mo - 1, day, h, mi, s, ms);
        const iso = `${String(y).padStart(4, '0')}-${p2(mo)}-${p2(day)}T${p2(h)}:${p2(mi)}:${p2(s)}.${String(ms).padStart(3, '0')}Z`;
        expect(toEpochMs(iso)).toBe(expected);
        // yyyy takes four digits: 0100 for the year 100.
        const formatted = `${mo}/${day}/${String(y).padStart(4, '0')} ${h}:${p2(mi)}:${p2(s)}`;
        expect(reader.read(formatted)).toBe(expected - ms);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('placeholder ids skipped by first character', () => {
  it('rejects every placeholder whatever its case and surrounding space, and no real id', () => {
    const rows = [
      'NA',
      ' na ',
      'N/A',
      'nULL',
      '(BLANK)',
      '\tundefined',
      '-',
      '#n/a',
      'NaN',
      'None ',
      'cus_1',
      'Nala',
      'undefinedX',
      '12345',
      '(b)',
      'ünder',
    ].map((customerId) => ({ customerId, type: 'login', timestamp: '2024-03-01T10:00:00Z' }));
    const r = parseEvents(rows);
    expect(r.rejected.map((x) => (x.row as { customerId: string }).customerId)).toEqual([
      'NA',
      ' na ',
      'N/A',
      'nULL',
      '(BLANK)',
      '\tundefined',
      '-',
      '#n/a',
      'NaN',
      'None ',
    ]);
    expect(r.stats.byIssue.get('placeholder_id')?.count).toBe(10);
    // A custom list: the first character of each (lower-cased) decides which ids are looked up.
    const custom = parseEvents(
      ['Ø', 'ø', 'KELVIN', 'kelvin', 'Kelvin', 'x'].map((customerId) => ({
        customerId,
        type: 'login',
        timestamp: '2024-03-01T10:00:00Z',
      })),
      { mapping: { placeholderIds: ['ø', 'kelvin'] } },
    );
    expect(custom.events.map((e) => e.customerId)).toEqual(['x']);
  });
});

describe('plain numbers read while scanning', () => {
  it('give the same double as Number() for every plain decimal text', () => {
    const reader = new NumberReader(undefined);
    const text = fc
      .tuple(
        fc.constantFrom('', '-', '+'),
        fc.stringMatching(/^[0-9]{0,18}$/),
        fc.option(fc.stringMatching(/^[0-9]{0,18}$/), { nil: undefined }),
      )
      .map(([sign, int, frac]) => `${sign}${int}${frac === undefined ? '' : `.${frac}`}`)
      .filter((s) => /[0-9]/.test(s));
    fc.assert(
      fc.property(text, (s) => {
        expect(Object.is(reader.read(s), Number(s))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
    for (const s of ['2.55', '0.1', '-0', '.5', '5.', '999999999999999', '9007199254740993', '1e3', '0.3'])
      expect(Object.is(reader.read(s), Number(s))).toBe(true);
  });
});
