/**
 * The design matrix of the logistic fit, dense (row-major `Float64Array`) or sparse (compressed rows,
 * for one-hot heavy data), with the two kernels Newton's method needs. Private to the churn module.
 * @module
 */

import { choleskySolve } from '../_lib/cholesky';
import { instantiate, lazyModule, newMemory, WasmLayout } from '../_lib/wasm';
import { WASM_BASE64 as COLUMNS_BASE64 } from './_columns.wasm';
import { WASM_BASE64 } from './_logistic.wasm';
import { WASM_BASE64 as NEWTON_BASE64 } from './_newton.wasm';

/** The dense kernels in WebAssembly (f64x2 SIMD), compiled once per process on first use. */
const logisticModule = lazyModule(WASM_BASE64, ['simd']);
/** The encoder's column sweeps (a module of their own: each stays under 4 KB), on the same memory. */
const columnsModule = lazyModule(COLUMNS_BASE64, ['simd']);
/** Newton's small linear algebra (Cholesky solve, BFGS update) on the same memory. */
const newtonModule = lazyModule(NEWTON_BASE64);

/**
 * Kernels of a design matrix `X` (`n × p`, no intercept column). The design holds the labels, the
 * row weights and the probabilities of the last sweep.
 */
export interface Design {
  readonly n: number;
  readonly p: number;
  /** σ(ηᵢ) of the last {@link Design.pass}. */
  readonly prob: Float64Array;
  /**
   * One sweep at parameters `b` (`p` coefficients then the intercept): writes σ(ηᵢ) into `prob` and
   * the gradient `Xᵀw(σ − y) + λβ` (intercept gradient at `grad[p]`) into `grad`; returns the
   * penalised objective `Σ wᵢ·logloss + (λ/2)‖β‖²`.
   */
  pass(b: Float64Array, l2: number, grad: Float64Array): number;
  /**
   * `XᵀHX` with the intercept as column `p` (when `m = p + 1`), `Hᵢ = wᵢσᵢ(1 − σᵢ)`, from every
   * `stride`-th row scaled by `stride`; the full symmetric `m × m` matrix into `out`.
   */
  hessian(stride: number, m: number, out: Float64Array): void;
  /**
   * Solves `h·out = g` (`h` symmetric `m × m`) by Cholesky: `choleskySolve` of src/_lib/cholesky.ts, or
   * the same operations as a WebAssembly kernel. False, `out` untouched, when `h` is not positive definite.
   */
  solve(h: Float64Array, g: Float64Array, out: Float64Array, m: number): boolean;
  /** {@link bfgsUpdate} of `h` (`m × m`), in TypeScript or as the same operations in WebAssembly. */
  update(
    h: Float64Array,
    s: Float64Array,
    g: Float64Array,
    gPrev: Float64Array,
    m: number,
    work: Float64Array,
  ): void;
}

/**
 * Dense when at least this share of the cells is non-zero. The sparse Hessian costs ~(share·p)²/2
 * scattered updates per row against p²/2 tiled multiply-adds, each about 6× dearer (measured on a
 * 7,000 × 84 table at share 0.48: sparse 20 ms, dense 15 ms), so the two break even near 0.4.
 */
const DENSE_SHARE = 0.4;

/** Rows per block of the dense Hessian (the kernels' `zt` holds 64 values per column). */
const BLOCK = 64;

/** Rows per block of a dense sweep in TypeScript (linear predictors, then losses, then gradient). */
const PASS_ROWS = 128;

/**
 * Picks the dense or the sparse layout by the share of non-zero cells (`nnz`: their count when the
 * caller already has it, e.g. from its finiteness check). `y`, `w`: the labels and row weights (kept
 * by the TypeScript kernels, copied by the WebAssembly ones). The dense kernels run in WebAssembly where
 * it is available (`wasmSwitch` in src/_lib/wasm.ts forces the TypeScript ones: same results); when
 * `x` is the matrix of `arena` ({@link designArena}), they use it where it is, without a copy.
 */
export function makeDesign(
  x: ArrayLike<number>,
  n: number,
  p: number,
  y: Float64Array,
  w: Float64Array,
  nnz = countNonZero(x),
  arena: DesignArena | null = null,
): Design {
  if (nnz >= DENSE_SHARE * n * p) {
    let k: DenseKernels | null = null;
    if (arena !== null && arena.matrix === x && arena.n === n && arena.p === p) k = arenaKernels(arena, y, w);
    else {
      const fresh = designArena(n, p);
      if (fresh !== null) {
        fresh.matrix.set(x);
        k = arenaKernels(fresh, y, w);
      }
    }
    return new DenseDesign(k ?? tsKernels(x, n, p, y, w), n, p);
  }
  return new SparseDesign(x, n, p, nnz, y, w);
}

/** Number of non-zero cells. */
export function countNonZero(x: ArrayLike<number>): number {
  let nnz = 0;
  for (let k = 0; k < x.length; k++) if ((x[k] as number) !== 0) nnz++;
  return nnz;
}

