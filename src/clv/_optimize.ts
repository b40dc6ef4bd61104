/**
 * Unconstrained minimisation for the maximum-likelihood fits (private to the module).
 *
 * Strategy: BFGS with an Armijo backtracking line search on the log-parameters (analytic gradient
 * when the model provides one, central differences otherwise). If BFGS stalls away from a
 * stationary point, Nelder–Mead restarts from the best point found and BFGS polishes again.
 * Failure raises `ConvergenceError` with the optimiser state; it never returns silently.
 * @module
 */
import { ConvergenceError } from '../_lib/errors';
import { bfgs, Counter, nelderMead } from './_bfgs';

/** Objective: returns f(θ) and, when `grad` is given, writes ∇f(θ) into it. Non-finite = infeasible. */
export type Objective = (theta: Float64Array, grad: Float64Array | null) => number;

export interface MinimizeOptions {
  /** Whether the objective fills the gradient itself. */
  analyticGradient: boolean;
  maxIterations?: number;
  /** Stop when ‖∇f‖∞ ≤ gradTol·max(1, |f|). */
  gradTol?: number;
}

export interface MinimizeResult {
  theta: Float64Array;
  value: number;
  iterations: number;
  gradientNorm: number;
  evaluations: number;
}

/**
 * Minimises `f` from `x0`. Throws `ConvergenceError` (attributed to `fn`) when no stationary point
 * is found, or when the solution runs off to |θᵢ| > 30 (a parameter at 0 or infinity in natural
 * units: the data do not identify the model).
 */
export function minimize(
  fn: string,
  f: Objective,
  x0: readonly number[],
  options: MinimizeOptions,
): MinimizeResult {
  const maxIter = options.maxIterations ?? 500;
  const gradTol = options.gradTol ?? 1e-8;
  const c = new Counter(f, options.analyticGradient);
  let res = bfgs(c, Float64Array.from(x0), maxIter, gradTol);
  let totalIter = res.iterations;
  if (!res.ok) {
    const start = Number.isFinite(res.value) ? res.theta : Float64Array.from(x0);
    const nm = nelderMead(c, start, 400 * x0.length);
    res = bfgs(c, nm.theta, maxIter, gradTol);
    totalIter += res.iterations;
  }
  let offBounds = false;
  for (let i = 0; i < res.theta.length; i++) if (!(Math.abs(res.theta[i] as number) <= 30)) offBounds = true;
  if (!res.ok || offBounds || !Number.isFinite(res.value)) {
    throw new ConvergenceError(fn, {
      iterations: totalIter,
      params: Array.from(res.theta, (v) => Math.exp(v)),
      value: res.value,
      gradientNorm: res.gradientNorm,
      reason: offBounds ? 'a parameter diverged to 0 or infinity' : res.reason,
    });
  }
  return { ...res, iterations: totalIter, evaluations: c.evals };
}

/**
 * Numeric Hessian of f at θ (central differences of the gradient when analytic, of f otherwise),
 * symmetrised. Row-major n×n.
 */
export function numericHessian(f: Objective, theta: Float64Array, analyticGradient: boolean): Float64Array {
  const n = theta.length;
  const H = new Float64Array(n * n);
  const t = Float64Array.from(theta);
  if (analyticGradient) {
    const gp = new Float64Array(n);
    const gm = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const h = 1e-5 * Math.max(1, Math.abs(theta[i] as number));
      t[i] = (theta[i] as number) + h;
      f(t, gp);
      t[i] = (theta[i] as number) - h;
      f(t, gm);
      t[i] = theta[i] as number;
      for (let j = 0; j < n; j++) H[i * n + j] = ((gp[j] as number) - (gm[j] as number)) / (2 * h);
    }
  } else {
    const f0 = f(t, null);
    const hs = Array.from(theta, (v) => 1e-4 * Math.max(1, Math.abs(v)));
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        const hi = hs[i] as number;
        const hj = hs[j] as number;
        if (i === j) {
          t[i] = (theta[i] as number) + hi;
          const fp = f(t, null);
          t[i] = (theta[i] as number) - hi;
          const fm = f(t, null);
          t[i] = theta[i] as number;
          H[i * n + i] = (fp - 2 * f0 + fm) / (hi * hi);
        } else {
          const ev = (di: number, dj: number): number => {
            t[i] = (theta[i] as number) + di;
            t[j] = (theta[j] as number) + dj;
            const v = f(t, null);
            t[i] = theta[i] as number;
            t[j] = theta[j] as number;
            return v;
          };
          const v = (ev(hi, hj) - ev(hi, -hj) - ev(-hi, hj) + ev(-hi, -hj)) / (4 * hi * hj);
          H[i * n + j] = v;
          H[j * n + i] = v;
        }
      }
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = ((H[i * n + j] as number) + (H[j * n + i] as number)) / 2;
      H[i * n + j] = v;
      H[j * n + i] = v;
    }
  }
  return H;
}

