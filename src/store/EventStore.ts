/**
 * A compact, columnar event store: typed arrays for time, customer, type and value, and
 * dictionary-encoded columns for the properties the modules read. About 40 bytes per event
 * instead of ~135 for an event object with its own properties object.
 * @module
 */
import { ValidationError, type ValidationIssue } from '../_lib/errors';
import { IdIndex } from '../_lib/IdIndex';
import { lowerBound } from '../_lib/search';
import { compareEvents } from '../events/groupByCustomer';
import type { CustomerEvent } from '../events/types';

/**
 * The properties the modules read, held as dictionary-encoded columns (`properties.userId`,
 * `feature`, `ticketId`, `priority`, `plan`; `text` and `comment` for feedback sentiment; `action`
 * for actionEffect's `cs_action` rows; `channel` for acquisitionMetrics). Values
 * keep their type (`5` and `'5'` are different entries), as in the events they came from.
 */
export const STORE_PROPERTIES = [
  'userId',
  'feature',
  'ticketId',
  'priority',
  'plan',
  'text',
  'comment',
  'action',
  'channel',
] as const;

/** One of {@link STORE_PROPERTIES}. */
export type StoreProperty = (typeof STORE_PROPERTIES)[number];

/**
 * A dictionary-encoded column. Dense (`rows` null): `codes[i]` indexes `values` for row `i`, -1
 * where the event has no such field. Sparse (fields on under a quarter of the rows): `rows` lists
 * the rows that have it (ascending) and `codes[j]` belongs to `rows[j]`. `codes` is null when no
 * event has the field. Read a cell with `dictCode(column, row)`.
 */
export interface DictColumn<T> {
  readonly codes: Int32Array | null;
  readonly rows: Int32Array | null;
  readonly values: readonly T[];
}

/** The dictionary code of `row` in a column (-1: the event has no such field). */
export function dictCode(col: DictColumn<unknown>, row: number): number {
  if (col === null || typeof col !== 'object' || !Number.isInteger(row) || row < 0) {
    throw new ValidationError('dictCode', [
      { path: [], code: 'invalid_type', message: 'expected a DictColumn of a store and a row index >= 0' },
    ]);
  }
  const codes = col.codes;
  if (!(codes instanceof Int32Array)) return -1;
  if (codes === null) return -1;
  const rows = col.rows;
  if (!(rows instanceof Int32Array)) return row < codes.length ? (codes[row] as number) : -1;
  const j = lowerBound(rows, row, 0, rows.length);
  return j < rows.length && rows[j] === row ? (codes[j] as number) : -1;
}

/** A dictionary column being built: (row, code) pairs in append order (rows ascending). */
class PairColumn {
  rows = new Int32Array(0);
  codes = new Int32Array(0);
  len = 0;
  push(row: number, code: number): void {
    if (this.len === this.rows.length) {
      const cap = Math.max(1024, this.len * 2);
      this.rows = grow(this.rows, cap);
      this.codes = grow(this.codes, cap);
    }
    this.rows[this.len] = row;
    this.codes[this.len] = code;
    this.len++;
  }
  codeAt(row: number): number {
    const j = lowerBound(this.rows, row, 0, this.len);
    return j < this.len && this.rows[j] === row ? (this.codes[j] as number) : -1;
  }
  /** Renumbers rows by `map` (old row → new row, -1 = dropped; order kept). */
  remap(map: Int32Array): void {
    let w = 0;
    for (let j = 0; j < this.len; j++) {
      const r = map[this.rows[j] as number] as number;
      if (r === -1) continue;
      this.rows[w] = r;
      this.codes[w] = this.codes[j] as number;
      w++;
    }
    this.len = w;
  }
  /** The column in the new row order (`inv[old] = new`): dense from a quarter of the rows up. */
  finish(inv: Uint32Array, n: number): { codes: Int32Array | null; rows: Int32Array | null } {
    if (this.len === 0) return { codes: null, rows: null };
    const dense = new Int32Array(n).fill(-1);
    for (let j = 0; j < this.len; j++) dense[inv[this.rows[j] as number] as number] = this.codes[j] as number;
    const count = this.len;
    this.rows = new Int32Array(0);
    this.codes = new Int32Array(0);
    this.len = 0;
    if (count * 4 >= n) return { codes: dense, rows: null };
    const rows = new Int32Array(count);
    const codes = new Int32Array(count);
    let j = 0;
    for (let k = 0; k < n; k++) {
      const c = dense[k] as number;
      if (c === -1) continue;
      rows[j] = k;
      codes[j] = c;
      j++;
    }
    return { codes, rows };
  }
}

