import { checkOptions, ValidationError, type ValidationIssue } from '../_lib/errors';
import { createRng } from '../_lib/random';
import type { SeedOptions, VitalsWarning } from '../types';
import { checkHistory } from './_betaGeo';
import { covariateIntervals } from './_covIntervals';
import { argumentError } from './_errors';
import {
  bootstrapDraws,
  customerIntervals,
  drawStore,
  type FittedModel,
  interval,
  kindOf,
  parametricDraws,
  recordCustomer,
} from './_intervalDraws';
import type { BGNBDModel } from './BGNBDModel';
import { CovariateRepeatModel } from './CovariateRepeatModel';
import { compressRfm } from './compressRfm';
import type { MBGNBDModel } from './MBGNBDModel';
import type { ParetoNBDModel } from './ParetoNBDModel';
import type { CustomerHistory, LifetimeValueOptions, RfmInput } from './types';

/** A repeat-purchase model {@link clvIntervals} can bootstrap. */
export type IntervalModel = BGNBDModel | MBGNBDModel | ParetoNBDModel | CovariateRepeatModel;

/** An interval estimate that says how it was computed. */
export interface ClvInterval {
  /** The point estimate from the fitted model. */
  estimate: number;
  lower: number;
  upper: number;
  /** How the interval was computed, e.g. "90% percentile interval of 200 parametric-bootstrap draws ...". */
  method: string;
}

/** Warning codes of {@link clvIntervals}. */
export type ClvIntervalWarningCode = 'failed_draws' | 'singular_hessian';

/** Options of {@link clvIntervals}. */
export interface ClvIntervalOptions extends SeedOptions {
  /** Horizon (model time units) of E[X(t)] and of the customers' conditional expected purchases. */
  t: number;
  /** Customers whose CET, P(alive) (and CLV with `clv`) get intervals. @default [] */
  customers?: readonly CustomerHistory[];
  /** Lifetime-value options; when given, each customer also gets a CLV interval. @default undefined */
  clv?: LifetimeValueOptions;
  /** Central coverage of the intervals. @default 0.9 */
  level?: number;
  /** Number of draws (parametric) or refits (bootstrap). @default 200 */
  draws?: number;
  /**
   * `parametric`: draws of the log-parameters from their asymptotic normal N(φ̂, H⁻¹) (H the
   * Hessian of −LL in log-parameters); `bootstrap`: customers resampled with replacement and the
   * model refitted per draw. @default 'parametric'
   */
  method?: 'parametric' | 'bootstrap';
  /** Covariate models only: the new customer's covariates for E[X(t)]. @default the reference customer (all 0 / reference levels) */
  covariates?: Record<string, unknown>;
  /** Covariate models only: each customer's covariates, same order as `customers` (required with `customers`). */
  customerCovariates?: readonly Record<string, unknown>[];
}

/** Result of {@link clvIntervals}. */
export interface ClvIntervals {
  method: 'parametric' | 'bootstrap';
  /** One sentence on how every interval below was computed. */
  description: string;
  level: number;
  draws: number;
  /** Draws that produced a usable model (bootstrap refits can fail). */
  usedDraws: number;
  /** Interval per model parameter. */
  parameters: Record<string, ClvInterval>;
  /** E[X(t)]: expected repeat purchases of a new customer in (0, t]. */
  expectedPurchases: ClvInterval;
  /** Per requested customer: conditional expected purchases in (T, T+t], P(alive), and CLV when asked. */
  customers: { expectedPurchases: ClvInterval; probabilityAlive: ClvInterval; lifetimeValue?: ClvInterval }[];
  warnings: VitalsWarning<ClvIntervalWarningCode>[];
}

const KNOWN = [
  't',
  'customers',
  'clv',
  'level',
  'draws',
  'method',
  'seed',
  'covariates',
  'customerCovariates',
] as const;

