import {
  ConvergenceError,
  checkOptions,
  InsufficientDataError,
  ValidationError,
  type ValidationIssue,
} from '../_lib/errors';
import { requireNumbers } from './_args';
import { type Design, type DesignArena, makeDesign, primeDenseKernels } from './_design';

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
/** Rows of the first two Hessian estimates on large data (far from the optimum, a rough one does). */
const FIRST_HESSIAN_ROWS = 5_000;
const OPTION_KEYS = ['l2', 'intercept', 'tolerance', 'maxIterations', 'weights'] as const;

/**
 * Fits an L2-regularised logistic regression to the exact optimum by Newton's method (IRLS) with
 * step halving. Each iteration solves `(XᵀWX + λI)·Δ = −∇` by Cholesky, so convergence is quadratic
 * and the answer matches scikit-learn's `LogisticRegression` to ~1e-8 on the same data.
 *
 * Speed: one fused pass over the rows per iteration, four rows at a time (linear predictor,
 * objective, probabilities and gradient together); the Hessian is built in blocks of rows, upper
 * triangle only, in 2 × 4 tiles, on dense row-major data (data under 40% non-zero goes through
 * compressed rows instead). The first Hessians come from evenly strided subsets (5,000 rows for two
 * steps, 20,000 for the third); once steps are below 0.05, BFGS updates from the exact gradients
 * replace recomputation, and a step that needs halving switches to the Hessian of every row. The
 * gradient is always exact, so the fixed point is the exact optimum.
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
 * @throws InsufficientDataError when there are no rows, or (weighted) labels hold one class only and an
 *   intercept is fitted.
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
  primeLogistic(typeof y === 'object' && y !== null && typeof y.length === 'number' ? y.length : 0);
  return fitUnprimed(x, y, p, options);
}

/** {@link fitLogisticRegression} without the priming (which runs it on small fits). */
function fitUnprimed(
  x: ArrayLike<number>,
  y: ArrayLike<number | boolean>,
  p: number,
  options: LogisticRegressionOptions,
): LogisticRegressionFit {
  checkOptions(FN, options, OPTION_KEYS);
  const l2 = options.l2 ?? 1;
  const useIntercept = options.intercept ?? true;
  const { yy, ww, nnz } = readInputs(x, y, p, options, l2);
  const n = yy.length;
  // Parameter vector: [β_0..β_{p-1}, intercept]. m = number of free parameters.
  const beta = new Float64Array(p + 1);
  if (useIntercept) beta[p] = startingIntercept(yy, ww);
  const design = makeDesign(x, n, p, yy, ww, nnz);
  const settings = {
    l2,
    useIntercept,
    tol: options.tolerance ?? 1e-10,
    maxIter: options.maxIterations ?? 100,
  };
  return newton(design, yy, beta, settings);
}

/**
 * The fit of `trainChurnModel` (internal): `x` comes from the feature encoder (finite by
 * construction, `nnz` non-zero cells; built in `arena` when the encoder could), labels are 0/1 (`ones`
 * of them 1, counted by the caller) and every weight is 1, so the input checks of
 * {@link fitLogisticRegression} are skipped. Same result as `fitLogisticRegression(x, y, p, { l2 })`,
 * bit for bit: the starting intercept's weighted sums are the exact integers `n` and `ones`.
 */
export function fitEncodedLogistic(
  x: Float64Array,
  y: Uint8Array,
  ones: number,
  p: number,
  l2: number,
  nnz: number,
  arena: DesignArena | null,
): LogisticRegressionFit {
  // trainChurnModel primed before reading its rows, with its guess of the design: nothing more here.
  primeLogistic(y.length, true);
  const n = y.length;
  const yy = Float64Array.from(y);
  const ww = new Float64Array(n).fill(1);
  const beta = new Float64Array(p + 1);
  beta[p] = logOdds(ones, n);
  const design = makeDesign(x, n, p, yy, ww, nnz, arena);
  return newton(design, yy, beta, { l2, useIntercept: true, tol: 1e-10, maxIter: 100 });
}

