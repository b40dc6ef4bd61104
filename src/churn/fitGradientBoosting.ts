import { checkOptions, optionError, ValidationError } from '../_lib/errors';
import { createRng } from '../_lib/random';
import { showValue } from '../_lib/safe';
import { requireNumbers } from './_args';
import { binEdges, binRows, canonicalOrder } from './_boostData';
import { expNeg } from './_design';
import { addToRows, createGrowContext, type GrowContext, growTree, partitionRows } from './_growTree';

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
const OPTION_KEYS = [
  'trees',
  'learningRate',
  'maxLeaves',
  'maxDepth',
  'minSamplesLeaf',
  'l2',
  'maxBins',
  'subsample',
  'seed',
] as const;
/** Most columns: `p` sizes per-feature arrays before any row is read (with no rows any `p` fits). */
export const MAX_BOOSTING_COLUMNS = 100_000;

/** A numeric option in `[min, max]` (an integer when `integer`), or its default. */
function numberOption(
  options: GradientBoostingOptions,
  key: keyof GradientBoostingOptions,
  fallback: number,
  min: number,
  max: number,
  integer: boolean,
): number {
  const v = options[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v)) || v < min || v > max)
    throw optionError(
      FN,
      key,
      `must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got ${showValue(v)}`,
      'out_of_range',
    );
  return v;
}

/**
 * Gradient-boosted decision trees for binary log loss, histogram-based (the design of LightGBM and
 * scikit-learn's `HistGradientBoostingClassifier`): each feature is cut into ≤ 255 quantile bins once,
 * each tree is grown best-first on per-bin sums of gradients and Hessians (the larger child's
 * histogram is the parent's minus the smaller child's), split gain
 * `G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ)`, leaf value `−η·G/(H+λ)`. Seeded row subsampling.
 *
 * Determinism: the rows are first put in a canonical order (by a hash of their cells and label), so
 * the same rows in any order give the same ensemble for a seed; a different seed gives another
 * (equally valid) sample of rows per tree.
 *
 * Speed: bins are one byte per cell, column-major (each feature's column is walked in leaf order,
 * for histograms and for partitioning rows); gradients and Hessians are `Float32Array`s (sums in
 * double); only the smaller child of a split is histogrammed. Where WebAssembly with SIMD is
 * available, histograms, their subtraction and row partitions run in a small wasm kernel
 * (src/churn/_hist.wat) that gives bit-identical trees; elsewhere the same steps run in TypeScript.
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
  checkOptions(FN, options, OPTION_KEYS);
  requireNumbers(FN, 'x', x);
  requireNumbers(FN, 'y', y, true);
  if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > MAX_BOOSTING_COLUMNS)
    throw new ValidationError(FN, [
      {
        path: ['p'],
        code: 'invalid_value',
        message: `p must be an integer from 0 to ${MAX_BOOSTING_COLUMNS}, got ${showValue(p)}`,
      },
    ]);
  const params = readParams(options);
  const n = y.length;
  const { xx, yy } = readInputs(x, y, p, n);
  return fitInOrder(xx, yy, p, canonicalOrder(xx, yy, n, p), params);
}

/**
 * {@link fitGradientBoosting} on the rows `order` of a matrix already checked (finite cells, labels 0
 * or 1), `order` being their canonical order (`canonicalOrder` of the whole matrix restricted to them:
 * rows equal in every cell and label are interchangeable, so this trains the same trees as
 * `fitGradientBoosting` on those rows gathered). For trainChurnModel's calibration split: no copy of
 * the training rows, no second canonical order.
 * @internal
 */
export function fitGradientBoostingInOrder(
  x: Float64Array,
  y: ArrayLike<number>,
  p: number,
  order: Uint32Array,
  options: GradientBoostingOptions = {},
): GradientBoostingFit {
  checkOptions(FN, options, OPTION_KEYS);
  return fitInOrder(x, y, p, order, readParams(options));
}

