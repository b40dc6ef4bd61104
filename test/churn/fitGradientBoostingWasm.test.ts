import { afterEach, describe, expect, it } from 'vitest';
import { createRng } from '../../src/_lib/random';
import { wasmSwitch } from '../../src/_lib/wasm';
import { canonicalOrder } from '../../src/churn/_boostData';
import { expNeg } from '../../src/churn/_design';
import { createGrowContext } from '../../src/churn/_growTree';
import {
  fitGradientBoosting,
  fitGradientBoostingInOrder,
  type GradientBoostingOptions,
} from '../../src/churn/fitGradientBoosting';

afterEach(() => {
  wasmSwitch.disabled = false;
});

/** A table with numeric, few-valued (ties in one bin) and constant columns, and a label from a few of them. */
function table(n: number, p: number, seed: string) {
  const rng = createRng(seed);
  const x = new Float64Array(n * p);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let s = -0.3;
    for (let j = 0; j < p; j++) {
      const v = j % 5 === 3 ? rng.int(3) : j % 7 === 6 ? 1.5 : rng.normal();
      x[i * p + j] = v;
      if (j < 4) s += v * (j % 2 === 0 ? 0.8 : -0.6);
    }
    y[i] = rng.next() < 1 / (1 + Math.exp(-s)) ? 1 : 0;
  }
  return { x, y };
}

function bothPaths(n: number, p: number, options: GradientBoostingOptions) {
  const { x, y } = table(n, p, `wasm-${n}-${p}`);
  wasmSwitch.disabled = true;
  const ts = fitGradientBoosting(x, y, p, options);
  wasmSwitch.disabled = false;
  const wasm = fitGradientBoosting(x, y, p, options);
  return { ts, wasm };
}

describe('fitGradientBoosting: WebAssembly histogram kernel and TypeScript path', () => {
  it('uses the kernel in Node, and the TypeScript path when the switch forces it', () => {
    const setup = {
      n: 10,
      p: 2,
      nb: Int32Array.of(2, 2),
      featOff: Int32Array.of(0, 2, 4),
      edges: [Float64Array.of(0), Float64Array.of(0)],
      lr: 0.1,
      maxLeaves: 4,
      maxDepth: 3,
      minLeaf: 1,
      lambda: 1,
    };
    expect(createGrowContext(setup).kernel).not.toBeNull();
    expect(createGrowContext({ ...setup, wasm: false }).kernel).toBeNull();
    wasmSwitch.disabled = true;
    expect(createGrowContext(setup).kernel).toBeNull();
    wasmSwitch.disabled = false;
    // A histogram pool over 512 MB (65,536 leaves × 40 features × 256 bins × 24 bytes): TypeScript path.
    const featOff = Int32Array.from({ length: 41 }, (_, f) => f * 256);
    const big = { ...setup, p: 40, featOff, maxLeaves: 65_536, maxDepth: 20 };
    expect(createGrowContext(big).kernel).toBeNull();
  });

  it.each([
    [3000, 13, { trees: 8, maxBins: 17, minSamplesLeaf: 5 }],
    [2001, 9, { trees: 6, maxLeaves: 31, maxDepth: 8, minSamplesLeaf: 3, subsample: 0.7 }],
    [1500, 3, { trees: 10, subsample: 1 }],
    [777, 1, { trees: 5, maxBins: 17, minSamplesLeaf: 1, seed: 'x' }],
    [4000, 40, { trees: 4 }],
    [5, 4, { trees: 3, minSamplesLeaf: 1 }],
    [0, 3, { trees: 2 }],
  ] as const)('gives bit-identical trees on both paths (n %i, p %i)', (n, p, options) => {
    const { ts, wasm } = bothPaths(n, p, options);
    expect(wasm.trees.length).toBe(options.trees);
    // toEqual on typed arrays compares every element with Object.is: bit-identical doubles.
    expect(wasm).toEqual(ts);
    expect(wasm.trees.some((t) => t.feature.length > 1) || n < 10).toBe(true);
  });

  it('gives bit-identical deep best-first trees with many leaves', () => {
    const { ts, wasm } = bothPaths(3000, 5, { trees: 3, maxLeaves: 200, maxDepth: 12, minSamplesLeaf: 2 });
    expect(wasm).toEqual(ts);
  });
});

describe("fitGradientBoostingInOrder (trainChurnModel's calibration split)", () => {
  it("trains on rows in the whole matrix's canonical order the same trees as on those rows gathered", () => {
    const rng = createRng('in-order');
    for (let t = 0; t < 4; t++) {
      const n = 300 + rng.int(900);
      const p = 1 + rng.int(5);
      // Few distinct values: many rows equal in every cell and label (interchangeable in any order).
      const x = Float64Array.from(
        { length: n * p },
        () => rng.int(4) - 1 + (rng.next() < 0.3 ? rng.normal() : 0),
      );
      const y = Uint8Array.from({ length: n }, (_, i) => ((x[i * p] as number) + rng.normal() > 0.5 ? 1 : 0));
      const held = Uint8Array.from({ length: n }, () => (rng.next() < 0.2 ? 1 : 0));
      const idx: number[] = [];
      for (let i = 0; i < n; i++) if (held[i] === 0) idx.push(i);
      const gx = new Float64Array(idx.length * p);
      idx.forEach((i, k) => {
        gx.set(x.subarray(i * p, i * p + p), k * p);
      });
      const opts = { trees: 6, minSamplesLeaf: 3, seed: t };
      const gathered = fitGradientBoosting(
        gx,
        Uint8Array.from(idx, (i) => y[i] as number),
        p,
        opts,
      );
      const order = canonicalOrder(x, y, n, p).filter((i) => held[i] === 0);
      expect(fitGradientBoostingInOrder(x, y, p, order, opts)).toEqual(gathered);
    }
  });
});

describe("the gradients' exp", () => {
  it('is bit-equal to Math.exp (V8: fdlibm) over the scores a fit sees, so models did not change', () => {
    const rng = createRng('exp');
    const xs = [0, -0, -5e-324, -3.725290298461914e-9, -0.34657359027997264, -1.0397207708399179, -745.2];
    for (let k = 0; k < 200_000; k++) xs.push(-rng.next() * (k % 2 === 0 ? 2 : 60));
    let differ = 0;
    for (const x of xs) if (!Object.is(expNeg(x), Math.exp(x))) differ++;
    expect(differ).toBe(0);
  });
});