/** Inverse of a small symmetric matrix by Gauss–Jordan with partial pivoting; null if singular. */
export function invertMatrix(A: Float64Array, n: number): Float64Array | null {
  const M = Float64Array.from(A);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++)
      if (Math.abs(M[r * n + col] as number) > Math.abs(M[piv * n + col] as number)) piv = r;
    const pv = M[piv * n + col] as number;
    if (!(Math.abs(pv) > 1e-300)) return null;
    if (piv !== col) {
      for (let j = 0; j < n; j++) {
        let tmp = M[col * n + j] as number;
        M[col * n + j] = M[piv * n + j] as number;
        M[piv * n + j] = tmp;
        tmp = inv[col * n + j] as number;
        inv[col * n + j] = inv[piv * n + j] as number;
        inv[piv * n + j] = tmp;
      }
    }
    for (let j = 0; j < n; j++) {
      M[col * n + j] = (M[col * n + j] as number) / pv;
      inv[col * n + j] = (inv[col * n + j] as number) / pv;
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const fct = M[r * n + col] as number;
      if (fct === 0) continue;
      for (let j = 0; j < n; j++) {
        M[r * n + j] = (M[r * n + j] as number) - fct * (M[col * n + j] as number);
        inv[r * n + j] = (inv[r * n + j] as number) - fct * (inv[col * n + j] as number);
      }
    }
  }
  return inv;
}

/**
 * Standard errors of the natural parameters θ = exp(φ) from the Hessian of the negative
 * log-likelihood in φ (delta method: se(θᵢ) = θᵢ·se(φᵢ)). NaN-free: null entries when the
 * Hessian is not positive definite.
 */
export function standardErrorsFromLogHessian(
  f: Objective,
  phi: Float64Array,
  analyticGradient: boolean,
): (number | null)[] {
  const n = phi.length;
  const H = numericHessian(f, phi, analyticGradient);
  const inv = invertMatrix(H, n);
  const out: (number | null)[] = [];
  for (let i = 0; i < n; i++) {
    const v = inv ? (inv[i * n + i] as number) : Number.NaN;
    out.push(v > 0 && Number.isFinite(v) ? Math.exp(phi[i] as number) * Math.sqrt(v) : null);
  }
  return out;
}

/** Standard errors on both scales, with the reason when some are missing. */
export interface LogHessianErrors {
  /** se(θᵢ) on the natural scale (delta method), null when not available. */
  natural: (number | null)[];
  /** se(φᵢ) of the log-parameter, null when not available. */
  log: (number | null)[];
  /** Why some are null (Hessian singular or not positive definite), else null. */
  reason: string | null;
}

/** {@link standardErrorsFromLogHessian} with the log-scale errors and the reason for missing ones. */
export function logHessianErrors(
  f: Objective,
  phi: Float64Array,
  analyticGradient: boolean,
): LogHessianErrors {
  const n = phi.length;
  const H = numericHessian(f, phi, analyticGradient);
  const inv = invertMatrix(H, n);
  const natural: (number | null)[] = [];
  const log: (number | null)[] = [];
  let missing = 0;
  for (let i = 0; i < n; i++) {
    const v = inv ? (inv[i * n + i] as number) : Number.NaN;
    const ok = v > 0 && Number.isFinite(v);
    if (!ok) missing++;
    log.push(ok ? Math.sqrt(v) : null);
    const se = ok ? Math.exp(phi[i] as number) * Math.sqrt(v) : null;
    natural.push(se !== null && Number.isFinite(se) ? se : null);
  }
  const reason =
    inv === null
      ? 'the Hessian of the log-likelihood is singular (the likelihood is flat in some direction)'
      : missing > 0
        ? 'the Hessian of the log-likelihood is not positive definite at the optimum (flat or saddle in some direction)'
        : null;
  return { natural, log, reason };
}

/** A warning of a fit (same shape as `VitalsWarning<ClvWarningCode>`, kept local to avoid a cycle). */
export interface FitWarning {
  code: 'degenerate_fit' | 'standard_errors_unavailable';
  message: string;
}

/** A maximum-likelihood fit on the natural scale: named parameters and the model diagnostics. */
export interface NamedFit<K extends string> {
  params: Record<K, number>;
  diag: {
    logLikelihood: number;
    standardErrors: Record<K, number | null>;
    /** Why standard errors are missing (not requested, or the Hessian is not positive definite); null when all are present. */
    standardErrorsReason: string | null;
    iterations: number;
    customers: number;
    /** `degenerate_fit` / `standard_errors_unavailable` warnings (see {@link degeneracyWarnings}). */
    warnings: FitWarning[];
  };
}

