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
      const b = c * d;
      for (let i = 0; i < n; i++) {
        // min(closest, distance to the candidate), stopping the sum once it reaches `closest`.
        const cl = closest[i] as number;
        const a = i * d;
        let v = 0;
        for (let t = 0; t < d && v < cl; t++) {
          const diff = (data[a + t] as number) - (cents[b + t] as number);
          v += diff * diff;
        }
        const m = v < cl ? v : cl;
        cand[i] = m;
        p += m;
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
 * Plain Lloyd iterations from k-means++ seeds (the reference {@link kmeans} must agree with). Empty
 * clusters are re-seeded with the row farthest from its centroid. Stops when no label changes, or
 * (with `tolerance` > 0, scikit-learn's rule) one assignment pass after the centres moved by at most
 * `tolerance` in total squared distance, or after `maxIterations`.
 */
export function lloyd(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  rng: Rng,
  maxIterations = 300,
  tolerance = 0,
): KmeansRun {
  const cents = kmeansPlusPlus(data, n, d, k, rng);
  const kk = cents.length / d;
  const labels = new Int32Array(n).fill(-1);
  const dist2 = new Float64Array(n);
  const sums = new Float64Array(kk * d);
  const sizes = new Float64Array(kk);
  let iterations = 0;
  let converged = false;
  let last = false;
  const old = new Float64Array(kk * d);
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
    if (changed === 0 || last) {
      converged = true;
      break;
    }
    old.set(cents);
    sums.fill(0);
    sizes.fill(0);
    for (let i = 0; i < n; i++) addToSums(data, i, d, labels[i] as number, sums, sizes);
    if (centresFromSums(d, kk, cents, sums, sizes)) reseedEmpty(data, n, d, kk, cents, sizes, dist2);
    if (tolerance > 0 && shift(cents, old) <= tolerance) last = true;
  }
  const inertia = finalDistances(data, n, d, cents, labels, dist2);
  return { k: kk, labels, centroids: cents, dist2, inertia, iterations, converged };
}

/** Σ of squared centre moves (scikit-learn's `center_shift_tot`). */
function shift(cents: Float64Array, old: Float64Array): number {
  let s = 0;
  for (let j = 0; j < cents.length; j++) {
    const diff = (cents[j] as number) - (old[j] as number);
    s += diff * diff;
  }
  return s;
}

/** Relative slack on the bounds: a row is skipped only when its bound clears the test by more than rounding. */
const SLACK = 1e-9;

/** Moves every centre to the mean of its rows from their sums; returns whether a cluster is empty. */
function centresFromSums(
  d: number,
  kk: number,
  cents: Float64Array,
  sums: Float64Array,
  sizes: Float64Array,
): boolean {
  let empty = false;
  for (let c = 0; c < kk; c++) {
    const size = sizes[c] as number;
    if (size > 0) for (let t = 0; t < d; t++) cents[c * d + t] = (sums[c * d + t] as number) / size;
    else empty = true;
  }
  return empty;
}

/** Adds row `i` to the sums and size of cluster `c`. */
function addToSums(
  data: Float64Array,
  i: number,
  d: number,
  c: number,
  sums: Float64Array,
  sizes: Float64Array,
): void {
  sizes[c] = (sizes[c] as number) + 1;
  const a = i * d;
  const b = c * d;
  for (let t = 0; t < d; t++) sums[b + t] = (sums[b + t] as number) + (data[a + t] as number);
}

/** Re-seeds each empty cluster, in order, with the row farthest from its centre by `dist2` (then 0). */
function reseedEmpty(
  data: Float64Array,
  n: number,
  d: number,
  kk: number,
  cents: Float64Array,
  sizes: Float64Array,
  dist2: Float64Array,
): void {
  for (let c = 0; c < kk; c++) {
    if ((sizes[c] as number) > 0) continue;
    let far = 0;
    for (let i = 1; i < n; i++) if ((dist2[i] as number) > (dist2[far] as number)) far = i;
    cents.set(data.subarray(far * d, far * d + d), c * d);
    dist2[far] = 0;
  }
}

/** Final squared distances of every row to its final centre, into `dist2`; returns their sum (inertia). */
function finalDistances(
  data: Float64Array,
  n: number,
  d: number,
  cents: Float64Array,
  labels: Int32Array,
  dist2: Float64Array,
): number {
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    const v = sqDist(data, i, cents, labels[i] as number, d);
    dist2[i] = v;
    inertia += v;
  }
  return inertia;
}

/** Exact nearest and second-nearest centre of row `i` (ties to the lower index, as `lloyd`). */
function nearestTwo(
  data: Float64Array,
  i: number,
  d: number,
  cents: Float64Array,
  kk: number,
  out: Float64Array,
): number {
  let bi = 0;
  let bd = Number.POSITIVE_INFINITY;
  let sd = Number.POSITIVE_INFINITY;
  const a = i * d;
  for (let c = 0; c < kk; c++) {
    const b = c * d;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const diff = (data[a + t] as number) - (cents[b + t] as number);
      s += diff * diff;
    }
    if (s < bd) {
      sd = bd;
      bd = s;
      bi = c;
    } else if (s < sd) sd = s;
  }
  out[0] = bd;
  out[1] = sd;
  return bi;
}

