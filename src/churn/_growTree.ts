/**
 * Growing one histogram tree, best-first (LightGBM's leaf-wise growth): per-bin sums of gradients,
 * Hessians and counts, built for the smaller child only (the larger child's histogram is the parent's
 * minus the smaller's). Private to the churn module.
 * @module
 */
import { instantiate, lazyModule, newMemory, WasmLayout } from '../_lib/wasm';
import { WASM_BASE64 } from './_hist.wasm';
import type { FlatTree } from './fitGradientBoosting';

/** The tree kernels (src/churn/_hist.wat), compiled on first use; null where wasm SIMD is unavailable. */
const histModule = lazyModule(WASM_BASE64, ['simd']);

/** Most bytes of wasm memory a fit may take for its kernel; beyond, the TypeScript path runs. */
const MAX_KERNEL_BYTES = 512 * 1024 * 1024;

/** An instance of the histogram kernel and where the fit's arrays sit in its memory (byte offsets). */
interface HistKernel {
  hist: (
    cols: number,
    n: number,
    p: number,
    featOff: number,
    rows: number,
    len: number,
    g: number,
    h: number,
    og: number,
    oh: number,
    out: number,
    outBytes: number,
  ) => void;
  sub: (big: number, small: number, count: number) => void;
  grad: (rows: number, m: number, raw: number, y: number, g: number, h: number) => void;
  add: (rows: number, start: number, end: number, raw: number, v: number) => void;
  partition: (col: number, rows: number, tmp: number, start: number, end: number, cut: number) => number;
  best: (
    hist: number,
    featOff: number,
    nb: number,
    p: number,
    G: number,
    H: number,
    lambda: number,
    parentScore: number,
    total: number,
    minLeaf: number,
    out: number,
  ) => void;
  buffer: ArrayBuffer;
  cols: number;
  featOff: number;
  nb: number;
  /** 16 bytes where `best` writes the gain (f64), feature and bin (i32). */
  out: number;
  outGain: Float64Array;
  outSplit: Int32Array;
}

/** Everything a tree is grown from; allocated once per ensemble. */
export interface GrowContext {
  n: number;
  p: number;
  /** Column-major bins (`p × n`). */
  cols: Uint8Array;
  /** Bins per feature and each feature's first histogram slot. */
  nb: Int32Array;
  featOff: Int32Array;
  edges: readonly Float64Array[];
  g: Float32Array;
  h: Float32Array;
  /** Raw scores (log-odds) and labels (0/1) of the rows, in the rows' (canonical) order. */
  raw: Float64Array;
  labels: Float64Array;
  /**
   * Row indices; `rows[0, sampleN)` are this tree's sample in ascending order, partitioned leaf by
   * leaf (stably: every leaf's rows stay ascending, so each column is read front to back).
   */
  rows: Uint32Array;
  /** Scratch for the stable partition. */
  tmp: Uint32Array;
  /** Gradients and Hessians in `rows` order for the leaf being histogrammed. */
  og: Float32Array;
  oh: Float32Array;
  pool: Float64Array[];
  histLen: number;
  lr: number;
  maxLeaves: number;
  maxDepth: number;
  minLeaf: number;
  lambda: number;
  /** The wasm kernel whose memory holds every array above and the pool, or null (TypeScript path). */
  kernel: HistKernel | null;
}

/** What {@link createGrowContext} needs besides the arrays it allocates. */
export interface GrowSetup {
  n: number;
  p: number;
  nb: Int32Array;
  featOff: Int32Array;
  edges: readonly Float64Array[];
  lr: number;
  maxLeaves: number;
  maxDepth: number;
  minLeaf: number;
  lambda: number;
  /** Use the wasm kernel when available (false: always the TypeScript path). @default true */
  wasm?: boolean;
}

/**
 * The growth context of one fit (`cols` to be filled by `binRows`). With the wasm kernel available
 * (and the fit's arrays fitting in {@link MAX_KERNEL_BYTES}), the bins, gradients, row lists and a
 * pool of histograms are views of one wasm memory created at its final size and laid out once (never
 * grown: see `newMemory`); else plain typed arrays. Both paths give bit-identical trees (the kernel
 * adds rows to each bin in the same order and computes gains with the same operations).
 */