/** What to do about a degenerate repeat-purchase fit (the end of every `degenerate_fit` message). */
export const DEGENERATE_ADVICE =
  'What to do: use a longer observation window, compare with BG/NBD or MBG/NBD, or use the historical method (estimateClv switches and says why).';

/** What a fitter tells {@link fitLogParameters} to check the fit for degeneracy. */
export interface DegeneracyCheck<K extends string> {
  /** Shape parameters (unit-free): below 1e-4 or above 1e3 they are at the boundary of their range. */
  shapes: readonly K[];
  /** A model-specific reading of the parameters, e.g. "the data show no dropout" (null when fine). */
  meaning?: (params: Record<K, number>) => string | null;
  /** What to do about it. */
  advice: string;
}

const fmtParam = (v: number): string =>
  v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)
    ? v.toExponential(1)
    : String(Number(v.toPrecision(3)));

/**
 * Degeneracy of a maximum-likelihood fit: shape parameters at the boundary of their range (< 1e-4
 * or > 1e3), a flat likelihood (no standard error: Hessian singular or not positive definite), or
 * huge standard errors (se of the log-parameter > 3, i.e. uncertain by a factor of 20 either way);
 * plus the model's own reading. One `degenerate_fit` warning saying what it means and what to do.
 */
export function degeneracyWarnings<K extends string>(
  fn: string,
  names: readonly K[],
  params: Record<K, number>,
  seLog: readonly (number | null)[] | null,
  check: DegeneracyCheck<K>,
): FitWarning[] {
  const problems: string[] = [];
  const boundary = check.shapes.filter((k) => !(params[k] >= 1e-4 && params[k] <= 1e3));
  if (boundary.length > 0)
    problems.push(
      `${boundary.map((k) => `${k} = ${fmtParam(params[k])}`).join(', ')} ${boundary.length === 1 ? 'is' : 'are'} at the boundary of the parameter range`,
    );
  if (seLog !== null) {
    const flat = names.filter((_, i) => seLog[i] === null);
    if (flat.length > 0) problems.push(`the likelihood is flat in ${flat.join(', ')} (no standard error)`);
    const huge = names.filter((_, i) => (seLog[i] ?? 0) > 3);
    if (huge.length > 0)
      problems.push(
        `${huge.join(', ')} ${huge.length === 1 ? 'is' : 'are'} not identified (standard error more than 3 on the log scale)`,
      );
  }
  const meaning = check.meaning?.(params) ?? null;
  if (problems.length === 0 && meaning === null) return [];
  const what = problems.length > 0 ? `${problems.join('; ')}. ` : '';
  return [
    {
      code: 'degenerate_fit',
      message: `${fn}: degenerate fit: ${what}${meaning ? `${meaning} ` : ''}${check.advice}`,
    },
  ];
}

/**
 * Minimises the negative log-likelihood `f` of the log-parameters from `x0` and names the result
 * with `names` (in θ order): parameters exp(θ̂), log-likelihood −f(θ̂), standard errors from the
 * log-Hessian (all null, with the reason, when `options.standardErrors` is false or the Hessian is
 * not positive definite), and `degenerate_fit` warnings when `check` is given.
 * @throws {ConvergenceError} when the optimiser fails.
 */
export function fitLogParameters<K extends string>(
  fn: string,
  f: Objective,
  x0: readonly number[],
  names: readonly K[],
  analyticGradient: boolean,
  options: { maxIterations?: number; standardErrors?: boolean },
  customers: number,
  check?: DegeneracyCheck<K>,
): NamedFit<K> {
  const res = minimize(fn, f, x0, { analyticGradient, maxIterations: options.maxIterations });
  const wantSe = options.standardErrors !== false;
  const errs = wantSe ? logHessianErrors(f, res.theta, analyticGradient) : null;
  const params = {} as Record<K, number>;
  const standardErrors = {} as Record<K, number | null>;
  names.forEach((k, i) => {
    params[k] = Math.exp(res.theta[i] as number);
    standardErrors[k] = errs?.natural[i] ?? null;
  });
  const standardErrorsReason = errs === null ? 'not computed (option standardErrors: false)' : errs.reason;
  const warnings: FitWarning[] = check ? degeneracyWarnings(fn, names, params, errs?.log ?? null, check) : [];
  if (errs?.reason && warnings.length === 0)
    warnings.push({
      code: 'standard_errors_unavailable',
      message: `${fn}: no standard errors: ${errs.reason}; treat the parameters as uncertain.`,
    });
  return {
    params,
    diag: {
      logLikelihood: -res.value,
      standardErrors,
      standardErrorsReason,
      iterations: res.iterations,
      customers,
      warnings,
    },
  };
}
