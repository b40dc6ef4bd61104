/**
 * Fast grouping of events by customer into one contiguous array (a private, allocation-light
 * counterpart of `groupByCustomer` for the scoring hot path: no per-customer maps by type, no
 * re-sorting of what is already sorted, and time sorts on typed-array keys).
 * @module
 */
import { ValidationError } from '../_lib/errors';
import { compareCodeUnits } from '../_lib/order';
import { compareEvents } from '../events/groupByCustomer';
import type { CustomerEvent, CustomerTimeline, CustomerTimelines } from '../events/types';

/** Events grouped by customer: customer `i`'s events are `events[offsets[i]..offsets[i+1])`, time-sorted. @internal */
export interface EventGroups {
  /** Customer ids in ascending code-unit order. */
  readonly ids: readonly string[];
  readonly events: readonly CustomerEvent[];
  readonly offsets: Int32Array;
  /** The timelines the groups came from, when given as timelines (for custom signals). */
  readonly timelines: CustomerTimelines | undefined;
}

function badEvent(fn: string, index: number, message: string): ValidationError {
  return new ValidationError(fn, [{ index, path: [], code: 'invalid_type', message }], 'events');
}

function fromTimelines(timelines: CustomerTimelines, fn: string): EventGroups {
  const ids = Array.from(timelines.keys()).sort(compareCodeUnits);
  let n = 0;
  for (const t of timelines.values()) {
    if (t === null || typeof t !== 'object' || !Array.isArray(t.events))
      throw badEvent(fn, n, 'timelines must map customer ids to timelines with an events array');
    n += t.events.length;
  }
  const events: CustomerEvent[] = new Array(n);
  const offsets = new Int32Array(ids.length + 1);
  let k = 0;
  ids.forEach((id, i) => {
    offsets[i] = k;
    for (const e of (timelines.get(id) as CustomerTimeline).events) events[k++] = e;
  });
  offsets[ids.length] = k;
  return { ids, events, offsets, timelines };
}

/** Per-customer counts in input order, and which customers' events arrived out of time order. */
interface Census {
  firstIds: string[];
  idx: Int32Array;
  counts: Int32Array;
  unordered: Uint8Array;
}

