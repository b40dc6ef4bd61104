/**
 * Cholesky factorisation and solves for small symmetric positive-definite systems (row-major
 * `Float64Array`s): the one copy the modules share (Newton steps, quadratic programs, intervals).
 * @module
 */

/**
 * Lower Cholesky factor `L` (`A = L·Lᵀ`) of the symmetric `m × m` matrix `a` (row-major; only the
 * lower triangle is read).
 * @param a the matrix.
 * @param m its order.
 * @param minPivot when given, a pivot below it is raised to it (a regularised factor of a
 *   semi-definite matrix) instead of failing. @default none
 * @returns `L` (row-major, upper triangle zero), or `null` when `a` is not positive definite
 *   (a pivot ≤ 0 or not finite) and no `minPivot` was given.
 * @example
 * ```ts no-run
 * choleskyFactor(Float64Array.of(4, 2, 2, 3), 2); // => Float64Array [2, 0, 1, 1.4142…]
 * ```
 */
export function choleskyFactor(a: ArrayLike<number>, m: number, minPivot?: number): Float64Array | null {
  const l = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * m + j] as number;
      for (let k = 0; k < j; k++) s -= (l[i * m + k] as number) * (l[j * m + k] as number);
      if (i === j) {
        if (minPivot !== undefined && !(s >= minPivot)) s = minPivot;
        if (!(s > 0) || !Number.isFinite(s)) return null;
        l[i * m + i] = Math.sqrt(s);
      } else {
        l[i * m + j] = s / (l[j * m + j] as number);
      }
    }
  }
  return l;
}

/**
 * Solves `L·Lᵀ·x = b` given the factor from {@link choleskyFactor} (forward then back substitution).
 * @param l lower factor, `m × m` row-major.
 * @param b right-hand side (first `m` entries are read).
 * @param out receives `x` (may be `b` itself).
 * @param m order.
 * @returns `out`.
 * @example
 * ```ts no-run
 * const l = choleskyFactor(Float64Array.of(4, 2, 2, 3), 2)!;
 * choleskySolveFactor(l, Float64Array.of(2, 1), new Float64Array(2), 2); // => [0.5, 0]
 * ```
 */
export function choleskySolveFactor(
  l: Float64Array,
  b: ArrayLike<number>,
  out: Float64Array,
  m: number,
): Float64Array {
  for (let i = 0; i < m; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (l[i * m + k] as number) * (out[k] as number);
    out[i] = s / (l[i * m + i] as number);
  }
  for (let i = m - 1; i >= 0; i--) {
    let s = out[i] as number;
    for (let k = i + 1; k < m; k++) s -= (l[k * m + i] as number) * (out[k] as number);
    out[i] = s / (l[i * m + i] as number);
  }
  return out;
}

/**
 * Solves `a·x = b` for symmetric positive-definite `a` (`m × m`, row-major) by Cholesky.
 * @returns `true` with `x` in `out`, or `false` (out untouched) when `a` is not positive definite.
 * @example
 * ```ts no-run
 * const x = new Float64Array(2);
 * choleskySolve(Float64Array.of(4, 2, 2, 3), Float64Array.of(2, 1), x, 2); // => true, x = [0.5, 0]
 * ```
 */
export function choleskySolve(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  out: Float64Array,
  m: number,
): boolean {
  const l = choleskyFactor(a, m);
  if (l === null) return false;
  choleskySolveFactor(l, b, out, m);
  return true;
}