/** Checks the inputs; returns labels and weights as typed arrays. */
function readInputs(
  x: ArrayLike<number>,
  y: ArrayLike<number | boolean>,
  p: number,
  options: LogisticRegressionOptions,
  l2: number,
): { yy: Float64Array; ww: Float64Array; nnz: number } {
  requireNumbers(FN, 'x', x);
  requireNumbers(FN, 'y', y, true);
  if (options.weights !== undefined) requireNumbers(FN, 'weights', options.weights);
  if (typeof p !== 'number' || !Number.isInteger(p) || p < 0)
    throw new ValidationError(FN, [
      { path: ['p'], code: 'invalid_value', message: 'p must be an integer >= 0' },
    ]);
  const n = y.length;
  const issues: ValidationIssue[] = [];
  if (x.length !== n * p)
    issues.push({
      path: ['x'],
      code: 'invalid_length',
      message: `x has ${x.length} cells, expected n·p = ${n * p}`,
    });
  if (!(l2 >= 0) || !Number.isFinite(l2))
    issues.push({ path: ['l2'], code: 'invalid_value', message: 'option "l2" must be a finite number >= 0' });
  const weights = options.weights;
  if (weights !== undefined && weights.length !== n)
    issues.push({
      path: ['weights'],
      code: 'invalid_length',
      message: 'option "weights" must have one entry per row',
    });
  if (issues.length > 0) throw new ValidationError(FN, issues);
  // Before anything is sized by p: with no rows, x = [] fits any p, even 1e12.
  if (n === 0) throw new InsufficientDataError(FN, 'there are no rows to fit', { available: 0, required: 1 });
  const yy = new Float64Array(n);
  const ww = new Float64Array(n);
  for (let i = 0; i < n && issues.length <= 20; i++) {
    const v = y[i];
    const yi = v === true ? 1 : v === false ? 0 : (v as number);
    if (yi !== 0 && yi !== 1)
      issues.push({ index: i, path: ['y'], code: 'invalid_label', message: 'label must be 0 or 1' });
    yy[i] = yi;
    const w = weights === undefined ? 1 : (weights[i] as number);
    if (!(w >= 0) || !Number.isFinite(w))
      issues.push({
        index: i,
        path: ['weights'],
        code: 'invalid_value',
        message: 'weight must be finite and >= 0',
      });
    ww[i] = w;
  }
  // One sweep checks every cell and counts the non-zero ones (the design picks its layout by that).
  let nnz = 0;
  for (let k = 0; k < x.length; k++) {
    const v = x[k] as number;
    if (v !== 0) nnz++;
    if (v - v !== 0) {
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
  return { yy, ww, nnz };
}

/** Log-odds of the weighted base rate (the intercept-only optimum). */
function startingIntercept(yy: Float64Array, ww: Float64Array): number {
  let sw = 0;
  let sy = 0;
  for (let i = 0; i < yy.length; i++) {
    sw += ww[i] as number;
    sy += (ww[i] as number) * (yy[i] as number);
  }
  return logOdds(sy, sw);
}

function logOdds(sy: number, sw: number): number {
  if (!(sy > 0 && sy < sw)) {
    // One class only: the unpenalised intercept has no finite optimum (scikit-learn refuses too).
    throw new InsufficientDataError(FN, 'labels hold one class only; an intercept cannot be fitted', {
      available: 1,
      required: 2,
    });
  }
  const rate = sy / sw;
  return Math.log(rate / (1 - rate));
}

/** Whether the TypeScript fit / the dense WebAssembly kernels already ran in this process (see {@link primeLogistic}). */
const primed = { fit: false, dense: false };

/**
 * A fit whose rows look sparse (see `primeLogistic`) primes the dense WebAssembly kernels only from
 * this many rows. Priming compiles and instantiates three modules and has V8 optimise their functions
 * in the background (~5 ms of a fresh process's CPU): a sparse fit (one-hot heavy data, e.g. the CLI's)
 * never runs them, and below this size a wrong guess costs a dense fit only a few baseline-tier sweeps.
 */
const PRIME_DENSE_ROWS = 20_000;

/**
 * Cold start: the first large fit of a process runs its loops in the interpreter until V8 compiles
 * them on the fly (OSR), and code after a loop that has not run yet has no type feedback, so the
 * compiled loop is thrown away when it gets there and compiled again (three compilations of the
 * dense sweep were seen in one first fit). A 12-row fit through the same code first (a sparse design;
 * also a dense one when the dense kernels are primed; {@link primeFit}), once per process, gives every
 * line its feedback: the large fit's loops compile once. Before them, `primeDenseKernels` runs the
 * WebAssembly kernels enough for V8 to optimise them in the background while the rows are read,
 * unless the caller says its `n` rows look sparse (`sparse`) and `n` < {@link PRIME_DENSE_ROWS}.
 * `trainChurnModel` calls this before reading its rows. About a millisecond once loaded; no result
 * depends on it.
 */
export function primeLogistic(n: number, sparse = false): void {
  if (!primed.dense && (!sparse || n >= PRIME_DENSE_ROWS)) {
    primed.dense = true;
    primeDenseKernels();
    primeFit(true);
  }
  if (!primed.fit) {
    primed.fit = true;
    if (sparse && n >= PRIME_SPARSE_ROWS) primeSparse();
    else primeFit(false);
  }
}

/** A 12-row fit through the code of a dense (every cell non-zero) or a sparse (one cell in three) design; labels overlap. */
function primeFit(dense: boolean): void {
  const n = 12;
  const x = new Float64Array(n * 3);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (dense) for (let j = 0; j < 3; j++) x[i * 3 + j] = ((i * (j + 2)) % 7) - 2.5;
    else x[i * 3 + (i % 3)] = 1 + (i % 2);
    y[i] = (i * 5) % 3 === 0 ? 1 : 0;
  }
  fitUnprimed(x, y, 3, { l2: 1 });
}

/** Sparse-looking fits of at least this many rows get the larger sparse priming ({@link primeSparse}). */
const PRIME_SPARSE_ROWS = 1000;

/**
 * A 256-row sparse fit (6 columns, two non-zero cells a row, labels overlapping them): enough sweeps
 * and Hessians for V8 to mark the sparse kernels for optimisation here, so they compile in the
 * background while the rows are read instead of running unoptimised in the first real fit while they
 * compile (the CLI's first fit: CPU ~58 -> ~54 ms, 15 processes each, loaded machine); ~0.5 ms. Only for
 * sparse-looking rows: it added ~5 ms to a dense first fit (compiling code that fit never runs).
 */
function primeSparse(): void {
  const n = 256;
  const p = 6;
  const x = new Float64Array(n * p);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const a = i % p;
    x[i * p + a] = 1 + (i % 2);
    x[i * p + ((a + 1 + ((i >> 3) % 5)) % p)] = 1;
    y[i] = (i * 5) % 7 < 3 ? 1 : 0;
  }
  fitUnprimed(x, y, p, { l2: 1 });
}

