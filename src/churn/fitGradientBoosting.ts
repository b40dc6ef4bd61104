import { ValidationError } from '../_lib/errors';
import { createRng } from '../_lib/random';

/** Options of {@link fitGradientBoosting}. */
export interface GradientBoostingOptions {
  /** Number of trees. @default 100 */
  trees?: number;
  /** Shrinkage applied to every leaf value. @default 0.1 */
  learningRate?: number;
  /** Most leaves per tree (grown best-first, like LightGBM). @default 15 */
  maxLeaves?: number;
  /** Maximum depth of a tree. @default 6 */
  maxDepth?: number;
  /** Fewest training rows in a leaf. @default 20 */
  minSamplesLeaf?: number;
  /** L2 penalty on leaf values (XGBoost's λ). @default 1 */
  l2?: number;
  /** Histogram bins per feature (at most 255). @default 255 */
  maxBins?: number;
  /** Fraction of rows sampled (without replacement) for each tree. @default 0.8 */
  subsample?: number;
  /** Seed of the row sampling. @default 1 */
  seed?: number | string;
}

/**
 * One regression tree in flat arrays. Node 0 is the root; `feature[k] < 0` marks a leaf. A row goes
 * left when `x[feature] <= threshold`. `value` holds every node's (shrunken) Newton value, internal
 * nodes included, which is what path attribution needs.
 */
export interface FlatTree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
}

/** A fitted boosted ensemble: raw log-odds = `initScore + Σ tree leaf values`. */
export interface GradientBoostingFit {
  initScore: number;
  trees: FlatTree[];
}

const FN = 'fitGradientBoosting';

/**
 * Gradient-boosted decision trees for binary log loss, histogram-based (the design of LightGBM and
 * scikit-learn's `HistGradientBoostingClassifier`): each feature is cut into ≤ 255 quantile bins once,
 * each tree is grown best-first on per-bin sums of gradients and Hessians (the larger child's
 * histogram is the parent's minus the smaller child's), split gain
 * `G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ)`, leaf value `−η·G/(H+λ)`. Seeded row subsampling.
 *
 * Missing-data policy: every cell must be finite (encode first; `trainChurnModel` does).
 *
 * @param x row-major matrix `n × p`.
 * @param y labels 0/1.
 * @param p columns.
 * @param options see {@link GradientBoostingOptions}.
 * @returns the initial score and the trees.
 * @throws ValidationError on non-finite cells or labels other than 0/1.
 * @example
 * ```ts
 * const fit = fitGradientBoosting(x, y, 4, { trees: 50, seed: 7 });
 * fit.trees.length; // => 50
 * ```
 */
