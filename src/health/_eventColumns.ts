/**
 * The columns the signal pass reads, in grouped (customer, time) order: timestamps, a small type
 * code, values, and dense ids for the properties the signals use (userId, feature, ticketId), plus
 * flags. Built while the events are scattered into customer order, reading each event object once
 * in input order (where it sits in memory), so the pass itself touches only typed arrays however
 * the input was ordered.
 * @module
 */
import type { CustomerEvent } from '../events/types';

/** Type codes of the columns (0: a type no built-in signal reads). @internal */
export const K = {
  other: 0,
  login: 1,
  session: 2,
  feature: 3,
  ticketOpened: 4,
  ticketResolved: 5,
  nps: 6,
  csat: 7,
  ces: 8,
  purchase: 9,
  refund: 10,
  paymentFailed: 11,
  invoicePaid: 12,
  subStarted: 13,
  subChanged: 14,
  subRenewed: 15,
  subCancelled: 16,
  seats: 17,
  csm: 18,
} as const;

/** Flag bits. @internal */
export const FLAG_HIGH_PRIORITY = 1;
/** The event carries a `userId` property (any value). @internal */
export const FLAG_HAS_USER = 2;

/** Type code of an event type. @internal */
export function kindOf(type: string): number {
  switch (type) {
    case 'login':
      return K.login;
    case 'session':
      return K.session;
    case 'feature_used':
      return K.feature;
    case 'ticket_opened':
      return K.ticketOpened;
    case 'ticket_resolved':
      return K.ticketResolved;
    case 'nps_response':
      return K.nps;
    case 'csat_response':
      return K.csat;
    case 'ces_response':
      return K.ces;
    case 'purchase':
      return K.purchase;
    case 'refund':
      return K.refund;
    case 'payment_failed':
      return K.paymentFailed;
    case 'invoice_paid':
      return K.invoicePaid;
    case 'subscription_started':
      return K.subStarted;
    case 'subscription_changed':
      return K.subChanged;
    case 'subscription_renewed':
      return K.subRenewed;
    case 'subscription_cancelled':
      return K.subCancelled;
    case 'seats_changed':
      return K.seats;
    case 'csm_rating':
      return K.csm;
    default:
      return K.other;
  }
}

/** Typed columns of events in grouped order. @internal */
export interface EventColumns {
  readonly ts: Float64Array;
  readonly kind: Uint8Array;
  /** `value` when finite, else NaN. */
  readonly val: Float64Array;
  /** Dense id of `properties.userId` (string or number) on activity events, else -1. */
  readonly user: Int32Array;
  /** Dense id of `properties.feature` (string) on `feature_used`, else -1. */
  readonly feat: Int32Array;
  /** Dense id of `properties.ticketId` (string or number) on ticket events, else -1. */
  readonly tkt: Int32Array;
  readonly flag: Uint8Array;
  /** Number of distinct users, features and ticket ids (sizes of the pass's tables). */
  readonly users: number;
  readonly features: number;
  readonly tickets: number;
}

/** A ticket priority the support signals count as high. @internal */
export function isHighPriority(p: unknown): boolean {
  if (typeof p !== 'string') return false;
  const s = p.toLowerCase();
  return s === 'high' || s === 'urgent' || s === 'critical' || s === 'p1' || s === 'p0';
}

/**
 * Dense ids of strings: an open-addressing table of our own hash whose keys' code units are copied
 * into one compact pool. A `Map` lookup of a fresh string (as a parser makes one per row) hashes it
 * and then compares it with the stored key, which sits wherever its first occurrence was allocated
 * (a cache miss into a large heap); here the comparison reads the pool, which stays in cache.
 * @internal
 */
export class StringIds {
  /** Slot → id + 1 (0: empty); a power of two, at most half full. */
  #slots = new Int32Array(1024);
  /** Per id: its hash, and its code units at `pool[start[id] .. start[id + 1])`. */
  #hashes = new Int32Array(512);
  #start = new Int32Array(513);
  #pool = new Uint16Array(4096);
  size = 0;

