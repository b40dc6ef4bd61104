/**
 * Fast grouping of events by customer into typed columns plus a source-row index (a private,
 * allocation-light counterpart of `groupByCustomer` for the scoring hot path; event objects are
 * only gathered per customer on demand): each event object is read in input order (where it sits
 * in memory), customers whose events already arrive in time order are not sorted, and the others
 * are sorted on typed-array keys.
 * @module
 */
import { ValidationError } from '../_lib/errors';
import { compareCodeUnits } from '../_lib/order';
import { sourceBits } from '../_lib/sources';
import { compareEvents } from '../events/groupByCustomer';
import type { CustomerEvent, CustomerTimeline, CustomerTimelines } from '../events/types';
import { ColumnBuilder, type EventColumns, PermuteScratch, permuteSlice } from './eventColumns';

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

const MAX_INSTANT = 8.64e15;

function badEvent(fn: string, index: number, message: string): ValidationError {
  return new ValidationError(fn, [{ index, path: [], code: 'invalid_type', message }], 'events');
}

/** Source bits and time span of a list of events, with one type lookup per run of equal types. */
class SourceScan {
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
 * Instants whose user ids (`(from, to]`) and feature ids (`(featureFrom, to]`) the call's signals
 * read, from the data set's sources and span. @internal
 */
export type IdRange = (
  sourceMask: number,
  first: number,
  last: number,
) => { from: number; to: number; featureFrom: number };

function limitIds(cols: ColumnBuilder, scan: SourceScan, idRange: IdRange | undefined): void {
  if (idRange === undefined) return;
  const r = idRange(scan.mask, scan.first, scan.last);
  cols.idFrom = r.from;
  cols.featureFrom = r.featureFrom;
  cols.idTo = r.to;
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

/** Per-customer counts in input order, and which customers' events arrived out of time order. */
interface Census {
  firstIds: string[];
  idx: Int32Array;
  counts: Int32Array;
  unordered: Uint8Array;
}

function grow<T extends Int32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T {
  const b = make(a.length * 2);
  b.set(a);
  return b;
}

function census(events: readonly CustomerEvent[], fn: string, scan: SourceScan, idx: Int32Array): Census {
  const n = events.length;
  const index = new Map<string, number>();
  const firstIds: string[] = [];
  let counts = new Int32Array(1024);
  let lastTs = new Float64Array(1024);
  let unordered = new Uint8Array(1024);
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
      c = firstIds.length;
      index.set(id, c);
      firstIds.push(id);
      if (c >= counts.length) {
        counts = grow(counts, (k) => new Int32Array(k));
        lastTs = grow(lastTs, (k) => new Float64Array(k));
        unordered = grow(unordered, (k) => new Uint8Array(k));
      }
      lastTs[c] = Number.NEGATIVE_INFINITY;
    }
    if (t <= (lastTs[c] as number)) unordered[c] = 1;
    else lastTs[c] = t;
    lastId = id;
    lastC = c;
    idx[i] = c;
    counts[c] = (counts[c] as number) + 1;
  }
  return { firstIds, idx, counts, unordered };
}

/** Reusable buffers of the slice sorts. */
class SortScratch {
  keys = new Float64Array(1024);
  sorted = new Float64Array(1024);
  /** Bucket bounds of `sortKeys`: up to the power of two at or above `n`, so 2n + 1. */
  bucket = new Int32Array(2049);
  order = new Int32Array(1024);
  readonly permute = new PermuteScratch();
  ensure(n: number): void {
    if (this.keys.length < n) {
      this.keys = new Float64Array(Math.max(n, this.keys.length * 2));
      this.sorted = new Float64Array(this.keys.length);
      this.bucket = new Int32Array(2 * this.keys.length + 1);
      this.order = new Int32Array(this.keys.length);
    }
  }
}

/**
 * Sorts `keys[0, n)` (distinct, non-negative, below `span`) ascending: a counting pass into about
 * `n` buckets by value, then an insertion sort that only has to fix the order inside each bucket,
 * so about linear for times spread over the slice. When the times bunch up (the insertion sort
 * would move more than `4n` keys) the native sort takes over. Keys are distinct, so the result is
 * the same either way.
 */
function sortKeys(keys: Float64Array, n: number, span: number, s: SortScratch): void {
  let nb = 1;
  while (nb < n) nb *= 2;
  const scale = nb / span;
  const bucket = s.bucket;
  bucket.fill(0, 0, nb + 1);
  for (let j = 0; j < n; j++) {
    const b = Math.min(nb - 1, Math.floor((keys[j] as number) * scale));
    bucket[b + 1] = (bucket[b + 1] as number) + 1;
  }
  for (let b = 0; b < nb; b++) bucket[b + 1] = (bucket[b + 1] as number) + (bucket[b] as number);
  const out = s.sorted;
  for (let j = 0; j < n; j++) {
    const key = keys[j] as number;
    const b = Math.min(nb - 1, Math.floor(key * scale));
    const q = bucket[b] as number;
    out[q] = key;
    bucket[b] = q + 1;
  }
  let budget = 4 * n;
  for (let i = 1; i < n; i++) {
    const v = out[i] as number;
    let j = i - 1;
    while (j >= 0 && (out[j] as number) > v) {
      out[j + 1] = out[j] as number;
      j--;
      budget--;
    }
    out[j + 1] = v;
    if (budget < 0) {
      keys.subarray(0, n).sort();
      return;
    }
  }
  keys.set(out.subarray(0, n));
}

