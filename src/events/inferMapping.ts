import { checkOptions, ValidationError } from '../_lib/errors';
import type { RuleCondition } from '../_lib/rules';
import { isPlainObject } from '../_lib/safe';
import { type DateFormatGuess, guessDateFormat, toEpochMs } from '../_lib/time';
import type { VitalsWarning } from '../types';
import { DEFAULT_PLACEHOLDER_IDS, type FieldMapping, type MappingExpression } from './compileMapping';
import type { EventField } from './parseEvents';

/** Options of {@link inferMapping}. */
export interface InferMappingOptions {
  /** The columns of the input (e.g. a CSV header); default: the keys of the rows. @default undefined */
  columns?: readonly string[];
  /** Rows examined (the first ones). @default 5000 */
  sampleSize?: number;
}

/** Codes of {@link InferMappingResult.warnings}: `no_customer_id`, `no_timestamp`, `ambiguous_date`, `no_type`. */
export type InferMappingWarningCode = 'no_customer_id' | 'no_timestamp' | 'ambiguous_date' | 'no_type';

/** A mapping draft, with the reason for every choice. Review it before use: nothing is applied silently. */
export interface InferMappingResult {
  /** The proposed mapping (JSON-ready; save it and pass it as `mapping`). */
  mapping: FieldMapping<EventField>;
  /** Why each part was proposed, keyed by its place in the mapping (`fields.customerId`, `derive.type`, ...). */
  reasons: { path: string; reason: string }[];
  /** The columns examined. */
  columns: string[];
  /** Rows examined. */
  rowsExamined: number;
  /** What could not be settled and needs a decision. */
  warnings: VitalsWarning<InferMappingWarningCode>[];
}

interface ColumnStats {
  name: string;
  present: number;
  distinct: Set<string>;
  numeric: number;
  negative: number;
  dateLike: number;
  iso: number;
  placeholders: Map<string, number>;
  strings: string[];
  letterPrefixed: Map<string, number>;
  repeats: number;
}

const PLACEHOLDERS = new Set(DEFAULT_PLACEHOLDER_IDS.map((p) => p.toLowerCase()));
const NUMERIC = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const DATE_SHAPE = /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ T]\d{1,2}:\d{2}.*)?$/;
const norm = (name: string) => name.toLowerCase().replace(/[\s_\-.]/g, '');

const CUSTOMER_NAMES = [
  'customerid',
  'customer',
  'clientid',
  'userid',
  'accountid',
  'memberid',
  'buyerid',
  'customerkey',
  'customerno',
  'customernumber',
  'custid',
  'customeruniqueid',
  'user',
  'account',
];
const TIME_NAMES = /date|time|timestamp|^ts$|created|occurred|^at$|at$/i;
const EVENT_ID_NAMES = [
  'invoiceno',
  'invoiceid',
  'invoice',
  'invoicenumber',
  'orderid',
  'orderno',
  'order',
  'ordernumber',
  'transactionid',
  'transaction',
  'txnid',
  'eventid',
  'messageid',
  'id',
];
const TYPE_NAMES = ['type', 'eventtype', 'event', 'eventname', 'action', 'activity', 'kind'];
const AMOUNT_NAMES = [
  'amount',
  'revenue',
  'total',
  'value',
  'sales',
  'spend',
  'price',
  'ordervalue',
  'totalamount',
  'paymentvalue',
];
const QUANTITY_NAMES = ['quantity', 'qty', 'units', 'count'];
const PRICE_NAMES = ['unitprice', 'price', 'itemprice', 'unitcost'];
const PROPERTY_NAMES = ['country', 'region', 'channel', 'plan', 'segment', 'city', 'state'];

