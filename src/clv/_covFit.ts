/**
 * Shared maximum-likelihood fitter of the covariate-extended Pareto/NBD and BG/NBD models.
 *
 * Customers with the same covariate vector form a group; each group's likelihood is the base
 * model's compressed likelihood (with its analytic gradient in log-parameters) at the group's own
 * parameters, so the gradient in the coefficients follows by the chain rule:
 * ∂/∂γ_trans,j = −x_gj·∂/∂ln α_g, and ∂/∂γ_life,j = −x_gj·∂/∂ln β_g (Pareto/NBD) or
 * x_gj·(∂/∂ln a_g + ∂/∂ln b_g) (BG/NBD). The optional L2 penalty is CLVTools':
 * −LL/n + λ_trans‖γ_trans‖² + λ_life‖γ_life‖², i.e. n·λ‖γ‖² added to −LL.
 * @module
 */

import { didYouMean } from '../_lib/closest';
import { checkOptions, ValidationError, type ValidationIssue } from '../_lib/errors';
import { isPlainObject } from '../_lib/safe';
import type { VitalsWarning } from '../types';
import { type CovariateColumn, codeCovariates, groupByCovariates } from './_covariates';
import { groupedObjective, groupObjectives, l2Penalty, parameterLayout } from './_covObjective';
import { invertMatrix, minimize, numericHessian, type Objective } from './_optimize';
import { CovariateRepeatModel, type CovariateWarningCode } from './CovariateRepeatModel';
import { compressRfm } from './compressRfm';
import { fitBGNBD } from './fitBGNBD';
import { fitParetoNBD } from './fitParetoNBD';
import type { FitOptions, RfmColumns, RfmRow } from './types';

/** Options of {@link fitParetoNBDCovariates} and {@link fitBGNBDCovariates}. */
export interface CovariateFitOptions extends FitOptions {
  /** Named covariate columns, one value per summary row: numbers, or strings/booleans (categorical, one-hot coded). */
  covariates: Record<string, CovariateColumn>;
  /** Covariates acting on the purchase process (α). @default every covariate */
  transaction?: readonly string[];
  /** Covariates acting on the dropout process (β, or a and b). @default every covariate */
  lifetime?: readonly string[];
  /** Covariates whose transaction and lifetime coefficients are constrained to be equal (must be in both lists). @default [] */
  constrain?: readonly string[];
  /** Reference level per categorical covariate. @default the first level in code-unit order */
  reference?: Record<string, string>;
  /** L2 penalty (CLVTools' `reg.lambdas`): one number for both processes or `{ transaction, lifetime }`. @default 0 */
  lambda?: number | { transaction?: number; lifetime?: number };
  /** Accept constant covariates (their coefficient is then not identified; for nesting checks). @default false */
  allowConstant?: boolean;
}

const KNOWN = [
  'covariates',
  'transaction',
  'lifetime',
  'constrain',
  'reference',
  'lambda',
  'allowConstant',
  'initialParams',
  'maxIterations',
  'standardErrors',
] as const;

function toColumns(fn: string, data: unknown): RfmColumns {
  if (Array.isArray(data)) {
    const rows = data as readonly RfmRow[];
    const n = rows.length;
    const pick = (k: keyof RfmRow) =>
      Array.from({ length: n }, (_, i) => (rows[i] as RfmRow | undefined)?.[k] as number);
    return {
      frequency: pick('frequency'),
      recency: pick('recency'),
      T: pick('T'),
      count: pick('count').map((c) => c ?? 1),
    };
  }
  if (isPlainObject(data) && (data as { kind?: unknown }).kind === 'compressed-rfm') {
    throw new ValidationError(fn, [
      {
        path: ['data'],
        code: 'invalid_type',
        message:
          'compressed summaries lose the row order the covariate columns follow; pass the rows or columns',
      },
    ]);
  }
  if (isPlainObject(data) && 'frequency' in data) return data as unknown as RfmColumns;
  throw new ValidationError(fn, [
    { path: ['data'], code: 'invalid_type', message: 'data must be summary rows or columns' },
  ]);
}

function names(field: string, v: unknown, known: readonly string[], issues: ValidationIssue[]): string[] {
  if (v === undefined) return [...known];
  if (!Array.isArray(v)) {
    issues.push({
      path: [field],
      code: 'not_an_array',
      message: `option "${field}" must be an array of covariate names`,
    });
    return [];
  }
  const out: string[] = [];
  v.forEach((s, i) => {
    if (typeof s !== 'string' || !known.includes(s)) {
      issues.push({
        path: [field, i],
        code: 'unknown_column',
        message: `option "${field}": unknown covariate ${JSON.stringify(s)}${typeof s === 'string' ? didYouMean(s, known) : ''}`,
      });
    } else out.push(s);
  });
  return out;
}

