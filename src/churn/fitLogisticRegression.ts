import {
  ConvergenceError,
  InsufficientDataError,
  ValidationError,
  type ValidationIssue,
} from '../_lib/errors';

/** Options of {@link fitLogisticRegression}. */
export interface LogisticRegressionOptions {
  /**
   * L2 penalty λ on the coefficients (never on the intercept). The objective is
   * `Σ wᵢ·logloss(yᵢ, pᵢ) + (λ/2)·‖β‖²`, which is scikit-learn's `C · Σ logloss + ½‖β‖²` divided
   * by C: **λ = 1 / C** (`LogisticRegression(C=1/λ, solver='lbfgs')` leaves the intercept unpenalised too).
   * @default 1
   */
  l2?: number;
  /** Fit an intercept. @default true */
  intercept?: boolean;
  /** Stop when the largest Newton step is below this. @default 1e-10 */
  tolerance?: number;
  /** Maximum Newton iterations before a `ConvergenceError`. @default 100 */
  maxIterations?: number;
  /** Optional per-row weights (≥ 0), like scikit-learn's `sample_weight`. @default every row 1 */
  weights?: ArrayLike<number>;
}

/** A fitted logistic regression. */
export interface LogisticRegressionFit {
  /** Coefficients, one per column. */
  coefficients: Float64Array;
  /** Intercept (0 when `intercept: false`). */
  intercept: number;
  /** Newton iterations used. */
  iterations: number;
  /** Final penalised objective value. */
  objective: number;
  /** Max-norm of the gradient at the solution. */
  gradientNorm: number;
}

const FN = 'fitLogisticRegression';
/** Rows used to estimate the Hessian (all rows up to this count). */
const HESSIAN_ROWS = 20_000;

/**
 * Fits an L2-regularised logistic regression to the exact optimum by Newton's method (IRLS) with
 * step halving. Each iteration solves `(XᵀWX + λI)·Δ = −∇` by Cholesky, so convergence is quadratic
 * and the answer matches scikit-learn's `LogisticRegression` to ~1e-8 on the same data.
 *
 * Missing-data policy: none accepted — every cell of `x` and every label must be finite, otherwise a
 * `ValidationError` is thrown (encode missing values first, e.g. with `trainChurnModel`).
 *
 * @param x row-major design matrix, `n × p` (no intercept column).
 * @param y labels, 0 or 1 (booleans allowed), length n.
 * @param p number of columns.
 * @param options see {@link LogisticRegressionOptions}.
 * @returns coefficients, intercept and convergence facts.
 * @throws ValidationError on non-finite data, wrong lengths or labels other than 0/1.
 * @throws InsufficientDataError when (weighted) labels hold one class only and an intercept is fitted.
 * @throws ConvergenceError when Newton's method does not converge (e.g. separable data with `l2: 0`).
 * @example
 * ```ts
 * const x = Float64Array.from([0, 1, 2, 3]);
 * const fit = fitLogisticRegression(x, [0, 1, 0, 1], 1, { l2: 1 });
 * fit.coefficients[0]; // => 0.4529 (fit.intercept => -0.6793; scikit-learn C = 1 gives the same)
 * ```
 */