/**
 * Proposes a mapping for a raw export, with a reason per choice: which column is the customer id
 * (by name, then by its values), the timestamp and its format (with the evidence: day-first vs
 * month-first decided from the whole sample, or reported as unsettled), an event id (and whether
 * its values repeat, i.e. one row per order line, then `aggregate`), an amount (a column, or
 * quantity × unit price, made positive with `abs` when quantities go negative), an event type (a
 * column, or a refund rule such as `InvoiceNo starts_with C` / `Quantity < 0`), and the placeholder
 * ids seen in the customer column. Heuristic by nature: review the draft; `parseEvents` then
 * reports every row it rejects.
 *
 * @param rows raw rows (e.g. CSV records with string values); the first `sampleSize` are examined.
 * @param options columns and sample size.
 * @returns the mapping draft, reasons, and warnings for what is not settled.
 * @throws {ValidationError} when `rows` is not an array or holds no plain object.
 * @example
 * ```ts
 * import { inferMapping } from 'customer-vitals/events';
 * const draft = inferMapping([
 *   { CustomerID: '17850', InvoiceNo: '536365', InvoiceDate: '12/13/2010 8:26', Quantity: '6', UnitPrice: '2.55' },
 *   { CustomerID: 'NA', InvoiceNo: 'C536379', InvoiceDate: '12/1/2010 9:41', Quantity: '-1', UnitPrice: '27.50' },
 * ]);
 * console.log(draft.mapping.fields, draft.mapping.timestamp);
 * // { customerId: 'CustomerID', timestamp: 'InvoiceDate', eventId: 'InvoiceNo' } { format: 'M/d/yyyy H:mm' }
 * ```
 */