/**
 * Prediction intervals for a fitted BG/NBD, MBG/NBD or Pareto/NBD model: its parameters, E[X(t)]
 * for a new customer, and per customer the conditional expected purchases (CET), P(alive) and,
 * with `clv`, the lifetime value — the quantities CLVTools reports with `uncertainty = "boots"`.
 *
 * - `parametric` (default): the log-parameters φ are drawn from their asymptotic normal
 *   N(φ̂, H⁻¹), H the numeric Hessian (of the analytic gradient) of −LL at φ̂ on `data`; each
 *   draw gives a model and every quantity is recomputed; the interval is the central percentile
 *   interval of the draws (R-7 quantiles). Fast (no refit), valid when the likelihood is close
 *   to quadratic in φ, which holds for thousands of customers.
 * - `bootstrap`: customers (rows of `data`) are resampled with replacement, the model is refitted
 *   from the fitted values, and the same percentile interval is taken (Efron's percentile bootstrap).
 *   Captures non-normality; costs one fit per draw.
 *
 * Covariate models ({@link CovariateRepeatModel}): parametric only, drawing (ln base parameters,
 * coefficients) from N(θ̂, `model.covariance`); E[X(t)] is for the customer described by
 * `covariates` (default: the reference customer) and each listed customer is evaluated at its own
 * `customerCovariates`; coefficient intervals are on the coefficient scale.
 *
 * Deterministic for a given `seed`. Missing-data policy: invalid customers throw; a bootstrap
 * refit that does not converge is skipped and counted (`failed_draws` warning); intervals use the
 * draws that worked, never NaN.
 *
 * Warnings: `failed_draws` (some refits failed), `singular_hessian` (parametric impossible:
 * the Hessian is not positive definite; the intervals collapse to the estimate).
 *
 * @param model the fitted model.
 * @param data the data it was fitted on (rows, columns or compressed).
 * @param options horizon `t` (required), `customers`, `clv`, `level`, `draws`, `method`, `seed`.
 * @returns intervals, each with its `method` sentence.
 * @throws {ValidationError} for an unsupported model, invalid options or customers.
 * @example
 * ```ts
 * import { clvIntervals, fitParetoNBD } from 'customer-vitals';
 * const rows = [];
 * const channel = [];
 * for (let i = 0; i < 200; i++) {
 *   const x = ((i * 7) % 5) + (i % 2);
 *   rows.push({ frequency: x, recency: x === 0 ? 0 : i % 3 === 0 ? x : 20 + ((i * 13) % 10), T: 30 + (i % 5) });
 *   channel.push(i % 2 ? 'web' : 'store');
 * }
 * const iv = clvIntervals(fitParetoNBD(rows), rows, { t: 52, customers: [{ frequency: 3, recency: 25, T: 32 }], draws: 100, seed: 7 });
 * iv.expectedPurchases; // => { estimate: 4.257, lower: 3.639, upper: 4.970, method: '90% percentile interval of 100 parametric-bootstrap draws ...' }
 * iv.customers[0].probabilityAlive; // => { estimate: 0.906, lower: 0.879, upper: 0.936, method: ... }
 * ```
 */
export function clvIntervals(
  model: IntervalModel,
  data: RfmInput,
  options: ClvIntervalOptions,
): ClvIntervals {
  const fn = 'clvIntervals';
  checkOptions(fn, options, KNOWN);
  const isCov = model instanceof CovariateRepeatModel;
  const kind = isCov ? null : kindOf(model);
  if (!isCov && !kind)
    throw argumentError(
      `${fn}: "model" must be a BGNBDModel, MBGNBDModel, ParetoNBDModel or CovariateRepeatModel`,
    );
  const o = options ?? ({} as ClvIntervalOptions);
  const { issues, t, level, draws, method, customers } = readOptions(o, isCov);
  if (issues.length > 0) throw new ValidationError(fn, issues);
  if (isCov) return covariateIntervals(model, o, customers, t, level, draws);
  if (!kind) throw argumentError(`${fn}: "model" is not supported`);
  const fitted = model as FittedModel;
  if (o.clv !== undefined) fitted.customerLifetimeValue({ frequency: 0, recency: 0, T: 1 }, o.clv); // validates clv
  const compressed = compressRfm(data, { fn });
  const rng = createRng(o.seed ?? 1);
  const names = kind.names;
  const p0 = fitted.params as unknown as Record<string, number>;
  const warnings: VitalsWarning<ClvIntervalWarningCode>[] = [];
  const nc = customers.length;
  const s = drawStore(names.length, nc, draws);
  const record = (m: FittedModel) => {
    const p = m.params as unknown as Record<string, number>;
    names.forEach((k, i) => {
      (s.par[i] as Float64Array)[s.used] = p[k] as number;
    });
    s.ex[s.used] = m.expectedPurchases(t);
    for (let c = 0; c < nc; c++) recordCustomer(s, c, m, t, customers[c] as CustomerHistory, o.clv);
    s.used++;
  };
  let description: string;
  if (method === 'parametric') {
    description = `${Math.round(level * 100)}% percentile interval of ${draws} parametric-bootstrap draws of the log-parameters from N(φ̂, H⁻¹)`;
    parametricDraws(kind, compressed, fitted, draws, rng, record, warnings);
  } else {
    description = `${Math.round(level * 100)}% percentile interval of ${draws} refits on customers resampled with replacement (nonparametric bootstrap)`;
    bootstrapDraws(kind, compressed, p0, draws, rng, record, warnings);
    if (s.used === 0) record(fitted);
  }
  const parameters: Record<string, ClvInterval> = {};
  names.forEach((k, i) => {
    parameters[k] = interval(s, level, description, p0[k] as number, s.par[i] as Float64Array);
  });
  return {
    method,
    description,
    level,
    draws,
    usedDraws: s.used,
    parameters,
    expectedPurchases: interval(s, level, description, fitted.expectedPurchases(t), s.ex),
    customers: customerIntervals(s, level, description, customers, () => fitted, t, o.clv),
    warnings,
  };
}

