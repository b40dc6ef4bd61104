/**
 * The store's columns as the health engine's grouped columns, without materialising events: the
 * store is already grouped by customer and time-sorted, its time column is shared as is, and its
 * dictionary codes ARE the interned ids (one remapping per dictionary entry, none per event).
 * @module
 */
import { ValidationError } from '../_lib/errors';
import { sourceBits } from '../_lib/sources';
import type { CustomerEvent } from '../events/types';
import {
  type EventColumns,
  FLAG_HAS_USER,
  FLAG_HIGH_PRIORITY,
  isHighPriority,
  K,
  kindOf,
} from '../health/eventColumns';
import type { EventGroups, IdRange } from '../health/groupEvents';
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
 * A column of dense ids from a dictionary column (dense: `codes[i]` is row i's; sparse: row
 * `rows[j]` has `codes[j]`), on rows whose type code is in `[kLo, kHi]`; -1 elsewhere.
 */
function idColumn(
  col: DictColumn<unknown>,
  map: Int32Array,
  kind: Uint8Array,
  kLo: number,
  kHi: number,
  n: number,
): Int32Array {
  const out = new Int32Array(n);
  const codes = col.codes;
  const rows = col.rows;
  if (codes !== null && rows === null) {
    // Dense: every row written once (no fill first).
    for (let i = 0; i < n; i++) {
      const c = codes[i] as number;
      const k = kind[i] as number;
      out[i] = c >= 0 && k >= kLo && k <= kHi ? (map[c] as number) : -1;
    }
    return out;
  }
  out.fill(-1);
  if (codes === null || rows === null) return out;
  for (let j = 0; j < rows.length; j++) {
    const c = codes[j] as number;
    const i = rows[j] as number;
    const k = kind[i] as number;
    if (c >= 0 && k >= kLo && k <= kHi) out[i] = map[c] as number;
  }
  return out;
}

/**
 * Groups an {@link EventStore} for the health engine: the same {@link EventGroups} `groupEvents`
 * builds from the store's events (same customer order, row order, type codes, values and ids),
 * read from the typed columns. Custom signals get each customer's events materialised on demand.
 * @throws ValidationError when a timestamp is outside the valid date range.
 * @internal
 */
export function groupStore(store: EventStore, fn: string, idRange: IdRange): EventGroups {
  const n = store.length;
  const time = store.time;
  const kindByCode = new Uint8Array(store.types.length);
  const bitsByCode = store.types.map((t) => sourceBits(t));
  store.types.forEach((t, k) => {
    kindByCode[k] = kindOf(t);
  });
  const kind = new Uint8Array(n);
  const val = new Float64Array(n);
  const typeCode = store.typeCode;
  const value = store.value;
  const hasValue = store.hasValue;
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
    const code = typeCode[i] as number;
    seen[code] = 1;
    kind[i] = kindByCode[code] as number;
    val[i] = hasValue[i] === 1 ? (value[i] as number) : Number.NaN;
  }
  let mask = 0;
  for (let k = 0; k < seen.length; k++) if (seen[k] === 1) mask |= bitsByCode[k] as number;
  // Called for its side effects (the scorecard choice); the store needs no id window: its
  // dictionary codes cost nothing to read.
  idRange(mask, first, last);
  const flag = new Uint8Array(n);
  const { userId, feature, ticketId, priority } = store.props;
  const users = denseIds(userId.values, true);
  const user = idColumn(userId, users.map, kind, K.login, K.feature, n);
  // Any userId value (an id or not) tells the pass the data set names users.
  if (userId.codes !== null) {
    const { codes, rows } = userId;
    for (let j = 0; j < codes.length; j++) {
      const i = rows === null ? j : (rows[j] as number);
      const k = kind[i] as number;
      if ((codes[j] as number) >= 0 && k >= K.login && k <= K.feature) flag[i] = FLAG_HAS_USER;
    }
  }
  const features = denseIds(feature.values, false);
  const feat = idColumn(feature, features.map, kind, K.feature, K.feature, n);
  const tickets = denseIds(ticketId.values, true);
  const tkt = idColumn(ticketId, tickets.map, kind, K.ticketOpened, K.ticketResolved, n);
  const high = Uint8Array.from(priority.values, (p) => (isHighPriority(p) ? 1 : 0));
  if (priority.codes !== null) {
    const { codes, rows } = priority;
    for (let j = 0; j < codes.length; j++) {
      const c = codes[j] as number;
      const i = rows === null ? j : (rows[j] as number);
      if (c >= 0 && high[c] === 1 && kind[i] === K.ticketOpened)
        flag[i] = (flag[i] as number) | FLAG_HIGH_PRIORITY;
    }
  }
  const cols: EventColumns = {
    ts: time,
    kind,
    val,
    user,
    feat,
    tkt,
    flag,
    users: users.size,
    features: features.size,
    tickets: tickets.size,
  };
  return {
    ids: store.customerIds,
    offsets: store.offsets,
    eventsOf: (r: number): CustomerEvent[] => storeSlice(store, r),
    cols,
    timelines: undefined,
    sourceMask: mask,
    firstTimestamp: n === 0 ? Number.NaN : first,
    lastTimestamp: n === 0 ? Number.NaN : last,
  };
}