/** The numeric options and seed of a fit. */
interface BoostParams {
  nTrees: number;
  lr: number;
  maxLeaves: number;
  maxDepth: number;
  minLeaf: number;
  lambda: number;
  maxBins: number;
  subsample: number;
  seed: number | string;
}

/** Checks the numeric options and the seed; returns them with their defaults. */
function readParams(options: GradientBoostingOptions): BoostParams {
  const opts = options ?? {};
  const nTrees = numberOption(opts, 'trees', 100, 0, 100_000, true);
  const lr = numberOption(opts, 'learningRate', 0.1, 0, 10, false);
  const maxLeaves = numberOption(opts, 'maxLeaves', 15, 2, 65_536, true);
  const maxDepth = numberOption(opts, 'maxDepth', 6, 1, 64, true);
  const minLeaf = numberOption(opts, 'minSamplesLeaf', 20, 1, Number.MAX_SAFE_INTEGER, true);
  const lambda = numberOption(opts, 'l2', 1, 0, 1e12, false);
  const maxBins = numberOption(opts, 'maxBins', 255, 2, 255, true);
  const subsample = numberOption(opts, 'subsample', 0.8, Number.MIN_VALUE, 1, false);
  const seed = opts.seed ?? 1;
  if (typeof seed !== 'string' && (typeof seed !== 'number' || !Number.isFinite(seed)))
    throw optionError(FN, 'seed', `must be a finite number or a string, got ${showValue(seed)}`);
  return { nTrees, lr, maxLeaves, maxDepth, minLeaf, lambda, maxBins, subsample, seed };
}

/** The fit on rows `order` (canonical order) of `x` (`p` columns). */
function fitInOrder(
  x: Float64Array,
  y: ArrayLike<number>,
  p: number,
  order: Uint32Array,
  params: BoostParams,
): GradientBoostingFit {
  const n = order.length;
  let pos = 0;
  for (let k = 0; k < n; k++) pos += y[order[k] as number] as number;
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, n > 0 ? pos / n : 0.5));
  const initScore = Math.log(rate / (1 - rate));
  const edges = binEdges(x, order, p, params.maxBins);
  const nb = Int32Array.from(edges, (e) => e.length + 1);
  const featOff = new Int32Array(p + 1);
  for (let f = 0; f < p; f++) featOff[f + 1] = (featOff[f] as number) + (nb[f] as number);
  const ctx = createGrowContext({
    n,
    p,
    nb,
    featOff,
    edges,
    lr: params.lr,
    maxLeaves: params.maxLeaves,
    maxDepth: params.maxDepth,
    minLeaf: params.minLeaf,
    lambda: params.lambda,
  });
  binRows(x, order, p, edges, ctx.cols);
  for (let k = 0; k < n; k++) ctx.labels[k] = y[order[k] as number] as number;
  const trees = boost(ctx, initScore, params.nTrees, params.subsample, params.seed);
  return { initScore, trees };
}