/** The options with their defaults and the located issues of every invalid one, in report order. */
function readOptions(
  o: ClvIntervalOptions,
  isCov: boolean,
): {
  issues: ValidationIssue[];
  t: number;
  level: number;
  draws: number;
  method: 'parametric' | 'bootstrap';
  customers: readonly CustomerHistory[];
} {
  const issues: ValidationIssue[] = [];
  const t = o.t;
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0)
    issues.push({ path: ['t'], code: 'invalid_value', message: 'option "t" must be a finite number >= 0' });
  const level = o.level ?? 0.9;
  if (typeof level !== 'number' || !(level > 0 && level < 1))
    issues.push({ path: ['level'], code: 'out_of_range', message: 'option "level" must be in (0, 1)' });
  const draws = o.draws ?? 200;
  if (!Number.isInteger(draws) || draws < 10 || draws > 100000)
    issues.push({
      path: ['draws'],
      code: 'out_of_range',
      message: 'option "draws" must be an integer in [10, 100000]',
    });
  const method = o.method ?? 'parametric';
  if (method !== 'parametric' && method !== 'bootstrap')
    issues.push({
      path: ['method'],
      code: 'invalid_value',
      message: 'option "method" must be "parametric" or "bootstrap"',
    });
  const customers = o.customers ?? [];
  customerIssues(issues, customers);
  if (
    Number.isInteger(draws) &&
    Array.isArray(customers) &&
    draws * (1 + customers.length * (o.clv ? 20 : 2)) > 2e6
  )
    issues.push({
      path: ['draws'],
      code: 'too_big',
      message:
        'option "draws" × customers is too much work (over 2e6 model evaluations); use fewer draws or customers',
    });
  if (isCov) covariateOptionIssues(issues, o, method, customers);
  else
    for (const k of ['covariates', 'customerCovariates'] as const)
      if (o[k] !== undefined)
        issues.push({ path: [k], code: 'invalid_value', message: `option "${k}" needs a covariate model` });
  return { issues, t: t as number, level, draws, method, customers };
}

/** Pushes an issue per invalid customer history (or one when `customers` is not an array). */
function customerIssues(issues: ValidationIssue[], customers: readonly CustomerHistory[]): void {
  if (!Array.isArray(customers))
    issues.push({
      path: ['customers'],
      code: 'not_an_array',
      message: 'option "customers" must be an array',
    });
  else
    customers.forEach((h, i) => {
      const msg =
        h !== null && typeof h === 'object' ? checkHistory(h) : 'customer must be { frequency, recency, T }';
      if (msg) issues.push({ index: i, path: ['customers'], code: 'invalid_history', message: msg });
    });
}

/** Covariate models: parametric only, and one covariate record per listed customer. */
function covariateOptionIssues(
  issues: ValidationIssue[],
  o: ClvIntervalOptions,
  method: string,
  customers: readonly CustomerHistory[],
): void {
  if (method === 'bootstrap')
    issues.push({
      path: ['method'],
      code: 'invalid_value',
      message: 'option "method": covariate models support "parametric" intervals only',
    });
  const cc = o.customerCovariates;
  if (
    Array.isArray(customers) &&
    customers.length > 0 &&
    (!Array.isArray(cc) || cc.length !== customers.length)
  )
    issues.push({
      path: ['customerCovariates'],
      code: 'invalid_length',
      message: 'option "customerCovariates" must give one covariate record per customer',
    });
}
