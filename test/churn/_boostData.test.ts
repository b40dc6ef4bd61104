import { afterEach, describe, expect, it } from 'vitest';
import { createRng } from '../../src/_lib/random';
import { wasmSwitch } from '../../src/_lib/wasm';
import { binEdges, canonicalOrder, RadixScratch, sortDoubles } from '../../src/churn/_boostData';

describe('sortDoubles (radix sort behind the bin edges)', () => {
  it('orders exactly like Float64Array.prototype.sort, -0 before +0, subnormals and extremes included', () => {
    const special = [0, -0, 5e-324, -5e-324, 2.2250738585072014e-308, -1e308, 1e308, 1, -1, 0.5, -0.5];
    const rng = createRng('radix');
    for (let t = 0; t < 200; t++) {
      const m = rng.int(400);
      const a = Float64Array.from({ length: m }, () => {
        const r = rng.next();
        if (r < 0.2) return special[rng.int(special.length)] as number;
        if (r < 0.5) return rng.int(7) - 3; // many ties
        return rng.normal() * 10 ** (rng.int(20) - 10);
      });
      const expected = a.slice().sort();
      sortDoubles(a, new RadixScratch(m));
      for (let k = 0; k < m; k++) expect(Object.is(a[k], expected[k])).toBe(true);
    }
  });

  it('orders values that share their high 32 bits by their low bits (short and long runs, both signs)', () => {
    const rng = createRng('radix-runs');
    const eps = 2 ** -52;
    for (const m of [3, 20, 23, 24, 25, 600]) {
      // 1 + k·2^-52 and −(1 + k·2^-52) differ only in their low words; some equal, some -0/+0.
      const a = Float64Array.from({ length: m }, (_, i) => {
        const v = 1 + rng.int(50) * eps;
        return i % 7 === 0 ? (i % 2 === 0 ? -0 : 0) : i % 3 === 0 ? -v : v;
      });
      const expected = a.slice().sort();
      sortDoubles(a, new RadixScratch(m));
      for (let k = 0; k < m; k++) expect(Object.is(a[k], expected[k])).toBe(true);
    }
  });

  it('skips digits shared by every value and still sorts (all equal high bits, all equal values)', () => {
    const a = Float64Array.from([3, 1, 2, 1, 3]);
    sortDoubles(a, new RadixScratch(5));
    expect(Array.from(a)).toEqual([1, 1, 2, 3, 3]);
    const same = new Float64Array(10).fill(-2.5);
    sortDoubles(same, new RadixScratch(10));
    expect(Array.from(same)).toEqual(Array(10).fill(-2.5));
  });
});

describe('canonicalOrder', () => {
  it('puts the same rows in any input order into the same sequence of rows (ties and duplicates too)', () => {
    const rng = createRng('canonical');
    for (let t = 0; t < 100; t++) {
      const n = 1 + rng.int(200);
      const p = 1 + rng.int(3);
      const x = Float64Array.from({ length: n * p }, () => rng.int(3) - 1);
      const y = Float64Array.from({ length: n }, () => rng.int(2));
      const perm = rng.shuffle(Array.from({ length: n }, (_, i) => i));
      const x2 = new Float64Array(n * p);
      const y2 = new Float64Array(n);
      perm.forEach((from, to) => {
        x2.set(x.subarray(from * p, from * p + p), to * p);
        y2[to] = y[from] as number;
      });
      const a = canonicalOrder(x, y, n, p);
      const b = canonicalOrder(x2, y2, n, p);
      const rowsOf = (xs: Float64Array, ys: Float64Array, o: Uint32Array) =>
        Array.from(o, (i) => [...xs.subarray(i * p, i * p + p), ys[i]].join(','));
      expect(rowsOf(x2, y2, b)).toEqual(rowsOf(x, y, a));
      expect(Array.from(a).sort((u, v) => u - v)).toEqual(Array.from({ length: n }, (_, i) => i));
    }
  });
});

describe('binEdges: WebAssembly sort kernel and TypeScript sort', () => {
  afterEach(() => {
    wasmSwitch.disabled = false;
  });

  it('gives the same edges on both paths (specials, ties, few and many distinct values, strided sample)', () => {
    const special = [0, -0, 5e-324, -5e-324, 2.2250738585072014e-308, -1e308, 1e308, 1, -1];
    const rng = createRng('edges-wasm');
    for (const [n, p, maxBins] of [
      [300, 3, 255],
      [2000, 4, 17],
      [60_000, 2, 255],
    ] as const) {
      const x = Float64Array.from({ length: n * p }, (_, k) => {
        const f = k % p;
        if (f === 0) return rng.int(5) - 2; // few distinct values: midpoints
        const r = rng.next();
        if (r < 0.05) return special[rng.int(special.length)] as number;
        return rng.normal() * 10 ** (rng.int(10) - 5);
      });
      const order = canonicalOrder(x, new Float64Array(n), n, p);
      const wasm = binEdges(x, order, p, maxBins);
      wasmSwitch.disabled = true;
      const ts = binEdges(x, order, p, maxBins);
      expect(wasm).toEqual(ts);
      expect((wasm[1] as Float64Array).length).toBeGreaterThan(maxBins / 2);
    }
  });
});