export function createGrowContext(s: GrowSetup): GrowContext {
  const { n, p, featOff } = s;
  const histLen = (featOff[p] as number) * 3;
  const base = {
    n,
    p,
    nb: s.nb,
    featOff,
    edges: s.edges,
    histLen,
    lr: s.lr,
    maxLeaves: s.maxLeaves,
    maxDepth: s.maxDepth,
    minLeaf: s.minLeaf,
    lambda: s.lambda,
  };
  // No rows: the TypeScript path (a tree still takes a sample of one row, which is not there).
  const module = s.wasm === false || n === 0 ? null : histModule();
  if (module !== null) {
    // Histograms alive at once: at most one per open leaf, plus a split's parent and smaller child.
    const slots = Math.min(s.maxLeaves, 2 ** Math.min(s.maxDepth, 20)) + 2;
    const lay = new WasmLayout(16);
    const colsAt = lay.take(n * p);
    const featAt = lay.take(4 * p);
    const nbAt = lay.take(4 * p);
    const outAt = lay.take(16);
    const gAt = lay.take(4 * n);
    const hAt = lay.take(4 * n);
    const rawAt = lay.take(8 * n);
    const labelsAt = lay.take(8 * n);
    const rowsAt = lay.take(4 * n);
    const tmpAt = lay.take(4 * n);
    const ogAt = lay.take(4 * n);
    const ohAt = lay.take(4 * n);
    const histAt: number[] = [];
    for (let k = 0; k < slots; k++) histAt.push(lay.take(8 * histLen));
    const memory = lay.size <= MAX_KERNEL_BYTES ? newMemory(lay.size) : null;
    const instance = memory === null ? null : instantiate(module, { env: { memory } });
    if (memory !== null && instance !== null) {
      const buf = memory.buffer;
      const cols = new Uint8Array(buf, colsAt, n * p);
      const fo = new Int32Array(buf, featAt, p);
      for (let f = 0; f < p; f++) fo[f] = (featOff[f] as number) * 24;
      new Int32Array(buf, nbAt, p).set(s.nb.subarray(0, p));
      return {
        ...base,
        cols,
        g: new Float32Array(buf, gAt, n),
        h: new Float32Array(buf, hAt, n),
        raw: new Float64Array(buf, rawAt, n),
        labels: new Float64Array(buf, labelsAt, n),
        rows: new Uint32Array(buf, rowsAt, n),
        tmp: new Uint32Array(buf, tmpAt, n),
        og: new Float32Array(buf, ogAt, n),
        oh: new Float32Array(buf, ohAt, n),
        pool: histAt.map((at) => new Float64Array(buf, at, histLen)),
        kernel: {
          hist: instance.exports.hist as HistKernel['hist'],
          sub: instance.exports.sub as HistKernel['sub'],
          grad: instance.exports.grad as HistKernel['grad'],
          add: instance.exports.add as HistKernel['add'],
          partition: instance.exports.partition as HistKernel['partition'],
          best: instance.exports.best as HistKernel['best'],
          buffer: buf,
          cols: colsAt,
          featOff: featAt,
          nb: nbAt,
          out: outAt,
          outGain: new Float64Array(buf, outAt, 1),
          outSplit: new Int32Array(buf, outAt + 8, 2),
        },
      };
    }
  }
  return {
    ...base,
    cols: new Uint8Array(n * p),
    g: new Float32Array(n),
    h: new Float32Array(n),
    raw: new Float64Array(n),
    labels: new Float64Array(n),
    rows: new Uint32Array(n),
    tmp: new Uint32Array(n),
    og: new Float32Array(n),
    oh: new Float32Array(n),
    pool: [],
    kernel: null,
  };
}

/** A leaf during growth: its rows `rows[start, end)`, sums, histogram and best split. */
export interface OpenLeaf {
  node: number;
  start: number;
  end: number;
  depth: number;
  G: number;
  H: number;
  /** Null when the leaf will not be split (too deep, too small, or the tree is complete). */
  hist: Float64Array | null;
  bestGain: number;
  bestFeature: number;
  bestBin: number;
}

