/**
 * Typed-array k-means (Lloyd) with greedy k-means++ seeding and silhouette on a sample. Private to
 * the segment module. Rows are stored row-major in one Float64Array (`n × d`).
 * @module
 */
import type { Rng } from '../_lib/random';

export interface KmeansRun {
  /** Effective number of clusters (may be below the requested k when there are fewer distinct rows). */
  k: number;
  labels: Int32Array;
  /** k × d, row-major. */
  centroids: Float64Array;
  /** Squared distance of each row to its centroid. */
  dist2: Float64Array;
  inertia: number;
  iterations: number;
  converged: boolean;
}

function sqDist(data: Float64Array, i: number, cents: Float64Array, c: number, d: number): number {
  let s = 0;
  const a = i * d;
  const b = c * d;
  for (let t = 0; t < d; t++) {
    const diff = (data[a + t] as number) - (cents[b + t] as number);
    s += diff * diff;
  }
  return s;
}

/** Picks an index with probability proportional to `w` (sum `total`). */
function weightedPick(w: Float64Array, total: number, rng: Rng): number {
  let u = rng.next() * total;
  for (let i = 0; i < w.length; i++) {
    u -= w[i] as number;
    if (u < 0) return i;
  }
  // Rounding: last positive weight.
  for (let i = w.length - 1; i >= 0; i--) if ((w[i] as number) > 0) return i;
  return 0;
}

/**
 * Greedy k-means++ (Arthur & Vassilvitskii 2007, with 2 + ⌊ln k⌋ local trials as in scikit-learn):
 * returns initial centroids (k' × d, k' ≤ k when fewer distinct rows exist).
 */
export function kmeansPlusPlus(data: Float64Array, n: number, d: number, k: number, rng: Rng): Float64Array {
  const cents = new Float64Array(k * d);
  const first = rng.int(n);
  cents.set(data.subarray(first * d, first * d + d), 0);
  const closest = new Float64Array(n);
  let pot = 0;
  for (let i = 0; i < n; i++) {
    const v = sqDist(data, i, cents, 0, d);
    closest[i] = v;
    pot += v;
  }
  const trials = 2 + Math.floor(Math.log(k));
  const cand = new Float64Array(n);
  const best = new Float64Array(n);
  let c = 1;
  for (; c < k; c++) {
    if (!(pot > 0)) break;
    let bestPot = Number.POSITIVE_INFINITY;
    let bestIdx = -1;
    for (let t = 0; t < trials; t++) {
      const idx = weightedPick(closest, pot, rng);
      cents.set(data.subarray(idx * d, idx * d + d), c * d);
      let p = 0;
      for (let i = 0; i < n; i++) {
        const v = Math.min(closest[i] as number, sqDist(data, i, cents, c, d));
        cand[i] = v;
        p += v;
      }
      if (p < bestPot) {
        bestPot = p;
        bestIdx = idx;
        best.set(cand);
      }
    }
    cents.set(data.subarray(bestIdx * d, bestIdx * d + d), c * d);
    closest.set(best);
    pot = bestPot;
  }
  return c === k ? cents : cents.slice(0, c * d);
}

/**
 * Lloyd iterations from k-means++ seeds. Empty clusters are re-seeded with the row farthest from its
 * centroid. Stops when no label changes or after `maxIterations`.
 */
export function kmeans(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  rng: Rng,
  maxIterations = 300,
): KmeansRun {
  const cents = kmeansPlusPlus(data, n, d, k, rng);
  const kk = cents.length / d;
  const labels = new Int32Array(n).fill(-1);
  const dist2 = new Float64Array(n);
  const sums = new Float64Array(kk * d);
  const sizes = new Float64Array(kk);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    let changed = 0;
    for (let i = 0; i < n; i++) {
      let bi = 0;
      let bd = Number.POSITIVE_INFINITY;
      const a = i * d;
      for (let c = 0; c < kk; c++) {
        const b = c * d;
        let s = 0;
        for (let t = 0; t < d; t++) {
          const diff = (data[a + t] as number) - (cents[b + t] as number);
          s += diff * diff;
          if (s >= bd) break;
        }
        if (s < bd) {
          bd = s;
          bi = c;
        }
      }
      dist2[i] = bd;
      if (labels[i] !== bi) {
        labels[i] = bi;
        changed++;
      }
    }
    if (changed === 0) {
      converged = true;
      break;
    }
    sums.fill(0);
    sizes.fill(0);
    for (let i = 0; i < n; i++) {
      const c = labels[i] as number;
      sizes[c] = (sizes[c] as number) + 1;
      const a = i * d;
      const b = c * d;
      for (let t = 0; t < d; t++) sums[b + t] = (sums[b + t] as number) + (data[a + t] as number);
    }
    for (let c = 0; c < kk; c++) {
      const size = sizes[c] as number;
      if (size > 0) {
        for (let t = 0; t < d; t++) cents[c * d + t] = (sums[c * d + t] as number) / size;
      } else {
        // Re-seed an empty cluster with the row farthest from its centroid.
        let far = 0;
        for (let i = 1; i < n; i++) if ((dist2[i] as number) > (dist2[far] as number)) far = i;
        cents.set(data.subarray(far * d, far * d + d), c * d);
        dist2[far] = 0;
      }
    }
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    // Final distances to the final centroids.
    const v = sqDist(data, i, cents, labels[i] as number, d);
    dist2[i] = v;
    inertia += v;
  }
  return { k: kk, labels, centroids: cents, dist2, inertia, iterations, converged };
}

/** Pairwise Euclidean distances of the sampled rows (m × m, symmetric), computed once per data set. */
export function sampleDistances(data: Float64Array, d: number, sample: Int32Array): Float64Array {
  const m = sample.length;
  const out = new Float64Array(m * m);
  for (let x = 0; x < m; x++) {
    const a = (sample[x] as number) * d;
    for (let y = x + 1; y < m; y++) {
      const b = (sample[y] as number) * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = (data[a + t] as number) - (data[b + t] as number);
        s += diff * diff;
      }
      const v = Math.sqrt(s);
      out[x * m + y] = v;
      out[y * m + x] = v;
    }
  }
  return out;
}

/**
 * Mean silhouette (Rousseeuw 1987) of the sampled rows under `labels`: s = (b − a) / max(a, b) with
 * a = mean distance to the other sampled members of its cluster, b = lowest mean distance to another
 * cluster's sampled members. Rows alone in their cluster within the sample score 0.
 */
export function silhouette(dists: Float64Array, sample: Int32Array, labels: Int32Array, k: number): number {
  const m = sample.length;
  const lab = new Int32Array(m);
  const count = new Float64Array(k);
  for (let x = 0; x < m; x++) {
    const c = labels[sample[x] as number] as number;
    lab[x] = c;
    count[c] = (count[c] as number) + 1;
  }
  const sums = new Float64Array(k);
  let total = 0;
  for (let x = 0; x < m; x++) {
    sums.fill(0);
    const row = x * m;
    for (let y = 0; y < m; y++) {
      const c = lab[y] as number;
      sums[c] = (sums[c] as number) + (dists[row + y] as number);
    }
    const own = lab[x] as number;
    const nOwn = (count[own] as number) - 1;
    if (nOwn <= 0) continue;
    const a = (sums[own] as number) / nOwn;
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      if (c === own || (count[c] as number) === 0) continue;
      const v = (sums[c] as number) / (count[c] as number);
      if (v < b) b = v;
    }
    if (!Number.isFinite(b)) continue;
    const mx = Math.max(a, b);
    total += mx > 0 ? (b - a) / mx : 0;
  }
  return m > 0 ? total / m : 0;
}
