import { checkOptions, ValidationError } from '../_lib/errors';
import { IdIndex } from '../_lib/IdIndex';
import { isPlainObject } from '../_lib/safe';
import { duplicateOf, EventParser, type ParseEventsResult } from './_eventParser';
import { throwIfStrict } from './_mapping';
import { compileMapping } from './compileMapping';
import { compareEvents } from './groupByCustomer';
import { checkColumns, type ParseEventsOptions } from './parseEvents';
import type { CustomerEvent, RejectedRow } from './types';
import { EVENT_TYPES } from './vocabulary';

/**
 * Where {@link parseEventStream} puts accepted events instead of returning them. An
 * `EventStoreBuilder` (from `customer-vitals/store`) is one. Rows are numbered in append order
 * from 0.
 */
export interface AcceptedEventSink {
  /**
   * Appends one accepted event (its row is the number of events appended before it). With
   * `internEventId`, `eventIdCode` is the code it gave for the event's eventId.
   */
  append(event: CustomerEvent, eventIdCode?: number): void;
  /** The event appended as `row` (read only to resolve a repeated eventId). */
  at(row: number): CustomerEvent;
  /** Withdraws the event appended as `row`: a later row with the same eventId replaced it. */
  drop(row: number): void;
  /**
   * Optional: interns an eventId in the sink's own dictionary and returns its code (an integer
   * >= 0, the same for the same id, dense from 0 as in `EventStoreBuilder`). When present, the
   * duplicate check keys its table by these codes and hands each code to `append`, so every id is
   * hashed and held once (in the sink) instead of twice. Same duplicate rule, same counts.
   */
  internEventId?(eventId: string): number;
}

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
  /**
   * Accepted events go to this sink (e.g. an `EventStoreBuilder`) as they are accepted, instead of
   * into `result.events` (then empty): memory holds no accepted event object. Counts, `byType`,
   * duplicates and rejections are those of the run without a sink. A row with an eventId seen
   * before is appended, both rows are read back (`at`) and compared as the sink holds them, and the
   * one not kept is withdrawn (`drop`): a store that keeps only some properties treats two rows
   * that differ only in the others as equal (the earlier is kept, where `parseEvents` might keep
   * the later).
   * With `mapping.aggregate` the events are held until the end (lines merge then) and appended then.
   * @default undefined
   */
  into?: AcceptedEventSink;
}

const OPTION_KEYS = ['mapping', 'columns', 'strict', 'maxRejected', 'onRejected', 'into'];
const CANONICAL: ReadonlySet<string> = new Set(Object.values(EVENT_TYPES));

/**
 * Acceptance into a sink: the parser's duplicate rule (of two rows with one eventId the smaller by
 * `compareEvents` is kept; a tie keeps the earlier) with sink rows instead of an events array.
 * Memory per event: nothing without an eventId; with one, its sink row and input index, keyed by
 * the sink's own eventId code when the sink interns ids (`internEventId`, e.g. an
 * `EventStoreBuilder`), else by an index of the ids held here.
 */
class SinkAcceptor {
  readonly byType = new Map<string, number>();
  private rows = 0;
  private readonly seen: IdIndex | null;
  /** Sink row of the kept event per id code (-1: id not seen by this stream). */
  private rowOf = new Int32Array(1024).fill(-1);
  private indexOf = new Float64Array(1024);

  constructor(private readonly sink: AcceptedEventSink) {
    this.seen = typeof sink.internEventId === 'function' ? null : new IdIndex(1024);
  }

  private count(type: string, d: number): void {
    const n = (this.byType.get(type) ?? 0) + d;
    if (n === 0) this.byType.delete(type);
    else this.byType.set(type, n);
  }

  private codeOf(eventId: string): number {
    const seen = this.seen;
    const id =
      seen === null ? (this.sink.internEventId as (id: string) => number)(eventId) : seen.indexOf(eventId);
    if (!Number.isInteger(id) || id < 0 || id > 2 ** 30)
      throw new ValidationError('parseEventStream', [
        {
          path: ['into'],
          code: 'invalid_value',
          message: `option "into": internEventId must return an integer code >= 0, got ${String(id)}`,
        },
      ]);
    if (id >= this.rowOf.length) {
      let cap = this.rowOf.length * 2;
      while (cap <= id) cap *= 2;
      const rowOf = new Int32Array(cap).fill(-1);
      rowOf.set(this.rowOf);
      this.rowOf = rowOf;
      const indexOf = new Float64Array(cap);
      indexOf.set(this.indexOf);
      this.indexOf = indexOf;
    }
    return id;
  }