export function inferMapping(
  rows: readonly unknown[],
  options: InferMappingOptions = {},
): InferMappingResult {
  checkOptions('inferMapping', options, ['columns', 'sampleSize']);
  if (!Array.isArray(rows))
    throw new ValidationError('inferMapping', [
      { path: [], code: 'not_an_array', message: 'inferMapping expects an array of rows' },
    ]);
  const sampleSize = options.sampleSize ?? 5000;
  if (!(Number.isInteger(sampleSize) && sampleSize > 0))
    throw new ValidationError('inferMapping', [
      { path: ['sampleSize'], code: 'invalid_value', message: 'option "sampleSize" must be an integer > 0' },
    ]);
  const sample = rows.slice(0, sampleSize).filter(isPlainObject) as Record<string, unknown>[];
  if (sample.length === 0)
    throw new ValidationError('inferMapping', [
      { path: [], code: 'empty', message: 'inferMapping needs at least one row that is a plain object' },
    ]);
  const columnNames = options.columns
    ? [...options.columns]
    : [...new Set(sample.flatMap((r) => Object.keys(r)))];
  const stats = columnNames.map((name) => columnStats(name, sample));
  const byNorm = (names: readonly string[]) =>
    names.map((n) => stats.find((s) => norm(s.name) === n)).find((s) => s !== undefined && s.present > 0);
  const reasons: { path: string; reason: string }[] = [];
  const warnings: VitalsWarning<InferMappingWarningCode>[] = [];
  const fields: Partial<Record<EventField, string>> = {};
  const derive: Record<string, MappingExpression> = {};
  const mapping: FieldMapping<EventField> = { fields };
  const n = sample.length;
  const used = new Set<string>();
  const pct = (k: number) => `${k.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} rows`;

  // Customer id
  let customer = byNorm(CUSTOMER_NAMES);
  let customerWhy = 'its name says customer id';
  if (customer === undefined) {
    customer = stats
      .filter(
        (s) =>
          s.present > 0 && /id$|key$/i.test(s.name) && s.distinct.size > 1 && s.distinct.size < s.present,
      )
      .sort((a, b) => b.distinct.size - a.distinct.size)[0];
    customerWhy = 'an id-like column whose values repeat across rows (customers with several rows)';
  }
  if (customer !== undefined) {
    fields.customerId = customer.name;
    used.add(customer.name);
    reasons.push({
      path: 'fields.customerId',
      reason: `"${customer.name}": ${customerWhy}; ${customer.distinct.size.toLocaleString('en-US')} distinct values in ${pct(customer.present)}`,
    });
    const seen = [...customer.placeholders].sort((a, b) => b[1] - a[1]);
    if (seen.length > 0) {
      const list = seen.map(([v]) => v);
      mapping.placeholderIds = [...new Set([...list, ''])];
      reasons.push({
        path: 'placeholderIds',
        reason: `placeholder ids seen in "${customer.name}": ${seen.map(([v, c]) => `${JSON.stringify(v)} in ${pct(c)}`).join(', ')}; those rows will be rejected as placeholder_id, not counted as a customer`,
      });
    }
  } else {
    warnings.push({
      code: 'no_customer_id',
      message: 'No column looks like a customer id: set mapping.fields.customerId.',
    });
  }

  // Timestamp
  const timeCandidates = stats
    .filter(
      (s) =>
        !used.has(s.name) &&
        s.present > 0 &&
        (s.dateLike / s.present > 0.9 || (TIME_NAMES.test(s.name) && s.dateLike > 0)),
    )
    .sort(
      (a, b) => Number(TIME_NAMES.test(b.name)) - Number(TIME_NAMES.test(a.name)) || b.dateLike - a.dateLike,
    );
  const time = timeCandidates[0];
  if (time !== undefined) {
    fields.timestamp = time.name;
    used.add(time.name);
    const guess: DateFormatGuess = guessDateFormat(time.strings);
    const allIso = time.iso === time.present;
    const hasOffset = time.strings.every((s) => /(?:Z|[+-]\d{2}:?\d{2})$/i.test(s.trim()));
    if (guess.format !== null && !(allIso && hasOffset)) {
      mapping.timestamp = { format: guess.format };
      reasons.push({
        path: 'timestamp.format',
        reason: `"${time.name}" holds dates like ${JSON.stringify(time.strings[0])}; ${guess.evidence}`,
      });
    } else if (guess.unit !== undefined && guess.unit !== 'ms') {
      mapping.timestamp = { unit: guess.unit };
      reasons.push({ path: 'timestamp.unit', reason: `"${time.name}": ${guess.evidence}` });
    } else if (guess.candidates.length > 1) {
      warnings.push({
        code: 'ambiguous_date',
        message: `"${time.name}": ${guess.evidence}. Set mapping.timestamp.format to the one your export uses.`,
      });
    }
    if (!hasOffset && time.strings.length > 0)
      reasons.push({
        path: 'timestamp.timeZone',
        reason: `"${time.name}" has no UTC offset: its times are read as UTC unless you set timestamp.timeZone (e.g. "Europe/London" for local UK time)`,
      });
    reasons.push({
      path: 'fields.timestamp',
      reason: `"${time.name}": ${pct(time.dateLike)} hold a date${TIME_NAMES.test(time.name) ? ' and the name says so' : ''}`,
    });
  } else {
    warnings.push({ code: 'no_timestamp', message: 'No column holds dates: set mapping.fields.timestamp.' });
  }

  // Event id
  const eventId = byNorm(EVENT_ID_NAMES.filter((x) => x !== norm(customer?.name ?? '')));
  if (eventId !== undefined && !used.has(eventId.name)) {
    fields.eventId = eventId.name;
    used.add(eventId.name);
    const repeatShare = eventId.repeats / eventId.present;
    reasons.push({
      path: 'fields.eventId',
      reason: `"${eventId.name}": its name says order/event id; ${eventId.distinct.size.toLocaleString('en-US')} distinct values in ${pct(eventId.present)}`,
    });
    if (eventId.repeats > 0 && repeatShare > 0.05) {
      mapping.aggregate = { by: 'eventId', value: 'sum' };
      reasons.push({
        path: 'aggregate',
        reason: `${pct(eventId.repeats)} repeat an earlier "${eventId.name}": one row per order line, so the lines of one order are merged into one event with the amounts summed`,
      });
    }
  }

  // Amount
  const quantity = byNorm(QUANTITY_NAMES);
  const price = byNorm(PRICE_NAMES);
  const amount = byNorm(AMOUNT_NAMES.filter((a) => !PRICE_NAMES.includes(a)));
  const negativeQuantity = quantity !== undefined && quantity.negative > 0;
  if (
    quantity !== undefined &&
    price !== undefined &&
    quantity.numeric > 0 &&
    price.numeric > 0 &&
    amount === undefined
  ) {
    const product: MappingExpression = { product: [quantity.name, price.name] };
    derive.value = negativeQuantity ? { abs: product } : product;
    used.add(quantity.name).add(price.name);
    reasons.push({
      path: 'derive.value',
      reason: `amount = "${quantity.name}" × "${price.name}" (no amount column; one row is one line)${negativeQuantity ? `; abs() because ${pct(quantity.negative)} have a negative quantity (returns, typed as refunds below)` : ''}`,
    });
  } else if (amount !== undefined && amount.numeric > 0) {
    fields.value = amount.name;
    used.add(amount.name);
    reasons.push({
      path: 'fields.value',
      reason: `"${amount.name}": numeric in ${pct(amount.numeric)}; its name says amount`,
    });
  }

  // Type
  const typeCol = byNorm(TYPE_NAMES);
  if (typeCol !== undefined && !used.has(typeCol.name) && typeCol.distinct.size <= 100) {
    fields.type = typeCol.name;
    reasons.push({
      path: 'fields.type',
      reason: `"${typeCol.name}": ${typeCol.distinct.size} distinct values (${[...typeCol.distinct].slice(0, 6).join(', ')}); map them to the vocabulary with mapping.types`,
    });
  } else if (derive.value !== undefined || fields.value !== undefined) {
    const cases: { when: RuleCondition; then: MappingExpression }[] = [];
    const why: string[] = [];
    if (eventId !== undefined) {
      const prefixes = [...eventId.letterPrefixed]
        .filter(([p]) => p.length === 1)
        .sort((a, b) => b[1] - a[1]);
      const c = prefixes.find(([p]) => p === 'C');
      if (c !== undefined) {
        cases.push(branch({ field: eventId.name, op: 'starts_with', value: 'C' }, { const: 'refund' }));
        why.push(`${pct(c[1])} have "${eventId.name}" starting with "C" (cancellations)`);
      }
    }
    if (negativeQuantity && quantity !== undefined) {
      cases.push(branch(`${quantity.name} < 0`, { const: 'refund' }));
      why.push(`${pct(quantity.negative)} have a negative "${quantity.name}"`);
    } else if (amount !== undefined && amount.negative > 0) {
      cases.push(branch(`${amount.name} < 0`, { const: 'refund' }));
      why.push(`${pct(amount.negative)} have a negative "${amount.name}"`);
      derive.value = { abs: amount.name };
      delete fields.value;
    }
    derive.type = cases.length > 0 ? { cases, else: { const: 'purchase' } } : { const: 'purchase' };
    reasons.push({
      path: 'derive.type',
      reason:
        cases.length > 0
          ? `no type column: rows are purchases, refunds where ${why.join('; ')}`
          : 'no type column and an amount: every row is a purchase',
    });
  } else {
    warnings.push({
      code: 'no_type',
      message: 'No column holds an event type: set mapping.fields.type or mapping.derive.type.',
    });
  }

  // Properties
  for (const s of stats) {
    if (used.has(s.name) || !PROPERTY_NAMES.includes(norm(s.name)) || s.distinct.size > 1000) continue;
    derive[`properties.${norm(s.name)}`] = s.name;
    reasons.push({
      path: `derive.properties.${norm(s.name)}`,
      reason: `"${s.name}": ${s.distinct.size} distinct values, kept as a property`,
    });
  }
  if (Object.keys(derive).length > 0) mapping.derive = derive;
  return { mapping, reasons, columns: columnNames, rowsExamined: n, warnings };
}

