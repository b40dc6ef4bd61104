/**
 * The design matrix of the logistic fit, dense (row-major `Float64Array`) or sparse (compressed rows,
 * for one-hot heavy data), with the two kernels Newton's method needs. Private to the churn module.
 * @module
 */

/** Kernels of a design matrix `X` (`n × p`, no intercept column). */
export interface Design {
  readonly n: number;
  readonly p: number;
  /**
   * One sweep at parameters `b` (`p` coefficients then the intercept): writes σ(ηᵢ) into `prob` and
   * the gradient `Xᵀw(σ − y) + λβ` (intercept gradient at `grad[p]`) into `grad`; returns the
   * penalised objective `Σ wᵢ·logloss + (λ/2)‖β‖²`.
   */
  pass(
    b: Float64Array,
    y: Float64Array,
    w: Float64Array,
    l2: number,
    prob: Float64Array,
    grad: Float64Array,
  ): number;
  /**
   * `XᵀHX` with the intercept as column `p` (when `m = p + 1`), `Hᵢ = wᵢσᵢ(1 − σᵢ)`, from every
   * `stride`-th row scaled by `stride`; the full symmetric `m × m` matrix into `out`.
   */
  hessian(prob: Float64Array, w: Float64Array, stride: number, m: number, out: Float64Array): void;
}

/**
 * Dense when at least this share of the cells is non-zero. The sparse Hessian costs ~(share·p)²/2
 * scattered updates per row against p²/2 tiled multiply-adds, each about 6× dearer (measured on a
 * 7,000 × 84 table at share 0.48: sparse 20 ms, dense 15 ms), so the two break even near 0.4.
 */
const DENSE_SHARE = 0.4;

/** Rows per block of the dense Hessian. */
const BLOCK = 32;

/**
 * Picks the dense or the sparse layout by the share of non-zero cells (`nnz`: their count when the
 * caller already has it, e.g. from its finiteness check).
 */
export function makeDesign(x: ArrayLike<number>, n: number, p: number, nnz = countNonZero(x)): Design {
  if (nnz >= DENSE_SHARE * n * p)
    return new DenseDesign(x instanceof Float64Array ? x : Float64Array.from(x), n, p);
  return new SparseDesign(x, n, p, nnz);
}

/** Number of non-zero cells. */
export function countNonZero(x: ArrayLike<number>): number {
  let nnz = 0;
  for (let k = 0; k < x.length; k++) if ((x[k] as number) !== 0) nnz++;
  return nnz;
}

/** Log-loss terms of one linear predictor: returns softplus(e) and writes σ(e) via the out array. */
function sigmoidAt(e: number, prob: Float64Array, i: number): number {
  const z = Math.exp(-Math.abs(e));
  prob[i] = e >= 0 ? 1 / (1 + z) : z / (1 + z);
  return (e > 0 ? e : 0) + Math.log1p(z);
}