  id(key: string): number {
    const n = key.length;
    let h = 0x811c9dc5 ^ n;
    for (let i = 0; i < n; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    h ^= h >>> 15;
    const slots = this.#slots;
    const mask = slots.length - 1;
    let j = h & mask;
    for (;;) {
      const s = slots[j] as number;
      if (s === 0) break;
      const id = s - 1;
      if (this.#hashes[id] === h && this.#equals(id, key, n)) return id;
      j = (j + 1) & mask;
    }
    return this.#insert(key, n, h, j);
  }

  #equals(id: number, key: string, n: number): boolean {
    const from = this.#start[id] as number;
    if ((this.#start[id + 1] as number) - from !== n) return false;
    const pool = this.#pool;
    for (let i = 0; i < n; i++) if (pool[from + i] !== key.charCodeAt(i)) return false;
    return true;
  }

  #insert(key: string, n: number, h: number, slot: number): number {
    const id = this.size++;
    if (id + 1 >= this.#hashes.length) {
      const hashes = new Int32Array(this.#hashes.length * 2);
      hashes.set(this.#hashes);
      this.#hashes = hashes;
      const start = new Int32Array(hashes.length + 1);
      start.set(this.#start);
      this.#start = start;
    }
    const from = this.#start[id] as number;
    if (from + n > this.#pool.length) {
      const pool = new Uint16Array(Math.max(this.#pool.length * 2, from + n));
      pool.set(this.#pool);
      this.#pool = pool;
    }
    for (let i = 0; i < n; i++) this.#pool[from + i] = key.charCodeAt(i);
    this.#start[id + 1] = from + n;
    this.#hashes[id] = h;
    this.#slots[slot] = id + 1;
    if (this.size * 2 > this.#slots.length) this.#rehash();
    return id;
  }

  #rehash(): void {
    const slots = new Int32Array(this.#slots.length * 2);
    const mask = slots.length - 1;
    for (let id = 0; id < this.size; id++) {
      let j = (this.#hashes[id] as number) & mask;
      while (slots[j] !== 0) j = (j + 1) & mask;
      slots[j] = id + 1;
    }
    this.#slots = slots;
  }
}

/** Bytes per row of a grouping's buffer: ts, val (8 each), user, feat, tkt, src, aux (4 each), kind, flag (1 each). */
const COLUMN_BYTES = 38;

/**
 * A buffer for the columns of up to `rows` grouped events (one allocation instead of eight; the
 * ranges of one call can share it, one range at a time). Per-call state only: nothing is kept
 * for the next call. @internal
 */
export function rangeBuffer(rows: number): ArrayBuffer {
  return new ArrayBuffer(COLUMN_BYTES * rows);
}

/**
 * Reads the fields of one event the signal pass needs (type code, time, value, ids, flags) into
 * its own fields, interning ids in the call's tables: what a grouping writes per event. @internal
 */
export class EventReader {
  readonly users = new StringIds();
  readonly features = new StringIds();
  readonly tickets = new StringIds();
  /**
   * Only events in `(idFrom, idTo]` get user ids, and in `(featureFrom, idTo]` feature ids (the
   * windows any signal of the call reads them in): an id lookup per event costs more than the rest
   * of the read.
   */
  idFrom = Number.NEGATIVE_INFINITY;
  featureFrom = Number.NEGATIVE_INFINITY;
  idTo = Number.POSITIVE_INFINITY;
  #lastType = '';
  #lastKind: number = K.other;
  kind = 0;
  t = 0;
  /** `value` when finite, else NaN. */
  val = 0;
  user = -1;
  feat = -1;
  tkt = -1;
  flag = 0;

  read(e: CustomerEvent): void {
    const type = e.type;
    let k = this.#lastKind;
    if (type !== this.#lastType) {
      k = kindOf(type);
      this.#lastType = type;
      this.#lastKind = k;
    }
    const t = e.timestamp;
    this.kind = k;
    this.t = t;
    const v = e.value;
    this.val = typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN;
    let user = -1;
    let feat = -1;
    let tkt = -1;
    let flag = 0;
    const props = e.properties;
    if (props !== undefined && props !== null && k !== K.other) {
      if (k <= K.feature) {
        const u = props.userId;
        if (u !== undefined) flag |= FLAG_HAS_USER;
        if (t <= this.idTo) {
          // outside every window that reads ids, the flag is all the pass needs
          if (t > this.idFrom) {
            if (typeof u === 'string') user = this.users.id(u);
            else if (typeof u === 'number') user = this.users.id(String(u));
          }
          if (k === K.feature && t > this.featureFrom) {
            const f = props.feature;
            if (typeof f === 'string') feat = this.features.id(f);
          }
        }
      } else if (k === K.ticketOpened || k === K.ticketResolved) {
        const id = props.ticketId;
        if (typeof id === 'string') tkt = this.tickets.id(id);
        else if (typeof id === 'number') tkt = this.tickets.id(String(id));
        if (k === K.ticketOpened && isHighPriority(props.priority)) flag |= FLAG_HIGH_PRIORITY;
      }
    }
    this.user = user;
    this.feat = feat;
    this.tkt = tkt;
    this.flag = flag;
  }

  /** Reads ids only inside `w` (see {@link idFrom}); no window: every id. */
  limit(w: { from: number; to: number; featureFrom: number } | undefined): void {
    this.idFrom = w?.from ?? Number.NEGATIVE_INFINITY;
    this.featureFrom = w?.featureFrom ?? Number.NEGATIVE_INFINITY;
    this.idTo = w?.to ?? Number.POSITIVE_INFINITY;
  }
}

/** Writes events' columns at given positions; one object read per event. @internal */
export class ColumnBuilder {
  readonly ts: Float64Array;
  readonly kind: Uint8Array;
  readonly val: Float64Array;
  readonly user: Int32Array;
  readonly feat: Int32Array;
  readonly tkt: Int32Array;
  readonly flag: Uint8Array;
  /** What {@link write} reads each event with (its id tables size the columns' ids). */
  readonly reader: EventReader;
  /** The buffer every column (and the grouping's source-row index) lives in. */
  readonly buffer: ArrayBuffer;
  /** The grouping's source-row index (input index of each row's event). */
  readonly src: Int32Array;
  /** A spare Int32 column (a grouping's scratch index). */
  readonly aux: Int32Array;
  /**
   * Columns for `n` rows, in `buffer` (from {@link rangeBuffer}, for at least `n` rows) when given;
   * ids from `reader`'s tables (a new reader by default).
   */
  constructor(n: number, buffer?: ArrayBuffer, reader = new EventReader()) {
    const buf = buffer ?? rangeBuffer(n);
    const cap = Math.floor(buf.byteLength / COLUMN_BYTES);
    if (cap < n) throw new RangeError(`grouping buffer for ${cap} rows, ${n} needed`);
    this.buffer = buf;
    this.reader = reader;
    this.ts = new Float64Array(buf, 0, n);
    this.val = new Float64Array(buf, 8 * cap, n);
    this.user = new Int32Array(buf, 16 * cap, n);
    this.feat = new Int32Array(buf, 20 * cap, n);
    this.tkt = new Int32Array(buf, 24 * cap, n);
    this.src = new Int32Array(buf, 28 * cap, n);
    this.aux = new Int32Array(buf, 32 * cap, n);
    this.kind = new Uint8Array(buf, 36 * cap, n);
    this.flag = new Uint8Array(buf, 37 * cap, n);
  }

  /** Column values of event `e` at position `p`. */
  write(p: number, e: CustomerEvent): void {
    const r = this.reader;
    r.read(e);
    this.ts[p] = r.t;
    this.kind[p] = r.kind;
    this.val[p] = r.val;
    this.user[p] = r.user;
    this.feat[p] = r.feat;
    this.tkt[p] = r.tkt;
    this.flag[p] = r.flag;
  }

  finish(): EventColumns {
    return {
      ts: this.ts,
      kind: this.kind,
      val: this.val,
      user: this.user,
      feat: this.feat,
      tkt: this.tkt,
      flag: this.flag,
      users: this.reader.users.size,
      features: this.reader.features.size,
      tickets: this.reader.tickets.size,
    };
  }
}

/** Buffers for reordering one slice of the rows (see `groupSort`). @internal */
export class PermuteScratch {
  f64 = new Float64Array(256);
  i32 = new Int32Array(256);
  idx = new Int32Array(256);
  ensure(n: number): void {
    if (this.f64.length < n) {
      const size = Math.max(n, this.f64.length * 2);
      this.f64 = new Float64Array(size);
      this.i32 = new Int32Array(size);
      this.idx = new Int32Array(size);
    }
  }
}