/** One `{ when, then }` of `cases`: `then` is the mapping language's key (plain data, not a thenable). */
function branch(
  when: RuleCondition,
  then: MappingExpression,
): { when: RuleCondition; then: MappingExpression } {
  return { when, then };
}

function columnStats(name: string, rows: readonly Record<string, unknown>[]): ColumnStats {
  const s: ColumnStats = {
    name,
    present: 0,
    distinct: new Set(),
    numeric: 0,
    negative: 0,
    dateLike: 0,
    iso: 0,
    placeholders: new Map(),
    strings: [],
    letterPrefixed: new Map(),
    repeats: 0,
  };
  for (const r of rows) {
    if (!Object.hasOwn(r, name)) continue;
    const v = r[name];
    if (v === undefined || v === null) continue;
    const text = typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : null;
    if (text === null) continue;
    s.present++;
    if (PLACEHOLDERS.has(text.toLowerCase())) s.placeholders.set(text, (s.placeholders.get(text) ?? 0) + 1);
    if (s.distinct.has(text)) s.repeats++;
    else if (s.distinct.size < 100_000) s.distinct.add(text);
    if (NUMERIC.test(text)) {
      s.numeric++;
      if (Number(text) < 0) s.negative++;
      if (text.length === 8 || text.length === 10 || text.length === 13 || text.length === 16) {
        // yyyyMMdd, or epoch seconds / ms / us of a plausible instant.
        const t = text.length === 8 ? toEpochMs(text) : Number(text.slice(0, 10)) * 1000;
        if (t !== null && t >= Date.UTC(1990, 0, 1) && t < Date.UTC(2100, 0, 1)) {
          s.dateLike++;
          if (s.strings.length < 5000) s.strings.push(text);
        }
      }
    } else if (DATE_SHAPE.test(text)) {
      s.dateLike++;
      if (toEpochMs(text) !== null) s.iso++;
      if (s.strings.length < 5000) s.strings.push(text);
    }
    const m = /^([A-Za-z]+)\d+$/.exec(text);
    if (m !== null) s.letterPrefixed.set(m[1] as string, (s.letterPrefixed.get(m[1] as string) ?? 0) + 1);
  }
  return s;
}
