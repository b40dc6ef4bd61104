/**
 * Fast grouping of events by customer into typed columns plus a source-row index (a private,
 * allocation-light counterpart of `groupByCustomer` for the scoring hot path; event objects are
 * only gathered per customer on demand). Event arrays are read once, in input order, by
 * `eventPlan` (which `scoreHealth` groups one range of customers at a time); timelines are
 * written as they are.
 * @module
 */
import { ValidationError } from '../_lib/errors';
import { compareCodeUnits } from '../_lib/order';
import type { CustomerEvent, CustomerTimeline, CustomerTimelines } from '../events/types';
import { ColumnBuilder, type EventColumns } from './_eventColumns';
import { badEvent, groupEventRange, MAX_INSTANT, planEvents, SourceScan } from './_eventPlan';

/**
 * Events grouped by customer: customer `r`'s events are rows `offsets[r]..offsets[r+1]` of the
 * columns, time-sorted. @internal
 */
export interface EventGroups {
  /** Customer ids in ascending code-unit order. */
  readonly ids: readonly string[];
  readonly offsets: Int32Array;
  /**
   * Customer `r`'s events as objects, time-sorted, made on demand (custom signals and outcome
   * labels need objects; the built-in signals read only the columns).
   */
  readonly eventsOf: (r: number) => CustomerEvent[];
  /** The same events as typed columns (what the signal pass reads). */
  readonly cols: EventColumns;
  /** The timelines the groups came from, when given as timelines (for custom signals). */
  readonly timelines: CustomerTimelines | undefined;
  /** The buffer holding the columns (event groupings only). */
  readonly buffer?: ArrayBuffer;
  /** Source bits of every event type present (see `_lib/sources`), and the data set's time span. */
  readonly sourceMask: number;
  readonly firstTimestamp: number;
  readonly lastTimestamp: number;
}

/**
 * Instants whose user ids (`(from, to]`) and feature ids (`(featureFrom, to]`) the call's signals
 * read, from the data set's sources and span. @internal
 */
export type IdRange = (
  sourceMask: number,
  first: number,
  last: number,
) => { from: number; to: number; featureFrom: number };

function limitIds(cols: ColumnBuilder, scan: SourceScan, idRange: IdRange | undefined): void {
  if (idRange !== undefined) cols.reader.limit(idRange(scan.mask, scan.first, scan.last));
}

function fromTimelines(timelines: CustomerTimelines, fn: string, idRange: IdRange | undefined): EventGroups {
  const ids = Array.from(timelines.keys()).sort(compareCodeUnits);
  let n = 0;
  for (const t of timelines.values()) {
    if (t === null || typeof t !== 'object' || !Array.isArray(t.events))
      throw badEvent(fn, n, 'timelines must map customer ids to timelines with an events array');
    n += t.events.length;
  }
  const events: CustomerEvent[] = new Array(n);
  const offsets = new Int32Array(ids.length + 1);
  const scan = new SourceScan();
  for (const t of timelines.values()) {
    for (const e of t.events) if (e !== null && typeof e === 'object') scan.add(e.type, e.timestamp);
  }
  const cols = new ColumnBuilder(n);
  limitIds(cols, scan, idRange);
  let k = 0;
  ids.forEach((id, i) => {
    offsets[i] = k;
    for (const e of (timelines.get(id) as CustomerTimeline).events) {
      if (e === null || typeof e !== 'object' || !(Math.abs(e.timestamp) <= MAX_INSTANT))
        throw badEvent(
          fn,
          k,
          'each event must be an object with an epoch-ms timestamp in the valid date range',
        );
      cols.write(k, e);
      events[k++] = e;
    }
  });
  offsets[ids.length] = k;
  const eventsOf = (r: number): CustomerEvent[] => events.slice(offsets[r], offsets[r + 1]);
  return finish(ids, eventsOf, offsets, cols, scan, timelines);
}

function finish(
  ids: readonly string[],
  eventsOf: (r: number) => CustomerEvent[],
  offsets: Int32Array,
  cols: ColumnBuilder,
  scan: SourceScan,
  timelines: CustomerTimelines | undefined,
): EventGroups {
  const empty = offsets[ids.length] === 0;
  return {
    ids,
    eventsOf,
    offsets,
    cols: cols.finish(),
    buffer: cols.buffer,
    timelines,
    sourceMask: scan.mask,
    firstTimestamp: empty ? Number.NaN : scan.first,
    lastTimestamp: empty ? Number.NaN : scan.last,
  };
}

/**
 * Groups validated events (or re-uses timelines) into {@link EventGroups} with typed columns.
 * `idRange`, called once the data set's sources and span are known, bounds the instants whose
 * user and feature ids are looked up (the windows the call's signals read).
 * @throws ValidationError when `input` is not an array of events or a Map of timelines, or an
 *   event lacks a string `customerId` or a valid epoch-ms `timestamp`.
 * @internal
 */
export function groupEvents(
  input: readonly CustomerEvent[] | CustomerTimelines,
  fn = 'scoreHealth',
  idRange?: IdRange,
): EventGroups {
  if (input instanceof Map) return fromTimelines(input as CustomerTimelines, fn, idRange);
  const plan = planEvents(requireEventArray(input, fn), fn, idRange, Number.POSITIVE_INFINITY);
  return groupEventRange(plan, 0);
}

/**
 * `input` as an event array.
 * @throws ValidationError when it is not an array.
 * @internal
 */
export function requireEventArray(input: unknown, fn: string): readonly CustomerEvent[] {
  if (Array.isArray(input)) return input as readonly CustomerEvent[];
  const got = input === null ? 'null' : typeof input;
  throw new ValidationError(fn, [
    {
      path: [],
      code: 'invalid_type',
      message: `events must be an array of events or a Map of timelines, got ${got}`,
    },
  ]);
}

class SliceTimeline implements CustomerTimeline {
  readonly customerId: string;
  readonly events: readonly CustomerEvent[];
  readonly byType: ReadonlyMap<string, readonly CustomerEvent[]>;
  readonly firstTimestamp: number;
  readonly lastTimestamp: number;
  constructor(customerId: string, events: CustomerEvent[]) {
    this.customerId = customerId;
    this.events = events;
    const byType = new Map<string, CustomerEvent[]>();
    for (const e of events) {
      const list = byType.get(e.type);
      if (list === undefined) byType.set(e.type, [e]);
      else list.push(e);
    }
    this.byType = byType;
    this.firstTimestamp = (events[0] as CustomerEvent).timestamp;
    this.lastTimestamp = (events[events.length - 1] as CustomerEvent).timestamp;
  }
  ofType(type: string): readonly CustomerEvent[] {
    return this.byType.get(type) ?? [];
  }
}

/** The timeline of group `r` (built on demand, for custom signals and outcome labels). @internal */
export function timelineOf(groups: EventGroups, r: number): CustomerTimeline {
  const id = groups.ids[r] as string;
  const existing = groups.timelines?.get(id);
  if (existing !== undefined) return existing;
  return new SliceTimeline(id, groups.eventsOf(r));
}
