import { checkOptions, ValidationError } from '../_lib/errors';
import { isPlainObject } from '../_lib/safe';
import { EventParser, type ParseEventsResult } from './_eventParser';
import { compileMapping } from './compileMapping';
import { throwIfStrict } from './mapping';
import { checkColumns, type ParseEventsOptions } from './parseEvents';
import type { RejectedRow } from './types';

/** Options of {@link parseEventStream}: those of `parseEvents`, plus bounds for the rejected rows. */
export interface ParseEventStreamOptions extends ParseEventsOptions {
  /**
   * Rejected rows kept in `result.rejected` (the first ones, by arrival); counts and `stats.byIssue`
   * stay exact whatever the cap. Use `onRejected` to see every rejected row.
   * @default 1000
   */
  maxRejected?: number;
  /** Called once for every rejected row, as soon as it is known (not necessarily in index order). */
  onRejected?: (row: RejectedRow) => void;
}

const OPTION_KEYS = ['mapping', 'columns', 'strict', 'maxRejected', 'onRejected'];
const HEAD_ROWS = 1000;

/**
 * `parseEvents` over a stream: an `Iterable` or `AsyncIterable` of rows, or of arrays of rows
 * (chunks, e.g. from a CSV parser; an array item is always a chunk), with the same mapping, validation, deduplication (or
 * aggregation), `stats` and `stats.byIssue`. Memory holds the accepted events and at most
 * `maxRejected` rejected rows; every rejected row goes to `onRejected` when given.
 *
 * Row `index` counts rows across chunks from 0. The columns the mapping names are checked against
 * `options.columns` when given (e.g. the CSV header), else against the keys of the first 1,000 rows,
 * before any row is validated. Duplicate `eventId`s are resolved as in `parseEvents` (the same row
 * is kept whatever the order); when the kept row changes, the row it replaces is reported with the
 * normalised event as its `row` (the raw row is no longer held). Messages for non-ISO dates name
 * the format the column appears to use from the rows seen so far.
 *
 * @param source rows or chunks of rows, sync or async.
 * @param options mapping, columns, strictness, rejected-row bounds.
 * @returns a promise of the same result as `parseEvents` (`rejected` capped at `maxRejected`).
 * @throws {ValidationError} at the call for unknown options; as a rejected promise for an invalid
 *   mapping or option value, a source that is not iterable, or with `strict: true` when a row is invalid.
 * @example
 * ```ts
 * import { parseEventStream } from 'customer-vitals/events';
 * async function* rows() {
 *   yield [{ customerId: 'a', type: 'login', timestamp: '2024-03-01T10:00:00Z' }];
 *   yield [{ customerId: 'NA', type: 'login', timestamp: '2024-03-01T11:00:00Z' }];
 * }
 * const { stats } = await parseEventStream(rows());
 * console.log(stats.accepted, stats.byIssue.get('placeholder_id')?.count); // => 1 1
 * ```
 */
export function parseEventStream(
  source: Iterable<unknown> | AsyncIterable<unknown>,
  options: ParseEventStreamOptions = {},
): Promise<ParseEventsResult> {
  // Options are checked synchronously: a typo throws at the call, before any row is read.
  checkOptions('parseEventStream', options, OPTION_KEYS);
  return run(source, options);
}

async function run(
  source: Iterable<unknown> | AsyncIterable<unknown>,
  options: ParseEventStreamOptions,
): Promise<ParseEventsResult> {
  const maxRejected = options.maxRejected ?? 1000;
  if (!(Number.isInteger(maxRejected) && maxRejected >= 0))
    throw new ValidationError('parseEventStream', [
      {
        path: ['maxRejected'],
        code: 'invalid_value',
        message: 'option "maxRejected" must be an integer >= 0',
      },
    ]);
  if (options.onRejected !== undefined && typeof options.onRejected !== 'function')
    throw new ValidationError('parseEventStream', [
      { path: ['onRejected'], code: 'invalid_type', message: 'option "onRejected" must be a function' },
    ]);
  const iterable =
    source !== null &&
    typeof source === 'object' &&
    (Symbol.asyncIterator in (source as object) || Symbol.iterator in (source as object));
  if (!iterable || typeof source === 'string')
    throw new ValidationError('parseEventStream', [
      {
        path: [],
        code: 'invalid_type',
        message: 'parseEventStream expects an Iterable or AsyncIterable of rows (or of arrays of rows)',
      },
    ]);
  const mapping = compileMapping(options.mapping, { fn: 'parseEventStream', target: 'events' });

  let parser: EventParser | null = null;
  const head: unknown[] = [];
  let index = 0;
  const start = (): EventParser => {
    const columns = checkColumns('parseEventStream', mapping, head, options.columns);
    const p = new EventParser(mapping, { maxRejected, onRejected: options.onRejected, columns });
    for (const row of head) p.push(row, index++);
    head.length = 0;
    return p;
  };
  const take = (row: unknown): void => {
    if (parser !== null) parser.push(row, index++);
    else {
      head.push(row);
      if (head.length >= HEAD_ROWS || (options.columns !== undefined && isPlainObject(row))) parser = start();
    }
  };
  if (Symbol.asyncIterator in (source as object)) {
    for await (const item of source as AsyncIterable<unknown>) {
      if (Array.isArray(item)) for (const row of item) take(row);
      else take(item);
    }
  } else {
    // A sync source is read synchronously: no await per row.
    for (const item of source as Iterable<unknown>) {
      if (Array.isArray(item)) for (const row of item) take(row);
      else take(item);
    }
  }
  const done: EventParser = parser ?? start();
  const result = done.finish();
  if (options.strict)
    throwIfStrict('parseEventStream', result.rejected, result.stats.received, 'duplicate_event_id', 'rows');
  return result;
}
