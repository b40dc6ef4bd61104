/**
 * Internal: the parts of an `EventIndex` read from an {@link EventStore}'s typed columns (activity
 * columns, MRR history, first-seen times, property keys, sources), building no event object. Each
 * gives what the event-array code gives for the same events in the store's row order.
 * @module
 */
import { ValidationError } from '../_lib/errors';
import { lowerBound } from '../_lib/search';
import { SourceSet } from '../_lib/sources';
import { ACTIVITY_TYPES } from '../events/vocabulary';
import type { DictColumn, EventStore } from '../store/EventStore';
import type { MrrHistory } from './_mrr';
import { denseIds, readId } from './_shared';
import type { ActivityColumns, PropertyKeys } from './indexEvents';

/** Reads a dictionary column's code row by row; cheapest when rows come in ascending order. */
class ColumnReader {
  readonly #codes: Int32Array | null;
  readonly #rows: Int32Array | null;
  #at = 0;
  #last = -1;
  constructor(col: DictColumn<unknown>) {
    this.#codes = col.codes;
    this.#rows = col.rows;
  }
  /** The code of `row`, -1 when the row has no value. */
  code(row: number): number {
    const codes = this.#codes;
    if (codes === null) return -1;
    const rows = this.#rows;
    if (rows === null) return codes[row] as number;
    if (row < this.#last) this.#at = lowerBound(rows, row, 0, rows.length);
    this.#last = row;
    let j = this.#at;
    while (j < rows.length && (rows[j] as number) < row) j++;
    this.#at = j;
    return j < rows.length && rows[j] === row ? (codes[j] as number) : -1;
  }
}

/**
 * Dense ids of a dictionary's values under the metrics' `readId` rule: a non-empty string, or a
 * finite number by its text (so `5` and `'5'` are one id); anything else -1.
 */
function readIdKeys(values: readonly unknown[]): { map: Int32Array; names: string[] } {
  const { keys, names } = denseIds(values.length, (c) => readId(values[c]));
  return { map: keys, names };
}

/**
 * Checks that an object marked as an event store has the store's columns (typed arrays of one
 * length, offsets and dictionaries that fit), so a forged or damaged object fails at the door with
 * a located message instead of a TypeError inside a metric.
 * @throws ValidationError naming `fn`.
 */
export function checkStoreShape(store: EventStore, fn: string): void {
  const n = store.length;
  const m = Array.isArray(store.customerIds) ? store.customerIds.length : -1;
  const ok =
    Number.isInteger(n) &&
    n >= 0 &&
    m >= 0 &&
    Array.isArray(store.types) &&
    store.time instanceof Float64Array &&
    store.time.length === n &&
    store.customer instanceof Uint32Array &&
    store.customer.length === n &&
    store.typeCode instanceof Uint16Array &&
    store.typeCode.length === n &&
    store.value instanceof Float64Array &&
    store.value.length === n &&
    store.hasValue instanceof Uint8Array &&
    store.hasValue.length === n &&
    store.offsets instanceof Int32Array &&
    store.offsets.length === m + 1 &&
    store.offsets[m] === n &&
    store.props !== null &&
    typeof store.props === 'object' &&
    store.eventId !== null &&
    typeof store.eventId === 'object';
  if (!ok)
    throw new ValidationError(fn, [
      {
        path: ['events'],
        code: 'invalid_type',
        message: 'not a valid EventStore (build one with toEventStore or EventStoreBuilder)',
      },
    ]);
}

/** Customer code of an id (binary search over the sorted customer dictionary), -1 when absent. */
export function storeCustomerCode(store: EventStore, id: string): number {
  const ids = store.customerIds;
  const i = lowerBound(ids, id);
  return i < ids.length && ids[i] === id ? i : -1;
}

/** First event time of every customer (its first row: rows are time-ordered), ascending. */
export function storeFirstSeen(store: EventStore): Float64Array {
  const m = store.customerIds.length;
  const out = new Float64Array(m);
  let k = 0;
  for (let c = 0; c < m; c++) {
    const lo = store.offsets[c] as number;
    if (lo < (store.offsets[c + 1] as number)) out[k++] = store.time[lo] as number;
  }
  return out.subarray(0, k).sort();
}

/** The sources of the store's types (`mask`, already with the profiles' bits) and its time span. */
export function storeSources(store: EventStore, mask: number): SourceSet {
  const n = store.length;
  if (n === 0) return new SourceSet(mask, Number.NaN, Number.NaN);
  const time = store.time;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const t = time[i] as number;
    if (t < first) first = t;
    if (t > last) last = t;
  }
  return new SourceSet(mask, first, last);
}

/** Dense `readId` keys of a property for the given rows (any order; ascending runs are cheapest). */
export function storePropertyKeys(
  store: EventStore,
  rows: Int32Array,
  name: 'ticketId' | 'userId',
): PropertyKeys {
  const col = store.props[name];
  const { map, names } = readIdKeys(col.values);
  const reader = new ColumnReader(col);
  const key = new Int32Array(rows.length);
  for (let j = 0; j < rows.length; j++) {
    const c = reader.code(rows[j] as number);
    key[j] = c < 0 ? -1 : (map[c] as number);
  }
  return { key, names };
}