function census(events: readonly CustomerEvent[], fn: string): Census {
  const n = events.length;
  const index = new Map<string, number>();
  const idx = new Int32Array(n);
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
    if (typeof t !== 'number' || !(Math.abs(t) <= 8.64e15))
      throw badEvent(fn, i, 'event timestamp must be epoch ms within the valid date range');
    // Runs of the same customer (exports sorted by customer) skip the map lookup.
    let c = id === lastId ? lastC : index.get(id);
    if (c === undefined) {
      c = firstIds.length;
      index.set(id, c);
      firstIds.push(id);
      if (c >= counts.length) {
        const grown = new Int32Array(counts.length * 2);
        grown.set(counts);
        counts = grown;
        const ts = new Float64Array(grown.length);
        ts.set(lastTs);
        lastTs = ts;
        const u = new Uint8Array(grown.length);
        u.set(unordered);
        unordered = u;
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
  held: CustomerEvent[] = [];
  ensure(n: number): void {
    if (this.keys.length < n) this.keys = new Float64Array(Math.max(n, this.keys.length * 2));
  }
}

function isSorted(out: CustomerEvent[], lo: number, hi: number): boolean {
  for (let i = lo + 1; i < hi; i++) {
    const a = out[i - 1] as CustomerEvent;
    const b = out[i] as CustomerEvent;
    if (a.timestamp > b.timestamp || (a.timestamp === b.timestamp && compareEvents(a, b) > 0)) return false;
  }
  return true;
}

/** Insertion sort of out[lo, hi) by compareEvents (short runs: ties at one instant). */
function insertionSort(out: CustomerEvent[], lo: number, hi: number): void {
  for (let i = lo + 1; i < hi; i++) {
    const x = out[i] as CustomerEvent;
    let j = i - 1;
    while (j >= lo && compareEvents(out[j] as CustomerEvent, x) > 0) {
      out[j + 1] = out[j] as CustomerEvent;
      j--;
    }
    out[j + 1] = x;
  }
}

/**
 * Sorts out[lo, hi) by time: keys `(t − tMin) × 2^b + position` in a Float64Array sorted natively
 * (no comparator calls), then only runs of equal timestamps are ordered by `compareEvents`. Falls
 * back to the comparator sort when keys would not be exact (fractional ms, spans beyond 2^53).
 */
function sortSlice(out: CustomerEvent[], lo: number, hi: number, s: SortScratch): void {
  const n = hi - lo;
  if (n <= 24) {
    insertionSort(out, lo, hi);
    return;
  }
  let tMin = Number.POSITIVE_INFINITY;
  let tMax = Number.NEGATIVE_INFINITY;
  let integral = true;
  for (let i = lo; i < hi; i++) {
    const t = (out[i] as CustomerEvent).timestamp;
    if (t < tMin) tMin = t;
    if (t > tMax) tMax = t;
    if (integral && !Number.isInteger(t)) integral = false;
  }
  const shift = 2 ** Math.ceil(Math.log2(n));
  if (!integral || (tMax - tMin + 1) * shift > 2 ** 53) {
    const sorted = out.slice(lo, hi).sort(compareEvents);
    for (let i = lo; i < hi; i++) out[i] = sorted[i - lo] as CustomerEvent;
    return;
  }
  s.ensure(n);
  const keys = s.keys.subarray(0, n);
  const held = s.held;
  held.length = n;
  for (let j = 0; j < n; j++) {
    const e = out[lo + j] as CustomerEvent;
    held[j] = e;
    keys[j] = (e.timestamp - tMin) * shift + j;
  }
  keys.sort();
  for (let k = 0; k < n; k++) {
    const key = keys[k] as number;
    out[lo + k] = held[key - Math.floor(key / shift) * shift] as CustomerEvent;
  }
  held.length = 0;
  // Ties at one instant: the library's total order (type, eventId, value, properties).
  let runStart = lo;
  for (let i = lo + 1; i <= hi; i++) {
    if (i < hi && (out[i] as CustomerEvent).timestamp === (out[runStart] as CustomerEvent).timestamp)
      continue;
    if (i - runStart > 1) insertionSort(out, runStart, i);
    runStart = i;
  }
}

/**
 * Groups validated events (or re-uses timelines) into {@link EventGroups}. Customers whose events
 * arrive in time order (logs, exports sorted by customer then time) are not sorted at all.
 * @throws ValidationError when `input` is not an array of events or a Map of timelines, or an
 *   event lacks a string `customerId` or a valid epoch-ms `timestamp`.
 * @internal
 */
export function groupEvents(
  input: readonly CustomerEvent[] | CustomerTimelines,
  fn = 'scoreHealth',
): EventGroups {
  if (input instanceof Map) return fromTimelines(input as CustomerTimelines, fn);
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
  const { firstIds, idx, counts, unordered } = census(events, fn);
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
  const out: CustomerEvent[] = new Array(events.length);
  for (let i = 0; i < events.length; i++) {
    const c = idx[i] as number;
    const p = pos[c] as number;
    out[p] = events[i] as CustomerEvent;
    pos[c] = p + 1;
  }
  // Only customers whose events arrived out of order (or tied) are checked and sorted.
  const scratch = new SortScratch();
  for (let r = 0; r < m; r++) {
    if (unordered[order[r] as number] === 0) continue;
    const lo = offsets[r] as number;
    const hi = offsets[r + 1] as number;
    if (!isSorted(out, lo, hi)) sortSlice(out, lo, hi, scratch);
  }
  return { ids: order.map((c) => firstIds[c] as string), events: out, offsets, timelines: undefined };
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
  return new SliceTimeline(
    id,
    groups.events.slice(groups.offsets[r], groups.offsets[r + 1]) as CustomerEvent[],
  );
}