export function fitGradientBoosting(
  x: ArrayLike<number>,
  y: ArrayLike<number | boolean>,
  p: number,
  options: GradientBoostingOptions = {},
): GradientBoostingFit {
  const nTrees = options.trees ?? 100;
  const lr = options.learningRate ?? 0.1;
  const maxLeaves = Math.max(2, options.maxLeaves ?? 15);
  const maxDepth = options.maxDepth ?? 6;
  const minLeaf = Math.max(1, options.minSamplesLeaf ?? 20);
  const lambda = options.l2 ?? 1;
  const maxBins = Math.min(255, Math.max(2, options.maxBins ?? 255));
  const subsample = options.subsample ?? 0.8;
  const rng = createRng(options.seed ?? 1);
  const n = y.length;
  if (x.length !== n * p) {
    throw new ValidationError(FN, [
      { path: ['x'], code: 'invalid_length', message: `x has ${x.length} cells, expected ${n * p}` },
    ]);
  }
  const yy = new Float64Array(n);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const v = y[i];
    const yi = v === true ? 1 : v === false ? 0 : (v as number);
    if (yi !== 0 && yi !== 1) {
      throw new ValidationError(FN, [
        { index: i, path: ['y'], code: 'invalid_label', message: 'label must be 0 or 1' },
      ]);
    }
    yy[i] = yi;
    pos += yi;
  }
  for (let k = 0; k < x.length; k++) {
    if (!Number.isFinite(x[k] as number)) {
      throw new ValidationError(FN, [
        {
          index: Math.floor(k / p),
          path: ['x', k % p],
          code: 'not_finite',
          message: 'cell is not a finite number',
        },
      ]);
    }
  }
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, n > 0 ? pos / n : 0.5));
  const initScore = Math.log(rate / (1 - rate));

  // 1. Bin edges per feature (quantiles of a sample) and row-major bins.
  const edges: Float64Array[] = [];
  const sampleIdx: number[] = [];
  const sampleSize = Math.min(n, 50_000);
  for (let k = 0; k < sampleSize; k++) sampleIdx.push(n <= sampleSize ? k : Math.floor((k * n) / sampleSize));
  const col = new Float64Array(sampleSize);
  for (let f = 0; f < p; f++) {
    for (let k = 0; k < sampleSize; k++) col[k] = x[(sampleIdx[k] as number) * p + f] as number;
    col.sort();
    const uniq: number[] = [];
    for (let k = 0; k < sampleSize; k++) if (k === 0 || col[k] !== col[k - 1]) uniq.push(col[k] as number);
    const e: number[] = [];
    if (uniq.length <= maxBins) {
      for (let k = 0; k + 1 < uniq.length; k++) e.push(((uniq[k] as number) + (uniq[k + 1] as number)) / 2);
    } else {
      for (let b = 1; b < maxBins; b++) {
        const v = col[Math.floor((b * sampleSize) / maxBins)] as number;
        // Upper edge of bin b: rows with x <= v go left; ties of v stay together.
        if (e.length === 0 || v > (e[e.length - 1] as number)) e.push(v);
      }
    }
    edges.push(Float64Array.from(e));
  }
  const nb = new Int32Array(p);
  for (let f = 0; f < p; f++) nb[f] = (edges[f] as Float64Array).length + 1;
  const bins = new Uint8Array(n * p);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < p; f++) {
      const e = edges[f] as Float64Array;
      // First edge >= v: rows with x <= edge[b] have bin <= b.
      bins[i * p + f] = lowerBound(e, 0, e.length, x[i * p + f] as number);
    }
  }

  // 2. Boosting.
  const raw = new Float64Array(n).fill(initScore);
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const rows = new Uint32Array(n);
  // Histogram layout: feature f's bins start at featOff[f] (features with few bins take little room).
  const featOff = new Int32Array(p + 1);
  for (let f = 0; f < p; f++) featOff[f + 1] = (featOff[f] as number) + (nb[f] as number);
  const histLen = (featOff[p] as number) * 3;
  const trees: FlatTree[] = [];
  const sampleN = Math.max(1, Math.min(n, Math.round(subsample * n)));
  const perm = new Uint32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;

  interface Leaf {
    node: number;
    start: number;
    end: number;
    depth: number;
    G: number;
    H: number;
    hist: Float64Array; // [g, h, count] per bin, features at featOff
    bestGain: number;
    bestFeature: number;
    bestBin: number;
  }

  // Histograms are large (p × 256 × 3 doubles): recycle them instead of allocating per leaf.
  const pool: Float64Array[] = [];
  const buildHist = (start: number, end: number): Float64Array => {
    let hist = pool.pop();
    if (hist === undefined) hist = new Float64Array(histLen);
    else hist.fill(0);
    for (let k = start; k < end; k++) {
      const i = rows[k] as number;
      const gi = g[i] as number;
      const hi = h[i] as number;
      const off = i * p;
      for (let f = 0; f < p; f++) {
        const b = ((featOff[f] as number) + (bins[off + f] as number)) * 3;
        hist[b] = (hist[b] as number) + gi;
        hist[b + 1] = (hist[b + 1] as number) + hi;
        hist[b + 2] = (hist[b + 2] as number) + 1;
      }
    }
    return hist;
  };
  const findSplit = (leaf: Leaf): void => {
    leaf.bestGain = 0;
    leaf.bestFeature = -1;
    if (leaf.depth >= maxDepth || leaf.end - leaf.start < 2 * minLeaf) return;
    const parentScore = (leaf.G * leaf.G) / (leaf.H + lambda);
    const total = leaf.end - leaf.start;
    const hist = leaf.hist;
    for (let f = 0; f < p; f++) {
      let gl = 0;
      let hl = 0;
      let cl = 0;
      const bmax = (nb[f] as number) - 1;
      for (let b = 0; b < bmax; b++) {
        const o = ((featOff[f] as number) + b) * 3;
        gl += hist[o] as number;
        hl += hist[o + 1] as number;
        cl += hist[o + 2] as number;
        if (cl < minLeaf) continue;
        if (total - cl < minLeaf) break;
        const gr = leaf.G - gl;
        const hr = leaf.H - hl;
        if (hl < 1e-3 || hr < 1e-3) continue;
        const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parentScore;
        if (gain > leaf.bestGain + 1e-12) {
          leaf.bestGain = gain;
          leaf.bestFeature = f;
          leaf.bestBin = b;
        }
      }
    }
  };

  for (let t = 0; t < nTrees; t++) {
    for (let i = 0; i < n; i++) {
      const e = raw[i] as number;
      const pi = e >= 0 ? 1 / (1 + Math.exp(-e)) : Math.exp(e) / (1 + Math.exp(e));
      g[i] = pi - (yy[i] as number);
      h[i] = Math.max(pi * (1 - pi), 1e-16);
    }
    // Row sample: partial Fisher–Yates on a persistent permutation.
    for (let k = 0; k < sampleN && sampleN < n; k++) {
      const j = k + rng.int(n - k);
      const tmp = perm[k] as number;
      perm[k] = perm[j] as number;
      perm[j] = tmp;
    }
    rows.set(perm.subarray(0, sampleN));
    const feature: number[] = [-1];
    const threshold: number[] = [0];
    const left: number[] = [-1];
    const right: number[] = [-1];
    const value: number[] = [0];
    let G = 0;
    let H = 0;
    for (let k = 0; k < sampleN; k++) {
      G += g[rows[k] as number] as number;
      H += h[rows[k] as number] as number;
    }
    value[0] = (-lr * G) / (H + lambda);
    const root: Leaf = {
      node: 0,
      start: 0,
      end: sampleN,
      depth: 0,
      G,
      H,
      hist: buildHist(0, sampleN),
      bestGain: 0,
      bestFeature: -1,
      bestBin: 0,
    };
    findSplit(root);
    const open: Leaf[] = [root];
    let leaves = 1;
    while (leaves < maxLeaves) {
      let best = -1;
      for (let k = 0; k < open.length; k++) {
        const lf = open[k] as Leaf;
        if (lf.bestFeature >= 0 && (best < 0 || lf.bestGain > (open[best] as Leaf).bestGain)) best = k;
      }
      if (best < 0) break;
      const leaf = open[best] as Leaf;
      open.splice(best, 1);
      const f = leaf.bestFeature;
      const sb = leaf.bestBin;
      // Partition rows[start, end) so bins <= sb come first.
      let a = leaf.start;
      let b = leaf.end - 1;
      while (a <= b) {
        if ((bins[(rows[a] as number) * p + f] as number) <= sb) a++;
        else {
          const tmp = rows[a] as number;
          rows[a] = rows[b] as number;
          rows[b] = tmp;
          b--;
        }
      }
      const mid = a;
      let gl = 0;
      let hl = 0;
      for (let k = leaf.start; k < mid; k++) {
        gl += g[rows[k] as number] as number;
        hl += h[rows[k] as number] as number;
      }
      const leftSmaller = mid - leaf.start <= leaf.end - mid;
      const small = leftSmaller ? buildHist(leaf.start, mid) : buildHist(mid, leaf.end);
      const big = leaf.hist;
      for (let k = 0; k < big.length; k++) big[k] = (big[k] as number) - (small[k] as number);
      const li = feature.length;
      const ri = li + 1;
      feature[leaf.node] = f;
      threshold[leaf.node] = (edges[f] as Float64Array)[sb] as number;
      left[leaf.node] = li;
      right[leaf.node] = ri;
      feature.push(-1, -1);
      threshold.push(0, 0);
      left.push(-1, -1);
      right.push(-1, -1);
      value.push((-lr * gl) / (hl + lambda), (-lr * (leaf.G - gl)) / (leaf.H - hl + lambda));
      const lLeaf: Leaf = {
        node: li,
        start: leaf.start,
        end: mid,
        depth: leaf.depth + 1,
        G: gl,
        H: hl,
        hist: leftSmaller ? small : big,
        bestGain: 0,
        bestFeature: -1,
        bestBin: 0,
      };
      const rLeaf: Leaf = {
        node: ri,
        start: mid,
        end: leaf.end,
        depth: leaf.depth + 1,
        G: leaf.G - gl,
        H: leaf.H - hl,
        hist: leftSmaller ? big : small,
        bestGain: 0,
        bestFeature: -1,
        bestBin: 0,
      };
      findSplit(lLeaf);
      findSplit(rLeaf);
      open.push(lLeaf, rLeaf);
      leaves++;
    }
    for (const lf of open) pool.push(lf.hist);
    const tree: FlatTree = {
      feature: Int32Array.from(feature),
      threshold: Float64Array.from(threshold),
      left: Int32Array.from(left),
      right: Int32Array.from(right),
      value: Float64Array.from(value),
    };
    trees.push(tree);
    // Update raw scores of every training row (bins give the same routing as raw thresholds).
    const tf = tree.feature;
    const tl = tree.left;
    const tr = tree.right;
    const tv = tree.value;
    const splitBin = new Int32Array(tf.length);
    for (let k = 0; k < tf.length; k++) {
      const fk = tf[k] as number;
      if (fk >= 0) {
        // Recover the bin index of the threshold: the edge equal to it.
        const e = edges[fk] as Float64Array;
        splitBin[k] = lowerBound(e, 0, e.length, tree.threshold[k] as number);
      }
    }
    for (let i = 0; i < n; i++) {
      let node = 0;
      const off = i * p;
      while ((tf[node] as number) >= 0) {
        node =
          (bins[off + (tf[node] as number)] as number) <= (splitBin[node] as number)
            ? (tl[node] as number)
            : (tr[node] as number);
      }
      raw[i] = (raw[i] as number) + (tv[node] as number);
    }
  }
  return { initScore, trees };
}