/** Checks the inputs; returns them as typed arrays. */
function readInputs(
  x: ArrayLike<number>,
  y: ArrayLike<number | boolean>,
  p: number,
  n: number,
): { xx: Float64Array; yy: Float64Array } {
  if (x.length !== n * p) {
    throw new ValidationError(FN, [
      { path: ['x'], code: 'invalid_length', message: `x has ${x.length} cells, expected ${n * p}` },
    ]);
  }
  const yy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = y[i];
    const yi = v === true ? 1 : v === false ? 0 : (v as number);
    if (yi !== 0 && yi !== 1) {
      throw new ValidationError(FN, [
        { index: i, path: ['y'], code: 'invalid_label', message: 'label must be 0 or 1' },
      ]);
    }
    yy[i] = yi;
  }
  const xx = x instanceof Float64Array ? x : Float64Array.from(x);
  for (let k = 0; k < xx.length; k++) {
    const v = xx[k] as number;
    if (v - v !== 0) {
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
  return { xx, yy };
}

/** The boosting loop: gradients, a row sample, one tree, the score update; `nTrees` times. */
function boost(
  ctx: GrowContext,
  initScore: number,
  nTrees: number,
  subsample: number,
  seed: number | string,
): FlatTree[] {
  const { n, g, h, rows, raw, labels, kernel } = ctx;
  const rng = createRng(seed);
  raw.fill(initScore);
  const sampleN = Math.max(1, Math.min(n, Math.round(subsample * n)));
  const perm = new Uint32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  const chosen = new Uint8Array(n);
  const rest = new Uint32Array(n + 1);
  const trees: FlatTree[] = [];
  for (let t = 0; t < nTrees; t++) {
    // Row sample: partial Fisher–Yates on a persistent permutation.
    for (let k = 0; k < sampleN && sampleN < n; k++) {
      const j = k + rng.int(n - k);
      const tmp = perm[k] as number;
      perm[k] = perm[j] as number;
      perm[j] = tmp;
    }
    // The sample in ascending row order (then the other rows), so columns are read front to back.
    chosen.fill(0);
    for (let k = 0; k < sampleN; k++) chosen[perm[k] as number] = 1;
    // Branch-free (a random 80/20 choice mispredicts): each row is written to both sides, and only
    // the side it belongs to advances.
    let a = 0;
    let b = 0;
    for (let i = 0; i < n; i++) {
      const c = chosen[i] as number;
      rows[a] = i;
      rest[b] = i;
      a += c;
      b += 1 - c;
    }
    if (b > 0) rows.set(rest.subarray(0, b), sampleN);
    // Gradients and Hessians of the sampled rows (the only ones a tree reads). exp by fdlibm's method
    // in both paths (expNeg, bit-equal to V8's Math.exp), so that they agree on every engine.
    if (kernel !== null)
      kernel.grad(rows.byteOffset, sampleN, raw.byteOffset, labels.byteOffset, g.byteOffset, h.byteOffset);
    else
      for (let k = 0; k < sampleN; k++) {
        const i = rows[k] as number;
        const e = raw[i] as number;
        const z = expNeg(-Math.abs(e));
        const pi = e >= 0 ? 1 / (1 + z) : z / (1 + z);
        g[i] = pi - (labels[i] as number);
        h[i] = Math.max(pi * (1 - pi), 1e-16);
      }
    const grown = growTree(ctx, sampleN);
    trees.push(grown.tree);
    // Sampled rows: add their leaf's value by range; the others are routed down the tree on bins.
    const value = grown.tree.value;
    for (const leaf of grown.leaves) addToRows(ctx, leaf.start, leaf.end, value[leaf.node] as number);
    routeRest(ctx, grown.tree, grown.bins, sampleN);
  }
  return trees;
}

/**
 * Adds each unsampled row's leaf value (`rows[sampleN, n)`) to `ctx.raw`: those rows are
 * partitioned node by node as the tree's splits partitioned the sample (children come after their
 * parent in node order), on the column-major bins (each split reads one column, which stays in
 * cache), then each leaf's range gets its value.
 */
function routeRest(ctx: GrowContext, tree: FlatTree, splitBins: Int32Array, sampleN: number): void {
  const { feature, left, value } = tree;
  const m = feature.length;
  const start = new Int32Array(m);
  const end = new Int32Array(m);
  start[0] = sampleN;
  end[0] = ctx.n;
  for (let j = 0; j < m; j++) {
    const s = start[j] as number;
    const e = end[j] as number;
    const f = feature[j] as number;
    if (f >= 0) {
      const mid = s < e ? partitionRows(ctx, f, splitBins[j] as number, s, e) : s;
      const l = left[j] as number;
      start[l] = s;
      end[l] = mid;
      start[l + 1] = mid;
      end[l + 1] = e;
    } else if (s < e) addToRows(ctx, s, e, value[j] as number);
  }
}

export { ensembleBase, scoreTrees } from './_treeScoring';