/**
 * Adds one row (gradient `gk`, Hessian `hk`, count 1) to histogram slot `b`. Tiny and monomorphic, so
 * V8 inlines it into the sweeps below (no call or allocation per row).
 */
function addRow(hist: Float64Array, b: number, gk: number, hk: number): void {
  hist[b] = (hist[b] as number) + gk;
  hist[b + 1] = (hist[b + 1] as number) + hk;
  hist[b + 2] = (hist[b + 2] as number) + 1;
}

/** Histogram (`[g, h, count]` per bin, features at `featOff`) of `rows[start, end)`. */
function buildHist(c: GrowContext, start: number, end: number): Float64Array {
  let hist = c.pool.pop();
  const k = c.kernel;
  if (k !== null && hist !== undefined && hist.buffer === k.buffer) {
    const { rows, g, h, og, oh } = c;
    k.hist(
      k.cols,
      c.n,
      c.p,
      k.featOff,
      rows.byteOffset + 4 * start,
      end - start,
      g.byteOffset,
      h.byteOffset,
      og.byteOffset,
      oh.byteOffset,
      hist.byteOffset,
      hist.byteLength,
    );
    return hist;
  }
  if (hist === undefined) hist = new Float64Array(c.histLen);
  else hist.fill(0);
  const { rows, g, h, og, oh, cols, n, p, featOff } = c;
  const len = end - start;
  for (let k = 0; k < len; k++) {
    const i = rows[start + k] as number;
    og[k] = g[i] as number;
    oh[k] = h[i] as number;
  }
  // Four features and two rows per step (the row indices and gradients are loaded once for several
  // histogram updates, and two rows' updates overlap).
  let f = 0;
  for (; f + 4 <= p; f += 4) {
    const base = f * n;
    const o0 = (featOff[f] as number) * 3;
    const o1 = (featOff[f + 1] as number) * 3;
    const o2 = (featOff[f + 2] as number) * 3;
    const o3 = (featOff[f + 3] as number) * 3;
    let k = 0;
    for (; k + 2 <= len; k += 2) {
      const i = base + (rows[start + k] as number);
      const j = base + (rows[start + k + 1] as number);
      const gi = og[k] as number;
      const hi = oh[k] as number;
      const gj = og[k + 1] as number;
      const hj = oh[k + 1] as number;
      addRow(hist, o0 + (cols[i] as number) * 3, gi, hi);
      addRow(hist, o1 + (cols[i + n] as number) * 3, gi, hi);
      addRow(hist, o2 + (cols[i + 2 * n] as number) * 3, gi, hi);
      addRow(hist, o3 + (cols[i + 3 * n] as number) * 3, gi, hi);
      addRow(hist, o0 + (cols[j] as number) * 3, gj, hj);
      addRow(hist, o1 + (cols[j + n] as number) * 3, gj, hj);
      addRow(hist, o2 + (cols[j + 2 * n] as number) * 3, gj, hj);
      addRow(hist, o3 + (cols[j + 3 * n] as number) * 3, gj, hj);
    }
    if (k < len) {
      const i = base + (rows[start + k] as number);
      const gi = og[k] as number;
      const hi = oh[k] as number;
      addRow(hist, o0 + (cols[i] as number) * 3, gi, hi);
      addRow(hist, o1 + (cols[i + n] as number) * 3, gi, hi);
      addRow(hist, o2 + (cols[i + 2 * n] as number) * 3, gi, hi);
      addRow(hist, o3 + (cols[i + 3 * n] as number) * 3, gi, hi);
    }
  }
  for (; f < p; f++) {
    const base = f * n;
    const o = (featOff[f] as number) * 3;
    for (let k = 0; k < len; k++) {
      addRow(
        hist,
        o + (cols[base + (rows[start + k] as number)] as number) * 3,
        og[k] as number,
        oh[k] as number,
      );
    }
  }
  return hist;
}

