/**
 * Binary search over ascending arrays of numbers, or of strings in code-unit order (the order of
 * `compareCodeUnits`, which JS `<` on strings is): the one copy the modules share.
 * @module
 */

/**
 * Index of the first element of `a[lo, hi)` that is `>= v` (`hi` when none). `a` must be ascending
 * on that range. With `v` NaN every comparison is false, so the result is `lo`.
 * @param a ascending values (typed array or plain array).
 * @param v the value searched.
 * @param lo first index searched. @default 0
 * @param hi end of the range (exclusive). @default a.length
 * @returns an absolute index in `[lo, hi]`.
 * @example
 * ```ts no-run
 * lowerBound(Float64Array.of(1, 2, 2, 5), 2); // => 1
 * lowerBound(Float64Array.of(1, 2, 2, 5), 3); // => 3
 * ```
 */
export function lowerBound<T extends number | string>(
  a: ArrayLike<T>,
  v: T,
  lo = 0,
  hi: number = a.length,
): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as T) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Index of the first element of `a[lo, hi)` that is `> v` (`hi` when none). `upperBound − lowerBound`
 * is the number of elements equal to `v`.
 * @example
 * ```ts no-run
 * upperBound(Float64Array.of(1, 2, 2, 5), 2); // => 3
 * ```
 */
export function upperBound<T extends number | string>(
  a: ArrayLike<T>,
  v: T,
  lo = 0,
  hi: number = a.length,
): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as T) <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