interface NewtonSettings {
  l2: number;
  useIntercept: boolean;
  tol: number;
  maxIter: number;
}

/**
 * Damped Newton iterations. `design.pass` computes, for a parameter vector, the objective, the
 * probabilities and the gradient in one sweep (always over every row, so the fixed point is the
 * exact optimum). The Hessian is recomputed for the first three steps and while steps exceed 0.05,
 * from strided subsets of the rows when there are more (5,000 rows for the first two, 20,000 for the
 * third); between recomputations BFGS updates from the exact gradients correct it (a rank-two change
 * per step, faster than a frozen Hessian). A step that needs halving, or slow convergence, switches to
 * plain Newton with the Hessian of every row (recomputed while steps exceed 1e-3).
 */
function newton(
  design: Design,
  yy: Float64Array,
  beta: Float64Array,
  s: NewtonSettings,
): LogisticRegressionFit {
  const { l2, useIntercept, tol, maxIter } = s;
  const n = yy.length;
  const p = design.p;
  const m = p + (useIntercept ? 1 : 0);
  const grad = new Float64Array(p + 1);
  const hess = new Float64Array(m * m);
  const step = new Float64Array(m);
  const trial = new Float64Array(p + 1);
  const gPrev = new Float64Array(p + 1);
  const moved = new Float64Array(m);
  const work = new Float64Array(2 * m);
  // The first Hessians use a strided subsample of the rows (an inexact Newton step; the gradient
  // is always exact, so the optimum is too). A stride can alias with periodic data (every 3rd row
  // may share one category), so as soon as a step needs halving or convergence is slow, the full
  // Hessian takes over.
  let stride = Math.ceil(n / FIRST_HESSIAN_ROWS);
  let fullFrom = Number.POSITIVE_INFINITY;
  let switched = 0;
  let f = design.pass(beta, l2, grad);
  let gnorm = Number.POSITIVE_INFINITY;
  let lastMaxStep = Number.POSITIVE_INFINITY;
  let canUpdate = false;
  for (let iter = 1; iter <= maxIter; iter++) {
    if (!useIntercept) grad[p] = 0;
    gnorm = 0;
    for (let a = 0; a < m; a++) gnorm = Math.max(gnorm, Math.abs(grad[a] as number));
    if (stride > 1 && iter === 3) stride = Math.ceil(n / HESSIAN_ROWS);
    // Slow convergence (still moving by more than 1e-6 after 8 steps, or 12 steps) also switches.
    if (switched === 0 && (iter >= fullFrom || (iter >= 8 && lastMaxStep > 1e-6) || iter >= 12)) {
      stride = 1;
      switched = iter;
    }
    // Recomputed for the first three steps and while steps are large (after a switch to the full
    // Hessian: while they exceed 1e-3); otherwise BFGS-updated.
    if (iter <= 3 || lastMaxStep > (switched > 0 ? 1e-3 : 5e-2) || iter === switched) {
      design.hessian(stride, m, hess);
      for (let a = 0; a < p; a++) hess[a * m + a] = (hess[a * m + a] as number) + l2;
    } else if (canUpdate) design.update(hess, moved, grad, gPrev, m, work);
    // Solve H·step = grad (Cholesky; a tiny ridge if H is numerically singular).
    if (!design.solve(hess, grad, step, m)) {
      for (let a = 0; a < m; a++) hess[a * m + a] = (hess[a * m + a] as number) + 1e-8;
      if (!design.solve(hess, grad, step, m)) {
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
    if (maxStep < tol) {
      // The step is below the tolerance: take it without another sweep (a sweep at β − Δ would
      // only confirm that the objective does not rise; the objective and gradient norm reported
      // are those at β, which differ from those at β − Δ in the last digits).
      for (let a = 0; a < m; a++) beta[a] = (beta[a] as number) - (step[a] as number);
      return {
        coefficients: beta.slice(0, p),
        intercept: useIntercept ? (beta[p] as number) : 0,
        iterations: iter,
        objective: f,
        gradientNorm: gnorm,
      };
    }
    gPrev.set(grad);
    // Step halving until the objective does not increase (each trial also yields the new gradient).
    let t = 1;
    let fNew = f;
    for (let half = 0; half < 40; half++) {
      for (let a = 0; a < p; a++) trial[a] = (beta[a] as number) - t * (step[a] as number);
      trial[p] = useIntercept ? (beta[p] as number) - t * (step[p] as number) : 0;
      fNew = design.pass(trial, l2, grad);
      if (fNew <= f + 1e-12 * Math.abs(f)) break;
      t /= 2;
    }
    if (t < 1) fullFrom = Math.min(fullFrom, iter + 1);
    for (let a = 0; a < m; a++) moved[a] = (trial[a] as number) - (beta[a] as number);
    // Tiny steps carry gradient differences dominated by rounding: no update from them.
    canUpdate = maxStep * t > 1e-9;
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
