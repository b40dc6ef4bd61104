import type { CustomerEvent } from '../events/types';
import { ACTIVITY_TYPES } from '../events/vocabulary';
import { buildMrrHistory, type MrrHistory } from './_mrr';
import { IdIndex } from './_shared';

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
  private typeLists: Map<string, CustomerEvent[]> | undefined;
  private activityCols: ActivityColumns | undefined;
  private mrr: MrrHistory | undefined;
  private firstSeenTimes: Float64Array | undefined;

  constructor(events: readonly CustomerEvent[]) {
    this.events = events;
  }

  /** Events of one type, in input order (empty array when none). */
  ofType(type: string): readonly CustomerEvent[] {
    if (this.typeLists === undefined) {
      const lists = new Map<string, CustomerEvent[]>();
      const events = this.events;
      for (let i = 0; i < events.length; i++) {
        const e = events[i] as CustomerEvent;
        const list = lists.get(e.type);
        if (list === undefined) lists.set(e.type, [e]);
        else list.push(e);
      }
      this.typeLists = lists;
    }
    return this.typeLists.get(type) ?? EMPTY;
  }

  /** @internal Activity events as typed columns. */
  activity(): ActivityColumns {
    if (this.activityCols !== undefined) return this.activityCols;
    let size = 0;
    for (const type of ACTIVITY_TYPES) size += this.ofType(type).length;
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
      const list = this.ofType(type);
      const isFeature = type === 'feature_used';
      for (let i = 0; i < list.length; i++) {
        const e = list[i] as CustomerEvent;
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
      for (let i = 0; i < events.length; i++) {
        const e = events[i] as CustomerEvent;
        const t = first.get(e.customerId);
        if (t === undefined || e.timestamp < t) first.set(e.customerId, e.timestamp);
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
