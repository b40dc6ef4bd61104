/**
 * The store's columns as the health engine's grouped columns, without materialising events: the
 * store is already grouped by customer and time-sorted, its time column is shared as a view, and
 * its dictionary codes ARE the interned ids (one remapping per dictionary entry, none per event).
 * A range of customers at a time, so the signal columns cost memory per batch, not per store.
 * @module
 */
import { ValidationError } from '../_lib/errors';
import { lowerBound } from '../_lib/search';
import { sourceBits } from '../_lib/sources';
import type { CustomerEvent } from '../events/types';
import {
  type EventColumns,
  FLAG_HAS_USER,
  FLAG_HIGH_PRIORITY,
  isHighPriority,
  K,
  kindOf,
} from '../health/_eventColumns';
import type { EventGroups } from '../health/_groupEvents';
import type { DictColumn, EventStore } from './EventStore';
import { storeSlice } from './storeEvents';

const MAX_INSTANT = 8.64e15;

/**
 * Dense ids of a dictionary's values as the event path interns them: strings as they are, numbers
 * by their string form (so `5` and `'5'` are one id), anything else (or, without `numbers`, any
 * non-string) -1.
 */
function denseIds(values: readonly unknown[], numbers: boolean): { map: Int32Array; size: number } {
  const map = new Int32Array(values.length);
  const index = new Map<string, number>();
  for (let c = 0; c < values.length; c++) {
    const v = values[c];
    const key = typeof v === 'string' ? v : numbers && typeof v === 'number' ? String(v) : undefined;
    if (key === undefined) {
      map[c] = -1;
      continue;
    }
    let id = index.get(key);
    if (id === undefined) {
      id = index.size;
      index.set(key, id);
    }
    map[c] = id;
  }
  return { map, size: index.size };
}

/**
 * A column of dense ids for rows `[lo, hi)` from a dictionary column (dense: `codes[i]` is row
 * i's; sparse: row `rows[j]` has `codes[j]`), on rows whose type code (`kind`, indexed from `lo`)
 * is in `[kLo, kHi]`; -1 elsewhere.
 */
function idColumn(
  col: DictColumn<unknown>,
  map: Int32Array,
  kind: Uint8Array,
  kLo: number,
  kHi: number,
  lo: number,
  hi: number,
): Int32Array {
  const out = new Int32Array(hi - lo);
  const codes = col.codes;
  const rows = col.rows;
  if (codes !== null && rows === null) {
    // Dense: every row written once (no fill first).
    for (let i = lo; i < hi; i++) {
      const c = codes[i] as number;
      const k = kind[i - lo] as number;
      out[i - lo] = c >= 0 && k >= kLo && k <= kHi ? (map[c] as number) : -1;
    }
    return out;
  }
  out.fill(-1);
  if (codes === null || rows === null) return out;
  for (let j = lowerBound(rows, lo, 0, rows.length); j < rows.length; j++) {
    const i = rows[j] as number;
    if (i >= hi) break;
    const c = codes[j] as number;
    const k = kind[i - lo] as number;
    if (c >= 0 && k >= kLo && k <= kHi) out[i - lo] = map[c] as number;
  }
  return out;
}

/** Visits the rows in `[lo, hi)` that have a value in a dictionary column: `visit(row, code)`. */
function eachRow(
  col: DictColumn<unknown>,
  lo: number,
  hi: number,
  visit: (row: number, code: number) => void,
): void {
  const codes = col.codes;
  if (codes === null) return;
  const rows = col.rows;
  if (rows === null) {
    for (let i = lo; i < hi; i++) {
      const c = codes[i] as number;
      if (c >= 0) visit(i, c);
    }
    return;
  }
  for (let j = lowerBound(rows, lo, 0, rows.length); j < rows.length; j++) {
    const i = rows[j] as number;
    if (i >= hi) break;
    visit(i, codes[j] as number);
  }
}

/** What the grouping of any range of a store shares: per-dictionary remaps, sources, time span. @internal */
export interface StorePlan {
  readonly store: EventStore;
  readonly kindByCode: Uint8Array;
  readonly mask: number;
  readonly first: number;
  readonly last: number;
  readonly users: { map: Int32Array; size: number };
  readonly features: { map: Int32Array; size: number };
  readonly tickets: { map: Int32Array; size: number };
  readonly high: Uint8Array;
}

