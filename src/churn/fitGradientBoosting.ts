import { ValidationError } from '../_lib/errors';
import { createRng } from '../_lib/random';
import { lowerBound } from '../_lib/search';

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
      bins[i * p + f] = lowerBound(e, x[i * p + f] as number);
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
        splitBin[k] = lowerBound(e, tree.threshold[k] as number);
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

export { ensembleBase, scoreTrees } from './_treeScoring';