/**
 * Activity columns from the store: the rows of each activity type (in `ACTIVITY_TYPES` order),
 * rows ascending within a type; users are (customer, userId key) pairs, features the non-empty
 * string values of `feature` on `feature_used` rows, numbered in row order. One pass over the rows.
 */
export function storeActivity(store: EventStore, positions: (type: string) => Int32Array): ActivityColumns {
  const types = [...ACTIVITY_TYPES];
  const slotOf = new Int8Array(store.types.length).fill(-1);
  const start = new Int32Array(types.length);
  let size = 0;
  types.forEach((t, s) => {
    start[s] = size;
    size += positions(t).length;
    const k = store.types.indexOf(t);
    if (k >= 0) slotOf[k] = s;
  });
  const featureSlot = types.indexOf('feature_used');
  const time = new Float64Array(size);
  const customer = new Uint32Array(size);
  const user = new Int32Array(size);
  const feature = new Int32Array(size).fill(-1);
  const uses = new Float64Array(size).fill(1);
  const users = readIdKeys(store.props.userId.values);
  const userStamp = new Int32Array(users.names.length).fill(-1);
  const userOf = new Int32Array(users.names.length);
  let userCount = 0;
  const featureValues = store.props.feature.values;
  const featureOf = new Int32Array(featureValues.length).fill(-2);
  const features: string[] = [];
  const userReader = new ColumnReader(store.props.userId);
  const featureReader = new ColumnReader(store.props.feature);
  const cursor = start.slice();
  const { typeCode, hasValue, value } = store;
  const n = store.length;
  for (let i = 0; i < n; i++) {
    const s = slotOf[typeCode[i] as number] as number;
    if (s < 0) continue;
    const j = cursor[s] as number;
    cursor[s] = j + 1;
    const c = store.customer[i] as number;
    time[j] = store.time[i] as number;
    customer[j] = c;
    // Rows ascend by customer, so a user key stamped with another customer is a new user here.
    const uc = userReader.code(i);
    const d = uc < 0 ? -1 : (users.map[uc] as number);
    if (d < 0) user[j] = -1;
    else {
      if (userStamp[d] !== c) {
        userStamp[d] = c;
        userOf[d] = userCount++;
      }
      user[j] = userOf[d] as number;
    }
    if (s !== featureSlot) continue;
    const fc = featureReader.code(i);
    if (fc >= 0) {
      let f = featureOf[fc] as number;
      if (f === -2) {
        const name = featureValues[fc];
        f = typeof name === 'string' && name.length > 0 ? features.push(name) - 1 : -1;
        featureOf[fc] = f;
      }
      feature[j] = f;
    }
    if (hasValue[i] === 1) uses[j] = value[i] as number;
  }
  return {
    size,
    time,
    customer,
    user,
    feature,
    uses,
    customerIds: store.customerIds,
    userCount,
    features,
  };
}

const STARTED = 'subscription_started';
const CHANGED = 'subscription_changed';
const RENEWED = 'subscription_renewed';
const CANCELLED = 'subscription_cancelled';

/**
 * The MRR history (see `_mrr.ts`) from the store: its rows are already grouped by customer (in
 * code-unit order) and in the library's event order, so one pass over the subscription rows.
 */
export function storeMrrHistory(store: EventStore): MrrHistory {
  // 0: not a subscription type, 1 started/changed, 2 renewed, 3 cancelled.
  const kind = Uint8Array.from(store.types, (t) =>
    t === STARTED || t === CHANGED ? 1 : t === RENEWED ? 2 : t === CANCELLED ? 3 : 0,
  );
  const { typeCode, hasValue, value } = store;
  const n = store.length;
  let total = 0;
  let ignored = 0;
  // First pass: count what is kept (and how many events are ignored).
  const cents = (i: number, k: number): number => {
    if (k === 3) return 0;
    if (hasValue[i] !== 1) return -1;
    const v = value[i] as number;
    return v < 0 ? -1 : Math.round(v * 100);
  };
  for (let i = 0; i < n; i++) {
    const k = kind[typeCode[i] as number] as number;
    if (k === 0 || (k === 2 && hasValue[i] !== 1)) continue;
    if (cents(i, k) < 0) ignored++;
    else total++;
  }
  const ids: string[] = [];
  const offsetsList: number[] = [];
  const times = new Float64Array(total);
  const out = new Float64Array(total);
  let j = 0;
  const m = store.customerIds.length;
  for (let c = 0; c < m; c++) {
    const lo = store.offsets[c] as number;
    const hi = store.offsets[c + 1] as number;
    const before = j;
    for (let i = lo; i < hi; i++) {
      const k = kind[typeCode[i] as number] as number;
      if (k === 0 || (k === 2 && hasValue[i] !== 1)) continue;
      const v = cents(i, k);
      if (v < 0) continue;
      if (j === before) {
        ids.push(store.customerIds[c] as string);
        offsetsList.push(j);
      }
      times[j] = store.time[i] as number;
      out[j] = v;
      j++;
    }
  }
  offsetsList.push(j);
  return { ids, offsets: Int32Array.from(offsetsList), times, cents: out, ignored };
}