export function fitLogisticRegression(
  x: ArrayLike<number>,
  y: ArrayLike<number | boolean>,
  p: number,
  options: LogisticRegressionOptions = {},
): LogisticRegressionFit {
  const l2 = options.l2 ?? 1;
  const useIntercept = options.intercept ?? true;
  const tol = options.tolerance ?? 1e-10;
  const maxIter = options.maxIterations ?? 100;
  const n = y.length;
  const issues: ValidationIssue[] = [];
  if (!Number.isInteger(p) || p < 0)
    issues.push({ path: ['p'], code: 'invalid_value', message: 'p must be an integer >= 0' });
  if (x.length !== n * p)
    issues.push({
      path: ['x'],
      code: 'invalid_length',
      message: `x has ${x.length} cells, expected n·p = ${n * p}`,
    });
  if (!(l2 >= 0) || !Number.isFinite(l2))
    issues.push({ path: ['l2'], code: 'invalid_value', message: 'option "l2" must be a finite number >= 0' });
  if (options.weights !== undefined && options.weights.length !== n)
    issues.push({
      path: ['weights'],
      code: 'invalid_length',
      message: 'option "weights" must have one entry per row',
    });
  if (issues.length > 0) throw new ValidationError(FN, issues);
  const yy = new Float64Array(n);
  const ww = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = y[i];
    const yi = v === true ? 1 : v === false ? 0 : (v as number);
    if (yi !== 0 && yi !== 1) {
      issues.push({ index: i, path: ['y'], code: 'invalid_label', message: 'label must be 0 or 1' });
      if (issues.length > 20) break;
    }
    yy[i] = yi;
    const w = options.weights === undefined ? 1 : (options.weights[i] as number);
    if (!(w >= 0) || !Number.isFinite(w))
      issues.push({
        index: i,
        path: ['weights'],
        code: 'invalid_value',
        message: 'weight must be finite and >= 0',
      });
    ww[i] = w;
  }
  for (let k = 0; k < x.length; k++) {
    if (!Number.isFinite(x[k] as number)) {
      issues.push({
        index: Math.floor(k / Math.max(1, p)),
        path: ['x', k % Math.max(1, p)],
        code: 'not_finite',
        message: 'design matrix cell is not a finite number',
      });
      break;
    }
  }
  if (issues.length > 0) throw new ValidationError(FN, issues);

  // Parameter vector: [β_0..β_{p-1}, intercept]. m = number of free parameters.
  const m = p + (useIntercept ? 1 : 0);
  const beta = new Float64Array(p + 1);
  if (useIntercept) {
    let sw = 0;
    let sy = 0;
    for (let i = 0; i < n; i++) {
      sw += ww[i] as number;
      sy += (ww[i] as number) * (yy[i] as number);
    }
    if (!(sy > 0 && sy < sw)) {
      // One class only: the unpenalised intercept has no finite optimum (scikit-learn refuses too).
      throw new InsufficientDataError(FN, 'labels hold one class only; an intercept cannot be fitted', {
        available: 1,
        required: 2,
      });
    }
    const rate = sy / sw;
    beta[p] = Math.log(rate / (1 - rate));
  }
  const grad = new Float64Array(m);
  const hess = new Float64Array(m * m);
  const step = new Float64Array(m);
  const trial = new Float64Array(p + 1);
  const eta = new Float64Array(n);
  // Compressed sparse rows: one-hot and indicator columns are mostly zero, so every pass over the
  // data touches only the non-zero cells.
  let nnzTotal = 0;
  for (let k = 0; k < x.length; k++) if ((x[k] as number) !== 0) nnzTotal++;
  const rowPtr = new Int32Array(n + 1);
  const colIdx = new Int32Array(nnzTotal);
  const vals = new Float64Array(nnzTotal);
  for (let i = 0, q = 0; i < n; i++) {
    const off = i * p;
    for (let a = 0; a < p; a++) {
      const xa = x[off + a] as number;
      if (xa !== 0) {
        colIdx[q] = a;
        vals[q] = xa;
        q++;
      }
    }
    rowPtr[i + 1] = q;
  }

  let f = objective(rowPtr, colIdx, vals, yy, ww, n, p, beta, l2, eta);
  let gnorm = Number.POSITIVE_INFINITY;
  // The Hessian only steers the steps; the gradient is always exact, so the fixed point is the true
  // optimum whatever Hessian is used. Two savings on the O(n·nnz²) Hessian: (1) with more than
  // HESSIAN_ROWS rows it is estimated from an evenly strided subset of rows, scaled up; (2) once steps
  // are below 1e-3 it is kept (chord Newton). Convergence becomes linear but fast (a few more cheap
  // gradient-only iterations).
  const stride = n > HESSIAN_ROWS ? Math.ceil(n / HESSIAN_ROWS) : 1;
  let lastMaxStep = Number.POSITIVE_INFINITY;
  for (let iter = 1; iter <= maxIter; iter++) {
    const updateHessian = iter <= 2 || lastMaxStep > 1e-3;
    // Gradient and Hessian (upper triangle accumulated per row, then mirrored).
    grad.fill(0);
    if (updateHessian) hess.fill(0);
    for (let i = 0; i < n; i++) {
      const wi = ww[i] as number;
      if (wi === 0) continue;
      const e = eta[i] as number;
      const pi = e >= 0 ? 1 / (1 + Math.exp(-e)) : Math.exp(e) / (1 + Math.exp(e));
      const r = wi * (pi - (yy[i] as number));
      const h = wi * pi * (1 - pi) * stride;
      const q0 = rowPtr[i] as number;
      const q1 = rowPtr[i + 1] as number;
      if (!updateHessian || i % stride !== 0) {
        for (let k = q0; k < q1; k++) {
          const a = colIdx[k] as number;
          grad[a] = (grad[a] as number) + r * (vals[k] as number);
        }
        if (useIntercept) grad[p] = (grad[p] as number) + r;
        continue;
      }
      for (let k = q0; k < q1; k++) {
        const a = colIdx[k] as number;
        const xa = vals[k] as number;
        grad[a] = (grad[a] as number) + r * xa;
        const hx = h * xa;
        const row = a * m;
        // Upper triangle: column indices ascend with k, so b >= a.
        for (let q = k; q < q1; q++) {
          const b = row + (colIdx[q] as number);
          hess[b] = (hess[b] as number) + hx * (vals[q] as number);
        }
        if (useIntercept) hess[row + p] = (hess[row + p] as number) + hx;
      }
      if (useIntercept) {
        grad[p] = (grad[p] as number) + r;
        hess[p * m + p] = (hess[p * m + p] as number) + h;
      }
    }
    for (let a = 0; a < p; a++) grad[a] = (grad[a] as number) + l2 * (beta[a] as number);
    if (updateHessian) {
      for (let a = 0; a < p; a++) hess[a * m + a] = (hess[a * m + a] as number) + l2;
      for (let a = 0; a < m; a++) for (let b = 0; b < a; b++) hess[a * m + b] = hess[b * m + a] as number;
    }
    gnorm = 0;
    for (let a = 0; a < m; a++) gnorm = Math.max(gnorm, Math.abs(grad[a] as number));
    // Solve H·step = grad (Cholesky; a tiny ridge if H is numerically singular).
    if (!choleskySolve(hess, grad, step, m)) {
      for (let a = 0; a < m; a++) hess[a * m + a] = (hess[a * m + a] as number) + 1e-8;
      if (!choleskySolve(hess, grad, step, m)) {
        throw new ConvergenceError(FN, {
          iterations: iter,
          params: Array.from(beta.subarray(0, m)),
          value: f,
          gradientNorm: gnorm,
          reason: 'Hessian is not positive definite (separable data with l2 = 0?)',
        });
      }
    }
    let maxStep = 0;
    for (let a = 0; a < m; a++) maxStep = Math.max(maxStep, Math.abs(step[a] as number));
    lastMaxStep = maxStep;
    // Step halving until the objective does not increase.
    let t = 1;
    let fNew = f;
    for (let half = 0; half < 40; half++) {
      for (let a = 0; a < p; a++) trial[a] = (beta[a] as number) - t * (step[a] as number);
      trial[p] = useIntercept ? (beta[p] as number) - t * (step[p] as number) : 0;
      fNew = objective(rowPtr, colIdx, vals, yy, ww, n, p, trial, l2, eta);
      if (fNew <= f + 1e-12 * Math.abs(f)) break;
      t /= 2;
    }
    beta.set(trial);
    const prev = f;
    f = fNew;
    if (maxStep * t < tol || (gnorm < 1e-12 && Math.abs(prev - f) <= 1e-15 * Math.abs(f))) {
      return {
        coefficients: beta.slice(0, p),
        intercept: useIntercept ? (beta[p] as number) : 0,
        iterations: iter,
        objective: f,
        gradientNorm: gnorm,
      };
    }
    if (!Number.isFinite(f)) break;
  }
  throw new ConvergenceError(FN, {
    iterations: maxIter,
    params: Array.from(beta.subarray(0, m)),
    value: f,
    gradientNorm: gnorm,
    reason: 'Newton steps did not shrink below the tolerance (separable data with a small l2?)',
  });
}

