import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/_lib/random';
import {
  type KmeansRun,
  kmeansHamerly,
  kmeansPlusPlus,
  lloyd,
  sampleDistances,
  silhouette,
} from '../../src/segment/_kmeans';

type Fast = (
  data: Float64Array,
  n: number,
  d: number,
  seeds: Float64Array,
  it?: number,
  tol?: number,
) => KmeansRun;

// The entry point clusterCustomers calls (Elkan was tried and removed: one method).
const methods: [string, Fast][] = [['Hamerly', kmeansHamerly]];

describe.each(methods)('k-means with %s bounds', (_name, fastKmeans) => {
  it('property: gives exactly the partition, centres and iterations of plain Lloyd from the same seeds (any tolerance)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 7 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.constantFrom(0, 1e-4, 0.05),
        (n, d, k, ties, seed, tol) => {
          const rng = createRng(`data:${seed}`);
          // Small integers give many exact ties (equal rows, equidistant centres); normals give clusters.
          const data = Float64Array.from({ length: n * d }, () =>
            ties ? rng.int(4) : rng.normal() + 3 * rng.int(3),
          );
          const seeds = kmeansPlusPlus(data, n, d, k, createRng(seed));
          const fast = fastKmeans(data, n, d, seeds, 300, tol);
          const plain = lloyd(data, n, d, seeds, 300, tol);
          expect(Array.from(fast.labels)).toEqual(Array.from(plain.labels));
          expect(Array.from(fast.centroids)).toEqual(Array.from(plain.centroids));
          expect(fast.iterations).toBe(plain.iterations);
          expect(fast.converged).toBe(plain.converged);
          expect(fast.inertia).toBe(plain.inertia);
        },
      ),
      { numRuns: 300, seed: 14 },
    );
  });

  it('property: same as Lloyd from arbitrary (even duplicate) seeds, so empty clusters are re-seeded alike', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 80 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 2, max: 9 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (n, d, k, seed) => {
          const rng = createRng(`dup:${seed}`);
          const data = Float64Array.from(
            { length: n * d },
            () => rng.int(5) + (rng.next() < 0.5 ? 0 : rng.normal()),
          );
          // Seeds drawn from the rows with replacement: duplicates give empty clusters on the first pass.
          const seeds = new Float64Array(k * d);
          for (let c = 0; c < k; c++) {
            const r = rng.int(n);
            seeds.set(data.subarray(r * d, r * d + d), c * d);
          }
          const fast = fastKmeans(data, n, d, seeds, 300, 0);
          const plain = lloyd(data, n, d, seeds, 300, 0);
          expect(Array.from(fast.labels)).toEqual(Array.from(plain.labels));
          expect(Array.from(fast.centroids)).toEqual(Array.from(plain.centroids));
          expect(fast.iterations).toBe(plain.iterations);
        },
      ),
      { numRuns: 200, seed: 15 },
    );
  });

  it('property: same as Lloyd on tiny integer grids, where rows often sit exactly between two centres', () => {
    // Exact ties that appear after the first pass (a row equidistant from its centre and a lower-index
    // one must move to the lower index, as Lloyd's strict "<" scan does) need many small cases.
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 30 }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 2, max: 7 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (n, d, k, values, seed) => {
          const rng = createRng(`grid:${seed}`);
          const data = Float64Array.from({ length: n * d }, () => rng.int(values));
          const seeds = kmeansPlusPlus(data, n, d, k, createRng(seed));
          const fast = fastKmeans(data, n, d, seeds, 300, 0);
          const plain = lloyd(data, n, d, seeds, 300, 0);
          expect(Array.from(fast.labels)).toEqual(Array.from(plain.labels));
          expect(fast.iterations).toBe(plain.iterations);
        },
      ),
      { numRuns: 4000, seed: 16 },
    );
  });

  it('agrees with Lloyd on 5,000 rows in 6 well-separated blobs, k = 2..8', () => {
    const rng = createRng('blobs');
    const n = 5000;
    const d = 3;
    const data = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const c = rng.int(6);
      for (let t = 0; t < d; t++) data[i * d + t] = 4 * ((c >> t) & 1) + c + rng.normal();
    }
    for (let k = 2; k <= 8; k++) {
      const seeds = kmeansPlusPlus(data, n, d, k, createRng(`k${k}`));
      const fast = fastKmeans(data, n, d, seeds);
      const plain = lloyd(data, n, d, seeds);
      expect(Array.from(fast.labels)).toEqual(Array.from(plain.labels));
      expect(fast.inertia).toBe(plain.inertia);
    }
  });
});

