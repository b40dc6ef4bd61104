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
  for (let i = 0; i < n; i++) closest[i] = sqDist(data, i, cents, 0, d);
  let pot = 0;
  for (let i = 0; i < n; i++) pot += closest[i] as number;
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
      const p = trialPotential(data, n, d, cents, b, closest, cand);
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
 * Potential with the candidate centre at `cents[b..b+d)` added: min(closest, distance to the candidate)
 * per row into `cand` (each sum stops once it reaches `closest`), and their total.
 */
function trialPotential(
  data: Float64Array,
  n: number,
  d: number,
  cents: Float64Array,
  b: number,
  closest: Float64Array,
  cand: Float64Array,
): number {
  let p = 0;
  for (let i = 0; i < n; i++) {
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
  return p;
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
      changed += assignRow(data, i, d, bi, labels, sums, sizes, full);
    }
    if (changed === 0 || last) {
      converged = true;
      break;
    }
    old.set(cents);
    if (centresFromSums(d, kk, cents, sums, sizes)) reseedEmpty(data, n, d, kk, cents, sizes, dist2);
    if (tolerance > 0 && shift(cents, old) <= tolerance) last = true;
  }
  const inertia = inertiaOf(data, n, d, cents, labels);
  return { k: kk, labels, centroids: cents, inertia, iterations, converged };
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
/** Bounds derived by subtraction are rounded outwards by the same margin. */
const UP = 1 + SLACK;
const DOWN = 1 - SLACK;

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

/**
 * Gives row `i` the label `bi`: the cluster sums follow the move (or, on a `full` pass that rebuilds
 * them, take the row). The one rule Lloyd and Hamerly share, so their sums stay bit-identical.
 * Returns 1 when the label changed.
 */
function assignRow(
  data: Float64Array,
  i: number,
  d: number,
  bi: number,
  labels: Int32Array,
  sums: Float64Array,
  sizes: Float64Array,
  full: boolean,
): number {
  const li = labels[i] as number;
  if (full) addToSums(data, i, d, bi, sums, sizes);
  if (li === bi) return 0;
  if (!full) moveRow(data, i, d, li, bi, sums, sizes);
  labels[i] = bi;
  return 1;
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

/** Σ of the squared distances of every row to its final centre (the inertia). */
function inertiaOf(
  data: Float64Array,
  n: number,
  d: number,
  cents: Float64Array,
  labels: Int32Array,
): number {
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += sqDist(data, i, cents, labels[i] as number, d);
  return inertia;
}

/**
 * Scratch buffers shared by the k-means runs of one call (bounds, distances), so fitting every k in
 * a range does not allocate megabytes per run. Contents are not preserved between runs.
 */
export class KmeansScratch {
  private readonly buffers = new Map<string, Float64Array>();

  /** A buffer of `size` values (uninitialised: whatever the last run left). */
  get(name: string, size: number): Float64Array {
    let b = this.buffers.get(name);
    if (b === undefined || b.length < size) {
      b = new Float64Array(size);
      this.buffers.set(name, b);
    }
    return b.length === size ? b : b.subarray(0, size);
  }
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
 * Where a first pass may start each row's scan: centre `map[labels[i]]` (e.g. the labels of a run with
 * other centres, mapped to the nearest new centre). Only speed depends on it, never the result.
 */
export interface StartGuess {
  labels: Int32Array;
  map: Int32Array;
}

/**
 * Hamerly's first pass (and the pass after a re-seed): every row's nearest centre and a lower bound on
 * its distance to the second nearest, skipping centre c when half its distance to the best so far
 * (`cc`, rounded down) exceeds the row's distance to that best (then c is strictly farther, and
 * 2·half − distance bounds it from below). Updates the cluster sums; returns how many labels changed.
 */
function hamerlyExactPass(
  data: Float64Array,
  n: number,
  d: number,
  cents: Float64Array,
  kk: number,
  cc: Float64Array,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  sums: Float64Array,
  sizes: Float64Array,
  full: boolean,
  guess: StartGuess | null,
): number {
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const a = i * d;
    // The scan starts at a guessed centre (a close one prunes more), else at 0; any order gives the
    // same answer: skipped centres are strictly farther, and ties still go to the lower index.
    let g = guess === null ? 0 : (guess.map[guess.labels[i] as number] as number);
    if (!(g >= 0 && g < kk)) g = 0;
    let bi = g;
    let bd = sqDist(data, i, cents, g, d);
    let u = Math.sqrt(bd);
    let second = Number.POSITIVE_INFINITY;
    for (let c = 0; c < kk; c++) {
      if (c === g) continue;
      const h = cc[bi * kk + c] as number;
      const uu = u * UP;
      if (uu < h) {
        // d(x, c) ≥ d(best, c) − d(x, best) ≥ 2h − u.
        const lb = (2 * h - uu) * DOWN;
        if (lb < second) second = lb;
        continue;
      }
      const b = c * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = (data[a + t] as number) - (cents[b + t] as number);
        s += diff * diff;
      }
      const r = Math.sqrt(s);
      if (s < bd || (s === bd && c < bi)) {
        if (u < second) second = u;
        bd = s;
        bi = c;
        u = r;
      } else if (r < second) second = r;
    }
    upper[i] = u;
    lower[i] = second;
    changed += assignRow(data, i, d, bi, labels, sums, sizes, full);
  }
  return changed;
}