/** Penalised objective; writes the linear predictor of `b` into `eta`. */
function objective(
  rowPtr: Int32Array,
  colIdx: Int32Array,
  vals: Float64Array,
  y: Float64Array,
  w: Float64Array,
  n: number,
  p: number,
  b: Float64Array,
  l2: number,
  eta: Float64Array,
): number {
  let f = 0;
  const b0 = b[p] as number;
  for (let i = 0; i < n; i++) {
    let e = b0;
    const q1 = rowPtr[i + 1] as number;
    for (let q = rowPtr[i] as number; q < q1; q++)
      e += (vals[q] as number) * (b[colIdx[q] as number] as number);
    eta[i] = e;
    const wi = w[i] as number;
    if (wi === 0) continue;
    // log(1 + exp(e)) − y·e, computed stably.
    const sp = e > 0 ? e + Math.log1p(Math.exp(-e)) : Math.log1p(Math.exp(e));
    f += wi * (sp - (y[i] as number) * e);
  }
  let pen = 0;
  for (let a = 0; a < p; a++) pen += (b[a] as number) * (b[a] as number);
  return f + 0.5 * l2 * pen;
}

/** Solves A·x = b for symmetric positive definite A (m × m, row-major), in place on a copy. */
function choleskySolve(a: Float64Array, b: Float64Array, out: Float64Array, m: number): boolean {
  const l = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * m + j] as number;
      for (let k = 0; k < j; k++) s -= (l[i * m + k] as number) * (l[j * m + k] as number);
      if (i === j) {
        if (!(s > 0) || !Number.isFinite(s)) return false;
        l[i * m + i] = Math.sqrt(s);
      } else {
        l[i * m + j] = s / (l[j * m + j] as number);
      }
    }
  }
  for (let i = 0; i < m; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (l[i * m + k] as number) * (out[k] as number);
    out[i] = s / (l[i * m + i] as number);
  }
  for (let i = m - 1; i >= 0; i--) {
    let s = out[i] as number;
    for (let k = i + 1; k < m; k++) s -= (l[k * m + i] as number) * (out[k] as number);
    out[i] = s / (l[i * m + i] as number);
  }
  return true;
}
