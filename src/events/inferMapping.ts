import { checkOptions, ValidationError } from '../_lib/errors';
import type { RuleCondition } from '../_lib/rules';
import { isPlainObject } from '../_lib/safe';
import { type DateFormatGuess, guessDateFormat } from '../_lib/time';
import type { VitalsWarning } from '../types';
import { type ColumnStats, columnStats } from './_columnStats';
import type { FieldMapping, MappingExpression } from './compileMapping';
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
  const fields: Partial<Record<EventField, string>> = {};
  const n = sample.length;
  const c: Draft = {
    stats,
    byNorm: (names) =>
      names.map((n) => stats.find((s) => norm(s.name) === n)).find((s) => s !== undefined && s.present > 0),
    reasons: [],
    warnings: [],
    fields,
    derive: {},
    mapping: { fields },
    used: new Set<string>(),
    pct: (k) => `${k.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} rows`,
  };
  const customer = inferCustomer(c);
  inferTimestamp(c);
  const eventId = inferEventId(c, customer);
  const amount = inferAmount(c);
  inferType(c, eventId, amount);
  // Properties
  for (const s of stats) {
    if (c.used.has(s.name) || !PROPERTY_NAMES.includes(norm(s.name)) || s.distinct.size > 1000) continue;
    c.derive[`properties.${norm(s.name)}`] = s.name;
    c.reasons.push({
      path: `derive.properties.${norm(s.name)}`,
      reason: `"${s.name}": ${s.distinct.size} distinct values, kept as a property`,
    });
  }
  if (Object.keys(c.derive).length > 0) c.mapping.derive = c.derive;
  return {
    mapping: c.mapping,
    reasons: c.reasons,
    columns: columnNames,
    rowsExamined: n,
    warnings: c.warnings,
  };
}

/** The draft being built, and what each step reads. */
interface Draft {
  stats: ColumnStats[];
  /** The first column (present in the sample) whose normalised name is in `names`, in their order. */
  byNorm: (names: readonly string[]) => ColumnStats | undefined;
  reasons: { path: string; reason: string }[];
  warnings: VitalsWarning<InferMappingWarningCode>[];
  fields: Partial<Record<EventField, string>>;
  derive: Record<string, MappingExpression>;
  mapping: FieldMapping<EventField>;
  /** Columns already given a role. */
  used: Set<string>;
  /** `k of n rows`. */
  pct: (k: number) => string;
}