/**
 * Events of many customers in columns, sorted by customer id (code-unit order) and, within a
 * customer, in the library's event order (`compareEvents`: time, then type, eventId, value,
 * properties). Customer `c`'s events are rows `offsets[c] .. offsets[c + 1] - 1`.
 *
 * Build one with `toEventStore(events)` or incrementally with `EventStoreBuilder` (append chunks as
 * a stream parser yields them, then `finish()`). Read it through `storeTimelines` /
 * `storeEvents` (views the modules accept today) or column by column.
 */
export interface EventStore {
  readonly kind: 'event-store';
  /** Number of events. */
  readonly length: number;
  /** Customer ids, ascending (code-unit order); the customer dictionary. */
  readonly customerIds: readonly string[];
  /** Row range per customer: `offsets.length === customerIds.length + 1`. */
  readonly offsets: Int32Array;
  /** Customer index per row. */
  readonly customer: Uint32Array;
  /** Epoch milliseconds per row. */
  readonly time: Float64Array;
  /** Type code per row (index into `types`). */
  readonly typeCode: Uint16Array;
  /** Event types (the type dictionary). */
  readonly types: readonly string[];
  /** `value` per row (0 where absent: check `hasValue`; never NaN). */
  readonly value: Float64Array;
  /** 1 where the event has a `value`. */
  readonly hasValue: Uint8Array;
  /** Event ids (null where absent). */
  readonly eventId: DictColumn<string>;
  /** The properties the modules read, as dictionary-encoded columns. */
  readonly props: Readonly<Record<StoreProperty, DictColumn<unknown>>>;
  /**
   * The other properties per row (without the ones above), only when the store was built with
   * `keepProperties: true`; else undefined (events materialised from the store then carry only the
   * properties above).
   */
  readonly extra: readonly (Readonly<Record<string, unknown>> | undefined)[] | undefined;
}

/** Options of `EventStoreBuilder` / `toEventStore`. */
export interface EventStoreOptions {
  /** Keep properties other than {@link STORE_PROPERTIES} (costs memory per event that has any). @default false */
  keepProperties?: boolean;
  /** Initial row capacity (grows by doubling). @default 1024 */
  capacity?: number;
}

/**
 * A dictionary: value -> dense code (insertion order). Strings go through an `IdIndex` (FNV-1a,
 * open addressing): a `Map` keyed by a million distinct ids such as "acct_0001-123" took ~7 µs per
 * insert here (V8's string hashes collide on such keys), 30x slower than the index. Other values
 * (numbers, booleans) use a Map.
 */
