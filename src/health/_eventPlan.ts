/**
 * The grouping of an event array for the health engine. {@link planEvents} reads the event
 * objects in input order (where they sit in memory) twice: a census (validation, customers, the
 * data set's sources and span), then, with the id window known, each event's fields appended to
 * the region of its range of customers (a few sequential write streams, not a scatter over the
 * whole data set). {@link groupEventRange} then groups one range at a time (cache-sized) into the
 * typed columns the signal pass reads, sorting by time only the customers whose events arrived
 * out of order. Memory per call: ~8 bytes per event in typed arrays (customer, input index) and
 * ~32 in a plain double array on the JS heap (time, value, type, flags, ids), plus one range's
 * columns. Typed arrays count as memory outside the JS heap, whose growth by ~64 MB since the
 * last full GC starts one (marking every one of the caller's event objects): at ~38 bytes per
 * event of typed columns that came on every second call of 1M events; the heap has more room
 * (about every fifth call of 1M events in the health benchmark).
 * @module
 */
import { ValidationError } from '../_lib/errors';
import { compareCodeUnits } from '../_lib/order';
import { sourceBits } from '../_lib/sources';
import type { CustomerEvent } from '../events/types';
import { ColumnBuilder, EventReader, K } from './_eventColumns';
import type { EventGroups, IdRange } from './_groupEvents';
import { eventAt, isSorted, type SortRows, SortScratch, sortSlice } from './_groupSort';

/** Latest instant a JS Date can hold (±8.64e15 ms). @internal */
export const MAX_INSTANT = 8.64e15;

/** The error of an invalid event at input index `index`. @internal */
export function badEvent(fn: string, index: number, message: string): ValidationError {
  return new ValidationError(fn, [{ index, path: [], code: 'invalid_type', message }], 'events');
}

/** Source bits and time span of a list of events, with one type lookup per run of equal types. @internal */
export class SourceScan {
  mask = 0;
  first = Number.POSITIVE_INFINITY;
  last = Number.NEGATIVE_INFINITY;
  #lastType = '';
  add(type: string, t: number): void {
    if (t < this.first) this.first = t;
    if (t > this.last) this.last = t;
    if (type !== this.#lastType) {
      this.#lastType = type;
      this.mask |= sourceBits(type);
    }
  }
}

/**
 * Doubles per event of a record on the JS heap: time, value, meta (`(feature id + 1) × 128 +
 * flag × 32 + type code`), the user or ticket id (-1: none).
 */
const REC = 4;

/** Above this many doubles, records live in a Float64Array (a plain array's length is bounded). */
const MAX_HEAP_RECORDS = 1 << 26;

/** A double array for `size` record fields, allocated at once. */
function records(size: number, heapMax: number): number[] | Float64Array {
  if (size > heapMax) return new Float64Array(size);
  // A double array given its length allocates its store at once (no growth on the writes).
  const rec = [Number.NaN];
  rec.length = size;
  return rec;
}

/** Per-customer tallies in first-seen order (codes), while the census reads the events. */
class Tally {
  firstIds: string[] = [];
  counts = new Int32Array(1024);
  lastTs = new Float64Array(1024);
  unordered = new Uint8Array(1024);
  /** A new customer: its code. */
  add(id: string): number {
    const c = this.firstIds.length;
    this.firstIds.push(id);
    if (c >= this.counts.length) {
      this.counts = grow(this.counts, (k) => new Int32Array(k));
      this.lastTs = grow(this.lastTs, (k) => new Float64Array(k));
      this.unordered = grow(this.unordered, (k) => new Uint8Array(k));
    }
    this.lastTs[c] = Number.NEGATIVE_INFINITY;
    return c;
  }
}

function grow<T extends Int32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T {
  const b = make(a.length * 2);
  b.set(a);
  return b;
}

/** Reads every event once: validates it, codes its customer (first-seen order) into `code`. */
function census(events: readonly CustomerEvent[], fn: string, scan: SourceScan, code: Int32Array): Tally {
  const n = events.length;
  const index = new Map<string, number>();
  const tally = new Tally();
  let lastId: string | undefined;
  let lastC = -1;
  for (let i = 0; i < n; i++) {
    const e = events[i] as CustomerEvent;
    if (e === null || typeof e !== 'object') throw badEvent(fn, i, 'each event must be an object');
    const id = e.customerId;
    const t = e.timestamp;
    if (typeof id !== 'string') throw badEvent(fn, i, 'event customerId must be a string');
    if (typeof t !== 'number' || !(Math.abs(t) <= MAX_INSTANT))
      throw badEvent(fn, i, 'event timestamp must be epoch ms within the valid date range');
    scan.add(e.type, t);
    // Runs of the same customer (exports sorted by customer) skip the map lookup.
    let c = id === lastId ? lastC : index.get(id);
    if (c === undefined) {
      c = tally.add(id);
      index.set(id, c);
    }
    const lastTs = tally.lastTs;
    if (t <= (lastTs[c] as number)) tally.unordered[c] = 1;
    else lastTs[c] = t;
    lastId = id;
    lastC = c;
    code[i] = c;
    tally.counts[c] = (tally.counts[c] as number) + 1;
  }
  return tally;
}

