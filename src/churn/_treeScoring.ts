/**
 * Scoring boosted trees: by raw values (with path attribution), packed into shared typed arrays, and
 * routed on bins (the fast path of `ChurnModel.predictProbabilities`). Private to the churn module.
 * @module
 */
import { lowerBound } from '../_lib/search';
import type { FlatTree, GradientBoostingFit } from './fitGradientBoosting';

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
 * @internal Raw log-odds of the rows `idx` of a row-major matrix `x` (`d` columns), in that order:
 * the same values as {@link scoreTrees} row by row, computed by {@link scoreBinnedBlock} on the
 * rows binned at the ensemble's cuts (or, when it has no binned layout, {@link scorePackedBlock} on
 * gathered rows): branch-free descent, each tree hot in cache.
 */
export function scoreRowsAt(
  fit: GradientBoostingFit,
  x: Float64Array,
  d: number,
  idx: readonly number[],
): Float64Array {
  const packed = packEnsemble(fit);
  const out = new Float64Array(idx.length);
  const BLOCK = 256;
  const scores = new Float64Array(BLOCK);
  const binned = binEnsemble(packed);
  if (binned !== null) {
    // Rows binned on the ensemble's own cuts, then routed four at a time on one-byte bins.
    const w = binned.columns.length;
    const bins = new Uint8Array(BLOCK * w);
    for (let s = 0; s < idx.length; s += BLOCK) {
      const m = Math.min(BLOCK, idx.length - s);
      for (let k = 0; k < m; k++) {
        const at = (idx[s + k] as number) * d;
        for (let c = 0; c < w; c++)
          bins[k * w + c] = binOf(binned, c, x[at + (binned.columns[c] as number)] as number);
      }
      scoreBinnedBlock(binned, bins, m, scores);
      out.set(scores.subarray(0, m), s);
    }
    return out;
  }
  const block = new Float64Array(BLOCK * d);
  for (let s = 0; s < idx.length; s += BLOCK) {
    const m = Math.min(BLOCK, idx.length - s);
    for (let k = 0; k < m; k++) {
      const at = (idx[s + k] as number) * d;
      block.set(x.subarray(at, at + d), k * d);
    }
    scorePackedBlock(packed, block, m, d, scores);
    out.set(scores.subarray(0, m), s);
  }
  return out;
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
      grid[(gridStart[s] as number) + g] = lo + lowerBound(c, first + (g * span) / cells);
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
      const rank = lowerBound(cuts, e.threshold[k] as number, from, cutStart[s + 1] as number) - from;
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