/** The input events and, per grouped row, the input index of its event. */
interface Rows {
  readonly events: readonly CustomerEvent[];
  readonly src: Int32Array;
}

function eventAt(rows: Rows, p: number): CustomerEvent {
  return rows.events[rows.src[p] as number] as CustomerEvent;
}

function isSorted(rows: Rows, ts: Float64Array, lo: number, hi: number): boolean {
  for (let i = lo + 1; i < hi; i++) {
    const a = ts[i - 1] as number;
    const b = ts[i] as number;
    if (a > b || (a === b && compareEvents(eventAt(rows, i - 1), eventAt(rows, i)) > 0)) return false;
  }
  return true;
}

/** Orders slice [lo, hi) entirely by compareEvents (short slices, tie runs, inexact keys). */
function comparatorSort(rows: Rows, cols: ColumnBuilder, lo: number, hi: number, s: SortScratch): void {
  const n = hi - lo;
  const local = Array.from({ length: n }, (_, k) => k).sort(
    (a, b) => compareEvents(eventAt(rows, lo + a), eventAt(rows, lo + b)) || a - b,
  );
  s.ensure(n);
  for (let k = 0; k < n; k++) s.order[k] = local[k] as number;
  permuteSlice(rows.src, cols, lo, s.order, n, s.permute);
}

/**
 * Sorts slice [lo, hi) by time: keys `(t − tMin) × 2^b + position` in a Float64Array sorted by
 * {@link sortKeys} (no comparator calls), then only runs of equal timestamps are ordered by
 * `compareEvents`. Falls back to the comparator when keys would not be exact.
 */
function sortSlice(rows: Rows, cols: ColumnBuilder, lo: number, hi: number, s: SortScratch): void {
  const n = hi - lo;
  const ts = cols.ts;
  let tMin = Number.POSITIVE_INFINITY;
  let tMax = Number.NEGATIVE_INFINITY;
  let integral = true;
  for (let i = lo; i < hi; i++) {
    const t = ts[i] as number;
    if (t < tMin) tMin = t;
    if (t > tMax) tMax = t;
    if (integral && !Number.isInteger(t)) integral = false;
  }
  const shift = 2 ** Math.ceil(Math.log2(n));
  if (n <= 16 || !integral || (tMax - tMin + 1) * shift > 2 ** 53) {
    comparatorSort(rows, cols, lo, hi, s);
    return;
  }
  s.ensure(n);
  const keys = s.keys;
  for (let j = 0; j < n; j++) keys[j] = ((ts[lo + j] as number) - tMin) * shift + j;
  sortKeys(keys, n, (tMax - tMin + 1) * shift, s);
  const order = s.order;
  for (let k = 0; k < n; k++) {
    const key = keys[k] as number;
    order[k] = key - Math.floor(key / shift) * shift;
  }
  permuteSlice(rows.src, cols, lo, order, n, s.permute);
  // Ties at one instant: the library's total order (type, eventId, value, properties).
  let runStart = lo;
  for (let i = lo + 1; i <= hi; i++) {
    if (i < hi && ts[i] === ts[runStart]) continue;
    if (i - runStart > 1) comparatorSort(rows, cols, runStart, i, s);
    runStart = i;
  }
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
  if (!Array.isArray(input)) {
    const got = input === null ? 'null' : typeof input;
    throw new ValidationError(fn, [
      {
        path: [],
        code: 'invalid_type',
        message: `events must be an array of events or a Map of timelines, got ${got}`,
      },
    ]);
  }
  const events = input as readonly CustomerEvent[];
  const scan = new SourceScan();
  const cols = new ColumnBuilder(events.length);
  const { firstIds, idx, counts, unordered } = census(events, fn, scan, cols.aux);
  const m = firstIds.length;
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) =>
    compareCodeUnits(firstIds[a] as string, firstIds[b] as string),
  );
  const offsets = new Int32Array(m + 1);
  const pos = new Int32Array(m);
  let acc = 0;
  for (let r = 0; r < m; r++) {
    const c = order[r] as number;
    offsets[r] = acc;
    pos[c] = acc;
    acc += counts[c] as number;
  }
  offsets[m] = acc;
  // Scatter in input order: each object is read once, where it sits in memory.
  const src = cols.src;
  limitIds(cols, scan, idRange);
  for (let i = 0; i < events.length; i++) {
    const c = idx[i] as number;
    const p = pos[c] as number;
    src[p] = i;
    cols.write(p, events[i] as CustomerEvent);
    pos[c] = p + 1;
  }
  const rows: Rows = { events, src };
  // Only customers whose events arrived out of order (or tied) are checked and sorted.
  const scratch = new SortScratch();
  for (let r = 0; r < m; r++) {
    if (unordered[order[r] as number] === 0) continue;
    const lo = offsets[r] as number;
    const hi = offsets[r + 1] as number;
    if (!isSorted(rows, cols.ts, lo, hi)) sortSlice(rows, cols, lo, hi, scratch);
  }
  const ids = order.map((c) => firstIds[c] as string);
  const eventsOf = (r: number): CustomerEvent[] => {
    const lo = offsets[r] as number;
    const hi = offsets[r + 1] as number;
    const list: CustomerEvent[] = new Array(hi - lo);
    for (let p = lo; p < hi; p++) list[p - lo] = eventAt(rows, p);
    return list;
  };
  return finish(ids, eventsOf, offsets, cols, scan, undefined);
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
