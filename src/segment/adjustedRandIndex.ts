import { optionError } from '../_lib/errors';

/**
 * Adjusted Rand index (Hubert & Arabie 1985) between two labelings of the same items: 1 for identical
 * partitions (whatever the label names), about 0 for chance agreement, negative below chance.
 *
 * ARI = (Σᵢⱼ C(nᵢⱼ,2) − Σᵢ C(aᵢ,2)·Σⱼ C(bⱼ,2) / C(n,2)) / (½(Σᵢ C(aᵢ,2) + Σⱼ C(bⱼ,2)) − Σᵢ C(aᵢ,2)·Σⱼ C(bⱼ,2) / C(n,2)),
 * with nᵢⱼ the contingency table and aᵢ, bⱼ its row and column sums.
 *
 * Missing data: fewer than 2 items, or both labelings trivial (one cluster each, or all singletons),
 * give 1 when the partitions are identical and 0 otherwise (the formula is 0/0 there).
 *
 * @param a labels of each item (numbers or strings).
 * @param b labels of the same items, in the same order.
 * @returns the index, at most 1.
 * @throws ValidationError when the arrays have different lengths.
 * @example
 * ```ts
 * adjustedRandIndex([0, 0, 1, 1], [5, 5, 9, 9]); // => 1
 * adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1]); // => -0.5
 * ```
 */
export function adjustedRandIndex(a: ArrayLike<number | string>, b: ArrayLike<number | string>): number {
  for (const [name, v] of [
    ['a', a],
    ['b', b],
  ] as const) {
    if (!isLabels(v)) {
      throw optionError(
        'adjustedRandIndex',
        name,
        'must be an array of labels (numbers or strings)',
        'invalid_type',
      );
    }
  }
  if (a.length !== b.length) {
    throw optionError('adjustedRandIndex', 'b', `has ${b.length} labels, expected ${a.length}`);
  }
  const n = a.length;
  const ai = new Map<number | string, number>();
  const bi = new Map<number | string, number>();
  const ca = new Int32Array(n);
  const cb = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let x = ai.get(a[i] as number | string);
    if (x === undefined) {
      x = ai.size;
      ai.set(a[i] as number | string, x);
    }
    ca[i] = x;
    let y = bi.get(b[i] as number | string);
    if (y === undefined) {
      y = bi.size;
      bi.set(b[i] as number | string, y);
    }
    cb[i] = y;
  }
  const ka = ai.size;
  const kb = bi.size;
  const table = new Map<number, number>();
  const rowSum = new Float64Array(ka);
  const colSum = new Float64Array(kb);
  for (let i = 0; i < n; i++) {
    const x = ca[i] as number;
    const y = cb[i] as number;
    const key = x * kb + y;
    table.set(key, (table.get(key) ?? 0) + 1);
    rowSum[x] = (rowSum[x] as number) + 1;
    colSum[y] = (colSum[y] as number) + 1;
  }
  const c2 = (v: number): number => (v * (v - 1)) / 2;
  let index = 0;
  for (const v of table.values()) index += c2(v);
  let sa = 0;
  for (const v of rowSum) sa += c2(v);
  let sb = 0;
  for (const v of colSum) sb += c2(v);
  const total = c2(n);
  const expected = total > 0 ? (sa * sb) / total : 0;
  const max = (sa + sb) / 2;
  if (max - expected === 0) return index === max ? 1 : 0;
  return (index - expected) / (max - expected);
}

function isLabels(v: unknown): v is ArrayLike<number | string> {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x !== 'string' && !(typeof x === 'number' && !Number.isNaN(x))) return false;
    }
    return true;
  }
  return (
    ArrayBuffer.isView(v) &&
    !(v instanceof DataView) &&
    typeof (v as { length?: unknown }).length === 'number'
  );
}
