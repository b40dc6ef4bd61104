/**
 * Time order of grouped rows: a customer's slice of the rows sorted by time (ties by
 * `compareEvents`, the library's total order), with its times, source-row index and one more index
 * permuted alike (the other columns are then filled in the final order).
 * @module
 */
import { compareEvents } from '../events/groupByCustomer';
import type { CustomerEvent } from '../events/types';
import { PermuteScratch } from './_eventColumns';

/** Reusable buffers of the slice sorts (one per grouping). @internal */
export class SortScratch {
  keys = new Float64Array(1024);
  sorted = new Float64Array(1024);
  /** Bucket bounds of `sortKeys`: up to the power of two at or above `n`, so 2n + 1. */
  bucket = new Int32Array(2049);
  /** Each row's bucket (`bucketOrder`). */
  home = new Int32Array(1024);
  order = new Int32Array(1024);
  readonly permute = new PermuteScratch();
  ensure(n: number): void {
    if (this.keys.length < n) {
      this.keys = new Float64Array(Math.max(n, this.keys.length * 2));
      this.sorted = new Float64Array(this.keys.length);
      this.bucket = new Int32Array(2 * this.keys.length + 1);
      this.home = new Int32Array(this.keys.length);
      this.order = new Int32Array(this.keys.length);
    }
  }
}

/**
 * `s.order[0, n)`: the positions of `ts[lo, lo + n)` in (time, position) order, by a stable
 * counting pass into about `n` buckets by time, then an insertion sort that only has to fix the
 * order inside each bucket (about linear for times spread over the slice; no key is built). False
 * when the times bunch up (the insertion sort would move more than `4n` rows): the caller then
 * sorts keys instead.
 */
function bucketOrder(
  ts: Float64Array,
  lo: number,
  n: number,
  tMin: number,
  tMax: number,
  s: SortScratch,
): boolean {
  let nb = 1;
  while (nb < n) nb *= 2;
  const scale = nb / (tMax - tMin + 1);
  const { bucket, home, order } = s;
  bucket.fill(0, 0, nb + 1);
  for (let j = 0; j < n; j++) {
    const b = Math.min(nb - 1, Math.floor(((ts[lo + j] as number) - tMin) * scale));
    home[j] = b;
    bucket[b + 1] = (bucket[b + 1] as number) + 1;
  }
  for (let b = 0; b < nb; b++) bucket[b + 1] = (bucket[b + 1] as number) + (bucket[b] as number);
  for (let j = 0; j < n; j++) {
    const b = home[j] as number;
    const q = bucket[b] as number;
    order[q] = j;
    bucket[b] = q + 1;
  }
  let budget = 4 * n;
  for (let i = 1; i < n; i++) {
    const v = order[i] as number;
    const t = ts[lo + v] as number;
    let j = i - 1;
    while (j >= 0 && (ts[lo + (order[j] as number)] as number) > t) {
      order[j + 1] = order[j] as number;
      j--;
      budget--;
    }
    order[j + 1] = v;
    if (budget < 0) return false;
  }
  return true;
}

/**
 * Sorts `keys[0, n)` (distinct, non-negative, below `span`) ascending: a counting pass into about
 * `n` buckets by value, then an insertion sort that only has to fix the order inside each bucket,
 * so about linear for times spread over the slice. When the times bunch up (the insertion sort
 * would move more than `4n` keys) the native sort takes over. Keys are distinct, so the result is
 * the same either way.
 */
function sortKeys(keys: Float64Array, n: number, span: number, s: SortScratch): void {
  let nb = 1;
  while (nb < n) nb *= 2;
  const scale = nb / span;
  const bucket = s.bucket;
  bucket.fill(0, 0, nb + 1);
  for (let j = 0; j < n; j++) {
    const b = Math.min(nb - 1, Math.floor((keys[j] as number) * scale));
    bucket[b + 1] = (bucket[b + 1] as number) + 1;
  }
  for (let b = 0; b < nb; b++) bucket[b + 1] = (bucket[b + 1] as number) + (bucket[b] as number);
  const out = s.sorted;
  for (let j = 0; j < n; j++) {
    const key = keys[j] as number;
    const b = Math.min(nb - 1, Math.floor(key * scale));
    const q = bucket[b] as number;
    out[q] = key;
    bucket[b] = q + 1;
  }
  let budget = 4 * n;
  for (let i = 1; i < n; i++) {
    const v = out[i] as number;
    let j = i - 1;
    while (j >= 0 && (out[j] as number) > v) {
      out[j + 1] = out[j] as number;
      j--;
      budget--;
    }
    out[j + 1] = v;
    if (budget < 0) {
      keys.subarray(0, n).sort();
      return;
    }
  }
  for (let j = 0; j < n; j++) keys[j] = out[j] as number;
}