/**
 * An event array read for grouping (see {@link planEvents}): its customers in id order, split into
 * ranges, and each range's rows (its events, in input order) in one region of the row space. @internal
 */
export interface EventPlan {
  readonly events: readonly CustomerEvent[];
  /** Customer ids in ascending code-unit order: customer `r` is the `r`-th. */
  readonly ids: readonly string[];
  /** Customer `r`'s events are rows `offsets[r]..offsets[r+1]` once its range is grouped. */
  readonly offsets: Int32Array;
  /** Range `k` is customers `[bounds[k], bounds[k+1])`. */
  readonly bounds: readonly number[];
  /** Rows of the largest range. */
  readonly maxRows: number;
  /** Per event (input index): its customer's place in id order. */
  readonly rank: Int32Array;
  /** Per row of a range's region (in input order within the range): input index, record. */
  readonly src: Int32Array;
  readonly rec: number[] | Float64Array;
  /** Per customer: 1 when its events arrived out of time order (or tied). */
  readonly unordered: Uint8Array;
  /** The id tables every range's columns share (so ids are dense over the call). */
  readonly reader: EventReader;
  /** Source bits of every event type present, and the data set's time span (NaN when empty). */
  readonly sourceMask: number;
  readonly firstTimestamp: number;
  readonly lastTimestamp: number;
}

/** Customers in id order: their ids, row offsets, out-of-order flags, and each code's place. */
function orderCustomers(tally: Tally): {
  ids: string[];
  offsets: Int32Array;
  rankOf: Int32Array;
  unordered: Uint8Array;
} {
  const { firstIds, counts } = tally;
  const m = firstIds.length;
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) =>
    compareCodeUnits(firstIds[a] as string, firstIds[b] as string),
  );
  const offsets = new Int32Array(m + 1);
  const rankOf = new Int32Array(m);
  const unordered = new Uint8Array(m);
  let acc = 0;
  for (let r = 0; r < m; r++) {
    const c = order[r] as number;
    offsets[r] = acc;
    rankOf[c] = r;
    unordered[r] = tally.unordered[c] as number;
    acc += counts[c] as number;
  }
  offsets[m] = acc;
  return { ids: order.map((c) => firstIds[c] as string), offsets, rankOf, unordered };
}

/**
 * Consecutive ranges of customers (`[bounds[k], bounds[k+1])`) of at most `maxRows` events each
 * (a customer with more events is a range of its own), and the rows of the largest range.
 */
function ranges(offsets: Int32Array, maxRows: number): { bounds: number[]; rows: number } {
  const m = offsets.length - 1;
  const bounds = [0];
  let rows = 0;
  let start = 0;
  for (let r = 1; r <= m; r++) {
    if (r < m && (offsets[r + 1] as number) - (offsets[start] as number) <= maxRows) continue;
    bounds.push(r);
    rows = Math.max(rows, (offsets[r] as number) - (offsets[start] as number));
    start = r;
  }
  return { bounds, rows };
}

/** The fields of every event, in input order, appended to its range's region (one stream per range). */
function readFields(
  events: readonly CustomerEvent[],
  rank: Int32Array,
  rangeOf: Int32Array,
  next: Int32Array,
  plan: EventPlan,
): void {
  const { src, rec, reader } = plan;
  for (let i = 0; i < events.length; i++) {
    const r = rank[i] as number;
    const k = rangeOf[r] as number;
    const p = next[k] as number;
    next[k] = p + 1;
    reader.read(events[i] as CustomerEvent);
    src[p] = i;
    const b = REC * p;
    rec[b] = reader.t;
    rec[b + 1] = reader.val;
    rec[b + 2] = (reader.feat + 1) * 128 + reader.flag * 32 + reader.kind;
    rec[b + 3] = reader.user >= 0 ? reader.user : reader.tkt;
  }
}

/**
 * Reads an event array for grouping, in two passes over the objects in input order (where they
 * sit in memory): a census (validation, customers, sources, span), then, once `idRange` has
 * bounded the ids to look up, every event's fields appended to its range's region (ranges of
 * customers in id order with at most `maxRows` events each; ranges are grouped by
 * {@link groupEventRange}).
 * Records above `heapRecords` doubles live in a Float64Array instead of a plain array.
 * @throws ValidationError when `events` holds a non-object, or an event lacks a string
 *   `customerId` or a valid epoch-ms `timestamp` (the first such event, in input order).
 * @internal
 */