class Dict<T> {
  readonly values: T[] = [];
  readonly #others = new Map<T, number>();
  readonly #strings = new IdIndex(1024);
  #codeOfString = new Int32Array(1024);
  code(v: T): number {
    if (typeof v === 'string') {
      const known = this.#strings.size;
      const k = this.#strings.indexOf(v);
      if (k < known) return this.#codeOfString[k] as number;
      if (k === this.#codeOfString.length) this.#codeOfString = grow(this.#codeOfString, 2 * k);
      const c = this.values.length;
      this.values.push(v);
      this.#codeOfString[k] = c;
      return c;
    }
    let c = this.#others.get(v);
    if (c === undefined) {
      c = this.values.length;
      this.values.push(v);
      this.#others.set(v, c);
    }
    return c;
  }
}

function grow<A extends Float64Array | Uint32Array | Uint16Array | Uint8Array | Int32Array>(
  a: A,
  n: number,
): A {
  const ctor = a.constructor as new (n: number) => A;
  const b = new ctor(n);
  b.set(a);
  return b;
}

/**
 * Builds an {@link EventStore} incrementally: `append(event)` / `appendAll(chunk)` in any order
 * (e.g. as a streaming parser yields validated events), then `finish()` once. Memory: the columns
 * (about 40 bytes per event) plus the dictionaries; no per-event object is kept.
 * @example
 * ```ts
 * const b = new EventStoreBuilder();
 * b.appendAll([{ customerId: 'a', type: 'login', timestamp: 0 }]);
 * b.finish().length; // => 1
 * ```
 */
export class EventStoreBuilder {
  #n = 0;
  #cap: number;
  #time: Float64Array;
  #cust: Uint32Array;
  #type: Uint16Array;
  #value: Float64Array;
  #has: Uint8Array;
  #eid = new PairColumn();
  #props: PairColumn[];
  #extra: (Record<string, unknown> | undefined)[] | undefined;
  #custDict = new Dict<string>();
  #typeDict = new Dict<string>();
  #eidDict = new Dict<string>();
  #propDicts = STORE_PROPERTIES.map(() => new Dict<unknown>());
  #done = false;
  #lastId: string | undefined;
  #lastCust = 0;
  #dropped: Uint8Array | undefined;
  #droppedCount = 0;

  constructor(options: EventStoreOptions = {}) {
    const cap = Math.max(16, Math.floor(options.capacity ?? 1024));
    this.#cap = cap;
    this.#time = new Float64Array(cap);
    this.#cust = new Uint32Array(cap);
    this.#type = new Uint16Array(cap);
    this.#value = new Float64Array(cap);
    this.#has = new Uint8Array(cap);
    // Dictionary columns hold (row, code) pairs: a field costs memory only on the rows that have it.
    this.#props = STORE_PROPERTIES.map(() => new PairColumn());
    this.#extra = options.keepProperties === true ? [] : undefined;
  }

  /** Number of events appended so far. */
  get length(): number {
    return this.#n;
  }

  #ensure(): void {
    if (this.#n < this.#cap) return;
    this.#growTo(this.#cap * 2);
  }

  /** Copies every row column into a new one of `cap` rows (one place lists the columns). */
  #growTo(cap: number): void {
    this.#cap = cap;
    this.#time = grow(this.#time, cap);
    this.#cust = grow(this.#cust, cap);
    this.#type = grow(this.#type, cap);
    this.#value = grow(this.#value, cap);
    this.#has = grow(this.#has, cap);
  }

