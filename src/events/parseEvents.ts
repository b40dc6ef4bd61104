import { checkOptions, ValidationError } from '../_lib/errors';
import { isPlainObject } from '../_lib/safe';
import { EventParser, type ParseEventsResult } from './_eventParser';
import { notAnArray, throwIfStrict } from './_mapping';
import { missingColumnIssues } from './_readMapping';
import { type CompiledMapping, compileMapping, type FieldMapping } from './compileMapping';

export type { IssueSummary, ParseEventsResult, ParseEventsStats } from './_eventParser';
export { fastAccept } from './_eventParser';

/** Canonical event fields that a mapping can name or derive. */
export type EventField = 'customerId' | 'type' | 'timestamp' | 'value' | 'properties' | 'eventId';

/** Options of {@link parseEvents}. */
export interface ParseEventsOptions {
  /**
   * How the raw rows map onto events: field and type renames, derived fields, timestamp format and
   * time zone, placeholder ids, number format, aggregation of order lines (see {@link FieldMapping}).
   * @default undefined (rows already use the canonical names; default placeholder ids and timestamp window)
   */
  mapping?: FieldMapping<EventField>;
  /**
   * The columns of the input (e.g. a CSV header). Every column the mapping names must be one of
   * them. Without it, the columns are those present in the rows.
   * @default undefined
   */
  columns?: readonly string[];
  /**
   * Throw a `ValidationError` carrying every issue when any row is invalid, instead of returning it
   * in `rejected`. Duplicate event ids are still dropped and reported, never thrown.
   * @default false
   */
  strict?: boolean;
}

const OPTION_KEYS = ['mapping', 'columns', 'strict'];
const SAMPLE_ROWS = 1000;

/**
 * Validates and normalises raw customer events.
 *
 * Each row is mapped (see {@link FieldMapping}: columns, derived fields, type renames), then
 * validated: non-empty string `customerId` that is not a placeholder id (`NA`, `(blank)`, `''`, ...:
 * code `placeholder_id`); non-empty string `type`; a timestamp that is a Date, an ISO 8601 string
 * (no offset = UTC, or `mapping.timestamp.timeZone`), a string in `mapping.timestamp.format`, or an
 * epoch number in `mapping.timestamp.unit` (default ms), calendar-strict and inside the plausibility
 * window (default 1990-01-01..2100-01-01; `implausible_timestamp` names the unit it looks like); a
 * finite `value` (numeric text read with `mapping.numberFormat`); `properties` a plain object without
 * BigInt, cycles or more than 32 levels; and the per-type rules of the vocabulary (survey scores
 * integer and in range, purchase amounts present and >= 0, ...). `null` or `''` in an optional field
 * counts as absent.
 *
 * Nothing is dropped silently: every row ends up in `events` or in `rejected` (with its 0-based
 * `index` and located issues), and `stats.byIssue` counts rejections per cause with up to 3 examples.
 * Rows repeating an `eventId` are duplicates: one is kept (the smallest by time, type, value and
 * properties, so the choice does not depend on input order) and the others are rejected with code
 * `duplicate_event_id`. With `mapping.aggregate: { by: 'eventId' }` rows sharing an `eventId` are
 * instead the lines of one order and become ONE event: earliest timestamp, values summed (or
 * counted), the properties all lines agree on; lines that disagree on customerId or type are all
 * rejected (`duplicate_event_id`). `stats.merged` counts the folded lines.
 *
 * A mapping error (unknown key, bad expression, a column no row has) throws before any row is read.
 * Otherwise never throws in the default mode. `properties` is passed through by reference (treat
 * it as read-only) unless `derive` adds keys, which builds a null-prototype copy.
 *
 * @param rows the raw rows (anything; a non-array counts as one invalid row).
 * @param options mapping, columns and strictness.
 * @returns accepted events (input order), rejected rows and counts.
 * @throws {ValidationError} for an invalid mapping or options; with `strict: true`, when a row is invalid.
 * @example
 * ```ts
 * const { events, rejected, stats } = parseEvents(
 *   [{ user_id: 'acme', event: 'Order Completed', ts: '2024-03-01', amount: 49 }, { user_id: 'NA' }],
 *   { mapping: { fields: { customerId: 'user_id', type: 'event', timestamp: 'ts', value: 'amount' },
 *                types: { 'Order Completed': 'purchase' } } },
 * );
 * // events: [{ customerId: 'acme', type: 'purchase', timestamp: 1709251200000, value: 49 }]
 * // rejected[0].issues[0].code: 'placeholder_id'
 * // stats: { received: 2, accepted: 1, rejected: 1, byIssue: Map { 'placeholder_id' => { count: 1, ... } }, ... }
 * ```
 */
