import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/_lib/random';
import { kmeans, lloyd } from '../../src/segment/_kmeans';

describe('k-means with Hamerly bounds', () => {
  it('property: gives exactly the partition, centres and iterations of plain Lloyd from the same seed (any tolerance)', () => {
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
          const fast = kmeans(data, n, d, k, createRng(seed), 300, tol);
          const plain = lloyd(data, n, d, k, createRng(seed), 300, tol);
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
      const fast = kmeans(data, n, d, k, createRng(`k${k}`));
      const plain = lloyd(data, n, d, k, createRng(`k${k}`));
      expect(Array.from(fast.labels)).toEqual(Array.from(plain.labels));
      expect(fast.inertia).toBe(plain.inertia);
    }
  });
});