function addPenalty(b: Float64Array, p: number, l2: number, grad: Float64Array): number {
  let pen = 0;
  for (let a = 0; a < p; a++) {
    const v = b[a] as number;
    pen += v * v;
    grad[a] = (grad[a] as number) + l2 * v;
  }
  return 0.5 * l2 * pen;
}

/**
 * The arithmetic of a dense design, in WebAssembly (src/churn/_logistic.wat) or in TypeScript
 * ({@link tsKernels}), both in the same order so that fits are bit-identical: a row's linear
 * predictor sums even and odd columns apart (`((Σ even [+ last column of an odd p]) + Σ odd) + b₀`,
 * the two lanes of f64x2), σ and the log-loss come from fdlibm's exp and log1p methods written out
 * in both ({@link expNeg}, {@link log1pUnit}; the kernel runs them for two rows at once, one per lane,
 * their branches as selects), the gradient adds rows four at a time (`g + ((r₀x₀ +
 * r₁x₁) + (r₂x₂ + r₃x₃))`), and each Hessian cell of a 64-row block adds `(Σ even rows) + (Σ odd
 * rows)`.
 */
interface DenseKernels {
  /** σ(ηᵢ) of the last sweep (in the kernels' memory for WebAssembly). */
  readonly prob: Float64Array;
  /** The last Hessian (`m × m`, upper triangle). */
  readonly out: Float64Array;
  /**
   * One sweep at coefficients `b[0, p)` and intercept `b[p]`: σ into `prob`, `Σ rᵢxᵢ` into
   * `grad[0, p)` and `Σ rᵢ` into `grad[p]` (`rᵢ = wᵢ(σᵢ − yᵢ)`); returns `Σ wᵢ·logloss`.
   */
  pass(b: Float64Array, grad: Float64Array): number;
  /** `out` = Σ zᵢzᵢᵀ over rows `k·stride`, `k < count` (see the .wat). */
  hessian(stride: number, count: number, m: number): void;
  /** See {@link Design.solve}. */
  solve(h: Float64Array, g: Float64Array, out: Float64Array, m: number): boolean;
  /** See {@link Design.update}. */
  update(
    h: Float64Array,
    s: Float64Array,
    g: Float64Array,
    gPrev: Float64Array,
    m: number,
    work: Float64Array,
  ): void;
}

/** The dense fit's kernels: `pass` and `hess` (_logistic.wat), `chol` and `bfgs` (_newton.wat). */
interface DenseExports {
  pass: (
    x: number,
    p: number,
    n: number,
    b: number,
    b0: number,
    y: number,
    w: number,
    prob: number,
    g: number,
  ) => number;
  hess: (
    x: number,
    p: number,
    stride: number,
    count: number,
    prob: number,
    w: number,
    m: number,
    zt: number,
    out: number,
  ) => void;
  chol: (a: number, m: number, l: number, b: number, out: number) => number;
  bfgs: (h: number, s: number, g: number, gPrev: number, m: number, work: number) => void;
}

/** The encoder's column sweeps (_columns.wat). */
interface ColumnExports {
  colstats: (x: number, n: number, d: number, cnt: number, sum: number, mx: number) => void;
  sumsq: (x: number, n: number, d: number, mean: number, sq: number) => void;
  scale: (x: number, n: number, d: number, inv: number) => number;
}

/**
 * A WebAssembly memory holding an `n × p` matrix (`matrix`, a view to fill) and room for everything
 * else a dense fit needs, so a caller that builds the matrix there (the feature encoder) spares the fit
 * a copy, with the column sweeps' instance on it. The dense fit's instances (`dense`) are made on first
 * use ({@link denseExports}): a fit that turns out sparse never compiles those modules. Never grown
 * after creation (growth would detach `matrix`).
 */
export interface DesignArena {
  readonly n: number;
  readonly p: number;
  readonly matrix: Float64Array;
  readonly memory: WebAssembly.Memory;
  readonly cols: ColumnExports;
  /** The dense kernels on `memory`: `undefined` until {@link denseExports} first runs, null if unavailable. */
  dense: DenseExports | null | undefined;
  readonly at: Readonly<
    Record<'x' | 'y' | 'w' | 'prob' | 'b' | 'g' | 'zt' | 'out' | 'cols' | 'l' | 'v' | 'q', number>
  >;
}

/** A {@link DesignArena} for `n × p`, or null when WebAssembly (with SIMD) or the memory is unavailable. */
export function designArena(n: number, p: number): DesignArena | null {
  const columns = columnsModule();
  if (columns === null) return null;
  const m = p + 1;
  const lay = new WasmLayout(16);
  const at = {
    x: lay.take(n * p * 8),
    y: lay.take(n * 8),
    w: lay.take(n * 8),
    prob: lay.take(n * 8),
    b: lay.take(p * 8),
    g: lay.take((p + 1) * 8),
    zt: lay.take(m * BLOCK * 8),
    out: lay.take(m * m * 8),
    cols: lay.take(3 * p * 8),
    l: lay.take((m * m + m) * 8),
    v: lay.take(m * 8),
    q: lay.take(3 * m * 8),
  };
  // Offsets are unsigned i32 in the kernels.
  if (lay.size >= 2 ** 32) return null;
  const memory = newMemory(lay.size);
  if (memory === null) return null;
  const sweeps = instantiate(columns, { env: { memory } });
  if (sweeps === null) return null;
  const cols = sweeps.exports as unknown as ColumnExports;
  return { n, p, matrix: new Float64Array(memory.buffer, at.x, n * p), memory, cols, dense: undefined, at };
}