/**
 * @internal Used by `ChurnModel`; not part of the public API.
 * Raw log-odds of one row (row-major `x`, offset `off`) and, when `contrib` is given, Saabas path
 * attribution: each split's change in node value is credited to the split feature. Returns the
 * raw score; `contrib` receives per-column sums so that `base + Σ contrib = raw`, where
 * `base = initScore + Σ root values` (see {@link ensembleBase}).
 */
export function scoreTrees(
  fit: GradientBoostingFit,
  x: ArrayLike<number>,
  off: number,
  contrib?: Float64Array,
): number {
  let s = fit.initScore;
  const trees = fit.trees;
  for (let t = 0; t < trees.length; t++) {
    const tree = trees[t] as FlatTree;
    const tf = tree.feature;
    const tv = tree.value;
    let node = 0;
    if (contrib === undefined) {
      while ((tf[node] as number) >= 0) {
        node =
          (x[off + (tf[node] as number)] as number) <= (tree.threshold[node] as number)
            ? (tree.left[node] as number)
            : (tree.right[node] as number);
      }
    } else {
      while ((tf[node] as number) >= 0) {
        const f = tf[node] as number;
        const next =
          (x[off + f] as number) <= (tree.threshold[node] as number)
            ? (tree.left[node] as number)
            : (tree.right[node] as number);
        contrib[f] = (contrib[f] as number) + (tv[next] as number) - (tv[node] as number);
        node = next;
      }
    }
    s += tv[node] as number;
  }
  return s;
}