/**
 * One Hamerly assignment pass (bounds first follow the last centre moves, `shiftBy`): a row whose upper bound is below both half the
 * distance from its centre to the nearest other centre and its lower bound keeps its label; others
 * tighten the upper bound, test again, then scan every centre. Updates the cluster sums; returns how
 * many labels changed.
 */
function hamerlyPass(
  data: Float64Array,
  n: number,
  d: number,
  cents: Float64Array,
  kk: number,
  half: Float64Array,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  sums: Float64Array,
  sizes: Float64Array,
  full: boolean,
  two: Float64Array,
  shiftBy: BoundShift,
): number {
  const { moved, arg1, max1, max2 } = shiftBy;
  let changed = 0;
  for (let i = 0; i < n; i++) {
    let li = labels[i] as number;
    // After the centres moved: the upper bound grows by its centre's move, the lower bound shrinks by
    // the largest move of any other centre.
    const up = (upper[i] as number) + (moved[li] as number);
    const lo = (lower[i] as number) - (li === arg1 ? max2 : max1);
    upper[i] = up;
    lower[i] = lo;
    const bound = Math.max(half[li] as number, lo);
    let skip = up * (1 + SLACK) < bound;
    if (!skip) {
      // Tighten the upper bound to the exact distance, then test again.
      const u = Math.sqrt(sqDist(data, i, cents, li, d));
      upper[i] = u;
      skip = u * (1 + SLACK) < bound;
    }
    if (!skip) {
      const bi = nearestTwo(data, i, d, cents, kk, two);
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
  return changed;
}

/** The last centre moves: each centre's move, and the largest (at `arg1`) and second largest. */
interface BoundShift {
  moved: Float64Array;
  arg1: number;
  max1: number;
  max2: number;
}

/**
 * k-means with Hamerly's bounds (Hamerly 2010) from the given seeds: the same partition, centres and
 * iteration count as {@link lloyd} (a row's bounds only let it skip the distance computations when
 * its label provably cannot change, with slack for rounding; every distance that is computed is
 * computed as `lloyd` computes it), at a fraction of the cost once few rows move. Per row: an upper
 * bound on the distance to its centre and a lower bound on the distance to any other; per centre,
 * half the distance to its nearest other centre. The first pass (and the one after a re-seed) prunes
 * with the centre-to-centre distances and starts each row's scan at `guess` when given; cluster sums
 * move with the rows that change cluster (see {@link fullSums}). Elkan's k bounds per row were
 * measured slower here at d = 10 and k 8–32.
 */
export function kmeansHamerly(
  data: Float64Array,
  n: number,
  d: number,
  seeds: Float64Array,
  maxIterations = 300,
  tolerance = 0,
  scratch = new KmeansScratch(),
  guess: StartGuess | null = null,
): KmeansRun {
  const cents = seeds.slice();
  const kk = cents.length / d;
  const labels = new Int32Array(n).fill(-1);
  const upper = scratch.get('upper', n);
  const lower = scratch.get('lower', n);
  const sums = new Float64Array(kk * d);
  const sizes = new Float64Array(kk);
  const old = new Float64Array(kk * d);
  const moved = new Float64Array(kk);
  const half = new Float64Array(kk);
  const cc = new Float64Array(kk * kk);
  const two = new Float64Array(2);
  const shiftBy: BoundShift = { moved, arg1: -1, max1: 0, max2: 0 };
  // First pass from the caller's guess; after a re-seed, from the current labels.
  const own: StartGuess = { labels, map: Int32Array.from({ length: kk }, (_, c) => c) };
  let start = guess;
  let iterations = 0;
  let converged = false;
  let exact = true; // every row's bounds must be recomputed (first pass, after a re-seed)
  let last = false;
  while (iterations < maxIterations) {
    iterations++;
    half.fill(Number.POSITIVE_INFINITY);
    for (let c = 0; c < kk; c++) {
      for (let c2 = c + 1; c2 < kk; c2++) {
        const h = 0.5 * Math.sqrt(sqDist(cents, c, cents, c2, d));
        cc[c * kk + c2] = h * DOWN;
        cc[c2 * kk + c] = h * DOWN;
        if (h < (half[c] as number)) half[c] = h;
        if (h < (half[c2] as number)) half[c2] = h;
      }
    }
    // The assignment pass also updates the cluster sums, as `lloyd` does.
    const full = fullSums(iterations);
    if (full) {
      sums.fill(0);
      sizes.fill(0);
    }
    const changed = exact
      ? hamerlyExactPass(data, n, d, cents, kk, cc, labels, upper, lower, sums, sizes, full, start)
      : hamerlyPass(data, n, d, cents, kk, half, labels, upper, lower, sums, sizes, full, two, shiftBy);
    if (changed === 0 || last) {
      converged = true;
      break;
    }
    old.set(cents);
    if (centresFromSums(d, kk, cents, sums, sizes)) {
      // Re-seed empty clusters exactly as `lloyd` does: from exact distances to the assigned centres.
      const dist2 = scratch.get('dist2', n);
      for (let i = 0; i < n; i++) dist2[i] = sqDist(data, i, old, labels[i] as number, d);
      reseedEmpty(data, n, d, kk, cents, sizes, dist2);
      exact = true;
      start = own;
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
    // The bounds follow the moves at the start of the next pass (one sweep over the rows, not two).
    shiftBy.moved = moved;
    shiftBy.arg1 = arg1;
    shiftBy.max1 = max1;
    shiftBy.max2 = max2;
  }
  const inertia = inertiaOf(data, n, d, cents, labels);
  return { k: kk, labels, centroids: cents, inertia, iterations, converged };
}

/**
 * Pairwise Euclidean distances of the sampled rows, computed once per data set: the strict upper
 * triangle, row by row (pair x < y at `x·m − x(x+1)/2 + y − x − 1`), m(m − 1)/2 values.
 */
export function sampleDistances(data: Float64Array, d: number, sample: Int32Array): Float64Array {
  const m = sample.length;
  // The sampled rows side by side first: the m² / 2 distances then read contiguous memory.
  const rows = new Float64Array(m * d);
  for (let x = 0; x < m; x++) {
    const i = sample[x] as number;
    rows.set(data.subarray(i * d, i * d + d), x * d);
  }
  const out = new Float64Array((m * (m - 1)) / 2);
  let p = 0;
  for (let x = 0; x < m; x++) {
    const a = x * d;
    for (let y = x + 1; y < m; y++) {
      const b = y * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = (rows[a + t] as number) - (rows[b + t] as number);
        s += diff * diff;
      }
      out[p++] = Math.sqrt(s);
    }
  }
  return out;
}

/**
 * Mean silhouette (Rousseeuw 1987) of the sampled rows under `labels`: s = (b − a) / max(a, b) with
 * a = mean distance to the other sampled members of its cluster, b = lowest mean distance to another
 * cluster's sampled members. Rows alone in their cluster within the sample score 0. `dists` is
 * {@link sampleDistances}' triangle.
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
  // sums[x·k + c] = Σ distances from x to the sampled members of c. Each pair is read once and added
  // to both rows; every row still receives its terms in ascending order of the other row.
  const sums = new Float64Array(m * k);
  let p = 0;
  for (let x = 0; x < m; x++) {
    const cx = lab[x] as number;
    const rx = x * k;
    for (let y = x + 1; y < m; y++) {
      const v = dists[p++] as number;
      const j = rx + (lab[y] as number);
      sums[j] = (sums[j] as number) + v;
      const q = y * k + cx;
      sums[q] = (sums[q] as number) + v;
    }
  }
  let total = 0;
  for (let x = 0; x < m; x++) {
    const own = lab[x] as number;
    const nOwn = (count[own] as number) - 1;
    if (nOwn <= 0) continue;
    const rx = x * k;
    const a = (sums[rx + own] as number) / nOwn;
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      if (c === own || (count[c] as number) === 0) continue;
      const v = (sums[rx + c] as number) / (count[c] as number);
      if (v < b) b = v;
    }
    if (!Number.isFinite(b)) continue;
    const mx = Math.max(a, b);
    total += mx > 0 ? (b - a) / mx : 0;
  }
  return m > 0 ? total / m : 0;
}