/**
 * The dense fit's kernels on `arena`'s memory, instantiated on the first call (the logistic and the
 * Newton modules compile then, once per process); null when either is unavailable (the fit then runs
 * the TypeScript kernels: same results).
 */
export function denseExports(arena: DesignArena): DenseExports | null {
  if (arena.dense === undefined) {
    arena.dense = null;
    const module = logisticModule();
    const newton = newtonModule();
    if (module === null || newton === null) return null;
    const env = { env: { memory: arena.memory } };
    const instance = instantiate(module, env);
    const solver = instantiate(newton, env);
    if (instance !== null && solver !== null)
      arena.dense = { ...instance.exports, ...solver.exports } as unknown as DenseExports;
  }
  return arena.dense;
}

/**
 * Cold start: V8 first runs a WebAssembly function as baseline code and compiles it optimised in the
 * background once it has run enough, but a call already running stays in the baseline code (no
 * on-stack replacement), so the first sweep and the first Hessian of a large fit ran entirely in the
 * baseline tier (~2× slower: ~8 ms instead of ~4 for 80,000 × 40). This runs every kernel enough on a
 * small 64 × 40 arena (~0.5 ms) for V8 to start optimising them; `primeLogistic` calls it before
 * `trainChurnModel` reads its rows, so they are optimised by the time the fit starts. No result
 * depends on it (the same kernels in either tier).
 */
export function primeDenseKernels(): void {
  const n = 64;
  const p = 40;
  const arena = designArena(n, p);
  const ex = arena === null ? null : denseExports(arena);
  if (arena === null || ex === null) return;
  const { cols, at, memory } = arena;
  arena.matrix.fill(0.25);
  const y = new Float64Array(memory.buffer, at.y, n);
  for (let i = 0; i < n; i++) y[i] = i % 3 === 0 ? 1 : 0;
  new Float64Array(memory.buffer, at.w, n).fill(1);
  new Float64Array(memory.buffer, at.b, p).fill(0.01);
  const c = at.cols;
  for (let k = 0; k < 16; k++) {
    ex.pass(at.x, p, n, at.b, 0.1, at.y, at.w, at.prob, at.g);
    if (k % 4 === 0) ex.hess(at.x, p, 1, n, at.prob, at.w, p + 1, at.zt, at.out);
    cols.colstats(at.x, n, p, c, c + p * 8, c + p * 16);
    cols.sumsq(at.x, n, p, c, c + p * 8);
    cols.scale(at.x, n, p, at.b);
  }
}

/** A `MatrixAlloc` (see _fitEncoder.ts): the matrix of a new arena, or a plain array without one. */
export function arenaMatrix(n: number, d: number): { matrix: Float64Array; arena: DesignArena | null } {
  const arena = designArena(n, d);
  return arena === null ? { matrix: new Float64Array(n * d), arena: null } : { matrix: arena.matrix, arena };
}

/**
 * Rows per call of a column kernel. Each column is still summed in row order, but a fresh process
 * runs a kernel in V8's baseline tier until it has run enough, and switches to the optimised code
 * only at its next call: one call over every row would run entirely in the baseline tier.
 */
const SWEEP_ROWS = 8192;

/** Byte offset of row `i` of `arena`'s matrix. */
function rowAt(arena: DesignArena, i: number): number {
  return arena.at.x + i * arena.p * 8;
}

/** Whether `x` (n × d) is `arena`'s matrix, so the column kernels can run on it. */
function holds(arena: DesignArena | null, x: Float64Array, n: number, d: number): arena is DesignArena {
  return arena !== null && arena.matrix === x && arena.n === n && arena.p === d;
}

/**
 * Per column of `x` (`n × d`, row-major), over its finite cells: `cnt += 1`, `sum += v` and
 * `mx = max(mx, |v|)`, in row order (the `colstats` kernel when `x` is `arena`'s matrix).
 */