function lambdaOf(issues: ValidationIssue[], v: unknown): { transaction: number; lifetime: number } {
  const ok = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x >= 0;
  if (v === undefined) return { transaction: 0, lifetime: 0 };
  if (typeof v === 'number') {
    if (!ok(v))
      issues.push({
        path: ['lambda'],
        code: 'invalid_value',
        message: 'option "lambda" must be a finite number >= 0',
      });
    return { transaction: ok(v) ? v : 0, lifetime: ok(v) ? v : 0 };
  }
  if (isPlainObject(v)) {
    const out = { transaction: 0, lifetime: 0 };
    for (const k of Object.keys(v)) {
      if (k !== 'transaction' && k !== 'lifetime') {
        issues.push({
          path: ['lambda', k],
          code: 'unknown_key',
          message: `option "lambda": unknown key "${k}"${didYouMean(k, ['transaction', 'lifetime'])}`,
        });
        continue;
      }
      if (!ok(v[k]))
        issues.push({
          path: ['lambda', k],
          code: 'invalid_value',
          message: `option "lambda.${k}" must be a finite number >= 0`,
        });
      else out[k] = v[k] as number;
    }
    return out;
  }
  issues.push({
    path: ['lambda'],
    code: 'invalid_type',
    message: 'option "lambda" must be a number or { transaction, lifetime }',
  });
  return { transaction: 0, lifetime: 0 };
}

/**
 * Validates the input and builds the penalised negative log-likelihood of the covariate model in
 * θ = (ln base parameters, coefficients), with its analytic gradient, and the parameter layout.
 */
export function covariateProblem(
  fn: string,
  kind: 'paretonbd' | 'bgnbd',
  data: readonly RfmRow[] | RfmColumns,
  options: CovariateFitOptions,
) {
  checkOptions(fn, options, KNOWN);
  if (options === undefined || !('covariates' in options)) {
    throw new ValidationError(fn, [
      { path: ['covariates'], code: 'required', message: 'option "covariates" is required' },
    ]);
  }
  const cols = toColumns(fn, data);
  // Row validation (located errors) on the full data, as the base fitters do.
  compressRfm(cols, { fn });
  const n = cols.frequency.length;
  const design = codeCovariates(fn, options.covariates, n, {
    reference: options.reference,
    allowConstant: options.allowConstant,
  });
  const { transNames, lifeNames, constrNames, lambda } = processNames(
    fn,
    options,
    design.coding.map((c) => c.name),
  );
  const k = design.columns.length;
  const layout = parameterLayout(kind, design, transNames, lifeNames, constrNames);
  const { paramNames, tIdx, lIdx, constrCols } = layout;
  const P = paramNames.length;
  const used = Array.from(new Set([...layout.transCols, ...layout.lifeCols])).sort((a, b) => a - b);
  const groups = groupByCovariates(design, used);
  const objectives = groupObjectives(fn, kind, cols, groups.rows);
  const count = cols.count;
  let customers = 0;
  for (let i = 0; i < n; i++) customers += count ? (count[i] as number) : 1;
  // Per group: which θ index each used covariate feeds, in `used` order.
  const gt = Int32Array.from(used, (j) => tIdx[j] as number);
  const gl = Int32Array.from(used, (j) => lIdx[j] as number);
  const penalty = l2Penalty(paramNames, lambda, customers);
  const rawObjective = groupedObjective(kind, groups.values, used.length, gt, gl, objectives);
  const f: Objective = (theta, grad) => {
    const v = rawObjective(theta, grad);
    if (!Number.isFinite(v)) return v;
    return v + penalty(theta, grad);
  };
  return { f, penalty, cols, n, design, paramNames, tIdx, lIdx, constrCols, lambda, customers, k, P };
}

/** Reads `transaction`, `lifetime`, `constrain` and `lambda` against the covariate names; throws their issues. */
function processNames(
  fn: string,
  options: CovariateFitOptions,
  covNames: readonly string[],
): {
  transNames: string[];
  lifeNames: string[];
  constrNames: string[];
  lambda: { transaction: number; lifetime: number };
} {
  const issues: ValidationIssue[] = [];
  const transNames = names('transaction', options.transaction, covNames, issues);
  const lifeNames = names('lifetime', options.lifetime, covNames, issues);
  const constrNames =
    options.constrain === undefined ? [] : names('constrain', options.constrain, covNames, issues);
  for (const c of constrNames) {
    if (!transNames.includes(c) || !lifeNames.includes(c))
      issues.push({
        path: ['constrain'],
        code: 'invalid_value',
        message: `option "constrain": covariate "${c}" must act on both processes to be constrained`,
      });
  }
  const lambda = lambdaOf(issues, options.lambda);
  if (issues.length > 0) throw new ValidationError(fn, issues);
  return { transNames, lifeNames, constrNames, lambda };
}

