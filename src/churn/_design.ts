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

/** Dense when at least this share of the cells is non-zero. */
const DENSE_SHARE = 0.5;

/** Rows per block of the dense Hessian. */
const BLOCK = 32;

/** Picks the dense or the sparse layout by the share of non-zero cells. */
export function makeDesign(x: ArrayLike<number>, n: number, p: number): Design {
  let nnz = 0;
  for (let k = 0; k < x.length; k++) if ((x[k] as number) !== 0) nnz++;
  if (nnz >= DENSE_SHARE * n * p)
    return new DenseDesign(x instanceof Float64Array ? x : Float64Array.from(x), n, p);
  return new SparseDesign(x, n, p, nnz);
}

/** Log-loss terms of one linear predictor: returns softplus(e) and writes σ(e) via the out array. */
function sigmoidAt(e: number, prob: Float64Array, i: number): number {
  const z = Math.exp(-Math.abs(e));
  prob[i] = e >= 0 ? 1 / (1 + z) : z / (1 + z);
  return (e > 0 ? e : 0) + Math.log1p(z);
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
    for (let i = 0, off = 0; i < n; i++, off += p) {
      let e0 = 0;
      let e1 = 0;
      let e2 = 0;
      let e3 = 0;
      let a = 0;
      for (; a + 4 <= p; a += 4) {
        e0 += (x[off + a] as number) * (b[a] as number);
        e1 += (x[off + a + 1] as number) * (b[a + 1] as number);
        e2 += (x[off + a + 2] as number) * (b[a + 2] as number);
        e3 += (x[off + a + 3] as number) * (b[a + 3] as number);
      }
      let e = b0 + (e0 + e1 + (e2 + e3));
      for (; a < p; a++) e += (x[off + a] as number) * (b[a] as number);
      const sp = sigmoidAt(e, prob, i);
      const wi = w[i] as number;
      if (wi === 0) continue;
      const yi = y[i] as number;
      f += wi * (sp - yi * e);
      const r = wi * ((prob[i] as number) - yi);
      g0 += r;
      for (a = 0; a < p; a++) grad[a] = (grad[a] as number) + r * (x[off + a] as number);
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

/** Adds `ZᵀZ` (upper triangle) of the block's first `rows` rows; `zt` holds Z column by column. */
function addBlock(zt: Float64Array, rows: number, m: number, out: Float64Array): void {
  for (let a = 0; a < m; a++) {
    const ao = a * BLOCK;
    let c = a;
    for (; c + 4 <= m; c += 4) {
      const c0 = c * BLOCK;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let r = 0; r < rows; r++) {
        const za = zt[ao + r] as number;
        s0 += za * (zt[c0 + r] as number);
        s1 += za * (zt[c0 + BLOCK + r] as number);
        s2 += za * (zt[c0 + 2 * BLOCK + r] as number);
        s3 += za * (zt[c0 + 3 * BLOCK + r] as number);
      }
      const o = a * m + c;
      out[o] = (out[o] as number) + s0;
      out[o + 1] = (out[o + 1] as number) + s1;
      out[o + 2] = (out[o + 2] as number) + s2;
      out[o + 3] = (out[o + 3] as number) + s3;
    }
    for (; c < m; c++) {
      const c0 = c * BLOCK;
      let s = 0;
      for (let r = 0; r < rows; r++) s += (zt[ao + r] as number) * (zt[c0 + r] as number);
      out[a * m + c] = (out[a * m + c] as number) + s;
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