describe('k-means with a guessed start for the first pass', () => {
  it("property: any guess (random labels and map, even out of range) gives exactly Lloyd's result", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 80 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 7 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 1_000_000 }),
        (n, d, k, ties, seed) => {
          const rng = createRng(`guess:${seed}`);
          const data = Float64Array.from({ length: n * d }, () =>
            ties ? rng.int(4) : rng.normal() + 3 * rng.int(3),
          );
          const seeds = kmeansPlusPlus(data, n, d, k, createRng(seed));
          const guess = {
            labels: Int32Array.from({ length: n }, () => rng.int(k + 1)),
            map: Int32Array.from({ length: k + 1 }, () => rng.int(k + 2) - 1),
          };
          const fast = kmeansHamerly(data, n, d, seeds, 300, 0, undefined, guess);
          const plain = lloyd(data, n, d, seeds, 300, 0);
          expect(Array.from(fast.labels)).toEqual(Array.from(plain.labels));
          expect(Array.from(fast.centroids)).toEqual(Array.from(plain.centroids));
          expect(fast.iterations).toBe(plain.iterations);
        },
      ),
      { numRuns: 400, seed: 19 },
    );
  });
});

describe('k-means++ seeding', () => {
  it('is nested: the seeds for k are the first k seeds for any larger k from the same stream', () => {
    const rng = createRng('nest');
    const n = 500;
    const d = 2;
    const data = Float64Array.from({ length: n * d }, () => rng.normal() + 5 * rng.int(4));
    const eight = kmeansPlusPlus(data, n, d, 8, createRng('s'));
    for (let k = 1; k <= 8; k++) {
      expect(Array.from(kmeansPlusPlus(data, n, d, k, createRng('s')))).toEqual(
        Array.from(eight.subarray(0, k * d)),
      );
    }
  });

  it('stops at the number of distinct rows (3 here) and picks each of them once', () => {
    // Rows 0, 0, 5, 5, 9 (d = 1): after three distinct centres the potential is 0.
    const data = Float64Array.of(0, 0, 5, 5, 9);
    const seeds = kmeansPlusPlus(data, 5, 1, 6, createRng(3));
    expect(seeds.length).toBe(3);
    expect(Array.from(seeds).sort((a, b) => a - b)).toEqual([0, 5, 9]);
  });
});

describe('silhouette on the sample', () => {
  it('matches the hand-computed mean silhouette of 0, 1 | 10, 11', () => {
    // Row 0: a = 1, b = (10 + 11) / 2 = 10.5 → 9.5 / 10.5; row 1: a = 1, b = (9 + 10) / 2 = 9.5 → 8.5 / 9.5;
    // rows 10 and 11 mirror them. Mean = (9.5 / 10.5 + 8.5 / 9.5) / 2 = 0.899749…
    const data = Float64Array.of(0, 1, 10, 11);
    const sample = Int32Array.of(0, 1, 2, 3);
    const s = silhouette(sampleDistances(data, 1, sample), sample, Int32Array.of(0, 0, 1, 1), 2);
    expect(s).toBeCloseTo((9.5 / 10.5 + 8.5 / 9.5) / 2, 12);
  });

  it('property: equals the textbook O(m²) silhouette bit for bit, singletons scoring 0', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 40 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (n, d, k, seed) => {
          const rng = createRng(`sil:${seed}`);
          const data = Float64Array.from({ length: n * d }, () => rng.normal());
          const labels = Int32Array.from({ length: n }, () => rng.int(k));
          const sample = Int32Array.from({ length: n }, (_, i) => i);
          const dist = (x: number, y: number) => {
            let s = 0;
            for (let t = 0; t < d; t++) {
              const diff = (data[x * d + t] as number) - (data[y * d + t] as number);
              s += diff * diff;
            }
            return Math.sqrt(s);
          };
          let total = 0;
          for (let x = 0; x < n; x++) {
            const sums = new Float64Array(k);
            const count = new Float64Array(k);
            for (let y = 0; y < n; y++) {
              count[labels[y] as number] = (count[labels[y] as number] as number) + 1;
              if (y !== x) sums[labels[y] as number] = (sums[labels[y] as number] as number) + dist(x, y);
            }
            const own = labels[x] as number;
            if ((count[own] as number) <= 1) continue;
            const a = (sums[own] as number) / ((count[own] as number) - 1);
            let b = Number.POSITIVE_INFINITY;
            for (let c = 0; c < k; c++)
              if (c !== own && (count[c] as number) > 0)
                b = Math.min(b, (sums[c] as number) / (count[c] as number));
            if (!Number.isFinite(b)) continue;
            const mx = Math.max(a, b);
            total += mx > 0 ? (b - a) / mx : 0;
          }
          expect(silhouette(sampleDistances(data, d, sample), sample, labels, k)).toBe(total / n);
        },
      ),
      { numRuns: 200, seed: 17 },
    );
  });
});
