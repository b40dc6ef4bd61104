/**
 * zod schemas of the event model. `parseEvents` and `parseProfiles` validate every row with these;
 * they are exported so users can validate single objects or build on them.
 * @module
 */
import * as z from 'zod';
import type { IssueCode } from '../_lib/errors';
import { lazy, lazyObject } from '../_lib/lazy';
import { isPlainObject } from '../_lib/safe';
import { toEpochMs } from '../_lib/time';
import { SURVEY_RANGES } from './vocabulary';

const describe = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : v instanceof Date ? 'a Date' : `a ${typeof v}`;

// The messages of the event fields, shared by the zod schemas and by eventIssues (the same words).
const notAString = (field: string, input: unknown): string =>
  input === undefined ? `${field} is required` : `${field} must be a string, got ${describe(input)}`;
const emptyString = (field: string): string => `${field} must not be empty`;
const notANumber = (field: string, input: unknown): string =>
  `${field} must be a number, got ${describe(input)}`;
const notFinite = (field: string, input: number): string => `${field} must be a finite number, got ${input}`;
const notAPlainObject = (field: string, input: unknown): string =>
  `${field} must be a plain object, got ${describe(input)}`;

const requiredString = (field: string) =>
  z
    .string({ error: (iss) => notAString(field, iss.input) })
    .trim()
    .min(1, { error: emptyString(field) });

// The schemas are built on first use (`lazy`, `lazyObject`): module-level constants, not per-call data.
const timestampSchema = lazy(() =>
  z.unknown().transform((v, ctx): number => {
    if (v === undefined || !(typeof v === 'number' || typeof v === 'string' || v instanceof Date)) {
      ctx.addIssue({
        code: 'custom',
        params: { code: 'invalid_type' },
        message:
          v === undefined
            ? 'timestamp is required'
            : `timestamp must be a Date, an ISO 8601 string or epoch milliseconds, got ${describe(v)}`,
      });
      return z.NEVER;
    }
    const t = toEpochMs(v);
    if (t === null) {
      const shown =
        v instanceof Date ? 'Invalid Date' : typeof v === 'number' ? String(v) : JSON.stringify(v);
      ctx.addIssue({
        code: 'custom',
        params: { code: 'invalid_timestamp' },
        message: `timestamp ${shown} is not a valid finite date`,
      });
      return z.NEVER;
    }
    return t;
  }),
);
/** An instant: Date, ISO 8601 string (read as UTC when it has no offset) or epoch ms; output epoch ms. */
export const TimestampSchema = /* @__PURE__ */ lazyObject(timestampSchema);

const finiteNumber = (field: string) =>
  z.unknown().transform((v, ctx): number => {
    if (typeof v !== 'number') {
      ctx.addIssue({ code: 'custom', params: { code: 'invalid_type' }, message: notANumber(field, v) });
      return z.NEVER;
    }
    if (!Number.isFinite(v)) {
      ctx.addIssue({ code: 'custom', params: { code: 'not_finite' }, message: notFinite(field, v) });
      return z.NEVER;
    }
    return v;
  });

const plainRecord = (field: string) =>
  z.custom<Record<string, unknown>>(isPlainObject, {
    error: (iss) => notAPlainObject(field, iss.input),
    params: { code: 'not_plain_object' },
  });

type AddIssue = (path: (string | number)[], code: IssueCode, message: string) => void;

// The per-type rules, one kind per type: a Map lookup and a switch on a small integer (a switch on
// the type string compares it with every case label in turn). Own keys only: a type named like an
// Object.prototype member ('constructor') is just an unknown type.
const SURVEY = 1;
const AMOUNT = 2; // purchase: value required, >= 0
const NON_NEGATIVE = 3; // value, when given, >= 0
const MRR = 4; // value required, >= 0
const SEATS = 5;
const FEATURE = 6;
const TICKET = 7;
const FEEDBACK = 8;
const TYPE_RULES: ReadonlyMap<string, number> = new Map<string, number>([
  ...Object.keys(SURVEY_RANGES).map((t) => [t, SURVEY] as [string, number]),
  ['purchase', AMOUNT],
  ['refund', NON_NEGATIVE],
  ['invoice_paid', NON_NEGATIVE],
  ['session', NON_NEGATIVE],
  ['subscription_renewed', NON_NEGATIVE],
  ['subscription_started', MRR],
  ['subscription_changed', MRR],
  ['seats_changed', SEATS],
  ['feature_used', FEATURE],
  ['ticket_opened', TICKET],
  ['ticket_first_response', TICKET],
  ['ticket_resolved', TICKET],
  ['feedback', FEEDBACK],
]);
const SURVEYS = SURVEY_RANGES as Record<string, { min: number; max: number }>;

const validTicketId = (id: unknown): boolean =>
  (typeof id === 'string' && id.length > 0) || (typeof id === 'number' && Number.isFinite(id));

