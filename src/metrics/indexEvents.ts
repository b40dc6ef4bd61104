import { ValidationError, type ValidationIssue } from '../_lib/errors';
import { showValue } from '../_lib/safe';
import {
  type ProfileLike,
  profileSourceBits,
  type SourceSet,
  scanSources,
  sourceBits,
} from '../_lib/sources';
import { compareEvents } from '../events/groupByCustomer';
import type { CustomerEvent } from '../events/types';
import { ACTIVITY_TYPES } from '../events/vocabulary';
import { type EventStore, isEventStore } from '../store/EventStore';
import { storeEvent, storeEvents } from '../store/storeEvents';
import { buildMrrHistory, type MrrHistory } from './_mrr';
import { bucketOrder, denseIds, readId, UserIndex } from './_shared';
import {
  checkStoreShape,
  storeActivity,
  storeCustomerCode,
  storeFirstSeen,
  storeMrrHistory,
  storePropertyKeys,
  storeSources,
} from './_storeIndex';

/**
 * Activity events (`login`, `session`, `feature_used`) as typed columns: the rows of each activity
 * type in index order, the types in `ACTIVITY_TYPES` order. @internal
 */
export interface ActivityColumns {
  size: number;
  time: Float64Array;
  /** Customer code (index into `customerIds`, the index's customer dictionary). */
  customer: Int32Array | Uint32Array;
  /** Dense user index (customer + userId), -1 without a userId. */
  user: Int32Array;
  /** Feature index into `features` for `feature_used` with a string feature, else -1. */
  feature: Int32Array;
  /** Uses: `value` of feature_used when finite, else 1. */
  uses: Float64Array;
  /** The index's customer dictionary (every customer of the input, not only active ones). */
  customerIds: readonly string[];
  /** Number of distinct users. */
  userCount: number;
  features: string[];
}

/**
 * The events of some types as typed columns, type by type in the order asked, each type's events
 * in index order (input order for arrays, row order for a store). @internal
 */
export interface TypeColumns {
  size: number;
  /** Position of each entry: index into the events, or row of the store. */
  pos: Int32Array;
  /** Index of the entry's type in the list asked for. */
  type: Uint8Array;
  time: Float64Array;
  /** Customer code (index into the index's `customerIds`). */
  customer: Int32Array;
  /** `value` when it is a finite number, else NaN. */
  value: Float64Array;
}

/** Dense keys of one property (`readId` rule: a non-empty string, or a finite number as text). @internal */
export interface PropertyKeys {
  /** Key per entry of the {@link TypeColumns} it was read for; -1 without a usable id. */
  key: Int32Array;
  /** The key strings. */
  names: string[];
}

const EMPTY: readonly CustomerEvent[] = Object.freeze([]);
const EMPTY_POSITIONS = new Int32Array(0);

/**
 * A read-only, lazily built index over an event array or an {@link EventStore}, shared by every
 * metric. Each part (events by type, activity columns, MRR history, first-seen times) is computed
 * on first use and reused, so running many metrics over the same events pays for each pass once.
 * Build it with {@link indexEvents}; every metric accepts an event array, an `EventStore` or an
 * `EventIndex`.
 *
 * Over a store, every part is read from the typed columns (dictionary codes for userId, feature and
 * ticketId; values from the value column): no event object is built, except by {@link ofType} and
 * {@link events}, which materialise on request. Results equal those of the same events as an array
 * in the store's row order (customer id, then event order).
 *
 * The index is a snapshot: do not mutate the event array after indexing it.
 * @example
 * ```ts
 * const ix = indexEvents(events); // or indexEvents(store)
 * const range = { from: '2025-01-01', to: '2025-07-01', period: 'month' as const };
 * mrrMovements(ix, range); // => [{ periodStart, periodEnd, startMrr, new, ..., endMrr, n }, ...]
 * logoRetention(ix, range); // reuses the MRR history built by the first call
 * ```
 */
export class EventIndex {
  readonly #events: readonly CustomerEvent[] | undefined;
  readonly #store: EventStore | undefined;
  #materialised: readonly CustomerEvent[] | undefined;
  private typeOrder: { codeOf: Map<string, number>; offsets: Int32Array; order: Int32Array } | undefined;
  /** Events path: customer code per event, customer ids in first-seen order, first time per customer. */
  private custCodes: Int32Array | undefined;
  private custIds: string[] | undefined;
  private custIndex: Map<string, number> | undefined;
  private firstTimes: Float64Array | undefined;
  private readonly typeLists = new Map<string, readonly CustomerEvent[]>();
  private readonly typeCols = new Map<string, TypeColumns>();
  private activityCols: ActivityColumns | undefined;
  private mrr: MrrHistory | undefined;
  private firstSeenTimes: Float64Array | undefined;

