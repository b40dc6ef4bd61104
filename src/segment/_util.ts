import { fmtNumber, fmtPercent } from '../_lib/format';
import { upperBound } from '../_lib/search';

/** Number of elements of the ascending `sorted` array strictly above `v`. */
export function countAbove(sorted: Float64Array, v: number): number {
  return sorted.length - upperBound(sorted, v);
}

/** Number for reasons: the project's one sentence formatter (`fmtNumber` in src/_lib/format.ts). */
export const fmtNum: (v: number) => string = fmtNumber;

/** Signed z for reasons: `+1.8`, `-0.6`. */
export function fmtZ(z: number): string {
  return `${z >= 0 ? '+' : '−'}${Math.abs(z).toFixed(1)}`;
}

/** Percentage for reasons (`fmtPercent` in src/_lib/format.ts): `12%`, `4.3%`. */
export const fmtPct: (share: number) => string = fmtPercent;

/**
 * Median of the first `m` (> 0) values of `a` (no NaN), reordering them: the mean of the two middle
 * values when `m` is even. Exact, in O(m): values are counted into 2,048 equal-width buckets between
 * the minimum and maximum (bucket order follows value order), and only the bucket(s) holding the
 * middle rank are sorted. Two simple passes, so a cold process compiles it quickly.
 */
export function medianInPlace(a: Float64Array, m: number): number {
  const lo = (m - 1) >> 1;
  const hi = m >> 1;
  let min = a[0] as number;
  let max = min;
  for (let i = 1; i < m; i++) {
    const v = a[i] as number;
    if (v < min) min = v;
    else if (v > max) max = v;
  }
  const scale = BUCKETS / (max - min);
  if (m <= 64 || !(scale > 0 && scale < Number.POSITIVE_INFINITY)) {
    // Few values, all equal, or a range too wide for buckets: sort them.
    const s = a.subarray(0, m).sort();
    return ((s[lo] as number) + (s[hi] as number)) / 2;
  }
  const counts = new Int32Array(BUCKETS);
  for (let i = 0; i < m; i++) {
    const b = Math.floor(((a[i] as number) - min) * scale);
    const c = b < BUCKETS ? b : BUCKETS - 1;
    counts[c] = (counts[c] as number) + 1;
  }
  // Buckets of ranks lo and hi, and how many values lie below the first of them.
  let below = 0;
  let bLo = 0;
  while (below + (counts[bLo] as number) <= lo) below += counts[bLo++] as number;
  let bHi = bLo;
  let upTo = below + (counts[bLo] as number);
  while (upTo <= hi) upTo += counts[++bHi] as number;
  // Gather those buckets' values at the front (in place: the write index never passes the read index).
  let j = 0;
  for (let i = 0; i < m; i++) {
    const v = a[i] as number;
    const b = Math.floor((v - min) * scale);
    const c = b < BUCKETS ? b : BUCKETS - 1;
    if (c >= bLo && c <= bHi) a[j++] = v;
  }
  const s = a.subarray(0, j).sort();
  return ((s[lo - below] as number) + (s[hi - below] as number)) / 2;
}

const BUCKETS = 2048;