/**
 * True when the event breaks a per-type rule of the vocabulary: the same rules as
 * {@link checkTypeRules}, without messages (the fast path of `parseEvents` asks this per row).
 */
export function breaksTypeRule(
  type: string,
  value: number | undefined,
  properties: Record<string, unknown> | undefined,
): boolean {
  switch (TYPE_RULES.get(type)) {
    case undefined:
      return false;
    case SURVEY: {
      const r = SURVEYS[type] as { min: number; max: number };
      return value === undefined || !Number.isInteger(value) || value < r.min || value > r.max;
    }
    case AMOUNT:
    case MRR:
      return value === undefined || value < 0;
    case NON_NEGATIVE:
      return value !== undefined && value < 0;
    case SEATS:
      return value === undefined || !Number.isInteger(value) || value < 0;
    case FEATURE:
      return typeof properties?.feature !== 'string' || properties.feature.length === 0;
    case TICKET:
      return !validTicketId(properties?.ticketId);
    case FEEDBACK:
      return typeof properties?.text !== 'string';
  }
  return false;
}

/**
 * The per-type rules of the vocabulary, shared by {@link EventSchema} and the rejection path of
 * `parseEvents` ({@link breaksTypeRule} is the same rules as a yes/no). Calls `add` once per broken rule.
 */
export function checkTypeRules(
  e: { type: string; value?: number | undefined; properties?: Record<string, unknown> | undefined },
  add: AddIssue,
): void {
  const { type, value } = e;
  switch (TYPE_RULES.get(type)) {
    case SURVEY: {
      const survey = SURVEYS[type] as { min: number; max: number };
      if (value === undefined)
        add(['value'], 'missing_value', `${type} needs a value (score ${survey.min}-${survey.max})`);
      else if (!Number.isInteger(value))
        add(['value'], 'not_integer', `${type} score must be an integer, got ${value}`);
      else if (value < survey.min || value > survey.max)
        add(
          ['value'],
          'out_of_range',
          `${type} score must be between ${survey.min} and ${survey.max}, got ${value}`,
        );
      return;
    }
    case AMOUNT:
      if (value === undefined) add(['value'], 'missing_value', 'purchase needs a value (the order amount)');
      else if (value < 0)
        add(['value'], 'negative_amount', `purchase amount must not be negative, got ${value}`);
      return;
    case NON_NEGATIVE:
      if (value !== undefined && value < 0)
        add(['value'], 'negative_amount', `${type} value must not be negative, got ${value}`);
      return;
    case MRR:
      if (value === undefined)
        add(['value'], 'missing_value', `${type} needs a value (MRR after the change)`);
      else if (value < 0) add(['value'], 'negative_amount', `${type} MRR must not be negative, got ${value}`);
      return;
    case SEATS:
      if (value === undefined)
        add(['value'], 'missing_value', 'seats_changed needs a value (seats purchased)');
      else if (!Number.isInteger(value) || value < 0)
        add(['value'], 'out_of_range', `seats_changed seats must be a whole number >= 0, got ${value}`);
      return;
    case FEATURE:
      if (typeof e.properties?.feature !== 'string' || e.properties.feature.length === 0)
        add(
          ['properties', 'feature'],
          'missing_property',
          'feature_used needs properties.feature (a non-empty string)',
        );
      return;
    case TICKET:
      if (!validTicketId(e.properties?.ticketId))
        add(['properties', 'ticketId'], 'missing_property', `${type} needs properties.ticketId`);
      return;
    case FEEDBACK:
      if (typeof e.properties?.text !== 'string')
        add(['properties', 'text'], 'missing_property', 'feedback needs properties.text (a string)');
      return;
  }
}

/**
 * Schema of one event (after field mapping): base shape plus the per-type rules of the vocabulary
 * (survey ranges, non-negative amounts, required properties). Output timestamp is epoch ms.
 */
export const EventSchema = /* @__PURE__ */ lazyObject(() => eventSchema());

/** @internal The schema {@link EventSchema} stands for (the library's own callers skip the stand-in). */
export const eventSchema = /* @__PURE__ */ lazy(() =>
  z
    .object({
      customerId: requiredString('customerId'),
      type: requiredString('type'),
      timestamp: timestampSchema(),
      value: finiteNumber('value').optional(),
      properties: plainRecord('properties').optional(),
      eventId: requiredString('eventId').optional(),
    })
    .superRefine((e, ctx) =>
      checkTypeRules(e, (path, code, message) =>
        ctx.addIssue({ code: 'custom', path, params: { code }, message }),
      ),
    ),
);

/** One located issue of a row (path, code, message), as `parseEvents` reports it. */
export interface EventIssue {
  path: (string | number)[];
  code: IssueCode;
  message: string;
}