/** Best split of a leaf by gain `G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ)` (none when no gain > 0). */
function findSplit(c: GrowContext, leaf: OpenLeaf): void {
  leaf.bestGain = 0;
  leaf.bestFeature = -1;
  const { minLeaf, lambda, nb, featOff, p } = c;
  const hist = leaf.hist;
  if (hist === null || leaf.depth >= c.maxDepth || leaf.end - leaf.start < 2 * minLeaf) return;
  const parentScore = (leaf.G * leaf.G) / (leaf.H + lambda);
  const total = leaf.end - leaf.start;
  const k = c.kernel;
  if (k !== null && hist.buffer === k.buffer) {
    k.best(hist.byteOffset, k.featOff, k.nb, p, leaf.G, leaf.H, lambda, parentScore, total, minLeaf, k.out);
    leaf.bestGain = k.outGain[0] as number;
    leaf.bestFeature = k.outSplit[0] as number;
    leaf.bestBin = k.outSplit[1] as number;
    return;
  }
  for (let f = 0; f < p; f++) {
    let gl = 0;
    let hl = 0;
    let cl = 0;
    const bmax = (nb[f] as number) - 1;
    const o0 = (featOff[f] as number) * 3;
    for (let b = 0; b < bmax; b++) {
      const o = o0 + b * 3;
      const cb = hist[o + 2] as number;
      if (cb === 0) continue;
      gl += hist[o] as number;
      hl += hist[o + 1] as number;
      cl += cb;
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
}

/**
 * Moves the rows `rows[start, end)` whose bin of feature `f` is <= `bin` to the front, keeping both
 * sides in order; returns the boundary. Used for the leaves being split and for routing the rows
 * outside the sample down a grown tree.
 */
export function partitionRows(c: GrowContext, f: number, bin: number, start: number, end: number): number {
  const { rows, cols, n, tmp } = c;
  const k = c.kernel;
  if (k !== null) return k.partition(k.cols + f * n, rows.byteOffset, tmp.byteOffset, start, end, bin);
  const base = f * n;
  let a = start;
  let r = 0;
  // Branch-free (the side of a row is as unpredictable as the split is balanced): each row is
  // written to both sides, and only the side it belongs to advances.
  for (let q = start; q < end; q++) {
    const i = rows[q] as number;
    const right = +((cols[base + i] as number) > bin);
    rows[a] = i;
    tmp[r] = i;
    a += 1 - right;
    r += right;
  }
  rows.set(tmp.subarray(0, r), a);
  return a;
}

/** Adds `v` to the raw score of the rows `rows[start, end)` (a leaf's value to its rows). */
export function addToRows(c: GrowContext, start: number, end: number, v: number): void {
  const { rows, raw } = c;
  const k = c.kernel;
  if (k !== null) {
    k.add(rows.byteOffset, start, end, raw.byteOffset, v);
    return;
  }
  for (let q = start; q < end; q++) {
    const i = rows[q] as number;
    raw[i] = (raw[i] as number) + v;
  }
}

/** Node arrays of a tree under construction (`bin`: split bin of each internal node). */
interface TreeBuilder {
  feature: number[];
  threshold: number[];
  bin: number[];
  left: number[];
  right: number[];
  value: number[];
}

/** Appends a leaf node (value `−lr·G/(H+λ)`) to `t` and opens it with its best split found. */
function openLeaf(
  c: GrowContext,
  t: TreeBuilder,
  depth: number,
  start: number,
  end: number,
  G: number,
  H: number,
  hist: Float64Array | null,
): OpenLeaf {
  const node = t.feature.length;
  t.feature.push(-1);
  t.threshold.push(0);
  t.bin.push(0);
  t.left.push(-1);
  t.right.push(-1);
  t.value.push((-c.lr * G) / (H + c.lambda));
  const leaf: OpenLeaf = { node, start, end, depth, G, H, hist, bestGain: 0, bestFeature: -1, bestBin: 0 };
  findSplit(c, leaf);
  return leaf;
}

/**
 * Splits `leaf`: partitions its rows, builds the smaller child's histogram, subtracts for the other.
 * Children that will never be split (too deep or too small, or `last`: this split completes the
 * tree) get no histogram: none is built when neither needs one, and no subtraction when only the
 * smaller does.
 */
function split(c: GrowContext, t: TreeBuilder, leaf: OpenLeaf, last: boolean): [OpenLeaf, OpenLeaf] {
  const f = leaf.bestFeature;
  const parent = leaf.hist as Float64Array;
  const mid = partitionRows(c, f, leaf.bestBin, leaf.start, leaf.end);
  // Left sums from the histogram: bins 0..split bin of the split feature.
  let gl = 0;
  let hl = 0;
  const o0 = (c.featOff[f] as number) * 3;
  for (let b = 0; b <= leaf.bestBin; b++) {
    gl += parent[o0 + b * 3] as number;
    hl += parent[o0 + b * 3 + 1] as number;
  }
  const leftSmaller = mid - leaf.start <= leaf.end - mid;
  const splittable = (rows: number): boolean => !last && leaf.depth + 1 < c.maxDepth && rows >= 2 * c.minLeaf;
  const smallNeeded = splittable(leftSmaller ? mid - leaf.start : leaf.end - mid);
  const bigNeeded = splittable(leftSmaller ? leaf.end - mid : mid - leaf.start);
  let small: Float64Array | null = null;
  let big: Float64Array | null = null;
  if (smallNeeded || bigNeeded)
    small = leftSmaller ? buildHist(c, leaf.start, mid) : buildHist(c, mid, leaf.end);
  if (bigNeeded) {
    big = parent;
    const sm = small as Float64Array;
    const k = c.kernel;
    if (k !== null && big.buffer === k.buffer && sm.buffer === k.buffer)
      k.sub(big.byteOffset, sm.byteOffset, big.length);
    else for (let q = 0; q < big.length; q++) big[q] = (big[q] as number) - (sm[q] as number);
  } else c.pool.push(parent);
  if (!smallNeeded && small !== null) {
    c.pool.push(small);
    small = null;
  }
  t.feature[leaf.node] = f;
  t.threshold[leaf.node] = (c.edges[f] as Float64Array)[leaf.bestBin] as number;
  t.bin[leaf.node] = leaf.bestBin;
  t.left[leaf.node] = t.feature.length;
  t.right[leaf.node] = t.feature.length + 1;
  const d = leaf.depth + 1;
  const l = openLeaf(c, t, d, leaf.start, mid, gl, hl, leftSmaller ? small : big);
  const r = openLeaf(c, t, d, mid, leaf.end, leaf.G - gl, leaf.H - hl, leftSmaller ? big : small);
  return [l, r];
}

/**
 * Grows one tree on `rows[0, sampleN)`, best gain first, up to `maxLeaves` leaves. Returns the tree,
 * the split bin of every node, and its leaves (each with its rows' range) for the score update.
 */
export function growTree(
  c: GrowContext,
  sampleN: number,
): { tree: FlatTree; bins: Int32Array; leaves: OpenLeaf[] } {
  let G = 0;
  let H = 0;
  for (let k = 0; k < sampleN; k++) {
    G += c.g[c.rows[k] as number] as number;
    H += c.h[c.rows[k] as number] as number;
  }
  const t: TreeBuilder = { feature: [], threshold: [], bin: [], left: [], right: [], value: [] };
  const root = openLeaf(c, t, 0, 0, sampleN, G, H, buildHist(c, 0, sampleN));
  const open: OpenLeaf[] = [root];
  for (let leaves = 1; leaves < c.maxLeaves; leaves++) {
    let best = -1;
    for (let k = 0; k < open.length; k++) {
      const lf = open[k] as OpenLeaf;
      if (lf.bestFeature >= 0 && (best < 0 || lf.bestGain > (open[best] as OpenLeaf).bestGain)) best = k;
    }
    if (best < 0) break;
    const leaf = open[best] as OpenLeaf;
    open.splice(best, 1);
    open.push(...split(c, t, leaf, leaves + 1 === c.maxLeaves));
  }
  for (const lf of open) if (lf.hist !== null) c.pool.push(lf.hist);
  const tree: FlatTree = {
    feature: Int32Array.from(t.feature),
    threshold: Float64Array.from(t.threshold),
    left: Int32Array.from(t.left),
    right: Int32Array.from(t.right),
    value: Float64Array.from(t.value),
  };
  return { tree, bins: Int32Array.from(t.bin), leaves: open };
}