/** The customer id column (by name, else an id-like column whose values repeat) and its placeholders. */
function inferCustomer({
  stats,
  byNorm,
  reasons,
  warnings,
  fields,
  derive,
  mapping,
  used,
  pct,
}: Draft): ColumnStats | undefined {
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
    used.add(customer.name);
    const path = idField('customerId', customer, fields, derive);
    reasons.push({
      path,
      reason: `"${customer.name}": ${customerWhy}; ${customer.distinct.size.toLocaleString('en-US')} distinct values in ${pct(customer.present)}${asText(customer, pct)}`,
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
  return customer;
}

/**
 * Maps an id field to its column: directly (`fields`), or, when the column holds numbers (a JSON
 * export's `17850`), as text with `derive: { concat: [column] }`, since ids are text and a number is
 * refused. Returns the mapping path used.
 */
function idField(
  field: 'customerId' | 'eventId',
  column: ColumnStats,
  fields: Record<string, string>,
  derive: Record<string, MappingExpression>,
): string {
  if (column.numbers === 0) {
    fields[field] = column.name;
    return `fields.${field}`;
  }
  derive[field] = { concat: [column.name] };
  return `derive.${field}`;
}

/** The reason's note for an id column holding numbers (read as text). */
function asText(column: ColumnStats, pct: (n: number) => string): string {
  return column.numbers === 0
    ? ''
    : `; it holds numbers in ${pct(column.numbers)}, and ids are text, so it is read as text (concat)`;
}

/** The timestamp column, its format or unit (with the evidence), and the time-zone reminder. */
function inferTimestamp({ stats, reasons, warnings, fields, mapping, used, pct }: Draft): void {
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
  if (time === undefined) {
    warnings.push({ code: 'no_timestamp', message: 'No column holds dates: set mapping.fields.timestamp.' });
    return;
  }
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
}

/** The order / event id column, and `aggregate` when its values repeat (one row per order line). */
function inferEventId(
  { byNorm, reasons, fields, derive, mapping, used, pct }: Draft,
  customer: ColumnStats | undefined,
): ColumnStats | undefined {
  const eventId = byNorm(EVENT_ID_NAMES.filter((x) => x !== norm(customer?.name ?? '')));
  if (eventId !== undefined && !used.has(eventId.name)) {
    used.add(eventId.name);
    const path = idField('eventId', eventId, fields, derive);
    const repeatShare = eventId.repeats / eventId.present;
    reasons.push({
      path,
      reason: `"${eventId.name}": its name says order/event id; ${eventId.distinct.size.toLocaleString('en-US')} distinct values in ${pct(eventId.present)}${asText(eventId, pct)}`,
    });
    if (eventId.repeats > 0 && repeatShare > 0.05) {
      mapping.aggregate = { by: 'eventId', value: 'sum' };
      reasons.push({
        path: 'aggregate',
        reason: `${pct(eventId.repeats)} repeat an earlier "${eventId.name}": one row per order line, so the lines of one order are merged into one event with the amounts summed`,
      });
    }
  }
  return eventId;
}

/** The amount columns found: quantity, amount, and whether quantities go negative. */
interface AmountColumns {
  quantity: ColumnStats | undefined;
  amount: ColumnStats | undefined;
  negativeQuantity: boolean;
}

/** The amount: quantity × unit price (made positive with `abs` when quantities go negative), or a column. */
function inferAmount({ stats, byNorm, reasons, fields, derive, used, pct }: Draft): AmountColumns {
  const quantity = byNorm(QUANTITY_NAMES);
  const price = byNorm(PRICE_NAMES);
  const amountNames = AMOUNT_NAMES.filter((a) => !PRICE_NAMES.includes(a));
  // A name that is an amount word, else one that ends with one (CDNOW's dollar_value, net_sales).
  const amount =
    byNorm(amountNames) ??
    stats.find(
      (s) =>
        s.present > 0 &&
        s.numeric === s.present &&
        !used.has(s.name) &&
        amountNames.some((a) => norm(s.name).endsWith(a)),
    );
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
  return { quantity, amount, negativeQuantity };
}

/** The event type: a column, else purchases with refund rules (C-prefixed ids, negative quantities or amounts). */
function inferType(
  { byNorm, reasons, warnings, fields, derive, used, pct }: Draft,
  eventId: ColumnStats | undefined,
  { quantity, amount, negativeQuantity }: AmountColumns,
): void {
  const typeCol = byNorm(TYPE_NAMES);
  if (typeCol !== undefined && !used.has(typeCol.name) && typeCol.distinct.size <= 100) {
    fields.type = typeCol.name;
    reasons.push({
      path: 'fields.type',
      reason: `"${typeCol.name}": ${typeCol.distinct.size} distinct values (${[...typeCol.distinct].slice(0, 6).join(', ')}); map them to the vocabulary with mapping.types`,
    });
    return;
  }
  if (derive.value === undefined && fields.value === undefined) {
    warnings.push({
      code: 'no_type',
      message: 'No column holds an event type: set mapping.fields.type or mapping.derive.type.',
    });
    return;
  }
  const cases: { when: RuleCondition; then: MappingExpression }[] = [];
  const why: string[] = [];
  if (eventId !== undefined) {
    const prefixes = [...eventId.letterPrefixed].filter(([p]) => p.length === 1).sort((a, b) => b[1] - a[1]);
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
}

/** One `{ when, then }` of `cases`: `then` is the mapping language's key (plain data, not a thenable). */
function branch(
  when: RuleCondition,
  then: MappingExpression,
): { when: RuleCondition; then: MappingExpression } {
  return { when, then };
}
