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

/** Local trials of greedy k-means++ for the `j`-th centre: 2 + ⌊ln j⌋ (scikit-learn's count for k = j). */
function trialsFor(j: number): number {
  return 2 + Math.floor(Math.log(j));
}

/**
 * Greedy k-means++ (Arthur & Vassilvitskii 2007; each centre is the best of 2 + ⌊ln j⌋ local trials by
 * potential, j the number of centres once it is added, as scikit-learn uses for k = j): returns initial
 * centroids (k' × d, k' ≤ k when fewer distinct rows exist). The seeds are nested: the first j centres
 * for any k ≥ j are the seeds for j from the same stream, so one call seeds a whole range of k.
 */
export function kmeansPlusPlus(data: Float64Array, n: number, d: number, k: number, rng: Rng): Float64Array {
  const cents = new Float64Array(k * d);
  const first = rng.int(n);
  cents.set(data.subarray(first * d, first * d + d), 0);
  let closest = new Float64Array(n);
  let pot = 0;
  for (let i = 0; i < n; i++) {
    const v = sqDist(data, i, cents, 0, d);
    closest[i] = v;
    pot += v;
  }
  let cand = new Float64Array(n);
  let best = new Float64Array(n);
  let c = 1;
  for (; c < k; c++) {
    if (!(pot > 0)) break;
    const trials = trialsFor(c + 1);
    let bestPot = Number.POSITIVE_INFINITY;
    let bestIdx = -1;
    const b = c * d;
    for (let t = 0; t < trials; t++) {
      const idx = weightedPick(closest, pot, rng);
      cents.set(data.subarray(idx * d, idx * d + d), b);
      let p = 0;
      for (let i = 0; i < n; i++) {
        // min(closest, distance to the candidate), stopping the sum once it reaches `closest`.
        const cl = closest[i] as number;
        const a = i * d;
        let v = 0;
        for (let j = 0; j < d && v < cl; j++) {
          const diff = (data[a + j] as number) - (cents[b + j] as number);
          v += diff * diff;
        }
        const m = v < cl ? v : cl;
        cand[i] = m;
        p += m;
      }
      if (p < bestPot) {
        bestPot = p;
        bestIdx = idx;
        const tmp = best;
        best = cand;
        cand = tmp;
      }
    }
    cents.set(data.subarray(bestIdx * d, bestIdx * d + d), b);
    const tmp = closest;
    closest = best;
    best = tmp;
    pot = bestPot;
  }
  return c === k ? cents : cents.slice(0, c * d);
}

/**
 * Plain Lloyd iterations from the given seeds (k × d, e.g. {@link kmeansPlusPlus}): the reference
 * {@link kmeans} must agree with. Empty
 * clusters are re-seeded with the row farthest from its centroid. Stops when no label changes, or
 * (with `tolerance` > 0, scikit-learn's rule) one assignment pass after the centres moved by at most
 * `tolerance` in total squared distance, or after `maxIterations`.
 */
export function lloyd(
  data: Float64Array,
  n: number,
  d: number,
  seeds: Float64Array,
  maxIterations = 300,
  tolerance = 0,
): KmeansRun {
  const cents = seeds.slice();
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
    const full = fullSums(iterations);
    if (full) {
      sums.fill(0);
      sizes.fill(0);
    }
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
      const li = labels[i] as number;
      if (li !== bi) {
        if (!full) moveRow(data, i, d, li, bi, sums, sizes);
        labels[i] = bi;
        changed++;
      }
      if (full) addToSums(data, i, d, bi, sums, sizes);
    }
    if (changed === 0 || last) {
      converged = true;
      break;
    }
    old.set(cents);
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

/** Every this many iterations (from the first) the cluster sums are recomputed from all rows. */
const REFRESH = 16;

/**
 * Whether iteration `it` (1-based) recomputes the cluster sums from every row; in between, only the
 * rows that change cluster move their values from one sum to the other (in row order). `lloyd` and the
 * bounded versions follow the same schedule, so their sums, hence centres, are bit-identical.
 */
function fullSums(it: number): boolean {
  return (it - 1) % REFRESH === 0;
}

