import type { CustomerEvent } from '../events/types';
import { ACTIVITY_TYPES } from '../events/vocabulary';
import { buildMrrHistory, type MrrHistory } from './_mrr';
import { bucketOrder, IdIndex } from './_shared';

/** Activity events (`login`, `session`, `feature_used`) as typed columns. @internal */
export interface ActivityColumns {
  size: number;
  time: Float64Array;
  /** Dense customer index into `ids.customerIds`. */
  customer: Int32Array;
  /** Dense user index (customer + userId), -1 without a userId. */
  user: Int32Array;
  /** Feature index into `features` for `feature_used` with a string feature, else -1. */
  feature: Int32Array;
  /** Uses: `value` of feature_used when finite, else 1. */
  uses: Float64Array;
  ids: IdIndex;
  features: string[];
}

const EMPTY: readonly CustomerEvent[] = Object.freeze([]);
const EMPTY_POSITIONS = new Int32Array(0);

/**
 * A read-only, lazily built index over an event array, shared by every metric. Each part (events by
 * type, activity columns, MRR history, first-seen times) is computed on first use and reused, so
 * running many metrics over the same events pays for each pass once. Build it with
 * {@link indexEvents}; every metric accepts either an event array or an `EventIndex`.
 *
 * The index is a snapshot: do not mutate the event array after indexing it.
 */
export class EventIndex {
  /** The indexed events, in input order. */
  readonly events: readonly CustomerEvent[];
  private typeOrder: { codeOf: Map<string, number>; offsets: Int32Array; order: Int32Array } | undefined;
  private readonly typeLists = new Map<string, readonly CustomerEvent[]>();
  private activityCols: ActivityColumns | undefined;
  private mrr: MrrHistory | undefined;
  private firstSeenTimes: Float64Array | undefined;

  constructor(events: readonly CustomerEvent[]) {
    this.events = events;
  }

  /**
   * Positions (indices into `events`) of the events of one type, ascending. Built for all types at
   * once by a counting sort over a typed type-code column, so no per-type object arrays are kept.
   */
  positions(type: string): Int32Array {
    if (this.typeOrder === undefined) {
      const events = this.events;
      const n = events.length;
      const codes = new Int32Array(n);
      const codeOf = new Map<string, number>();
      // Consecutive events often share a type, and parsed types are usually the same string
      // objects, so the cache check is a pointer comparison that skips most Map lookups.
      let lastType: string | undefined;
      let lastCode = 0;
      for (let i = 0; i < n; i++) {
        const type = (events[i] as CustomerEvent).type;
        if (type !== lastType) {
          let c = codeOf.get(type);
          if (c === undefined) {
            c = codeOf.size;
            codeOf.set(type, c);
          }
          lastType = type;
          lastCode = c;
        }
        codes[i] = lastCode;
      }
      const { offsets, order } = bucketOrder(codes, codeOf.size);
      this.typeOrder = { codeOf, offsets, order };
    }
    const { codeOf, offsets, order } = this.typeOrder;
    const c = codeOf.get(type);
    if (c === undefined) return EMPTY_POSITIONS;
    return order.subarray(offsets[c] as number, offsets[c + 1] as number);
  }

  /** Events of one type, in input order (empty array when none); materialised on first request. */
  ofType(type: string): readonly CustomerEvent[] {
    let list = this.typeLists.get(type);
    if (list === undefined) {
      const pos = this.positions(type);
      const out = new Array<CustomerEvent>(pos.length);
      for (let j = 0; j < pos.length; j++) out[j] = this.events[pos[j] as number] as CustomerEvent;
      list = pos.length === 0 ? EMPTY : out;
      this.typeLists.set(type, list);
    }
    return list;
  }

  /** @internal Activity events as typed columns. */
  activity(): ActivityColumns {
    if (this.activityCols !== undefined) return this.activityCols;
    let size = 0;
    for (const type of ACTIVITY_TYPES) size += this.positions(type).length;
    const time = new Float64Array(size);
    const customer = new Int32Array(size);
    const user = new Int32Array(size);
    const feature = new Int32Array(size);
    const uses = new Float64Array(size);
    const ids = new IdIndex();
    const featureIndex = new Map<string, number>();
    const features: string[] = [];
    let j = 0;
    for (const type of ACTIVITY_TYPES) {
      const pos = this.positions(type);
      const isFeature = type === 'feature_used';
      const events = this.events;
      for (let p = 0; p < pos.length; p++) {
        const e = events[pos[p] as number] as CustomerEvent;
        time[j] = e.timestamp;
        customer[j] = ids.customer(e.customerId);
        user[j] = ids.user(e.customerId, e.properties);
        let f = -1;
        if (isFeature) {
          const name = e.properties?.feature;
          if (typeof name === 'string' && name.length > 0) {
            const known = featureIndex.get(name);
            if (known === undefined) {
              f = features.length;
              featureIndex.set(name, f);
              features.push(name);
            } else f = known;
          }
        }
        feature[j] = f;
        const v = e.value;
        uses[j] = isFeature && typeof v === 'number' && Number.isFinite(v) ? v : 1;
        j++;
      }
    }
    this.activityCols = { size, time, customer, user, feature, uses, ids, features };
    return this.activityCols;
  }

  /** @internal Per-customer MRR change history (see `_mrr.ts`). */
  mrrHistory(): MrrHistory {
    if (this.mrr === undefined) {
      this.mrr = buildMrrHistory([
        this.ofType('subscription_started'),
        this.ofType('subscription_changed'),
        this.ofType('subscription_renewed'),
        this.ofType('subscription_cancelled'),
      ]);
    }
    return this.mrr;
  }

  /** @internal First event time of every customer (any type), ascending. */
  firstSeen(): Float64Array {
    if (this.firstSeenTimes === undefined) {
      const first = new Map<string, number>();
      const events = this.events;
      let lastId: string | undefined;
      let lastFirst = 0;
      for (let i = 0; i < events.length; i++) {
        const e = events[i] as CustomerEvent;
        const id = e.customerId;
        if (id === lastId) {
          // Same customer as the previous event: only a smaller time needs a write.
          if (e.timestamp < lastFirst) {
            lastFirst = e.timestamp;
            first.set(id, lastFirst);
          }
          continue;
        }
        const t = first.get(id);
        lastId = id;
        if (t === undefined || e.timestamp < t) {
          first.set(id, e.timestamp);
          lastFirst = e.timestamp;
        } else lastFirst = t;
      }
      this.firstSeenTimes = Float64Array.from(first.values()).sort();
    }
    return this.firstSeenTimes;
  }
}

/**
 * Indexes events once for many metrics: pass the result instead of the array to every metrics
 * function and each shared pass (grouping by type, activity columns, MRR history) runs only once.
 *
 * @param events validated events (e.g. `parseEvents(rows).events`); treated as immutable.
 * @returns a lazily built {@link EventIndex}.
 * @example
 * ```ts
 * const ix = indexEvents(events);
 * mrrMovements(ix, range); revenueRetention(ix, range); stickiness(ix, range); // one pass each part
 * ```
 */
export function indexEvents(events: readonly CustomerEvent[]): EventIndex {
  return new EventIndex(events);
}

/** Events or an index; the input type of every metrics function. */
export type EventsInput = readonly CustomerEvent[] | EventIndex;

/** @internal */
export function asIndex(input: EventsInput): EventIndex {
  return input instanceof EventIndex ? input : new EventIndex(input);
}