export function parseEvents(rows: unknown, options: ParseEventsOptions = {}): ParseEventsResult {
  checkOptions('parseEvents', options, OPTION_KEYS);
  const mapping = compileMapping(options.mapping, { fn: 'parseEvents', target: 'events' });
  if (!Array.isArray(rows)) {
    const parser = new EventParser(mapping, { maxRejected: 1, columns: null });
    const r = parser.finish();
    const bad = notAnArray('parseEvents', rows);
    r.rejected.push(bad);
    r.stats.received = 1;
    r.stats.rejected = 1;
    r.stats.byIssue.set('not_an_array', { count: 1, examples: [bad] });
    if (options.strict) throwIfStrict('parseEvents', r.rejected, 1, 'duplicate_event_id', 'rows');
    return r;
  }
  const columns = checkColumns('parseEvents', mapping, rows, options.columns);
  const parser = new EventParser(mapping, {
    rows,
    capacity: rows.length,
    maxRejected: Number.POSITIVE_INFINITY,
    columns,
  });
  for (let index = 0; index < rows.length; index++) parser.push(rows[index], index);
  const result = parser.finish();
  if (options.strict)
    throwIfStrict('parseEvents', result.rejected, rows.length, 'duplicate_event_id', 'rows');
  return result;
}

/**
 * The columns of the input (given, or the keys of the rows) and a check that every column the
 * mapping names is among them: throws a `ValidationError` naming the column, suggesting the closest
 * and listing the columns, before any row is read. A column missing from the first rows is looked
 * for in every row before it is called missing.
 */
export function checkColumns(
  fn: string,
  mapping: CompiledMapping,
  rows: readonly unknown[],
  given: readonly string[] | undefined,
): ReadonlySet<string> | null {
  let columns: Set<string>;
  if (given !== undefined) {
    if (!Array.isArray(given) || given.some((c) => typeof c !== 'string'))
      throw new ValidationError(fn, [
        { path: ['columns'], code: 'invalid_type', message: 'option "columns" must be an array of strings' },
      ]);
    columns = new Set(given);
  } else {
    columns = new Set();
    let plain = 0;
    for (let i = 0; i < rows.length && plain < SAMPLE_ROWS; i++) {
      const r = rows[i];
      if (!isPlainObject(r)) continue;
      plain++;
      for (const k of Object.keys(r)) columns.add(k);
    }
    if (plain === 0) return null;
    // A sparse column (JSON rows) may appear only later: look for it in every row before calling it missing.
    for (const ref of mapping.references) {
      const head = ref.column.split('.')[0] as string;
      if (columns.has(ref.column) || columns.has(head)) continue;
      for (let i = SAMPLE_ROWS; i < rows.length; i++) {
        const r = rows[i];
        if (isPlainObject(r) && (Object.hasOwn(r, ref.column) || Object.hasOwn(r, head))) {
          columns.add(Object.hasOwn(r, ref.column) ? ref.column : head);
          break;
        }
      }
    }
  }
  const issues = missingColumnIssues(mapping.references, columns);
  if (issues.length > 0) throw new ValidationError(fn, issues, 'mapping');
  return columns;
}