/** @internal The raw score before any split: `initScore + Σ root values`. */
export function ensembleBase(fit: GradientBoostingFit): number {
  let s = fit.initScore;
  for (const t of fit.trees) s += t.value[0] as number;
  return s;
}

/** @internal All trees of an ensemble in shared typed arrays (absolute child indices), for fast scoring. */
export interface PackedEnsemble {
  initScore: number;
  /** True when every right child directly follows its left sibling (enables branch-free descent). */
  siblings: boolean;
  roots: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
}

/** @internal Packs an ensemble for {@link scorePacked}. */
export function packEnsemble(fit: GradientBoostingFit): PackedEnsemble {
  let total = 0;
  for (const t of fit.trees) total += t.feature.length;
  const out: PackedEnsemble = {
    initScore: fit.initScore,
    siblings: fit.trees.every((t) =>
      t.feature.every((f, j) => f < 0 || t.right[j] === (t.left[j] as number) + 1),
    ),
    roots: new Int32Array(fit.trees.length),
    feature: new Int32Array(total),
    threshold: new Float64Array(total),
    left: new Int32Array(total),
    right: new Int32Array(total),
    value: new Float64Array(total),
  };
  let off = 0;
  fit.trees.forEach((t, k) => {
    out.roots[k] = off;
    out.feature.set(t.feature, off);
    out.threshold.set(t.threshold, off);
    out.value.set(t.value, off);
    for (let j = 0; j < t.feature.length; j++) {
      out.left[off + j] = (t.left[j] as number) + off;
      out.right[off + j] = (t.right[j] as number) + off;
    }
    off += t.feature.length;
  });
  return out;
}