/**
 * What {@link EventSchema} reports on a mapped row, without zod's per-row cost (parseEvents calls it
 * for every rejected row): the same paths, codes and messages in the same order (the test
 * "hand-written row issues equal the schema's" compares the two on random rows). Appends to
 * `issues`, which holds the engine's own issues of the row (placeholder id, unreadable timestamp or
 * number, failed expression): a field already reported there is not reported again. Then the
 * per-type rules on whatever is usable (zod skips them when the shape is broken; the engine reports
 * them anyway), again skipping paths already reported. The timestamp is not checked here: the
 * engine has read it already.
 * @returns false when it cannot stand in for the schema (a timestamp out of the schema's range): the
 *   caller then asks the schema.
 */
export function eventIssues(
  issues: EventIssue[],
  customerId: unknown,
  type: unknown,
  timestamp: number,
  value: unknown,
  properties: unknown,
  eventId: unknown,
): boolean {
  if (!(Math.abs(timestamp) <= 8.64e15)) return false;
  const own = issues.length;
  stringIssue(issues, own, 'customerId', customerId, true);
  stringIssue(issues, own, 'type', type, true);
  if (
    value !== undefined &&
    !(typeof value === 'number' && Number.isFinite(value)) &&
    !taken(issues, own, 'value')
  )
    issues.push(
      typeof value === 'number'
        ? { path: ['value'], code: 'not_finite', message: notFinite('value', value) }
        : { path: ['value'], code: 'invalid_type', message: notANumber('value', value) },
    );
  if (properties !== undefined && !isPlainObject(properties) && !taken(issues, own, 'properties'))
    issues.push({
      path: ['properties'],
      code: 'not_plain_object',
      message: notAPlainObject('properties', properties),
    });
  stringIssue(issues, own, 'eventId', eventId, false);
  // The per-type rules on the usable parts, as addTypeRuleIssues did after the schema.
  if (typeof type !== 'string') return true;
  if (!(value === undefined || (typeof value === 'number' && Number.isFinite(value)))) return true;
  if (!(properties === undefined || isPlainObject(properties))) return true;
  const before = issues.length;
  checkTypeRules(
    {
      type: type.trim(),
      value: value as number | undefined,
      properties: properties as Record<string, unknown> | undefined,
    },
    (path, code, message) => {
      const key = path.join('.');
      for (let i = 0; i < before; i++) if ((issues[i] as EventIssue).path.join('.') === key) return;
      issues.push({ path, code, message });
    },
  );
  return true;
}

/** True when one of the first `own` issues is on the one-key path `field` (the engine's own issue). */
function taken(issues: readonly EventIssue[], own: number, field: string): boolean {
  for (let i = 0; i < own; i++) if ((issues[i] as EventIssue).path.join('.') === field) return true;
  return false;
}

function stringIssue(issues: EventIssue[], own: number, field: string, v: unknown, required: boolean): void {
  if (v === undefined && !required) return;
  if (typeof v === 'string') {
    if (v.trim().length > 0 || taken(issues, own, field)) return;
    issues.push({ path: [field], code: 'too_small', message: emptyString(field) });
  } else if (!taken(issues, own, field)) {
    issues.push({ path: [field], code: 'invalid_type', message: notAString(field, v) });
    // zod runs the length check on anything with a length (an empty array, a function): so here.
    const length = v === null || v === undefined ? undefined : (v as { length?: unknown }).length;
    if (length !== undefined && !((length as number) >= 1))
      issues.push({ path: [field], code: 'too_small', message: emptyString(field) });
  }
}

/** Schema of one customer profile (after field mapping). Dates are output as epoch ms. */
export const ProfileSchema = /* @__PURE__ */ lazyObject(() => profileSchema());

/** @internal The schema {@link ProfileSchema} stands for (the library's own callers skip the stand-in). */
export const profileSchema = /* @__PURE__ */ lazy(() =>
  z.object({
    customerId: requiredString('customerId'),
    signupDate: timestampSchema().optional(),
    plan: requiredString('plan').optional(),
    mrr: finiteNumber('mrr')
      .refine((v) => v >= 0, { error: 'mrr must not be negative' })
      .optional(),
    seats: finiteNumber('seats')
      .refine((v) => Number.isInteger(v) && v >= 0, { error: 'seats must be a whole number >= 0' })
      .optional(),
    renewalDate: timestampSchema().optional(),
    parentId: requiredString('parentId').optional(),
    attributes: z
      .custom<Record<string, string | number | boolean>>(
        (v) =>
          isPlainObject(v) &&
          Object.values(v).every(
            (x) =>
              typeof x === 'string' ||
              typeof x === 'boolean' ||
              (typeof x === 'number' && Number.isFinite(x)),
          ),
        { error: 'attributes must be a plain object of strings, finite numbers and booleans' },
      )
      .optional(),
  }),
);