/** Moves row `i` from the sums and size of cluster `from` to those of `to`. */
function moveRow(
  data: Float64Array,
  i: number,
  d: number,
  from: number,
  to: number,
  sums: Float64Array,
  sizes: Float64Array,
): void {
  sizes[from] = (sizes[from] as number) - 1;
  sizes[to] = (sizes[to] as number) + 1;
  const a = i * d;
  const f = from * d;
  const b = to * d;
  for (let t = 0; t < d; t++) {
    const x = data[a + t] as number;
    sums[f + t] = (sums[f + t] as number) - x;
    sums[b + t] = (sums[b + t] as number) + x;
  }
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
 * k-means with Hamerly's bounds (Hamerly 2010) from the given seeds: the same partition, centres and
 * iteration count as {@link lloyd} (a row's bounds only let it skip the distance computations when
 * its label provably cannot change, with slack for rounding; every distance that is computed is
 * computed as `lloyd` computes it), at a fraction of the cost once few rows move. Per row: an upper
 * bound on the distance to its centre and a lower bound on the distance to any other; per centre,
 * half the distance to its nearest other centre.
 */
export function kmeansHamerly(
  data: Float64Array,
  n: number,
  d: number,
  seeds: Float64Array,
  maxIterations = 300,
  tolerance = 0,
): KmeansRun {
  const cents = seeds.slice();
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
    // The assignment pass also updates the cluster sums, as `lloyd` does.
    const full = fullSums(iterations);
    if (full) {
      sums.fill(0);
      sizes.fill(0);
    }
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
          if (!full) moveRow(data, i, d, li, bi, sums, sizes);
          labels[i] = bi;
          li = bi;
          changed++;
        }
      }
      if (full) addToSums(data, i, d, li, sums, sizes);
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

/** Bounds are rounded outwards by this relative margin, far above the rounding of any distance. */
const UP = 1 + SLACK;
const DOWN = 1 - SLACK;

/** Largest k run with Elkan's bounds (n × k lower bounds); Hamerly's single bound above it. */
export const ELKAN_MAX_K = 24;

/**
 * k-means with Elkan's bounds (Elkan 2003) from the given seeds: the same partition, centres and
 * iteration count as {@link lloyd}. Per row an upper bound on the distance to its centre and a lower
 * bound on the distance to every centre; per pair of centres half their distance. A centre is skipped
 * for a row only when a bound proves it strictly farther than the row's centre (bounds are rounded
 * outwards by 1e-9 relative, far above the rounding of a distance), and every distance that is
 * computed is computed as `lloyd` computes it, so ties still go to the lower index. With few clusters
 * splitting a dense group (k above the natural number), most rows have one close competitor, and
 * Elkan recomputes only that distance where Hamerly's single lower bound recomputes all k.
 */
export function kmeansElkan(
  data: Float64Array,
  n: number,
  d: number,
  seeds: Float64Array,
  maxIterations = 300,
  tolerance = 0,
): KmeansRun {
  const cents = seeds.slice();
  const kk = cents.length / d;
  const labels = new Int32Array(n).fill(-1);
  const dist2 = new Float64Array(n);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n * kk);
  const sums = new Float64Array(kk * d);
  const sizes = new Float64Array(kk);
  const old = new Float64Array(kk * d);
  const moved = new Float64Array(kk);
  // Lower bounds are stored as distance + drift[c] (how far centre c has moved in total since the
  // start) and read as stored − drift[c], so no pass over the n × k bounds follows each move;
  // driftUp rounds the drift up by the margin so a read bound stays below the true distance.
  const drift = new Float64Array(kk);
  const driftUp = new Float64Array(kk);
  const cc = new Float64Array(kk * kk); // half the distance between two centres, rounded down
  const half = new Float64Array(kk); // half the distance to the nearest other centre, rounded down
  let iterations = 0;
  let converged = false;
  let exact = true; // bounds must be recomputed for every row (first pass, after a re-seed)
  let last = false;
  while (iterations < maxIterations) {
    iterations++;
    half.fill(Number.POSITIVE_INFINITY);
    for (let c = 0; c < kk; c++) {
      for (let c2 = c + 1; c2 < kk; c2++) {
        const h = 0.5 * Math.sqrt(sqDist(cents, c, cents, c2, d)) * DOWN;
        cc[c * kk + c2] = h;
        cc[c2 * kk + c] = h;
        if (h < (half[c] as number)) half[c] = h;
        if (h < (half[c2] as number)) half[c2] = h;
      }
    }
    const full = fullSums(iterations);
    if (full) {
      sums.fill(0);
      sizes.fill(0);
    }
    const changed = exact
      ? elkanExactPass(data, n, d, cents, kk, cc, drift, labels, upper, lower, sums, sizes, full)
      : elkanPass(data, n, d, cents, kk, cc, half, drift, driftUp, labels, upper, lower, sums, sizes, full);
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
    for (let c = 0; c < kk; c++) {
      const m = Math.sqrt(sqDist(cents, c, old, c, d)) * UP;
      moved[c] = m;
      drift[c] = (drift[c] as number) + m;
      driftUp[c] = (drift[c] as number) * UP;
    }
    for (let i = 0; i < n; i++) upper[i] = (upper[i] as number) + (moved[labels[i] as number] as number);
  }
  const inertia = finalDistances(data, n, d, cents, labels, dist2);
  return { k: kk, labels, centroids: cents, dist2, inertia, iterations, converged };
}