/** Fits the covariate model of the given kind; see the public wrappers for the documentation. */
export function fitCovariateModel(
  fn: string,
  kind: 'paretonbd' | 'bgnbd',
  data: readonly RfmRow[] | RfmColumns,
  options: CovariateFitOptions,
): CovariateRepeatModel {
  const { f, penalty, cols, n, design, paramNames, tIdx, lIdx, constrCols, lambda, customers, k, P } =
    covariateProblem(fn, kind, data, options);
  // Start from the no-covariate fit with all coefficients 0.
  const baseOpts = {
    standardErrors: false,
    maxIterations: options.maxIterations,
    initialParams: options.initialParams,
  };
  const base = kind === 'paretonbd' ? fitParetoNBD(cols, baseOpts) : fitBGNBD(cols, baseOpts);
  const bp = base.params as unknown as Record<string, number>;
  const baseNames = kind === 'paretonbd' ? ['r', 'alpha', 's', 'beta'] : ['r', 'alpha', 'a', 'b'];
  const x0 = new Array<number>(P).fill(0);
  baseNames.forEach((nm, i) => {
    x0[i] = Math.log(bp[nm] as number);
  });
  const res = minimize(fn, f, x0, { analyticGradient: true, maxIterations: options.maxIterations });
  const theta = res.theta;
  const warnings: VitalsWarning<CovariateWarningCode>[] = [];
  const cov = options.standardErrors !== false ? covarianceAt(f, theta, P, warnings) : null;
  if (lambda.transaction > 0 || lambda.lifetime > 0)
    warnings.push({
      code: 'regularized',
      message: `Coefficients are shrunk by an L2 penalty (lambda ${lambda.transaction} / ${lambda.lifetime}); standard errors come from the penalised Hessian and likelihood-ratio tests do not apply.`,
    });
  const params: Record<string, number> = {};
  const se: Record<string, number | null> = {};
  baseNames.forEach((nm, i) => {
    params[nm] = Math.exp(theta[i] as number);
    se[nm] = cov ? (params[nm] as number) * Math.sqrt(cov[i * P + i] as number) : null;
  });
  const transaction: Record<string, number> = {};
  const lifetime: Record<string, number> = {};
  for (let j = 0; j < k; j++) {
    const col = design.columns[j] as string;
    const ti = tIdx[j] as number;
    const li = lIdx[j] as number;
    if (ti >= 0) {
      transaction[col] = theta[ti] as number;
      se[`transaction.${col}`] = cov ? Math.sqrt(cov[ti * P + ti] as number) : null;
    }
    if (li >= 0) {
      lifetime[col] = theta[li] as number;
      se[`lifetime.${col}`] = cov ? Math.sqrt(cov[li * P + li] as number) : null;
    }
    // A shift of one standard deviation of x multiplying a scale by more than e^5 ≈ 150 is suspicious.
    const big =
      Math.max(Math.abs(transaction[col] ?? 0), Math.abs(lifetime[col] ?? 0)) * columnSd(design, j, n);
    if (big > 5)
      warnings.push({
        code: 'large_effect',
        message: `Covariate column "${col}" moves a scale parameter by a factor above e^5 per standard deviation; check its units or separation.`,
      });
  }
  const penalised = f(theta, null);
  const logLikelihood = -(penalised - penalty(theta, null));
  return new CovariateRepeatModel(
    {
      kind,
      params,
      coefficients: { transaction, lifetime },
      constrained: design.columns.filter((_, j) => constrCols.has(j)),
      standardErrors: se,
      parameterNames: paramNames,
      covariance: cov ? Array.from(cov) : null,
      logLikelihood,
      lambda,
      coding: design.coding,
      iterations: res.iterations,
      customers,
    },
    warnings,
  );
}

/** H⁻¹ at θ̂ (numeric Hessian of `f`), or null with `standard_errors_unavailable` when not positive definite. */
function covarianceAt(
  f: Objective,
  theta: Float64Array,
  P: number,
  warnings: VitalsWarning<CovariateWarningCode>[],
): Float64Array | null {
  const H = numericHessian(f, theta, true);
  const inv = invertMatrix(H, P);
  let pd = inv !== null;
  for (let i = 0; i < P && inv; i++) {
    const v = inv[i * P + i] as number;
    if (!(v > 0) || !Number.isFinite(v)) pd = false;
  }
  const cov = pd ? inv : null;
  if (!cov)
    warnings.push({
      code: 'standard_errors_unavailable',
      message:
        'The Hessian is not positive definite (e.g. a constant covariate), so standard errors and the covariance are null.',
    });
  return cov;
}

/** Population standard deviation of design column `j` over the `n` rows. */
function columnSd(design: ReturnType<typeof codeCovariates>, j: number, n: number): number {
  const k = design.columns.length;
  let m = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) m += design.values[i * k + j] as number;
  m /= n;
  for (let i = 0; i < n; i++) s2 += ((design.values[i * k + j] as number) - m) ** 2;
  return Math.sqrt(s2 / n);
}