/** @internal Raw log-odds of one row of a row-major matrix (same result as {@link scoreTrees}, faster). */
export function scorePacked(e: PackedEnsemble, x: ArrayLike<number>, off: number): number {
  let s = e.initScore;
  const roots = e.roots;
  const feature = e.feature;
  const threshold = e.threshold;
  const left = e.left;
  const right = e.right;
  if (e.siblings) {
    // right = left + 1: descend without a data-dependent branch (fewer mispredictions).
    for (let t = 0; t < roots.length; t++) {
      let node = roots[t] as number;
      let f = feature[node] as number;
      while (f >= 0) {
        node = (left[node] as number) + ((x[off + f] as number) > (threshold[node] as number) ? 1 : 0);
        f = feature[node] as number;
      }
      s += e.value[node] as number;
    }
    return s;
  }
  for (let t = 0; t < roots.length; t++) {
    let node = roots[t] as number;
    let f = feature[node] as number;
    while (f >= 0) {
      node =
        (x[off + f] as number) <= (threshold[node] as number)
          ? (left[node] as number)
          : (right[node] as number);
      f = feature[node] as number;
    }
    s += e.value[node] as number;
  }
  return s;
}

/**
 * @internal Raw log-odds of `rows` consecutive rows of a row-major matrix into `out`, tree by tree
 * (each small tree stays in L1 cache while the rows stream past: ~30% faster than row by row).
 */
export function scorePackedBlock(
  e: PackedEnsemble,
  x: ArrayLike<number>,
  rows: number,
  d: number,
  out: Float64Array,
): void {
  out.fill(e.initScore, 0, rows);
  if (!e.siblings) {
    for (let i = 0; i < rows; i++) out[i] = scorePacked(e, x, i * d);
    return;
  }
  const roots = e.roots;
  const feature = e.feature;
  const threshold = e.threshold;
  const left = e.left;
  const value = e.value;
  for (let t = 0; t < roots.length; t++) {
    const root = roots[t] as number;
    for (let i = 0, off = 0; i < rows; i++, off += d) {
      let node = root;
      let f = feature[node] as number;
      while (f >= 0) {
        node = (left[node] as number) + ((x[off + f] as number) > (threshold[node] as number) ? 1 : 0);
        f = feature[node] as number;
      }
      out[i] = (out[i] as number) + (value[node] as number);
    }
  }
}

/**
 * @internal An ensemble routed on bin indices instead of raw values, for fast block scoring. Each
 * split column used by the trees gets a slot holding the sorted distinct thresholds of its splits
 * (`cuts`); a value `v` is binned as the number of cuts below it, so `v <= threshold` exactly when
 * `bin(v) <= rank(threshold)`: the same routing as the raw values, hence the same scores.
 */
export interface BinnedEnsemble {
  initScore: number;
  /** Encoded column of each slot. */
  columns: Int32Array;
  /** Cuts of slot `s`: `cuts[cutStart[s] .. cutStart[s + 1])`, ascending and distinct. */
  cutStart: Int32Array;
  cuts: Float64Array;
  /**
   * Search accelerator (see {@link binOf}): slot `s` splits `[first cut, last cut]` into
   * `GRID × cuts` equal cells, cell `g` starting the search at `grid[gridStart[s] + g]`;
   * `gridScale[s]` = cells / (last − first).
   */
  gridStart: Int32Array;
  gridScale: Float64Array;
  grid: Int32Array;
  roots: Int32Array;
  /** Longest root-to-leaf path of each tree. */
  depth: Int32Array;
  /**
   * One word per node: `left << 16 | slot << 8 | rank` (right child = left + 1). A leaf points to
   * itself with rank 255, above every bin, so a walk of `depth` steps from the root ends on a leaf.
   */
  node: Int32Array;
  value: Float64Array;
}