/**
 * One pass over the store's time and type columns (validation, sources, time span) and one
 * remapping per dictionary entry: the dense ids the event path would intern (`5` and `'5'` one id).
 * @throws ValidationError when a timestamp is outside the valid date range.
 * @internal
 */
export function planStore(store: EventStore, fn: string): StorePlan {
  const n = store.length;
  const time = store.time;
  const typeCode = store.typeCode;
  const seen = new Uint8Array(store.types.length);
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const t = time[i] as number;
    if (!(Math.abs(t) <= MAX_INSTANT))
      throw new ValidationError(
        fn,
        [
          {
            index: i,
            path: [],
            code: 'invalid_type',
            message: 'event timestamp must be epoch ms within the valid date range',
          },
        ],
        'events',
      );
    if (t < first) first = t;
    if (t > last) last = t;
    seen[typeCode[i] as number] = 1;
  }
  const kindByCode = new Uint8Array(store.types.length);
  let mask = 0;
  store.types.forEach((t, k) => {
    kindByCode[k] = kindOf(t);
    if (seen[k] === 1) mask |= sourceBits(t);
  });
  const { userId, feature, ticketId, priority } = store.props;
  return {
    store,
    kindByCode,
    mask,
    first: n === 0 ? Number.NaN : first,
    last: n === 0 ? Number.NaN : last,
    users: denseIds(userId.values, true),
    features: denseIds(feature.values, false),
    tickets: denseIds(ticketId.values, true),
    high: Uint8Array.from(priority.values, (p) => (isHighPriority(p) ? 1 : 0)),
  };
}

/**
 * Groups customers `[c0, c1)` of a store for the health engine: the same {@link EventGroups}
 * `groupEvents` builds from those customers' events (same customer order, row order, type codes,
 * values and ids), read from the typed columns; the time column is a view, the other columns
 * cost ~22 bytes per event of the range. Id tables are sized for the whole store, so one pass
 * state serves every range. Custom signals get each customer's events materialised on demand.
 * @internal
 */
export function groupStoreRange(plan: StorePlan, c0: number, c1: number): EventGroups {
  const store = plan.store;
  const lo = store.offsets[c0] as number;
  const hi = store.offsets[c1] as number;
  const n = hi - lo;
  const kind = new Uint8Array(n);
  const val = new Float64Array(n);
  const { typeCode, value, hasValue } = store;
  const kindByCode = plan.kindByCode;
  for (let i = lo; i < hi; i++) {
    kind[i - lo] = kindByCode[typeCode[i] as number] as number;
    val[i - lo] = hasValue[i] === 1 ? (value[i] as number) : Number.NaN;
  }
  const { userId, feature, ticketId, priority } = store.props;
  const flag = new Uint8Array(n);
  // Any userId value (an id or not) tells the pass the customer names users.
  eachRow(userId, lo, hi, (i) => {
    const k = kind[i - lo] as number;
    if (k >= K.login && k <= K.feature) flag[i - lo] = FLAG_HAS_USER;
  });
  const high = plan.high;
  eachRow(priority, lo, hi, (i, c) => {
    if (high[c] === 1 && kind[i - lo] === K.ticketOpened)
      flag[i - lo] = (flag[i - lo] as number) | FLAG_HIGH_PRIORITY;
  });
  const cols: EventColumns = {
    ts: store.time.subarray(lo, hi),
    kind,
    val,
    user: idColumn(userId, plan.users.map, kind, K.login, K.feature, lo, hi),
    feat: idColumn(feature, plan.features.map, kind, K.feature, K.feature, lo, hi),
    tkt: idColumn(ticketId, plan.tickets.map, kind, K.ticketOpened, K.ticketResolved, lo, hi),
    flag,
    users: plan.users.size,
    features: plan.features.size,
    tickets: plan.tickets.size,
  };
  const offsets = new Int32Array(c1 - c0 + 1);
  for (let r = 0; r <= c1 - c0; r++) offsets[r] = (store.offsets[c0 + r] as number) - lo;
  return {
    ids: store.customerIds.slice(c0, c1),
    offsets,
    eventsOf: (r: number): CustomerEvent[] => storeSlice(store, c0 + r),
    cols,
    timelines: undefined,
    sourceMask: plan.mask,
    firstTimestamp: plan.first,
    lastTimestamp: plan.last,
  };
}
