/**
 * Orderings and order statistics shared by the modules.
 * @module
 */

/**
 * Compares strings by UTF-16 code units (what `<` does): the same on every machine and locale,
 * unlike `localeCompare`. Used to iterate customers in a deterministic order.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Linear-interpolation quantile (R type 7) of an ascending array; NaN-free, caller ensures n > 0. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo] as number;
  return a + (h - lo) * ((sorted[hi] as number) - a);
}
