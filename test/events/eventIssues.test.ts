import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { zodIssues } from '../../src/_lib/errors';
import { isPlainObject } from '../../src/_lib/safe';
import { checkTypeRules, type EventIssue, EventSchema, eventIssues } from '../../src/events/schemas';

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