/** Most distinct thresholds per slot: bins are then 0..255, one byte, and rank 255 marks a leaf. */
const MAX_CUTS = 255;

/** Grid cells per cut of {@link BinnedEnsemble.grid}. */
const GRID = 8;

/**
 * @internal Bin of value `v` on slot `s`: the number of the slot's cuts below `v` (NaN: 0), i.e.
 * `lowerBound` over its cuts, found from a grid cell's start in a step or two instead of a binary
 * search (whose branches mispredict about every other step). Exact whatever the cell: the walk
 * moves down while the previous cut is >= v and up while the current one is < v.
 */
export function binOf(e: BinnedEnsemble, s: number, v: number): number {
  const lo = e.cutStart[s] as number;
  const hi = e.cutStart[s + 1] as number;
  const cuts = e.cuts;
  const first = cuts[lo] as number;
  if (!(v > first)) return 0;
  if (v > (cuts[hi - 1] as number)) return hi - lo;
  const cells = GRID * (hi - lo);
  const g = (v - first) * (e.gridScale[s] as number);
  let k = e.grid[(e.gridStart[s] as number) + (g < cells ? g | 0 : cells)] as number;
  while (k > lo && (cuts[k - 1] as number) >= v) k--;
  while (k < hi && (cuts[k] as number) < v) k++;
  return k - lo;
}