/** Row `i`'s weighted log-loss at linear predictor `e` (0 for weight 0); writes σ(e) into `prob[i]`. */
function rowLoss(e: number, i: number, y: Float64Array, w: Float64Array, prob: Float64Array): number {
  const sp = sigmoidAt(e, prob, i);
  const wi = w[i] as number;
  return wi === 0 ? 0 : wi * (sp - (y[i] as number) * e);
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

class DenseDesign implements Design {
  private readonly zt: Float64Array;
  constructor(
    private readonly x: Float64Array,
    readonly n: number,
    readonly p: number,
  ) {
    this.zt = new Float64Array((p + 1) * BLOCK);
  }

  pass(
    b: Float64Array,
    y: Float64Array,
    w: Float64Array,
    l2: number,
    prob: Float64Array,
    grad: Float64Array,
  ): number {
    const { x, n, p } = this;
    grad.fill(0);
    const b0 = b[p] as number;
    let f = 0;
    let g0 = 0;
    let i = 0;
    // Four rows at a time: their four dot products share each load of b, and the gradient update
    // reads each grad cell once per four rows (sums grouped as ((r0·x0 + r1·x1) + (r2·x2 + r3·x3))).
    for (; i + 4 <= n; i += 4) {
      const o0 = i * p;
      const o1 = o0 + p;
      const o2 = o1 + p;
      const o3 = o2 + p;
      let e0 = b0;
      let e1 = b0;
      let e2 = b0;
      let e3 = b0;
      for (let a = 0; a < p; a++) {
        const ba = b[a] as number;
        e0 += (x[o0 + a] as number) * ba;
        e1 += (x[o1 + a] as number) * ba;
        e2 += (x[o2 + a] as number) * ba;
        e3 += (x[o3 + a] as number) * ba;
      }
      f +=
        rowLoss(e0, i, y, w, prob) +
        rowLoss(e1, i + 1, y, w, prob) +
        (rowLoss(e2, i + 2, y, w, prob) + rowLoss(e3, i + 3, y, w, prob));
      const r0 = (w[i] as number) * ((prob[i] as number) - (y[i] as number));
      const r1 = (w[i + 1] as number) * ((prob[i + 1] as number) - (y[i + 1] as number));
      const r2 = (w[i + 2] as number) * ((prob[i + 2] as number) - (y[i + 2] as number));
      const r3 = (w[i + 3] as number) * ((prob[i + 3] as number) - (y[i + 3] as number));
      g0 += r0 + r1 + (r2 + r3);
      for (let a = 0; a < p; a++)
        grad[a] =
          (grad[a] as number) +
          (r0 * (x[o0 + a] as number) +
            r1 * (x[o1 + a] as number) +
            (r2 * (x[o2 + a] as number) + r3 * (x[o3 + a] as number)));
    }
    for (; i < n; i++) {
      const off = i * p;
      let e = b0;
      for (let a = 0; a < p; a++) e += (x[off + a] as number) * (b[a] as number);
      f += rowLoss(e, i, y, w, prob);
      const r = (w[i] as number) * ((prob[i] as number) - (y[i] as number));
      g0 += r;
      for (let a = 0; a < p; a++) grad[a] = (grad[a] as number) + r * (x[off + a] as number);
    }
    grad[p] = g0;
    return f + addPenalty(b, p, l2, grad);
  }

  hessian(prob: Float64Array, w: Float64Array, stride: number, m: number, out: Float64Array): void {
    const { x, n, p, zt } = this;
    out.fill(0);
    let r = 0;
    for (let i = 0; i < n; i += stride) {
      const pi = prob[i] as number;
      const s = Math.sqrt((w[i] as number) * pi * (1 - pi) * stride);
      const off = i * p;
      for (let a = 0; a < p; a++) zt[a * BLOCK + r] = s * (x[off + a] as number);
      if (m > p) zt[p * BLOCK + r] = s;
      if (++r === BLOCK) {
        addBlock(zt, BLOCK, m, out);
        r = 0;
      }
    }
    if (r > 0) addBlock(zt, r, m, out);
    for (let a = 0; a < m; a++) for (let c = 0; c < a; c++) out[a * m + c] = out[c * m + a] as number;
  }
}

/**
 * Adds `ZᵀZ` (upper triangle, plus the cell just below the diagonal, which the caller overwrites) of
 * the block's first `rows` rows; `zt` holds Z column by column. Tiles of 2 × 4 output cells: six
 * loads feed eight multiply-adds.
 */
function addBlock(zt: Float64Array, rows: number, m: number, out: Float64Array): void {
  let a = 0;
  for (; a + 2 <= m; a += 2) {
    const ao = a * BLOCK;
    const a1 = ao + BLOCK;
    let c = a;
    for (; c + 4 <= m; c += 4) {
      const c0 = c * BLOCK;
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s03 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s13 = 0;
      for (let r = 0; r < rows; r++) {
        const za = zt[ao + r] as number;
        const zb = zt[a1 + r] as number;
        const q0 = zt[c0 + r] as number;
        const q1 = zt[c0 + BLOCK + r] as number;
        const q2 = zt[c0 + 2 * BLOCK + r] as number;
        const q3 = zt[c0 + 3 * BLOCK + r] as number;
        s00 += za * q0;
        s01 += za * q1;
        s02 += za * q2;
        s03 += za * q3;
        s10 += zb * q0;
        s11 += zb * q1;
        s12 += zb * q2;
        s13 += zb * q3;
      }
      const o = a * m + c;
      out[o] = (out[o] as number) + s00;
      out[o + 1] = (out[o + 1] as number) + s01;
      out[o + 2] = (out[o + 2] as number) + s02;
      out[o + 3] = (out[o + 3] as number) + s03;
      const o1 = o + m;
      out[o1] = (out[o1] as number) + s10;
      out[o1 + 1] = (out[o1 + 1] as number) + s11;
      out[o1 + 2] = (out[o1 + 2] as number) + s12;
      out[o1 + 3] = (out[o1 + 3] as number) + s13;
    }
    for (; c < m; c++) {
      const c0 = c * BLOCK;
      let s0 = 0;
      let s1 = 0;
      for (let r = 0; r < rows; r++) {
        const q = zt[c0 + r] as number;
        s0 += (zt[ao + r] as number) * q;
        s1 += (zt[a1 + r] as number) * q;
      }
      out[a * m + c] = (out[a * m + c] as number) + s0;
      out[(a + 1) * m + c] = (out[(a + 1) * m + c] as number) + s1;
    }
  }
  for (; a < m; a++) {
    const ao = a * BLOCK;
    for (let c = a; c < m; c++) {
      const c0 = c * BLOCK;
      let s0 = 0;
      for (let r = 0; r < rows; r++) s0 += (zt[ao + r] as number) * (zt[c0 + r] as number);
      out[a * m + c] = (out[a * m + c] as number) + s0;
    }
  }
}

/** Compressed sparse rows: one-hot and indicator columns are mostly zero, so a sweep touches only the non-zero cells. */
class SparseDesign implements Design {
  private readonly rowPtr: Int32Array;
  private readonly colIdx: Int32Array;
  private readonly vals: Float64Array;
  constructor(
    x: ArrayLike<number>,
    readonly n: number,
    readonly p: number,
    nnz: number,
  ) {
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

  pass(
    b: Float64Array,
    y: Float64Array,
    w: Float64Array,
    l2: number,
    prob: Float64Array,
    grad: Float64Array,
  ): number {
    const { rowPtr, colIdx, vals, n, p } = this;
    grad.fill(0);
    const b0 = b[p] as number;
    let f = 0;
    let g0 = 0;
    for (let i = 0; i < n; i++) {
      let e = b0;
      const q0 = rowPtr[i] as number;
      const q1 = rowPtr[i + 1] as number;
      for (let q = q0; q < q1; q++) e += (vals[q] as number) * (b[colIdx[q] as number] as number);
      const sp = sigmoidAt(e, prob, i);
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
    grad[p] = g0;
    return f + addPenalty(b, p, l2, grad);
  }

  hessian(prob: Float64Array, w: Float64Array, stride: number, m: number, out: Float64Array): void {
    const { rowPtr, colIdx, vals, n, p } = this;
    out.fill(0);
    const intercept = m > p;
    for (let i = 0; i < n; i += stride) {
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
    for (let a = 0; a < m; a++) for (let c = 0; c < a; c++) out[a * m + c] = out[c * m + a] as number;
  }
}