export function columnStats(
  x: Float64Array,
  n: number,
  d: number,
  cnt: Float64Array,
  sum: Float64Array,
  mx: Float64Array,
  arena: DesignArena | null,
): void {
  if (holds(arena, x, n, d)) {
    const v = new Float64Array(arena.memory.buffer, arena.at.cols, 3 * d);
    v.set(cnt.subarray(0, d));
    v.set(sum.subarray(0, d), d);
    v.set(mx.subarray(0, d), 2 * d);
    const at = arena.at.cols;
    for (let i = 0; i < n; i += SWEEP_ROWS)
      arena.cols.colstats(rowAt(arena, i), Math.min(SWEEP_ROWS, n - i), d, at, at + d * 8, at + 16 * d);
    cnt.set(v.subarray(0, d));
    sum.set(v.subarray(d, 2 * d));
    mx.set(v.subarray(2 * d));
    return;
  }
  for (let i = 0, off = 0; i < n; i++, off += d)
    for (let j = 0; j < d; j++) {
      const v = x[off + j] as number;
      if (v - v === 0) {
        cnt[j] = (cnt[j] as number) + 1;
        sum[j] = (sum[j] as number) + v;
        const a = Math.abs(v);
        if (a > (mx[j] as number)) mx[j] = a;
      }
    }
}

/** Per column of `x`: `sq += (v − mean)²` in row order (the `sumsq` kernel on `arena`'s matrix). */
export function columnSumSquares(
  x: Float64Array,
  n: number,
  d: number,
  mean: Float64Array,
  sq: Float64Array,
  arena: DesignArena | null,
): void {
  if (holds(arena, x, n, d)) {
    const v = new Float64Array(arena.memory.buffer, arena.at.cols, 2 * d);
    v.set(mean.subarray(0, d));
    v.set(sq.subarray(0, d), d);
    for (let i = 0; i < n; i += SWEEP_ROWS)
      arena.cols.sumsq(rowAt(arena, i), Math.min(SWEEP_ROWS, n - i), d, arena.at.cols, arena.at.cols + d * 8);
    sq.set(v.subarray(d));
    return;
  }
  for (let i = 0, off = 0; i < n; i++, off += d)
    for (let j = 0; j < d; j++) {
      const dv = (x[off + j] as number) - (mean[j] as number);
      sq[j] = (sq[j] as number) + dv * dv;
    }
}

/** `x[i][j] *= inv[j]`; returns the number of non-zero cells (the `scale` kernel on `arena`'s matrix). */
export function scaleColumns(
  x: Float64Array,
  n: number,
  d: number,
  inv: Float64Array,
  arena: DesignArena | null,
): number {
  if (holds(arena, x, n, d)) {
    new Float64Array(arena.memory.buffer, arena.at.cols, d).set(inv.subarray(0, d));
    let nnz = 0;
    for (let i = 0; i < n; i += SWEEP_ROWS)
      nnz += arena.cols.scale(rowAt(arena, i), Math.min(SWEEP_ROWS, n - i), d, arena.at.cols);
    return nnz;
  }
  let nnz = 0;
  for (let i = 0, off = 0; i < n; i++, off += d)
    for (let j = 0; j < d; j++) {
      const v = (x[off + j] as number) * (inv[j] as number);
      x[off + j] = v;
      if (v !== 0) nnz++;
    }
  return nnz;
}

/** The WebAssembly kernels over an arena's matrix (`y` and `w` copied in), or null without them. */
function arenaKernels(arena: DesignArena, y: Float64Array, w: Float64Array): DenseKernels | null {
  const ex = denseExports(arena);
  if (ex === null) return null;
  const { n, p, memory, at } = arena;
  const m = p + 1;
  const buf = memory.buffer;
  new Float64Array(buf, at.y, n).set(y);
  new Float64Array(buf, at.w, n).set(w);
  const bv = new Float64Array(buf, at.b, p);
  const gv = new Float64Array(buf, at.g, p + 1);
  return {
    prob: new Float64Array(buf, at.prob, n),
    out: new Float64Array(buf, at.out, m * m),
    pass: (b, grad) => {
      bv.set(b.subarray(0, p));
      const f = ex.pass(at.x, p, n, at.b, b[p] as number, at.y, at.w, at.prob, at.g);
      grad.set(gv);
      return f;
    },
    hessian: (stride, count, mm) => ex.hess(at.x, p, stride, count, at.prob, at.w, mm, at.zt, at.out),
    ...kernelSolver(ex, buf, at),
  };
}

/** Newton's linear algebra: {@link Design.solve} and {@link Design.update}. */
type Solver = Pick<DenseKernels, 'solve' | 'update'>;

/** Offsets of the Newton kernel's operands: `out` and `l` hold `m × m` (+ `m`), `g`, `v` `m`, `q` `3m`. */
type SolverOffsets = Readonly<Record<'out' | 'l' | 'g' | 'v' | 'q', number>>;

