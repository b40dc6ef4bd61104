/**
 * Fast grouping of events by customer into one contiguous array (a private, allocation-light
 * counterpart of `groupByCustomer` for the scoring hot path: no per-customer maps by type).
 * @module
 */
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

/** Groups validated events (or re-uses timelines) into {@link EventGroups}. @internal */
export function groupEvents(input: readonly CustomerEvent[] | CustomerTimelines): EventGroups {
  if (input instanceof Map) {
    const timelines = input as CustomerTimelines;
    const ids = Array.from(timelines.keys()).sort(compareCodeUnits);
    let n = 0;
    for (const t of timelines.values()) n += t.events.length;
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
  const events = input as readonly CustomerEvent[];
  const n = events.length;
  const index = new Map<string, number>();
  const idx = new Int32Array(n);
  const firstIds: string[] = [];
  let counts = new Int32Array(1024);
  // Per customer: the last timestamp seen in input order, and whether its events arrived out of
  // order (or tied), so only those slices are checked and sorted after the scatter.
  let lastTs = new Float64Array(1024);
  let unordered = new Uint8Array(1024);
  let lastId: string | undefined;
  let lastC = -1;
  for (let i = 0; i < n; i++) {
    const e = events[i] as CustomerEvent;
    const id = e.customerId;
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
        const ts = new Float64Array(counts.length).fill(Number.NEGATIVE_INFINITY);
        ts.set(lastTs);
        lastTs = ts;
        const u = new Uint8Array(counts.length);
        u.set(unordered);
        unordered = u;
      }
      lastTs[c] = Number.NEGATIVE_INFINITY;
    }
    const t = e.timestamp;
    if (t <= (lastTs[c] as number)) unordered[c] = 1;
    else lastTs[c] = t;
    lastId = id;
    lastC = c;
    idx[i] = c;
    counts[c] = (counts[c] as number) + 1;
  }
  const m = firstIds.length;
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => {
    const x = firstIds[a] as string;
    const y = firstIds[b] as string;
    return x < y ? -1 : x > y ? 1 : 0;
  });
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
  const out: CustomerEvent[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const c = idx[i] as number;
    const p = pos[c] as number;
    out[p] = events[i] as CustomerEvent;
    pos[c] = p + 1;
  }
  // Sort the slices of customers whose events arrived out of order or tied (timestamp, then the
  // library's total order on ties); the scatter kept every other customer's input order.
  for (let r = 0; r < m; r++) {
    if (unordered[order[r] as number] === 0) continue;
    const lo = offsets[r] as number;
    const hi = offsets[r + 1] as number;
    let sorted = true;
    for (let i = lo + 1; i < hi; i++) {
      const a = out[i - 1] as CustomerEvent;
      const b = out[i] as CustomerEvent;
      if (a.timestamp > b.timestamp || (a.timestamp === b.timestamp && compareEvents(a, b) > 0)) {
        sorted = false;
        break;
      }
    }
    if (!sorted) {
      const slice = out.slice(lo, hi).sort(compareEvents);
      for (let i = lo; i < hi; i++) out[i] = slice[i - lo] as CustomerEvent;
    }
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