/** The input events and, per grouped row, the input index of its event. @internal */
export interface Rows {
  readonly events: readonly CustomerEvent[];
  readonly src: Int32Array;
}

/** Rows to sort: their times, and an index sorted along with them (with `src`). @internal */
export interface SortRows extends Rows {
  readonly ts: Float64Array;
  readonly perm: Int32Array;
}

/** New position `k` of slice `[lo, lo + n)` takes old position `lo + order[k]` (ts, src, perm). */
function permuteRows(t: SortRows, lo: number, order: Int32Array, n: number, s: PermuteScratch): void {
  s.ensure(n);
  const f = s.f64;
  const a = s.i32;
  const b = s.idx;
  for (let k = 0; k < n; k++) {
    const j = lo + (order[k] as number);
    f[k] = t.ts[j] as number;
    a[k] = t.src[j] as number;
    b[k] = t.perm[j] as number;
  }
  for (let k = 0; k < n; k++) {
    t.ts[lo + k] = f[k] as number;
    t.src[lo + k] = a[k] as number;
    t.perm[lo + k] = b[k] as number;
  }
}

/** The event of grouped row `p`. @internal */
export function eventAt(rows: Rows, p: number): CustomerEvent {
  return rows.events[rows.src[p] as number] as CustomerEvent;
}

/** Whether slice [lo, hi) is in the library's event order. @internal */
export function isSorted(rows: Rows, ts: Float64Array, lo: number, hi: number): boolean {
  for (let i = lo + 1; i < hi; i++) {
    const a = ts[i - 1] as number;
    const b = ts[i] as number;
    if (a > b || (a === b && compareEvents(eventAt(rows, i - 1), eventAt(rows, i)) > 0)) return false;
  }
  return true;
}

/** Orders slice [lo, hi) entirely by compareEvents (short slices, tie runs, inexact keys). */
function comparatorSort(rows: SortRows, lo: number, hi: number, s: SortScratch): void {
  const n = hi - lo;
  const local = Array.from({ length: n }, (_, k) => k).sort(
    (a, b) => compareEvents(eventAt(rows, lo + a), eventAt(rows, lo + b)) || a - b,
  );
  s.ensure(n);
  for (let k = 0; k < n; k++) s.order[k] = local[k] as number;
  permuteRows(rows, lo, s.order, n, s.permute);
}

/**
 * Sorts slice [lo, hi) by time: positions in (time, position) order by {@link bucketOrder}, or
 * when times bunch up keys `(t − tMin) × 2^b + position` in a Float64Array sorted by
 * {@link sortKeys} (no comparator calls either way), then only runs of equal timestamps are
 * ordered by `compareEvents`. Falls back to the comparator when keys would not be exact. @internal
 */
export function sortSlice(rows: SortRows, lo: number, hi: number, s: SortScratch): void {
  const n = hi - lo;
  const ts = rows.ts;
  let tMin = Number.POSITIVE_INFINITY;
  let tMax = Number.NEGATIVE_INFINITY;
  let integral = true;
  for (let i = lo; i < hi; i++) {
    const t = ts[i] as number;
    if (t < tMin) tMin = t;
    if (t > tMax) tMax = t;
    if (integral && !Number.isInteger(t)) integral = false;
  }
  const shift = 2 ** Math.ceil(Math.log2(n));
  if (n <= 16 || !integral || (tMax - tMin + 1) * shift > 2 ** 53) {
    comparatorSort(rows, lo, hi, s);
    return;
  }
  s.ensure(n);
  if (!bucketOrder(ts, lo, n, tMin, tMax, s)) {
    const keys = s.keys;
    for (let j = 0; j < n; j++) keys[j] = ((ts[lo + j] as number) - tMin) * shift + j;
    sortKeys(keys, n, (tMax - tMin + 1) * shift, s);
    for (let k = 0; k < n; k++) {
      const key = keys[k] as number;
      s.order[k] = key - Math.floor(key / shift) * shift;
    }
  }
  permuteRows(rows, lo, s.order, n, s.permute);
  // Ties at one instant: the library's total order (type, eventId, value, properties).
  let runStart = lo;
  for (let i = lo + 1; i <= hi; i++) {
    if (i < hi && ts[i] === ts[runStart]) continue;
    if (i - runStart > 1) comparatorSort(rows, runStart, i, s);
    runStart = i;
  }
}