/**
 * Elkan's first pass: every row's nearest centre, skipping centre c when half its distance to the
 * best so far exceeds the row's distance to that best (then c is strictly farther); sets the bounds
 * and sums each cluster's rows. Returns the number of rows whose label changed.
 */
function elkanExactPass(
  data: Float64Array,
  n: number,
  d: number,
  cents: Float64Array,
  kk: number,
  cc: Float64Array,
  drift: Float64Array,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  sums: Float64Array,
  sizes: Float64Array,
  full: boolean,
): number {
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const a = i * d;
    const lo = i * kk;
    let bi = 0;
    let bd = sqDist(data, i, cents, 0, d);
    let u = Math.sqrt(bd);
    lower[lo] = u * DOWN + (drift[0] as number);
    u *= UP;
    for (let c = 1; c < kk; c++) {
      const h = cc[bi * kk + c] as number;
      if (u < h) {
        // d(x, c) ≥ d(best, c) − d(x, best) ≥ 2h − u.
        lower[lo + c] = (2 * h - u) * DOWN + (drift[c] as number);
        continue;
      }
      const b = c * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = (data[a + t] as number) - (cents[b + t] as number);
        s += diff * diff;
      }
      const r = Math.sqrt(s);
      lower[lo + c] = r * DOWN + (drift[c] as number);
      if (s < bd) {
        bd = s;
        bi = c;
        u = r * UP;
      }
    }
    upper[i] = u;
    const li = labels[i] as number;
    if (li !== bi) {
      if (!full) moveRow(data, i, d, li, bi, sums, sizes);
      labels[i] = bi;
      changed++;
    }
    if (full) addToSums(data, i, d, bi, sums, sizes);
  }
  return changed;
}

/** One Elkan assignment pass with valid bounds (see {@link kmeansElkan}); sums each cluster's rows. */
function elkanPass(
  data: Float64Array,
  n: number,
  d: number,
  cents: Float64Array,
  kk: number,
  cc: Float64Array,
  half: Float64Array,
  drift: Float64Array,
  driftUp: Float64Array,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  sums: Float64Array,
  sizes: Float64Array,
  full: boolean,
): number {
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const a0 = labels[i] as number;
    let bi = a0;
    let u = upper[i] as number;
    if (u >= (half[a0] as number)) {
      const a = i * d;
      const lo = i * kk;
      let tight = false;
      let bd = 0;
      for (let c = 0; c < kk; c++) {
        if (c === bi) continue;
        const lc = (lower[lo + c] as number) - (driftUp[c] as number);
        const h = cc[bi * kk + c] as number;
        if (u < lc || u < h) continue;
        if (!tight) {
          bd = sqDist(data, i, cents, bi, d);
          const r0 = Math.sqrt(bd);
          lower[lo + bi] = r0 * DOWN + (drift[bi] as number);
          u = r0 * UP;
          tight = true;
          if (u < lc || u < h) continue;
        }
        const b = c * d;
        let s = 0;
        for (let t = 0; t < d; t++) {
          const diff = (data[a + t] as number) - (cents[b + t] as number);
          s += diff * diff;
        }
        const r = Math.sqrt(s);
        lower[lo + c] = r * DOWN + (drift[c] as number);
        // Ties go to the lower index, as in `lloyd`.
        if (s < bd || (s === bd && c < bi)) {
          bd = s;
          bi = c;
          u = r * UP;
        }
      }
      upper[i] = u;
      if (bi !== a0) {
        if (!full) moveRow(data, i, d, a0, bi, sums, sizes);
        labels[i] = bi;
        changed++;
      }
    }
    if (full) addToSums(data, i, d, bi, sums, sizes);
  }
  return changed;
}

/**
 * k-means from the given seeds with the same partition, centres and iterations as {@link lloyd}:
 * Elkan's bounds up to {@link ELKAN_MAX_K} clusters, Hamerly's above.
 */
export function kmeans(
  data: Float64Array,
  n: number,
  d: number,
  seeds: Float64Array,
  maxIterations = 300,
  tolerance = 0,
): KmeansRun {
  const k = seeds.length / d;
  return k <= ELKAN_MAX_K
    ? kmeansElkan(data, n, d, seeds, maxIterations, tolerance)
    : kmeansHamerly(data, n, d, seeds, maxIterations, tolerance);
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