/**
 * k-means with Hamerly's bounds (Hamerly 2010) from k-means++ seeds: the same partition, centres and
 * iteration count as {@link lloyd} (a row's bounds only let it skip the distance computations when
 * its label provably cannot change, with slack for rounding; every distance that is computed is
 * computed as `lloyd` computes it), at a fraction of the cost once few rows move. Per row: an upper
 * bound on the distance to its centre and a lower bound on the distance to any other; per centre,
 * half the distance to its nearest other centre.
 */
export function kmeans(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  rng: Rng,
  maxIterations = 300,
  tolerance = 0,
): KmeansRun {
  const cents = kmeansPlusPlus(data, n, d, k, rng);
  const kk = cents.length / d;
  const labels = new Int32Array(n).fill(-1);
  const dist2 = new Float64Array(n);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  const sums = new Float64Array(kk * d);
  const sizes = new Float64Array(kk);
  const old = new Float64Array(kk * d);
  const moved = new Float64Array(kk);
  const half = new Float64Array(kk);
  const two = new Float64Array(2);
  let iterations = 0;
  let converged = false;
  let exact = true; // every row's bounds must be recomputed (first pass, after a re-seed)
  let last = false;
  while (iterations < maxIterations) {
    iterations++;
    let changed = 0;
    for (let c = 0; c < kk; c++) {
      let m = Number.POSITIVE_INFINITY;
      for (let c2 = 0; c2 < kk; c2++) {
        if (c2 === c) continue;
        const s = sqDist(cents, c, cents, c2, d);
        if (s < m) m = s;
      }
      half[c] = 0.5 * Math.sqrt(m);
    }
    // The assignment pass also sums each cluster's rows (in row order, as `lloyd` does after it).
    sums.fill(0);
    sizes.fill(0);
    for (let i = 0; i < n; i++) {
      let li = labels[i] as number;
      let skip = false;
      if (!exact) {
        const bound = Math.max(half[li] as number, lower[i] as number);
        skip = (upper[i] as number) * (1 + SLACK) < bound;
        if (!skip) {
          // Tighten the upper bound to the exact distance, then test again.
          const u = Math.sqrt(sqDist(data, i, cents, li, d));
          upper[i] = u;
          skip = u * (1 + SLACK) < bound;
        }
      }
      if (!skip) {
        const bi = nearestTwo(data, i, d, cents, kk, two);
        dist2[i] = two[0] as number;
        upper[i] = Math.sqrt(two[0] as number);
        lower[i] = Math.sqrt(two[1] as number);
        if (li !== bi) {
          labels[i] = bi;
          li = bi;
          changed++;
        }
      }
      addToSums(data, i, d, li, sums, sizes);
    }
    if (changed === 0 || last) {
      converged = true;
      break;
    }
    old.set(cents);
    if (centresFromSums(d, kk, cents, sums, sizes)) {
      // Re-seed empty clusters exactly as `lloyd` does: from exact distances to the assigned centres.
      for (let i = 0; i < n; i++) dist2[i] = sqDist(data, i, old, labels[i] as number, d);
      reseedEmpty(data, n, d, kk, cents, sizes, dist2);
      exact = true;
      if (tolerance > 0 && shift(cents, old) <= tolerance) last = true;
      continue;
    }
    exact = false;
    if (tolerance > 0 && shift(cents, old) <= tolerance) last = true;
    let max1 = 0;
    let max2 = 0;
    let arg1 = -1;
    for (let c = 0; c < kk; c++) {
      const m = Math.sqrt(sqDist(cents, c, old, c, d));
      moved[c] = m;
      if (m > max1) {
        max2 = max1;
        max1 = m;
        arg1 = c;
      } else if (m > max2) max2 = m;
    }
    for (let i = 0; i < n; i++) {
      const li = labels[i] as number;
      upper[i] = (upper[i] as number) + (moved[li] as number);
      lower[i] = (lower[i] as number) - (li === arg1 ? max2 : max1);
    }
  }
  const inertia = finalDistances(data, n, d, cents, labels, dist2);
  return { k: kk, labels, centroids: cents, dist2, inertia, iterations, converged };
}

/** Pairwise Euclidean distances of the sampled rows (m × m, symmetric), computed once per data set. */
export function sampleDistances(data: Float64Array, d: number, sample: Int32Array): Float64Array {
  const m = sample.length;
  const out = new Float64Array(m * m);
  for (let x = 0; x < m; x++) {
    for (let y = x + 1; y < m; y++) {
      const v = Math.sqrt(sqDist(data, sample[x] as number, data, sample[y] as number, d));
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