/** The Newton kernel's `chol` and `bfgs` on `buf` at `at`, with the TypeScript signatures. */
function kernelSolver(ex: Pick<DenseExports, 'chol' | 'bfgs'>, buf: ArrayBuffer, at: SolverOffsets): Solver {
  return {
    solve: (h, g, out, mm) => {
      new Float64Array(buf, at.out, mm * mm).set(h.subarray(0, mm * mm));
      new Float64Array(buf, at.g, mm).set(g.subarray(0, mm));
      if (ex.chol(at.out, mm, at.l, at.g, at.v) === 0) return false;
      out.set(new Float64Array(buf, at.v, mm));
      return true;
    },
    update: (h, s, g, gPrev, mm) => {
      const hv = new Float64Array(buf, at.out, mm * mm);
      hv.set(h.subarray(0, mm * mm));
      new Float64Array(buf, at.v, mm).set(s.subarray(0, mm));
      new Float64Array(buf, at.g, mm).set(g.subarray(0, mm));
      new Float64Array(buf, at.q, mm).set(gPrev.subarray(0, mm));
      ex.bfgs(at.out, at.v, at.g, at.q, mm, at.q + mm * 8);
      h.set(hv);
    },
  };
}

/**
 * The Newton kernel on a small memory of its own, for systems of order up to `mMax` (a sparse design's
 * solves: the kernel does `choleskySolve`'s and `bfgsUpdate`'s operations, so the same bits, without
 * compiling those in a fresh process), or null where the kernel is unavailable.
 */
function ownSolver(mMax: number): Solver | null {
  const module = newtonModule();
  if (module === null) return null;
  const lay = new WasmLayout(16);
  const at = {
    out: lay.take(mMax * mMax * 8),
    l: lay.take((mMax * mMax + mMax) * 8),
    g: lay.take(mMax * 8),
    v: lay.take(mMax * 8),
    q: lay.take(3 * mMax * 8),
  };
  const memory = newMemory(lay.size);
  const instance = memory === null ? null : instantiate(module, { env: { memory } });
  if (memory === null || instance === null) return null;
  return kernelSolver(instance.exports as unknown as DenseExports, memory.buffer, at);
}

/**
 * BFGS update of the Hessian approximation `h` (`m × m`, symmetric positive definite) from the
 * last move `s` and the change of the exact gradient `g − gPrev`:
 * `H ← H − (Hs)(Hs)ᵀ / sᵀHs + yyᵀ / yᵀs`. Skipped when `yᵀs ≤ 0` (the update would lose positive
 * definiteness; cannot happen for a strictly convex objective, but rounding can).
 */
export function bfgsUpdate(
  h: Float64Array,
  s: Float64Array,
  g: Float64Array,
  gPrev: Float64Array,
  m: number,
  work: Float64Array,
): void {
  let sy = 0;
  let sHs = 0;
  for (let a = 0; a < m; a++) {
    const ya = (g[a] as number) - (gPrev[a] as number);
    work[m + a] = ya;
    sy += (s[a] as number) * ya;
    let t = 0;
    for (let c = 0; c < m; c++) t += (h[a * m + c] as number) * (s[c] as number);
    work[a] = t;
    sHs += (s[a] as number) * t;
  }
  if (!(sy > 0 && sHs > 0 && Number.isFinite(sy) && Number.isFinite(sHs))) return;
  for (let a = 0; a < m; a++) {
    const hsa = (work[a] as number) / sHs;
    const ya = (work[m + a] as number) / sy;
    for (let c = 0; c < m; c++)
      h[a * m + c] = (h[a * m + c] as number) - hsa * (work[c] as number) + ya * (work[m + c] as number);
  }
}

/** The same kernels in TypeScript (the arithmetic of src/churn/_logistic.wat, in its order). */
function tsKernels(
  x0: ArrayLike<number>,
  n: number,
  p: number,
  y: Float64Array,
  w: Float64Array,
): DenseKernels {
  const x = x0 instanceof Float64Array ? x0 : Float64Array.from(x0);
  const m = p + 1;
  const eta = new Float64Array(PASS_ROWS);
  const r = new Float64Array(PASS_ROWS);
  const out = new Float64Array(m * m);
  const zt = new Float64Array(m * BLOCK);
  const prob = new Float64Array(n);
  return {
    prob,
    out,
    pass: (b, grad) => {
      grad.fill(0);
      const b0 = b[p] as number;
      let f = 0;
      let g0 = 0;
      // Blocks of rows: linear predictors, then losses and residuals row by row, then the gradient.
      for (let from = 0; from < n; from += PASS_ROWS) {
        const rows = Math.min(PASS_ROWS, n - from);
        linearTs(x, p, from, rows, b, b0, eta);
        for (let j = 0; j < rows; j++) {
          const i = from + j;
          const e = eta[j] as number;
          const z = expNeg(-Math.abs(e));
          const pr = (e >= 0 ? 1 : z) / (1 + z);
          prob[i] = pr;
          const wi = w[i] as number;
          const yi = y[i] as number;
          if (wi !== 0) f += wi * ((e > 0 ? e : 0) + log1pUnit(z) - yi * e);
          const rj = wi * (pr - yi);
          r[j] = rj;
          g0 += rj;
        }
        gradientTs(x, p, from, rows, r, grad);
      }
      grad[p] = g0;
      return f;
    },
    hessian: (stride, count, mm) => hessianTs(x, p, stride, count, prob, w, mm, zt, out),
    solve: choleskySolve,
    update: bfgsUpdate,
  };
}

