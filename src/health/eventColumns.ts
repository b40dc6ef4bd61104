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

/** Bytes per event of a grouping's buffer: ts, val (8 each), user, feat, tkt, src, aux (4 each), kind, flag (1 each). */
const COLUMN_BYTES = 38;

/**
 * One buffer per grouping for every column (and the grouping's two index arrays): one allocation
 * instead of nine. Nothing is kept for the next call (per-call state only).
 */
function takeBuffer(bytes: number): ArrayBuffer {
  return new ArrayBuffer(bytes);
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
  readonly #users = new StringIds();
  readonly #features = new StringIds();
  readonly #tickets = new StringIds();
  #lastType = '';
  #lastKind: number = K.other;
  /**
   * Only events in `(idFrom, idTo]` get user ids, and in `(featureFrom, idTo]` feature ids (the
   * windows any signal of the call reads them in): an id lookup per event costs more than the rest
   * of the pass.
   */
  idFrom = Number.NEGATIVE_INFINITY;
  featureFrom = Number.NEGATIVE_INFINITY;
  idTo = Number.POSITIVE_INFINITY;
  /** The buffer every column (and the grouping's two index arrays) lives in. */
  readonly buffer: ArrayBuffer;
  /** Two spare Int32 columns of the buffer (the grouping's source-row index and census codes). */
  readonly src: Int32Array;
  readonly aux: Int32Array;
  constructor(n: number) {
    const buf = takeBuffer(COLUMN_BYTES * n);
    this.buffer = buf;
    this.ts = new Float64Array(buf, 0, n);
    this.val = new Float64Array(buf, 8 * n, n);
    this.user = new Int32Array(buf, 16 * n, n);
    this.feat = new Int32Array(buf, 20 * n, n);
    this.tkt = new Int32Array(buf, 24 * n, n);
    this.src = new Int32Array(buf, 28 * n, n);
    this.aux = new Int32Array(buf, 32 * n, n);
    this.kind = new Uint8Array(buf, 36 * n, n);
    this.flag = new Uint8Array(buf, 37 * n, n);
  }

  /** Column values of event `e` at position `p`. */
  write(p: number, e: CustomerEvent): void {
    const type = e.type;
    let k = this.#lastKind;
    if (type !== this.#lastType) {
      k = kindOf(type);
      this.#lastType = type;
      this.#lastKind = k;
    }
    const t = e.timestamp;
    this.ts[p] = t;
    this.kind[p] = k;
    const v = e.value;
    this.val[p] = typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN;
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
            if (typeof u === 'string') user = this.#users.id(u);
            else if (typeof u === 'number') user = this.#users.id(String(u));
          }
          if (k === K.feature && t > this.featureFrom) {
            const f = props.feature;
            if (typeof f === 'string') feat = this.#features.id(f);
          }
        }
      } else if (k === K.ticketOpened || k === K.ticketResolved) {
        const id = props.ticketId;
        if (typeof id === 'string') tkt = this.#tickets.id(id);
        else if (typeof id === 'number') tkt = this.#tickets.id(String(id));
        if (k === K.ticketOpened && isHighPriority(props.priority)) flag |= FLAG_HIGH_PRIORITY;
      }
    }
    this.user[p] = user;
    this.feat[p] = feat;
    this.tkt[p] = tkt;
    this.flag[p] = flag;
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
      users: this.#users.size,
      features: this.#features.size,
      tickets: this.#tickets.size,
    };
  }
}

/** Buffers for reordering one slice of the columns. @internal */
export class PermuteScratch {
  f64 = new Float64Array(256);
  i32 = new Int32Array(256);
  u8 = new Uint8Array(256);
  ensure(n: number): void {
    if (this.f64.length < n) {
      const size = Math.max(n, this.f64.length * 2);
      this.f64 = new Float64Array(size);
      this.i32 = new Int32Array(size);
      this.u8 = new Uint8Array(size);
    }
  }
}

function permuteF64(a: Float64Array, lo: number, order: Int32Array, n: number, s: PermuteScratch): void {
  for (let k = 0; k < n; k++) s.f64[k] = a[lo + (order[k] as number)] as number;
  a.set(s.f64.subarray(0, n), lo);
}

function permuteI32(a: Int32Array, lo: number, order: Int32Array, n: number, s: PermuteScratch): void {
  for (let k = 0; k < n; k++) s.i32[k] = a[lo + (order[k] as number)] as number;
  a.set(s.i32.subarray(0, n), lo);
}

function permuteU8(a: Uint8Array, lo: number, order: Int32Array, n: number, s: PermuteScratch): void {
  for (let k = 0; k < n; k++) s.u8[k] = a[lo + (order[k] as number)] as number;
  a.set(s.u8.subarray(0, n), lo);
}

/**
 * Reorders slice `[lo, lo + n)` of the source-row index and every column so that new position `k`
 * holds old position `lo + order[k]`. @internal
 */
export function permuteSlice(
  src: Int32Array,
  c: ColumnBuilder,
  lo: number,
  order: Int32Array,
  n: number,
  s: PermuteScratch,
): void {
  s.ensure(n);
  permuteI32(src, lo, order, n, s);
  permuteF64(c.ts, lo, order, n, s);
  permuteU8(c.kind, lo, order, n, s);
  permuteF64(c.val, lo, order, n, s);
  permuteI32(c.user, lo, order, n, s);
  permuteI32(c.feat, lo, order, n, s);
  permuteI32(c.tkt, lo, order, n, s);
  permuteU8(c.flag, lo, order, n, s);
}