  /** Bound once: the parser calls it for every valid row. */
  readonly accept = (event: CustomerEvent, index: number, row: unknown): RejectedRow | null => {
    const eventId = event.eventId;
    if (eventId === undefined) {
      this.sink.append(event);
      this.rows++;
      this.count(event.type, 1);
      return null;
    }
    const id = this.codeOf(eventId);
    const keptRow = this.rowOf[id] as number;
    if (keptRow === -1) {
      this.rowOf[id] = this.rows;
      this.indexOf[id] = index;
      if (this.seen === null) this.sink.append(event, id);
      else this.sink.append(event);
      this.rows++;
      this.count(event.type, 1);
      return null;
    }
    // Both rows are compared as the sink holds them (a store keeps some properties, in its own key
    // order): the new row is appended, and one of the two is withdrawn.
    const keptIndex = this.indexOf[id] as number;
    const newRow = this.rows++;
    if (this.seen === null) this.sink.append(event, id);
    else this.sink.append(event);
    const kept = this.sink.at(keptRow);
    if (compareEvents(this.sink.at(newRow), kept) < 0) {
      this.sink.drop(keptRow);
      this.count(kept.type, -1);
      this.count(event.type, 1);
      this.rowOf[id] = newRow;
      this.indexOf[id] = index;
      return duplicateOf(keptIndex, kept, index, eventId);
    }
    this.sink.drop(newRow);
    return duplicateOf(index, row, keptIndex, eventId);
  };
}

function isSink(x: unknown): x is AcceptedEventSink {
  if (x === null || typeof x !== 'object') return false;
  const s = x as Record<string, unknown>;
  return typeof s.append === 'function' && typeof s.at === 'function' && typeof s.drop === 'function';
}
const HEAD_ROWS = 1000;

/**
 * `parseEvents` over a stream: an `Iterable` or `AsyncIterable` of rows, or of arrays of rows
 * (chunks, e.g. from a CSV parser; an array item is always a chunk), with the same mapping, validation, deduplication (or
 * aggregation), `stats` and `stats.byIssue`. Memory holds the accepted events (none with `into`:
 * they go to the sink, e.g. an `EventStoreBuilder`, as they are accepted) and at most
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
 *
 * // Straight into a compact store: no accepted event is kept as an object.
 * // import { EventStoreBuilder } from 'customer-vitals/store';
 * // const b = new EventStoreBuilder();
 * // await parseEventStream(rows(), { into: b });
 * // b.finish().length; // => 1
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
  const { maxRejected, into } = checkStreamOptions(source, options);
  const mapping = compileMapping(options.mapping, { fn: 'parseEventStream', target: 'events' });
  const acceptor = into !== undefined && mapping.aggregate === null ? new SinkAcceptor(into) : null;

  let parser: EventParser | null = null;
  const head: unknown[] = [];
  let index = 0;
  const start = (): EventParser => {
    const columns = checkColumns('parseEventStream', mapping, head, options.columns);
    const p = new EventParser(mapping, {
      maxRejected,
      onRejected: options.onRejected,
      columns,
      ...(acceptor === null ? {} : { accept: acceptor.accept }),
    });
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
  deliver(result, acceptor, into);
  return result;
}

/** The stream options, checked inside `run` (a bad value rejects the promise): bounds, callback, source, sink. */
function checkStreamOptions(
  source: Iterable<unknown> | AsyncIterable<unknown>,
  options: ParseEventStreamOptions,
): { maxRejected: number; into: AcceptedEventSink | undefined } {
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
  const into = options.into;
  if (into !== undefined && !isSink(into))
    throw new ValidationError('parseEventStream', [
      {
        path: ['into'],
        code: 'invalid_type',
        message: 'option "into" must be a sink with append, at and drop methods (e.g. an EventStoreBuilder)',
      },
    ]);
  return { maxRejected, into };
}

/** Per-type counts from the sink's acceptor; with `aggregate`, the merged events are appended to the sink now. */
function deliver(
  result: ParseEventsResult,
  acceptor: SinkAcceptor | null,
  into: AcceptedEventSink | undefined,
): void {
  if (acceptor !== null) {
    let unknownTypes = 0;
    for (const [type, n] of acceptor.byType) if (!CANONICAL.has(type)) unknownTypes += n;
    result.stats.byType = acceptor.byType;
    result.stats.unknownTypes = unknownTypes;
  } else if (into !== undefined) {
    // mapping.aggregate: the lines of an eventId merge at the end, so the events are appended now.
    for (const e of result.events) into.append(e);
    result.events = [];
  }
}