export function planEvents(
  events: readonly CustomerEvent[],
  fn: string,
  idRange: IdRange | undefined,
  maxRows: number,
  heapRecords = MAX_HEAP_RECORDS,
): EventPlan {
  const n = events.length;
  const scan = new SourceScan();
  const rank = new Int32Array(n);
  const tally = census(events, fn, scan, rank);
  const { ids, offsets, rankOf, unordered } = orderCustomers(tally);
  for (let i = 0; i < n; i++) rank[i] = rankOf[rank[i] as number] as number;
  const { bounds, rows } = ranges(offsets, maxRows);
  const rangeOf = new Int32Array(ids.length);
  const next = new Int32Array(bounds.length);
  for (let k = 0; k + 1 < bounds.length; k++) {
    next[k] = offsets[bounds[k] as number] as number;
    rangeOf.fill(k, bounds[k], bounds[k + 1]);
  }
  const reader = new EventReader();
  const empty = n === 0;
  const first = empty ? Number.NaN : scan.first;
  const last = empty ? Number.NaN : scan.last;
  reader.limit(idRange?.(scan.mask, first, last));
  const rec = records(REC * n, heapRecords);
  const plan: EventPlan = {
    events,
    ids,
    offsets,
    bounds,
    maxRows: rows,
    rank,
    src: new Int32Array(n),
    rec,
    unordered,
    reader,
    sourceMask: scan.mask,
    firstTimestamp: first,
    lastTimestamp: last,
  };
  readFields(events, rank, rangeOf, next, plan);
  return plan;
}

/**
 * Rows of customers `[r0, r1)` grouped by customer (input order within one): each row's time and
 * input index written to the columns, and its place in the range's region to `cols.aux`.
 */
function groupRows(plan: EventPlan, r0: number, r1: number, cols: ColumnBuilder): void {
  const { rec, src: inSrc, rank, offsets } = plan;
  const { ts, src, aux } = cols;
  const lo = offsets[r0] as number;
  const hi = offsets[r1] as number;
  const next = new Int32Array(r1 - r0);
  for (let r = r0; r < r1; r++) next[r - r0] = (offsets[r] as number) - lo;
  for (let p = lo; p < hi; p++) {
    const i = inSrc[p] as number;
    const r = (rank[i] as number) - r0;
    const q = next[r] as number;
    next[r] = q + 1;
    ts[q] = rec[REC * p] as number;
    src[q] = i;
    aux[q] = p;
  }
}

/** The other columns of every row, from the record at its place (`cols.aux`). */
function fillColumns(plan: EventPlan, cols: ColumnBuilder): void {
  const rec = plan.rec;
  const { val, kind, flag, user, feat, tkt, aux } = cols;
  for (let q = 0; q < aux.length; q++) {
    const b = REC * (aux[q] as number);
    const meta = rec[b + 2] as number;
    const f = Math.floor(meta / 128);
    const low = meta - f * 128;
    const k = low & 31;
    const id = rec[b + 3] as number;
    val[q] = rec[b + 1] as number;
    kind[q] = k;
    flag[q] = low >> 5;
    user[q] = k <= K.feature ? id : -1;
    tkt[q] = k === K.ticketOpened || k === K.ticketResolved ? id : -1;
    feat[q] = f - 1;
  }
}

/**
 * Groups range `k` of a plan into {@link EventGroups} with typed columns: its rows grouped by
 * customer (input order within one), then only the customers whose events arrived out of time
 * order checked and sorted. The columns live in `buffer` when given (from `rangeBuffer`, shared by
 * the ranges of one call: a grouping is then valid until the next range is grouped into it), else
 * in a buffer of their own. `k = -1`: no customer (the data set's sources and span only).
 * @internal
 */
export function groupEventRange(plan: EventPlan, k: number, buffer?: ArrayBuffer): EventGroups {
  const r0 = plan.bounds[k] ?? 0;
  const r1 = plan.bounds[k + 1] ?? 0;
  const lo = plan.offsets[r0] as number;
  const cols = new ColumnBuilder((plan.offsets[r1] as number) - lo, buffer, plan.reader);
  groupRows(plan, r0, r1, cols);
  const offsets = new Int32Array(r1 - r0 + 1);
  for (let r = r0; r <= r1; r++) offsets[r - r0] = (plan.offsets[r] as number) - lo;
  const rows: SortRows = { events: plan.events, src: cols.src, ts: cols.ts, perm: cols.aux };
  const scratch = new SortScratch();
  for (let r = r0; r < r1; r++) {
    if (plan.unordered[r] === 0) continue;
    const a = offsets[r - r0] as number;
    const b = offsets[r - r0 + 1] as number;
    if (!isSorted(rows, cols.ts, a, b)) sortSlice(rows, a, b, scratch);
  }
  fillColumns(plan, cols);
  const eventsOf = (r: number): CustomerEvent[] => {
    const a = offsets[r] as number;
    const b = offsets[r + 1] as number;
    const list: CustomerEvent[] = new Array(b - a);
    for (let p = a; p < b; p++) list[p - a] = eventAt(rows, p);
    return list;
  };
  return {
    ids: plan.ids.slice(r0, r1),
    offsets,
    eventsOf,
    cols: cols.finish(),
    buffer: cols.buffer,
    timelines: undefined,
    sourceMask: plan.sourceMask,
    firstTimestamp: plan.firstTimestamp,
    lastTimestamp: plan.lastTimestamp,
  };
}
