/**
 * Views of an {@link EventStore} as the inputs the modules accept today: event objects, and
 * per-customer timelines materialised on demand.
 * @module
 */

import { lowerBound } from '../_lib/search';
import type { CustomerEvent, CustomerTimeline, CustomerTimelines } from '../events/types';
import {
  type DictColumn,
  dictCode,
  type EventStore,
  requireStore,
  rowEvent,
  STORE_PROPERTIES,
  type StoreProperty,
} from './EventStore';

/** Materialises row `i` of the store as an event object. @internal */
export function storeEvent(store: EventStore, i: number): CustomerEvent {
  const eid = dictCode(store.eventId, i);
  return rowEvent(
    store.customerIds[store.customer[i] as number] as string,
    store.types[store.typeCode[i] as number] as string,
    store.time[i] as number,
    store.hasValue[i] === 1 ? (store.value[i] as number) : undefined,
    eid === -1 ? undefined : store.eventId.values[eid],
    (k) => {
      const col = store.props[STORE_PROPERTIES[k] as StoreProperty];
      const c = dictCode(col, i);
      return c === -1 ? undefined : col.values[c];
    },
    store.extra?.[i],
  );
}

/**
 * Materialises rows lo..hi (ascending), reading sparse columns with a cursor instead of a search
 * per row. @internal
 */
export function storeRange(store: EventStore, lo: number, hi: number): CustomerEvent[] {
  const cols = [store.eventId, ...STORE_PROPERTIES.map((p) => store.props[p])] as DictColumn<unknown>[];
  const cursor = cols.map((c) => (c.rows === null ? 0 : lowerBound(c.rows, lo, 0, c.rows.length)));
  const code = new Int32Array(cols.length);
  const out: CustomerEvent[] = new Array(hi - lo);
  for (let i = lo; i < hi; i++) {
    for (let k = 0; k < cols.length; k++) {
      const c = cols[k] as DictColumn<unknown>;
      const codes = c.codes;
      if (codes === null) code[k] = -1;
      else if (c.rows === null) code[k] = codes[i] as number;
      else {
        const j = cursor[k] as number;
        if (j < c.rows.length && c.rows[j] === i) {
          code[k] = codes[j] as number;
          cursor[k] = j + 1;
        } else code[k] = -1;
      }
    }
    const eid = code[0] as number;
    out[i - lo] = rowEvent(
      store.customerIds[store.customer[i] as number] as string,
      store.types[store.typeCode[i] as number] as string,
      store.time[i] as number,
      store.hasValue[i] === 1 ? (store.value[i] as number) : undefined,
      eid === -1 ? undefined : store.eventId.values[eid],
      (k) => {
        const c = code[k + 1] as number;
        return c === -1 ? undefined : (cols[k + 1] as DictColumn<unknown>).values[c];
      },
      store.extra?.[i],
    );
  }
  return out;
}

/**
 * All events of the store as event objects (sorted by customer, then time). Costs an object per
 * event: prefer {@link storeTimelines}, which materialises one customer at a time.
 * @param store an event store.
 * @returns a new array of events.
 * @example
 * ```ts
 * import { storeEvents, toEventStore } from 'customer-vitals/store';
 * storeEvents(toEventStore([{ customerId: 'a', type: 'login', timestamp: 5 }]));
 * // => [{ customerId: 'a', type: 'login', timestamp: 5 }]
 * ```
 */
export function storeEvents(store: EventStore): CustomerEvent[] {
  requireStore('storeEvents', store);
  return storeRange(store, 0, store.length);
}

/** A customer's events in store order, materialised from rows lo..hi. @internal */
export function storeSlice(store: EventStore, c: number): CustomerEvent[] {
  return storeRange(store, store.offsets[c] as number, store.offsets[c + 1] as number);
}

class StoreTimeline implements CustomerTimeline {
  readonly customerId: string;
  readonly events: readonly CustomerEvent[];
  readonly firstTimestamp: number;
  readonly lastTimestamp: number;
  #byType: Map<string, CustomerEvent[]> | undefined;
  constructor(customerId: string, events: CustomerEvent[]) {
    this.customerId = customerId;
    this.events = events;
    this.firstTimestamp = (events[0] as CustomerEvent).timestamp;
    this.lastTimestamp = (events[events.length - 1] as CustomerEvent).timestamp;
  }
  get byType(): ReadonlyMap<string, readonly CustomerEvent[]> {
    if (this.#byType === undefined) {
      const m = new Map<string, CustomerEvent[]>();
      for (const e of this.events) {
        const list = m.get(e.type);
        if (list === undefined) m.set(e.type, [e]);
        else list.push(e);
      }
      this.#byType = m;
    }
    return this.#byType;
  }
  ofType(type: string): readonly CustomerEvent[] {
    return this.byType.get(type) ?? [];
  }
}

/**
 * The store as customer timelines (a `Map`, so every function that takes `CustomerTimelines`
 * accepts it), materialising a customer's events only when its timeline is read, and not keeping
 * them: a consumer that handles one customer at a time (churn features, history loops) holds one
 * customer's events in memory, not all of them. `size`, `has` and `keys` cost nothing.
 *
 * Reading the same customer twice materialises it twice (identical content).
 * @param store an event store.
 * @returns a read-only Map from customer id (ascending) to timeline.
 * @example
 * ```ts
 * import { storeTimelines, toEventStore } from 'customer-vitals/store';
 * const tl = storeTimelines(toEventStore([{ customerId: 'a', type: 'login', timestamp: 5 }]));
 * tl.get('a')?.events.length; // => 1
 * ```
 */
export function storeTimelines(store: EventStore): CustomerTimelines {
  requireStore('storeTimelines', store);
  return new StoreTimelines(store);
}

class StoreTimelines extends Map<string, CustomerTimeline> {
  readonly #store: EventStore;
  readonly #index: Map<string, number>;
  constructor(store: EventStore) {
    super();
    this.#store = store;
    this.#index = new Map(store.customerIds.map((id, c) => [id, c]));
  }
  #timeline(c: number): CustomerTimeline {
    return new StoreTimeline(this.#store.customerIds[c] as string, storeSlice(this.#store, c));
  }
  override get size(): number {
    return this.#store.customerIds.length;
  }
  override has(id: string): boolean {
    return this.#index.has(id);
  }
  override get(id: string): CustomerTimeline | undefined {
    const c = this.#index.get(id);
    return c === undefined ? undefined : this.#timeline(c);
  }
  override set(): this {
    throw new TypeError('storeTimelines: the view is read-only');
  }
  override delete(): boolean {
    throw new TypeError('storeTimelines: the view is read-only');
  }
  override clear(): void {
    throw new TypeError('storeTimelines: the view is read-only');
  }
  override *keys(): MapIterator<string> {
    yield* this.#store.customerIds;
  }
  override *values(): MapIterator<CustomerTimeline> {
    for (let c = 0; c < this.#store.customerIds.length; c++) yield this.#timeline(c);
  }
  override *entries(): MapIterator<[string, CustomerTimeline]> {
    for (let c = 0; c < this.#store.customerIds.length; c++)
      yield [this.#store.customerIds[c] as string, this.#timeline(c)];
  }
  override [Symbol.iterator](): MapIterator<[string, CustomerTimeline]> {
    return this.entries();
  }
  override forEach(
    fn: (value: CustomerTimeline, key: string, map: Map<string, CustomerTimeline>) => void,
    thisArg?: unknown,
  ): void {
    for (const [k, v] of this.entries()) fn.call(thisArg, v, k, this);
  }
}
