import { fmtNumber, fmtPercent } from '../_lib/format';

/** Number of elements of the ascending `sorted` array strictly below `v`. */
export function countBelow(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of elements of the ascending `sorted` array strictly above `v`. */
export function countAbove(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= v) lo = mid + 1;
    else hi = mid;
  }
  return sorted.length - lo;
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
 * The `k`-th smallest (0-based) of `a[lo..hi]`, found in place (Hoare's selection with a
 * median-of-three pivot, O(n) expected); afterwards `a[lo..k-1] ≤ a[k] ≤ a[k+1..hi]`.
 */
export function selectKth(a: Float64Array, k: number, lo: number, hi: number): number {
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // Median of three as the pivot, moved to a[mid].
    if ((a[mid] as number) < (a[lo] as number)) swap(a, mid, lo);
    if ((a[hi] as number) < (a[lo] as number)) swap(a, hi, lo);
    if ((a[hi] as number) < (a[mid] as number)) swap(a, hi, mid);
    const pivot = a[mid] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k] as number;
  }
  return a[k] as number;
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i] as number;
  a[i] = a[j] as number;
  a[j] = t;
}

/** Median of the first `m` (> 0) values of `a` (no NaN), reordering them: the mean of the two middle values when `m` is even. */
export function medianInPlace(a: Float64Array, m: number): number {
  const hi = (m - 1) >> 1;
  const upper = selectKth(a, hi, 0, m - 1);
  if (m % 2 === 1) return upper;
  // a[hi + 1..m-1] ≥ a[hi]: the next order statistic is their minimum.
  let next = a[hi + 1] as number;
  for (let i = hi + 2; i < m; i++) if ((a[i] as number) < next) next = a[i] as number;
  return (upper + next) / 2;
}