  constructor(input: readonly CustomerEvent[] | EventStore) {
    if (isEventStore(input)) {
      checkStoreShape(input, 'EventIndex');
      this.#store = input;
    } else this.#events = input;
  }

  /** The store the index reads, or undefined for an event array. */
  get store(): EventStore | undefined {
    return this.#store;
  }

  /** Number of indexed events. */
  get size(): number {
    return this.#store === undefined ? (this.#events as readonly CustomerEvent[]).length : this.#store.length;
  }

  /**
   * The indexed events: the array, in input order; over a store, every row materialised as an
   * event object (store order) on first read, which costs an object per event.
   */
  get events(): readonly CustomerEvent[] {
    if (this.#events !== undefined) return this.#events;
    this.#materialised ??= storeEvents(this.#store as EventStore);
    return this.#materialised;
  }

  #order(): { codeOf: Map<string, number>; offsets: Int32Array; order: Int32Array } {
    if (this.typeOrder !== undefined) return this.typeOrder;
    const store = this.#store;
    if (store !== undefined) {
      const codeOf = new Map<string, number>();
      store.types.forEach((t, k) => {
        codeOf.set(t, k);
      });
      const { offsets, order } = bucketOrder(store.typeCode, store.types.length);
      this.typeOrder = { codeOf, offsets, order };
      return this.typeOrder;
    }
    const events = this.#events as readonly CustomerEvent[];
    const n = events.length;
    const codes = new Int32Array(n);
    const codeOf = new Map<string, number>();
    const cust = new Int32Array(n);
    const custIndex = new Map<string, number>();
    const custIds: string[] = [];
    let first = new Float64Array(64);
    // Consecutive events often share a type, and parsed types are usually the same string
    // objects, so the cache check is a pointer comparison that skips most Map lookups.
    let lastType: string | undefined;
    let lastCode = 0;
    let lastId: string | undefined;
    let lastCust = -1;
    for (let i = 0; i < n; i++) {
      const e = events[i] as CustomerEvent;
      const id = e.customerId;
      const t = e.timestamp;
      if (id !== lastId) {
        let c = custIndex.get(id);
        if (c === undefined) {
          c = custIds.length;
          custIndex.set(id, c);
          custIds.push(id);
          if (c === first.length) {
            const grown = new Float64Array(2 * c);
            grown.set(first);
            first = grown;
          }
          first[c] = Number.POSITIVE_INFINITY;
        }
        lastId = id;
        lastCust = c;
      }
      cust[i] = lastCust;
      if (t < (first[lastCust] as number)) first[lastCust] = t;
      const type = e.type;
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
    this.custCodes = cust;
    this.custIds = custIds;
    this.custIndex = custIndex;
    this.firstTimes = first.slice(0, custIds.length);
    const { offsets, order } = bucketOrder(codes, codeOf.size);
    this.typeOrder = { codeOf, offsets, order };
    return this.typeOrder;
  }

  /**
   * Positions of the events of one type, ascending: indices into the event array, or rows of the
   * store. Built for all types at once by a counting sort over a typed type-code column, so no
   * per-type object arrays are kept.
   */
  positions(type: string): Int32Array {
    const { codeOf, offsets, order } = this.#order();
    const c = codeOf.get(type);
    if (c === undefined) return EMPTY_POSITIONS;
    return order.subarray(offsets[c] as number, offsets[c + 1] as number);
  }

  /** The event at a position (materialised from the store's row when the index reads a store). */
  #eventAt(p: number): CustomerEvent {
    const store = this.#store;
    return store === undefined
      ? ((this.#events as readonly CustomerEvent[])[p] as CustomerEvent)
      : storeEvent(store, p);
  }

  /**
   * Events at the given positions (see `positions`), in that order; over a store each is
   * materialised from its row.
   */
  eventsAt(positions: ArrayLike<number>): CustomerEvent[] {
    const out = new Array<CustomerEvent>(positions.length);
    for (let j = 0; j < positions.length; j++) out[j] = this.#eventAt(positions[j] as number);
    return out;
  }

  /**
   * Events of one type, in index order (empty array when none); materialised on first request
   * (over a store: one object per row of the type).
   */
  ofType(type: string): readonly CustomerEvent[] {
    let list = this.typeLists.get(type);
    if (list === undefined) {
      const pos = this.positions(type);
      list = pos.length === 0 ? EMPTY : this.eventsAt(pos);
      this.typeLists.set(type, list);
    }
    return list;
  }

  /**
   * @internal The library's event order (`compareEvents`) of two events of one customer, by
   * position: over a store, row order (its rows are in that order within a customer).
   */
  compareAt(a: number, b: number): number {
    const events = this.#events;
    if (events === undefined) return a - b;
    return compareEvents(events[a] as CustomerEvent, events[b] as CustomerEvent);
  }

  /** @internal The customer dictionary: ids (store order, or first-seen order for arrays). */
  customerIds(): readonly string[] {
    if (this.#store !== undefined) return this.#store.customerIds;
    this.#order();
    return this.custIds as string[];
  }

  /** @internal Customer code of an id, or -1 when the index holds no event of it. */
  customerCode(id: string): number {
    if (this.#store !== undefined) return storeCustomerCode(this.#store, id);
    this.#order();
    return (this.custIndex as Map<string, number>).get(id) ?? -1;
  }

  /**
   * @internal The events of `types` as typed columns (see {@link TypeColumns}); at most 255 types.
   * Cached per list of types.
   */
  typeColumns(types: readonly string[]): TypeColumns {
    const cacheKey = types.join('\u0000');
    const known = this.typeCols.get(cacheKey);
    if (known !== undefined) return known;
    const parts = types.map((t) => this.positions(t));
    let size = 0;
    for (const p of parts) size += p.length;
    const cols: TypeColumns = {
      size,
      pos: new Int32Array(size),
      type: new Uint8Array(size),
      time: new Float64Array(size),
      customer: new Int32Array(size),
      value: new Float64Array(size),
    };
    const store = this.#store;
    let j = 0;
    for (let k = 0; k < parts.length; k++) {
      const pos = parts[k] as Int32Array;
      for (let q = 0; q < pos.length; q++, j++) {
        const p = pos[q] as number;
        cols.pos[j] = p;
        cols.type[j] = k;
        if (store !== undefined) {
          cols.time[j] = store.time[p] as number;
          cols.customer[j] = store.customer[p] as number;
          cols.value[j] = store.hasValue[p] === 1 ? (store.value[p] as number) : Number.NaN;
        } else {
          const e = (this.#events as readonly CustomerEvent[])[p] as CustomerEvent;
          cols.time[j] = e.timestamp;
          cols.customer[j] = (this.custCodes as Int32Array)[p] as number;
          const v = e.value;
          cols.value[j] = typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN;
        }
      }
    }
    this.typeCols.set(cacheKey, cols);
    return cols;
  }

  /**
   * @internal Dense keys of `properties[name]` for the entries of `cols` (the `readId` rule: a
   * non-empty string, or a finite number read as its text, so `5` and `'5'` are one key).
   */
  propertyKeys(cols: TypeColumns, name: 'ticketId' | 'userId'): PropertyKeys {
    if (this.#store !== undefined) return storePropertyKeys(this.#store, cols.pos, name);
    const events = this.#events as readonly CustomerEvent[];
    const { keys: key, names } = denseIds(cols.size, (j) => {
      const props = (events[cols.pos[j] as number] as CustomerEvent).properties;
      // Events that did not come through parseEvents may hold `properties: null`.
      return props === undefined || props === null ? undefined : readId(props[name]);
    });
    return { key, names };
  }

  /** @internal The sources the events (and profiles) hold, with the time span. */
  sources(profiles?: Iterable<ProfileLike>): SourceSet {
    const store = this.#store;
    if (store === undefined) return scanSources(this.#events as readonly CustomerEvent[], profiles);
    const { codeOf, offsets } = this.#order();
    let mask = profileSourceBits(profiles);
    for (const [type, k] of codeOf)
      if ((offsets[k + 1] as number) > (offsets[k] as number)) mask |= sourceBits(type);
    return storeSources(store, mask);
  }

  /** @internal Activity events as typed columns. */
  activity(): ActivityColumns {
    if (this.activityCols !== undefined) return this.activityCols;
    if (this.#store !== undefined) {
      this.activityCols = storeActivity(this.#store, (t) => this.positions(t));
      return this.activityCols;
    }
    let size = 0;
    for (const type of ACTIVITY_TYPES) size += this.positions(type).length;
    const time = new Float64Array(size);
    const customer = new Int32Array(size);
    const user = new Int32Array(size);
    const feature = new Int32Array(size);
    const uses = new Float64Array(size);
    const ids = new UserIndex();
    const featureIndex = new Map<string, number>();
    const features: string[] = [];
    feature.fill(-1);
    uses.fill(1);
    const events = this.#events as readonly CustomerEvent[];
    const custCodes = this.custCodes as Int32Array;
    let j = 0;
    let lastName: unknown;
    let lastFeature = -1;
    for (const type of ACTIVITY_TYPES) {
      const pos = this.positions(type);
      const isFeature = type === 'feature_used';
      for (let p = 0; p < pos.length; p++, j++) {
        const e = events[pos[p] as number] as CustomerEvent;
        const props = e.properties;
        time[j] = e.timestamp;
        customer[j] = custCodes[pos[p] as number] as number;
        user[j] = ids.user(e.customerId, props);
        if (!isFeature) continue;
        const name = props?.feature;
        if (name === lastName) feature[j] = lastFeature;
        else if (typeof name === 'string' && name.length > 0) {
          let f = featureIndex.get(name);
          if (f === undefined) {
            f = features.length;
            featureIndex.set(name, f);
            features.push(name);
          }
          feature[j] = f;
          lastName = name;
          lastFeature = f;
        }
        const v = e.value;
        if (typeof v === 'number' && Number.isFinite(v)) uses[j] = v;
      }
    }
    this.activityCols = {
      size,
      time,
      customer,
      user,
      feature,
      uses,
      customerIds: this.custIds as string[],
      userCount: ids.userCount,
      features,
    };
    return this.activityCols;
  }

  /** @internal Per-customer MRR change history (see `_mrr.ts`). */
  mrrHistory(): MrrHistory {
    if (this.mrr === undefined) {
      this.mrr =
        this.#store !== undefined
          ? storeMrrHistory(this.#store)
          : buildMrrHistory([
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
      if (this.#store !== undefined) this.firstSeenTimes = storeFirstSeen(this.#store);
      else {
        this.#order();
        this.firstSeenTimes = (this.firstTimes as Float64Array).slice().sort();
      }
    }
    return this.firstSeenTimes;
  }
}

/**
 * Indexes events once for many metrics: pass the result instead of the array (or the store) to
 * every metrics function and each shared pass (grouping by type, activity columns, MRR history)
 * runs only once.
 *
 * @param events validated events (e.g. `parseEvents(rows).events`; treated as immutable) or an
 *   {@link EventStore} (read from its typed columns, no event object built).
 * @returns a lazily built {@link EventIndex}.
 * @throws ValidationError when `events` is neither an array of validated events nor a store.
 * @example
 * ```ts
 * const ix = indexEvents(events); // or indexEvents(toEventStore(events))
 * mrrMovements(ix, range); revenueRetention(ix, range); stickiness(ix, range); // one pass each part
 * ```
 */
export function indexEvents(events: readonly CustomerEvent[] | EventStore): EventIndex {
  return asIndex(events, 'indexEvents');
}

/** Events, a store or an index; the input type of every metrics function. */
export type EventsInput = readonly CustomerEvent[] | EventStore | EventIndex;

/**
 * The index of an events input (re-used when it already is one).
 * @throws ValidationError when `input` is neither an array, an {@link EventStore} nor an
 *   {@link EventIndex}, or an entry of the array is not a validated event (string customerId and
 *   type, finite timestamp, number value).
 * @internal
 */
export function asIndex(input: EventsInput, fn = 'metrics'): EventIndex {
  if (input instanceof EventIndex) return input;
  if (isEventStore(input)) {
    checkStoreShape(input, fn);
    return new EventIndex(input);
  }
  if (!Array.isArray(input)) {
    const got = input === null ? 'null' : typeof input;
    throw new ValidationError(fn, [
      {
        path: ['events'],
        code: 'invalid_type',
        message: `events must be an array of events, an EventStore or an EventIndex, got ${got}`,
      },
    ]);
  }
  checkEventShapes(input, fn);
  return new EventIndex(input);
}

/**
 * The metrics read `customerId`, `type`, `timestamp` and `value` of validated events: an entry that
 * is not one (null, a churn row, a NaN timestamp) would give a TypeError or NaN deep inside. One
 * pass of typeof checks, no allocation; lists up to 20 bad entries.
 */
function checkEventShapes(events: readonly CustomerEvent[], fn: string): void {
  let issues: ValidationIssue[] | undefined;
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as CustomerEvent | null | undefined;
    if (
      e !== null &&
      typeof e === 'object' &&
      typeof e.customerId === 'string' &&
      typeof e.type === 'string' &&
      typeof e.timestamp === 'number' &&
      Number.isFinite(e.timestamp) &&
      (e.value === undefined || typeof e.value === 'number')
    )
      continue;
    const what =
      e === null || typeof e !== 'object'
        ? showValue(e)
        : typeof e.customerId !== 'string'
          ? `customerId ${showValue(e.customerId)}`
          : typeof e.type !== 'string'
            ? `type ${showValue(e.type)}`
            : typeof e.timestamp !== 'number' || !Number.isFinite(e.timestamp)
              ? `timestamp ${showValue(e.timestamp)}`
              : `value ${showValue(e.value)}`;
    issues ??= [];
    issues.push({
      index: i,
      path: [],
      code: 'invalid_record',
      message: `not a validated event (${what}); pass parseEvents(rows).events`,
    });
    if (issues.length >= 20) break;
  }
  if (issues !== undefined) throw new ValidationError(fn, issues, 'events');
}