/** @internal Index of the first of `cuts[lo, hi)` that is >= v (NaN: `lo`, like the raw `v > t` test). */
export function lowerBound(cuts: Float64Array, lo: number, hi: number, v: number): number {
  const base = lo;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cuts[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo - base;
}

/**
 * @internal Builds the {@link BinnedEnsemble} of a packed ensemble, or returns `null` when the model
 * does not fit its compact layout (children not adjacent, > 256 split columns, > 255 distinct
 * thresholds on a column, >= 65,536 nodes); callers then score with {@link scorePackedBlock}.
 */
export function binEnsemble(e: PackedEnsemble): BinnedEnsemble | null {
  const total = e.feature.length;
  if (!e.siblings || total >= 65_536) return null;
  const byColumn = new Map<number, Set<number>>();
  for (let k = 0; k < total; k++) {
    const f = e.feature[k] as number;
    if (f < 0) continue;
    let s = byColumn.get(f);
    if (s === undefined) {
      s = new Set();
      byColumn.set(f, s);
    }
    s.add(e.threshold[k] as number);
  }
  const columns = Int32Array.from(Array.from(byColumn.keys()).sort((a, b) => a - b));
  if (columns.length > 256) return null;
  const slotOf = new Map<number, number>();
  const cutStart = new Int32Array(columns.length + 1);
  const cutLists: Float64Array[] = [];
  for (let s = 0; s < columns.length; s++) {
    const c = Float64Array.from(byColumn.get(columns[s] as number) as Set<number>).sort();
    if (c.length > MAX_CUTS) return null;
    slotOf.set(columns[s] as number, s);
    cutLists.push(c);
    cutStart[s + 1] = (cutStart[s] as number) + c.length;
  }
  const cuts = new Float64Array(cutStart[columns.length] as number);
  cutLists.forEach((c, s) => {
    cuts.set(c, cutStart[s] as number);
  });
  const gridStart = new Int32Array(columns.length + 1);
  for (let s = 0; s < columns.length; s++)
    gridStart[s + 1] = (gridStart[s] as number) + GRID * (cutLists[s] as Float64Array).length + 1;
  const grid = new Int32Array(gridStart[columns.length] as number);
  const gridScale = new Float64Array(columns.length);
  cutLists.forEach((c, s) => {
    const first = c[0] as number;
    const span = (c[c.length - 1] as number) - first;
    const cells = GRID * c.length;
    gridScale[s] = span > 0 ? cells / span : 0;
    const lo = cutStart[s] as number;
    for (let g = 0; g <= cells; g++)
      grid[(gridStart[s] as number) + g] = lo + lowerBound(c, 0, c.length, first + (g * span) / cells);
  });
  const node = new Int32Array(total);
  const level = new Int32Array(total);
  const depth = new Int32Array(e.roots.length);
  for (let t = 0; t < e.roots.length; t++) {
    const root = e.roots[t] as number;
    const end = t + 1 < e.roots.length ? (e.roots[t + 1] as number) : total;
    level[root] = 0;
    // Children point forward, so one pass in index order sees every parent before its children.
    for (let k = root + 1; k < end; k++) level[k] = -1;
    for (let k = root; k < end; k++) {
      const f = e.feature[k] as number;
      if (f < 0) {
        node[k] = (k << 16) | MAX_CUTS;
        if ((level[k] as number) > (depth[t] as number)) depth[t] = level[k] as number;
        continue;
      }
      const s = slotOf.get(f) as number;
      const l = e.left[k] as number;
      const from = cutStart[s] as number;
      const rank = lowerBound(cuts, from, cutStart[s + 1] as number, e.threshold[k] as number);
      node[k] = (l << 16) | (s << 8) | rank;
      const lv = (level[k] as number) + 1;
      if (lv > (level[l] as number)) level[l] = lv;
      if (lv > (level[l + 1] as number)) level[l + 1] = lv;
    }
  }
  return {
    initScore: e.initScore,
    columns,
    cutStart,
    cuts,
    gridStart,
    gridScale,
    grid,
    roots: e.roots,
    depth,
    node,
    value: e.value,
  };
}

/**
 * @internal Raw log-odds of `rows` consecutive binned rows (`bins`, row-major, one byte per slot)
 * into `out`. Same sums in the same order as {@link scorePackedBlock}; four rows walk each tree
 * together, a fixed number of steps, so their memory loads overlap and no branch depends on data:
 * `(rank − bin) >>> 31` is 1 exactly when `bin > rank` (a ternary would compile to a branch that
 * mispredicts about every other node; this is ~3× faster).
 */
export function scoreBinnedBlock(e: BinnedEnsemble, bins: Uint8Array, rows: number, out: Float64Array): void {
  out.fill(e.initScore, 0, rows);
  const w = e.columns.length;
  const roots = e.roots;
  const depth = e.depth;
  const node = e.node;
  const value = e.value;
  for (let t = 0; t < roots.length; t++) {
    const root = roots[t] as number;
    const steps = depth[t] as number;
    let i = 0;
    for (; i + 4 <= rows; i += 4) {
      const o0 = i * w;
      const o1 = o0 + w;
      const o2 = o1 + w;
      const o3 = o2 + w;
      let a = root;
      let b = root;
      let c = root;
      let d = root;
      for (let s = 0; s < steps; s++) {
        const qa = node[a] as number;
        const qb = node[b] as number;
        const qc = node[c] as number;
        const qd = node[d] as number;
        a = (qa >>> 16) + (((qa & 255) - (bins[o0 + ((qa >>> 8) & 255)] as number)) >>> 31);
        b = (qb >>> 16) + (((qb & 255) - (bins[o1 + ((qb >>> 8) & 255)] as number)) >>> 31);
        c = (qc >>> 16) + (((qc & 255) - (bins[o2 + ((qc >>> 8) & 255)] as number)) >>> 31);
        d = (qd >>> 16) + (((qd & 255) - (bins[o3 + ((qd >>> 8) & 255)] as number)) >>> 31);
      }
      out[i] = (out[i] as number) + (value[a] as number);
      out[i + 1] = (out[i + 1] as number) + (value[b] as number);
      out[i + 2] = (out[i + 2] as number) + (value[c] as number);
      out[i + 3] = (out[i + 3] as number) + (value[d] as number);
    }
    for (; i < rows; i++) {
      const o = i * w;
      let a = root;
      for (let s = 0; s < steps; s++) {
        const q = node[a] as number;
        a = (q >>> 16) + (((q & 255) - (bins[o + ((q >>> 8) & 255)] as number)) >>> 31);
      }
      out[i] = (out[i] as number) + (value[a] as number);
    }
  }
}