/** 2^-k for k in [0, 1022] (exact: halving a power of two is exact down to 2^-1022). */
const POW2_NEG = (() => {
  const t = new Float64Array(1023);
  t[0] = 1;
  for (let k = 1; k < 1023; k++) t[k] = (t[k - 1] as number) * 0.5;
  return t;
})();

/**
 * exp(x) for x ≤ 0 by fdlibm's method (e_exp.c, as V8's Math.exp): x = k·ln2 + r with |r| ≤ ln2/2, a
 * rational approximation of exp(r), times 2^k. Exactly the operations of `$exp` in _logistic.wat.
 */
export function expNeg(x0: number): number {
  let x = x0;
  let k = 0;
  let hi = 0;
  let lo = 0;
  if (x < -0.34657359027997264) {
    if (x < -745.1332191019411) return 0;
    k = Math.trunc(x * Math.LOG2E - 0.5); // LOG2E = fdlibm's invln2 (the .wat's constant)
    hi = x - k * 0.6931471803691238;
    lo = k * 1.9082149292705877e-10;
    x = hi - lo;
  } else if (x > -3.725290298461914e-9) return 1 + x;
  const t = x * x;
  const c =
    x -
    t *
      (0.16666666666666602 +
        t *
          (-0.0027777777777015593 +
            t * (6.613756321437934e-5 + t * (-1.6533902205465252e-6 + t * 4.1381367970572385e-8))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - (lo - (x * c) / (2 - c) - hi);
  return k >= -1021
    ? y * (POW2_NEG[-k] as number)
    : y * (POW2_NEG[-(k + 1000)] as number) * (POW2_NEG[1000] as number);
}

/**
 * log1p(z) for 0 ≤ z ≤ 1 by fdlibm's method (s_log1p.c); above √2 − 1 through
 * log1p(z) = ln2 + log1p((z − 1)/2). Exactly the operations of `$log1p` in _logistic.wat.
 */
export function log1pUnit(z: number): number {
  let f = z;
  let k = 0;
  if (z > 0.41421356237309503) {
    f = (z - 1) * 0.5;
    k = 1;
  } else if (z < 1.862645149230957e-9) return z - z * z * 0.5;
  const hfsq = 0.5 * f * f;
  const s = f / (2 + f);
  const w = s * s;
  const r =
    w *
    (0.6666666666666735 +
      w *
        (0.3999999999940942 +
          w *
            (0.2857142874366239 +
              w *
                (0.22222198432149784 +
                  w * (0.1818357216161805 + w * (0.15313837699209373 + w * 0.14798198605116586))))));
  if (k === 0) return f - (hfsq - s * (hfsq + r));
  return 0.6931471803691238 - (hfsq - (s * (hfsq + r) + 1.9082149292705877e-10) - f);
}

function linearTs(
  x: Float64Array,
  p: number,
  from: number,
  rows: number,
  b: Float64Array,
  b0: number,
  eta: Float64Array,
): void {
  const pe = p & ~1;
  for (let j = 0; j < rows; j++) {
    const o = (from + j) * p;
    let s0 = 0;
    let s1 = 0;
    for (let a = 0; a < pe; a += 2) {
      s0 += (x[o + a] as number) * (b[a] as number);
      s1 += (x[o + a + 1] as number) * (b[a + 1] as number);
    }
    if (pe < p) s0 += (x[o + pe] as number) * (b[pe] as number);
    eta[j] = s0 + s1 + b0;
  }
}

function gradientTs(
  x: Float64Array,
  p: number,
  from: number,
  rows: number,
  r: Float64Array,
  g: Float64Array,
): void {
  let j = 0;
  for (; j + 4 <= rows; j += 4) {
    const o0 = (from + j) * p;
    const o1 = o0 + p;
    const o2 = o1 + p;
    const o3 = o2 + p;
    const r0 = r[j] as number;
    const r1 = r[j + 1] as number;
    const r2 = r[j + 2] as number;
    const r3 = r[j + 3] as number;
    for (let a = 0; a < p; a++)
      g[a] =
        (g[a] as number) +
        (r0 * (x[o0 + a] as number) +
          r1 * (x[o1 + a] as number) +
          (r2 * (x[o2 + a] as number) + r3 * (x[o3 + a] as number)));
  }
  for (; j < rows; j++) {
    const o = (from + j) * p;
    const rj = r[j] as number;
    for (let a = 0; a < p; a++) g[a] = (g[a] as number) + rj * (x[o + a] as number);
  }
}

function hessianTs(
  x: Float64Array,
  p: number,
  stride: number,
  count: number,
  prob: Float64Array,
  w: Float64Array,
  m: number,
  zt: Float64Array,
  out: Float64Array,
): void {
  out.fill(0, 0, m * m);
  for (let k0 = 0; k0 < count; k0 += BLOCK) {
    const rows = Math.min(BLOCK, count - k0);
    for (let r = 0; r < rows; r++) {
      const i = (k0 + r) * stride;
      const pi = prob[i] as number;
      const s = Math.sqrt((w[i] as number) * pi * (1 - pi) * stride);
      const off = i * p;
      for (let a = 0; a < p; a++) zt[a * BLOCK + r] = s * (x[off + a] as number);
      if (m > p) zt[p * BLOCK + r] = s;
    }
    // An odd row count is padded with a zero row (the two lanes add row pairs).
    if (rows % 2 === 1) for (let a = 0; a < m; a++) zt[a * BLOCK + rows] = 0;
    addBlock(zt, rows + (rows % 2), m, out);
  }
}

/**
 * Adds `ZᵀZ` (upper triangle) of the block's first `rows` rows (even); `zt` holds Z column by column.
 * Each cell adds `(Σ even rows) + (Σ odd rows)`; tiles of 2 × 2 cells (four loads feed four pairs of
 * multiply-adds).
 */
function addBlock(zt: Float64Array, rows: number, m: number, out: Float64Array): void {
  for (let a = 0; a < m; a += 2) {
    const ao = a * BLOCK;
    const two = a + 1 < m;
    const bo = two ? ao + BLOCK : ao;
    for (let c = a; c < m; c += 2) {
      const co = c * BLOCK;
      const pair = c + 1 < m;
      const do_ = pair ? co + BLOCK : co;
      let ac0 = 0;
      let ac1 = 0;
      let ad0 = 0;
      let ad1 = 0;
      let bc0 = 0;
      let bc1 = 0;
      let bd0 = 0;
      let bd1 = 0;
      for (let r = 0; r < rows; r += 2) {
        const za0 = zt[ao + r] as number;
        const za1 = zt[ao + r + 1] as number;
        const zb0 = zt[bo + r] as number;
        const zb1 = zt[bo + r + 1] as number;
        const zc0 = zt[co + r] as number;
        const zc1 = zt[co + r + 1] as number;
        const zd0 = zt[do_ + r] as number;
        const zd1 = zt[do_ + r + 1] as number;
        ac0 += za0 * zc0;
        ac1 += za1 * zc1;
        ad0 += za0 * zd0;
        ad1 += za1 * zd1;
        bc0 += zb0 * zc0;
        bc1 += zb1 * zc1;
        bd0 += zb0 * zd0;
        bd1 += zb1 * zd1;
      }
      const o = a * m + c;
      out[o] = (out[o] as number) + (ac0 + ac1);
      if (pair) out[o + 1] = (out[o + 1] as number) + (ad0 + ad1);
      if (two) {
        out[o + m] = (out[o + m] as number) + (bc0 + bc1);
        if (pair) out[o + m + 1] = (out[o + m + 1] as number) + (bd0 + bd1);
      }
    }
  }
}

class DenseDesign implements Design {
  readonly prob: Float64Array;
  constructor(
    private readonly k: DenseKernels,
    readonly n: number,
    readonly p: number,
  ) {
    this.prob = k.prob;
  }

  pass(b: Float64Array, l2: number, grad: Float64Array): number {
    const f = this.k.pass(b, grad);
    return f + addPenalty(b, this.p, l2, grad);
  }

  hessian(stride: number, m: number, out: Float64Array): void {
    const { k, n } = this;
    k.hessian(stride, Math.ceil(n / stride), m);
    out.set(k.out.subarray(0, m * m));
    for (let a = 0; a < m; a++) for (let c = 0; c < a; c++) out[a * m + c] = out[c * m + a] as number;
  }

  solve(h: Float64Array, g: Float64Array, out: Float64Array, m: number): boolean {
    return this.k.solve(h, g, out, m);
  }

  update(
    h: Float64Array,
    s: Float64Array,
    g: Float64Array,
    gPrev: Float64Array,
    m: number,
    work: Float64Array,
  ): void {
    this.k.update(h, s, g, gPrev, m, work);
  }
}

/**
 * Rows per call of the sparse sweep, and of the sparse Hessian (whose rows cost more: a product per
 * pair of non-zero cells): short calls, so that a fresh process compiles each once, for its next call,
 * rather than also on the fly in the middle of a long call (on-stack replacement). V8 asks for that
 * second compilation when a call is still running unoptimised after the function was marked for
 * optimisation: a CLI's first fit compiled both twice with 7,412-row calls, and still compiled each
 * twice in most processes with 128-row calls on a loaded machine; 32 and 8 rows left one compilation
 * of the sweep and, in most runs, of the Hessian.
 */
const SPARSE_BLOCK = 32;
const SPARSE_HESSIAN_BLOCK = 8;

class SparseDesign implements Design {
  readonly prob: Float64Array;
  private readonly rowPtr: Int32Array;
  private readonly colIdx: Int32Array;
  private readonly vals: Float64Array;
  private kernel: Solver | null | undefined = undefined;
  constructor(
    x: ArrayLike<number>,
    readonly n: number,
    readonly p: number,
    nnz: number,
    private readonly y: Float64Array,
    private readonly w: Float64Array,
  ) {
    this.prob = new Float64Array(n);
    this.rowPtr = new Int32Array(n + 1);
    this.colIdx = new Int32Array(nnz);
    this.vals = new Float64Array(nnz);
    for (let i = 0, q = 0; i < n; i++) {
      const off = i * p;
      for (let a = 0; a < p; a++) {
        const xa = x[off + a] as number;
        if (xa !== 0) {
          this.colIdx[q] = a;
          this.vals[q] = xa;
          q++;
        }
      }
      this.rowPtr[i + 1] = q;
    }
  }

  pass(b: Float64Array, l2: number, grad: Float64Array): number {
    const { n, p } = this;
    grad.fill(0);
    const acc = new Float64Array(2);
    for (let from = 0; from < n; from += SPARSE_BLOCK)
      this.passRows(b, grad, from, Math.min(n, from + SPARSE_BLOCK), acc);
    grad[p] = acc[1] as number;
    return (acc[0] as number) + addPenalty(b, p, l2, grad);
  }

  /** Rows `[from, to)` of {@link pass}, in row order: the loss and intercept gradient carried in `acc`. */
  private passRows(b: Float64Array, grad: Float64Array, from: number, to: number, acc: Float64Array): void {
    const { rowPtr, colIdx, vals, p, prob, y, w } = this;
    const b0 = b[p] as number;
    let f = acc[0] as number;
    let g0 = acc[1] as number;
    for (let i = from; i < to; i++) {
      let e = b0;
      const q0 = rowPtr[i] as number;
      const q1 = rowPtr[i + 1] as number;
      for (let q = q0; q < q1; q++) e += (vals[q] as number) * (b[colIdx[q] as number] as number);
      // The log-loss terms of e: σ(e) into prob, softplus(e) = max(e, 0) + log1p(exp(−|e|)). Written
      // out here rather than as a function: a fresh process compiled such a function on its own too.
      const z = Math.exp(-Math.abs(e));
      prob[i] = e >= 0 ? 1 / (1 + z) : z / (1 + z);
      const sp = (e > 0 ? e : 0) + Math.log1p(z);
      const wi = w[i] as number;
      if (wi === 0) continue;
      const yi = y[i] as number;
      f += wi * (sp - yi * e);
      const r = wi * ((prob[i] as number) - yi);
      g0 += r;
      for (let q = q0; q < q1; q++) {
        const a = colIdx[q] as number;
        grad[a] = (grad[a] as number) + r * (vals[q] as number);
      }
    }
    acc[0] = f;
    acc[1] = g0;
  }

  hessian(stride: number, m: number, out: Float64Array): void {
    const n = this.n;
    out.fill(0);
    // Blocks start at multiples of the stride: the same rows in the same order as one loop.
    for (let from = 0; from < n; from += SPARSE_HESSIAN_BLOCK * stride)
      this.hessianRows(stride, m, out, from, Math.min(n, from + SPARSE_HESSIAN_BLOCK * stride));
    for (let a = 0; a < m; a++) for (let c = 0; c < a; c++) out[a * m + c] = out[c * m + a] as number;
  }

  /** Rows `from, from + stride, …` below `to` of {@link hessian}: their terms added to the upper triangle. */
  private hessianRows(stride: number, m: number, out: Float64Array, from: number, to: number): void {
    const { rowPtr, colIdx, vals, p, prob, w } = this;
    const intercept = m > p;
    for (let i = from; i < to; i += stride) {
      const pi = prob[i] as number;
      const h = (w[i] as number) * pi * (1 - pi) * stride;
      if (h === 0) continue;
      const q1 = rowPtr[i + 1] as number;
      for (let k = rowPtr[i] as number; k < q1; k++) {
        const row = (colIdx[k] as number) * m;
        const hx = h * (vals[k] as number);
        // Upper triangle: column indices ascend with k, so the second index is >= the first.
        for (let q = k; q < q1; q++) {
          const o = row + (colIdx[q] as number);
          out[o] = (out[o] as number) + hx * (vals[q] as number);
        }
        if (intercept) out[row + p] = (out[row + p] as number) + hx;
      }
      if (intercept) out[p * m + p] = (out[p * m + p] as number) + h;
    }
  }

  /** The Newton kernel ({@link ownSolver}), made on the first solve; null: the TypeScript twins. */
  private solver(): Solver | null {
    if (this.kernel === undefined) this.kernel = ownSolver(this.p + 1);
    return this.kernel;
  }

  solve(h: Float64Array, g: Float64Array, out: Float64Array, m: number): boolean {
    const k = this.solver();
    return k === null ? choleskySolve(h, g, out, m) : k.solve(h, g, out, m);
  }

  update(
    h: Float64Array,
    s: Float64Array,
    g: Float64Array,
    gPrev: Float64Array,
    m: number,
    work: Float64Array,
  ): void {
    const k = this.solver();
    if (k === null) bfgsUpdate(h, s, g, gPrev, m, work);
    else k.update(h, s, g, gPrev, m, work);
  }
}