  /**
   * Interns `eventId` in the store's eventId dictionary and returns its code: dense, from 0, in
   * first-seen order, the same code for the same id. A streaming parser's duplicate check can key
   * its table by this code and hand it back to {@link append}, so each id is hashed and held once.
   */
  internEventId(eventId: string): number {
    if (this.#done)
      throw new ValidationError('EventStoreBuilder', [notAgain('internEventId after finish()')]);
    if (typeof eventId !== 'string')
      throw new ValidationError('EventStoreBuilder', [
        { path: ['eventId'], code: 'invalid_type', message: 'internEventId: eventId must be a string' },
      ]);
    return this.#eidDict.code(eventId);
  }

  /**
   * Makes room for `capacity` rows at once (one copy of the columns), e.g. when the final size
   * becomes known after a first part of the input: no growth by doubling afterwards.
   */
  reserve(capacity: number): void {
    if (this.#done) throw new ValidationError('EventStoreBuilder', [notAgain('reserve after finish()')]);
    if (!Number.isInteger(capacity) || capacity < 0 || capacity > 2 ** 31 - 1)
      throw new ValidationError('EventStoreBuilder', [
        {
          path: ['capacity'],
          code: 'invalid_value',
          message: 'reserve: capacity must be an integer from 0 to 2^31 - 1',
        },
      ]);
    if (capacity <= this.#cap) return;
    this.#growTo(capacity);
  }

  /**
   * Appends one validated event. `eventIdCode`: the code {@link internEventId} returned for this
   * event's `eventId` (skips a second dictionary lookup; ignored when it is not that id's code).
   */
  append(e: CustomerEvent, eventIdCode?: number): void {
    if (this.#done) throw new ValidationError('EventStoreBuilder', [notAgain('append after finish()')]);
    checkEvent(e, this.#n);
    this.#ensure();
    const i = this.#n++;
    this.#time[i] = e.timestamp;
    // Exports are usually grouped by customer: a run of the same id skips the dictionary lookup.
    const id = e.customerId;
    if (id !== this.#lastId) {
      this.#lastId = id;
      this.#lastCust = this.#custDict.code(id);
    }
    this.#cust[i] = this.#lastCust;
    const t = this.#typeDict.code(e.type);
    if (t > 0xffff)
      throw new ValidationError('EventStoreBuilder', [
        { path: ['type'], code: 'too_big', message: 'more than 65,536 event types' },
      ]);
    this.#type[i] = t;
    const v = e.value;
    if (typeof v === 'number' && Number.isFinite(v)) {
      this.#value[i] = v;
      this.#has[i] = 1;
    } else {
      this.#value[i] = 0;
      this.#has[i] = 0;
    }
    const eid = e.eventId;
    if (eid !== undefined) {
      const known =
        eventIdCode !== undefined && this.#eidDict.values[eventIdCode] === eid
          ? eventIdCode
          : this.#eidDict.code(eid);
      this.#eid.push(i, known);
    }
    const p = e.properties;
    let extra: Record<string, unknown> | undefined;
    for (let k = 0; k < STORE_PROPERTIES.length; k++) {
      const name = STORE_PROPERTIES[k] as StoreProperty;
      const pv = p !== undefined && Object.hasOwn(p, name) ? p[name] : undefined;
      if (pv !== undefined)
        (this.#props[k] as PairColumn).push(i, (this.#propDicts[k] as Dict<unknown>).code(pv));
    }
    if (this.#extra !== undefined) {
      if (p !== undefined) {
        for (const key of Object.keys(p)) {
          if ((STORE_PROPERTIES as readonly string[]).includes(key)) continue;
          extra ??= Object.create(null) as Record<string, unknown>;
          extra[key] = p[key];
        }
      }
      this.#extra[i] = extra;
    }
  }

  /**
   * The event appended as row `row` (0-based append order), as the store will hold it (only the
   * {@link STORE_PROPERTIES} unless `keepProperties`). For a streaming parser resolving a duplicate
   * eventId against the row it kept.
   */
  at(row: number): CustomerEvent {
    this.#checkRow('at', row);
    return this.#event(row);
  }

  /**
   * Withdraws the event appended as row `row` (e.g. a later row with the same eventId replaced it):
   * `finish()` leaves it out, and leaves out a customer whose every row was withdrawn. Row numbers
   * of the other rows do not change before `finish()`.
   */
  drop(row: number): void {
    this.#checkRow('drop', row);
    let d = this.#dropped;
    if (d === undefined || row >= d.length) {
      const next = new Uint8Array(Math.max(this.#n, 1024));
      if (d !== undefined) next.set(d);
      d = next;
      this.#dropped = d;
    }
    if (d[row] === 1) return;
    d[row] = 1;
    this.#droppedCount++;
  }

  #checkRow(what: string, row: number): void {
    if (this.#done) throw new ValidationError('EventStoreBuilder', [notAgain(`${what} after finish()`)]);
    if (!Number.isInteger(row) || row < 0 || row >= this.#n)
      throw new ValidationError('EventStoreBuilder', [
        { path: ['row'], code: 'invalid_value', message: `${what}: no row ${String(row)} (${this.#n} rows)` },
      ]);
  }

  /** Removes withdrawn rows (and customers left without rows) before the sort. */
  #compact(): void {
    const d = this.#dropped;
    if (d === undefined || this.#droppedCount === 0) return;
    const n = this.#n;
    const map = new Int32Array(n);
    const extra = this.#extra;
    let k = 0;
    for (let i = 0; i < n; i++) {
      if (i < d.length && d[i] === 1) {
        map[i] = -1;
        continue;
      }
      map[i] = k;
      this.#time[k] = this.#time[i] as number;
      this.#cust[k] = this.#cust[i] as number;
      this.#type[k] = this.#type[i] as number;
      this.#value[k] = this.#value[i] as number;
      this.#has[k] = this.#has[i] as number;
      if (extra !== undefined) extra[k] = extra[i];
      k++;
    }
    if (extra !== undefined) extra.length = k;
    this.#n = k;
    this.#eid.remap(map);
    for (const col of this.#props) col.remap(map);
    this.#dropped = undefined;
    this.#droppedCount = 0;
    const ids = this.#custDict.values;
    const count = new Uint32Array(ids.length);
    for (let i = 0; i < k; i++)
      count[this.#cust[i] as number] = (count[this.#cust[i] as number] as number) + 1;
    if (count.every((c) => c > 0)) return;
    const dict = new Dict<string>();
    const code = new Int32Array(ids.length);
    for (let c = 0; c < ids.length; c++)
      code[c] = (count[c] as number) > 0 ? dict.code(ids[c] as string) : -1;
    for (let i = 0; i < k; i++) this.#cust[i] = code[this.#cust[i] as number] as number;
    this.#custDict = dict;
  }

  /** Appends a chunk of validated events (any order). */
  appendAll(events: Iterable<CustomerEvent>): void {
    for (const e of events) this.append(e);
  }

  /**
   * Sorts the rows (customer id, then the library's event order) and returns the store. The
   * builder cannot be used afterwards.
   */
  finish(): EventStore {
    if (this.#done) throw new ValidationError('EventStoreBuilder', [notAgain('finish() called twice')]);
    this.#compact();
    this.#done = true;
    const n = this.#n;
    const ids = this.#custDict.values;
    const m = ids.length;
    // Customer rank in code-unit order.
    const byId = Array.from({ length: m }, (_, c) => c).sort((a, b) => {
      const x = ids[a] as string;
      const y = ids[b] as string;
      return x < y ? -1 : x > y ? 1 : 0;
    });
    const rank = new Uint32Array(m);
    byId.forEach((c, r) => {
      rank[c] = r;
    });
    const offsets = new Int32Array(m + 1);
    for (let i = 0; i < n; i++) {
      const r = rank[this.#cust[i] as number] as number;
      offsets[r + 1] = (offsets[r + 1] as number) + 1;
    }
    for (let r = 0; r < m; r++) offsets[r + 1] = (offsets[r + 1] as number) + (offsets[r] as number);
    // Counting sort by customer (stable), then each customer's slice by event order.
    const perm = new Uint32Array(n);
    const fill = offsets.slice(0, m);
    for (let i = 0; i < n; i++) {
      const r = rank[this.#cust[i] as number] as number;
      perm[fill[r] as number] = i;
      fill[r] = (fill[r] as number) + 1;
    }
    const time = this.#time;
    for (let r = 0; r < m; r++) {
      const lo = offsets[r] as number;
      const hi = offsets[r + 1] as number;
      let sorted = true;
      for (let k = lo + 1; k < hi; k++) {
        if ((time[perm[k - 1] as number] as number) >= (time[perm[k] as number] as number)) {
          sorted = false;
          break;
        }
      }
      if (sorted) continue;
      sortRows(perm, time, lo, hi, (a, b) => compareEvents(this.#event(a), this.#event(b)));
    }
    // One column at a time, each source column released as soon as it is permuted, so the peak is
    // the columns plus one column (not two copies of every column).
    const permute = <A extends Float64Array | Uint32Array | Uint16Array | Uint8Array | Int32Array>(
      src: A,
    ): A => {
      const ctor = src.constructor as new (n: number) => A;
      const dst = new ctor(n);
      for (let k = 0; k < n; k++) dst[k] = src[perm[k] as number] as number;
      return dst;
    };
    const empty = new Float64Array(0);
    const outTime = permute(time);
    this.#time = empty;
    const cust = this.#cust;
    this.#cust = new Uint32Array(0);
    const outCustomer = new Uint32Array(n);
    for (let k = 0; k < n; k++) outCustomer[k] = rank[cust[perm[k] as number] as number] as number;
    const outType = permute(this.#type);
    this.#type = new Uint16Array(0);
    const outValue = permute(this.#value);
    this.#value = empty;
    const outHas = permute(this.#has);
    this.#has = new Uint8Array(0);
    const inv = new Uint32Array(n);
    for (let k = 0; k < n; k++) inv[perm[k] as number] = k;
    const outEid = this.#eid.finish(inv, n);
    const outProps = this.#props.map((col) => col.finish(inv, n));
    const oldExtra = this.#extra;
    const extra =
      oldExtra === undefined ? undefined : Array.from({ length: n }, (_, k) => oldExtra[perm[k] as number]);
    this.#extra = undefined;
    const out = {
      time: outTime,
      customer: outCustomer,
      typeCode: outType,
      value: outValue,
      hasValue: outHas,
      eid: outEid,
      props: outProps,
    };
    const props = Object.create(null) as Record<StoreProperty, DictColumn<unknown>>;
    STORE_PROPERTIES.forEach((name, p) => {
      props[name] = {
        codes: (out.props[p] as { codes: Int32Array | null }).codes,
        rows: (out.props[p] as { rows: Int32Array | null }).rows,
        values: (this.#propDicts[p] as Dict<unknown>).values,
      };
    });
    return Object.freeze({
      kind: 'event-store' as const,
      length: n,
      customerIds: byId.map((c) => ids[c] as string),
      offsets,
      customer: out.customer,
      time: out.time,
      typeCode: out.typeCode,
      types: this.#typeDict.values,
      value: out.value,
      hasValue: out.hasValue,
      eventId: { codes: out.eid.codes, rows: out.eid.rows, values: this.#eidDict.values },
      props,
      extra,
    });
  }

  /** The event of unsorted row i (only to break ties while sorting). */
  #event(i: number): CustomerEvent {
    return rowEvent(
      this.#custDict.values[this.#cust[i] as number] as string,
      this.#typeDict.values[this.#type[i] as number] as string,
      this.#time[i] as number,
      this.#has[i] === 1 ? (this.#value[i] as number) : undefined,
      this.#eid.codeAt(i) === -1 ? undefined : (this.#eidDict.values[this.#eid.codeAt(i)] as string),
      (k) => {
        const c = (this.#props[k] as PairColumn).codeAt(i);
        return c === -1 ? undefined : (this.#propDicts[k] as Dict<unknown>).values[c];
      },
      this.#extra?.[i],
    );
  }
}

/**
 * Sorts rows `perm[lo, hi)` by time, equal times by `tie`, stably (the order `Array#sort` with
 * that comparator gives): typed keys `(t − tMin) × 2^b + position` sorted natively, then only runs
 * of equal times go through `tie`. Falls back to the comparator sort when keys would not be exact
 * (short slices, non-integer times, spans too long for 53 bits).
 */
function sortRows(
  perm: Uint32Array,
  time: Float64Array,
  lo: number,
  hi: number,
  tie: (a: number, b: number) => number,
): void {
  const n = hi - lo;
  let tMin = Number.POSITIVE_INFINITY;
  let tMax = Number.NEGATIVE_INFINITY;
  let integral = true;
  for (let k = lo; k < hi; k++) {
    const t = time[perm[k] as number] as number;
    if (t < tMin) tMin = t;
    if (t > tMax) tMax = t;
    if (integral && !Number.isInteger(t)) integral = false;
  }
  const shift = 2 ** Math.ceil(Math.log2(n));
  if (n <= 16 || !integral || (tMax - tMin + 1) * shift > 2 ** 53) {
    const slice = Array.from(perm.subarray(lo, hi));
    slice.sort((a, b) => {
      const ta = time[a] as number;
      const tb = time[b] as number;
      return ta !== tb ? ta - tb : tie(a, b);
    });
    perm.set(slice, lo);
    return;
  }
  const keys = new Float64Array(n);
  for (let k = 0; k < n; k++) keys[k] = ((time[perm[lo + k] as number] as number) - tMin) * shift + k;
  keys.sort();
  const rows = perm.slice(lo, hi);
  for (let k = 0; k < n; k++) {
    const key = keys[k] as number;
    perm[lo + k] = rows[key - Math.floor(key / shift) * shift] as number;
  }
  let run = lo;
  for (let k = lo + 1; k <= hi; k++) {
    if (k < hi && time[perm[k] as number] === time[perm[run] as number]) continue;
    if (k - run > 1) {
      const slice = Array.from(perm.subarray(run, k));
      slice.sort(tie);
      perm.set(slice, run);
    }
    run = k;
  }
}

/** Assembles one event object (properties only when there are any). @internal */
export function rowEvent(
  customerId: string,
  type: string,
  timestamp: number,
  value: number | undefined,
  eventId: string | undefined,
  prop: (k: number) => unknown,
  extra: Readonly<Record<string, unknown>> | undefined,
): CustomerEvent {
  let properties: Record<string, unknown> | undefined;
  for (let k = 0; k < STORE_PROPERTIES.length; k++) {
    const v = prop(k);
    if (v === undefined) continue;
    properties ??= Object.create(null) as Record<string, unknown>;
    properties[STORE_PROPERTIES[k] as StoreProperty] = v;
  }
  if (extra !== undefined) {
    properties ??= Object.create(null) as Record<string, unknown>;
    for (const key of Object.keys(extra)) properties[key] = extra[key];
  }
  const e: { -readonly [K in keyof CustomerEvent]: CustomerEvent[K] } = { customerId, type, timestamp };
  if (value !== undefined) e.value = value;
  if (properties !== undefined) e.properties = properties;
  if (eventId !== undefined) e.eventId = eventId;
  return e;
}

function notAgain(message: string): ValidationIssue {
  return { path: [], code: 'invalid_value', message };
}

/** Throws the located error of an invalid event (a function, not a closure per checked event). */
function badEvent(index: number, path: string, message: string): never {
  throw new ValidationError('toEventStore', [
    { index, path: [index, path], code: 'invalid_type', message: `event ${index}: ${message}` },
  ]);
}

/** A validated event's shape (what `parseEvents` produces); anything else is rejected, located. */
function checkEvent(e: unknown, index: number): void {
  if (e === null || typeof e !== 'object')
    badEvent(index, '', 'must be a validated event object (use parseEvents first)');
  const ev = e as Record<string, unknown>;
  if (typeof ev.customerId !== 'string')
    badEvent(index, 'customerId', 'customerId must be a string (use parseEvents first)');
  if (typeof ev.type !== 'string') badEvent(index, 'type', 'type must be a string (use parseEvents first)');
  const t = ev.timestamp;
  if (typeof t !== 'number' || !Number.isFinite(t))
    badEvent(index, 'timestamp', 'timestamp must be finite epoch milliseconds (use parseEvents first)');
  if (ev.value !== undefined && (typeof ev.value !== 'number' || !Number.isFinite(ev.value)))
    badEvent(index, 'value', 'value must be a finite number when present');
  if (ev.eventId !== undefined && typeof ev.eventId !== 'string')
    badEvent(index, 'eventId', 'eventId must be a string when present');
  if (ev.properties !== undefined && (ev.properties === null || typeof ev.properties !== 'object'))
    badEvent(index, 'properties', 'properties must be an object when present');
}

/** Throws a ValidationError naming `fn` unless `x` is an {@link EventStore}. @internal */
export function requireStore(fn: string, x: unknown): EventStore {
  if (!isEventStore(x)) {
    throw new ValidationError(fn, [
      {
        path: ['store'],
        code: 'invalid_type',
        message: 'expected an EventStore (from toEventStore or EventStoreBuilder)',
      },
    ]);
  }
  return x;
}

/** True for an {@link EventStore}. */
export function isEventStore(x: unknown): x is EventStore {
  return x !== null && typeof x === 'object' && (x as { kind?: unknown }).kind === 'event-store';
}
