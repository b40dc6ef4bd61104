import { checkOptions, ValidationError, type ValidationIssue } from '../_lib/errors';
import type { VitalsWarning } from '../types';
import { CovariateRepeatModel } from './CovariateRepeatModel';

/** A model with E[X(t)] for a customer just acquired (BG/NBD, MBG/NBD, Pareto/NBD). */
export interface NewCustomerModel {
  expectedPurchases(t: number): number;
}

/** Options of {@link newCustomerPurchases}. */
export interface NewCustomerOptions {
  /** Horizons (model time units since acquisition): one number or several. */
  t: number | readonly number[];
  /** The new customer's covariate values (covariate models only), e.g. `{ channel: 'web' }`. */
  covariates?: Record<string, unknown>;
}

/** Result of {@link newCustomerPurchases}. */
export interface NewCustomerPurchases {
  points: { t: number; expectedPurchases: number }[];
  /** The individual parameters used (the base parameters without covariates). */
  params: Record<string, number>;
  /** How the numbers were computed. */
  method: string;
  /** No condition of this computation warrants a warning today; kept for the uniform result shape. */
  warnings: VitalsWarning<never>[];
}

/**
 * Expected repeat purchases of a customer not yet seen, E[X(t)] over (0, t] after acquisition —
 * CLVTools' `newcustomer()`: the model's unconditional expectation (BG/NBD: FHL 2005 eq. 7;
 * Pareto/NBD: rβ/(α(s−1))·[1 − (β/(β+t))^{s−1}]; MBG/NBD accordingly), at the customer's own
 * parameters α_i, β_i (or a_i, b_i) when the model has covariates.
 *
 * Missing-data policy: a covariate model needs every covariate (located error otherwise); a
 * model without covariates refuses `covariates`.
 *
 * @param model a fitted BG/NBD, MBG/NBD, Pareto/NBD or covariate model.
 * @param options horizon(s) `t`, and `covariates` for a covariate model.
 * @returns one point per horizon, the parameters used and a method sentence.
 * @throws {ValidationError} for invalid horizons or covariates.
 * @example
 * ```ts
 * import { fitBGNBD, newCustomerPurchases } from 'customer-vitals';
 * const rows = [];
 * for (let i = 0; i < 200; i++) rows.push({ frequency: i % 4, recency: i % 4 ? 10 : 0, T: 20 });
 * const m = fitBGNBD(rows);
 * newCustomerPurchases(m, { t: [0, 52] }).points[0]; // => { t: 0, expectedPurchases: 0 }
 * ```
 */
export function newCustomerPurchases(
  model: NewCustomerModel | CovariateRepeatModel,
  options: NewCustomerOptions,
): NewCustomerPurchases {
  const fn = 'newCustomerPurchases';
  checkOptions(fn, options, ['t', 'covariates']);
  const o = (options ?? {}) as NewCustomerOptions;
  const ts = typeof o.t === 'number' ? [o.t] : Array.isArray(o.t) ? o.t : null;
  const issues: ValidationIssue[] = [];
  if (!ts || ts.length === 0)
    issues.push({
      path: ['t'],
      code: 'required',
      message: 'option "t" must be a number or a non-empty array',
    });
  else
    ts.forEach((v, i) => {
      if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v))
        issues.push({
          index: i,
          path: ['t'],
          code: 'invalid_value',
          message: 'option "t" must hold finite numbers >= 0',
        });
    });
  const isCov = model instanceof CovariateRepeatModel;
  if (isCov && o.covariates === undefined)
    issues.push({
      path: ['covariates'],
      code: 'required',
      message: 'option "covariates" is required for a covariate model',
    });
  if (!isCov && o.covariates !== undefined)
    issues.push({
      path: ['covariates'],
      code: 'invalid_value',
      message: 'option "covariates" needs a covariate model',
    });
  if (!isCov && typeof (model as NewCustomerModel | null)?.expectedPurchases !== 'function')
    issues.push({
      path: ['model'],
      code: 'invalid_model',
      message: '"model" must be a fitted repeat-purchase model',
    });
  if (issues.length > 0) throw new ValidationError(fn, issues);
  let m: NewCustomerModel;
  let params: Record<string, number>;
  let method: string;
  if (isCov) {
    params = model.customerParams(o.covariates as Record<string, unknown>);
    m = model.baseModel(params);
    method = `E[X(t)] of the ${model.kind === 'paretonbd' ? 'Pareto/NBD' : 'BG/NBD'} model at this customer's parameters (covariates applied to ${model.kind === 'paretonbd' ? 'alpha and beta' : 'alpha, a and b'})`;
  } else {
    m = model as NewCustomerModel;
    params = { ...((model as { params?: Record<string, number> }).params ?? {}) };
    method = "E[X(t)] of the model's population parameters (unconditional expectation)";
  }
  return {
    points: (ts as readonly number[]).map((t) => ({ t, expectedPurchases: m.expectedPurchases(t) })),
    params,
    method,
    warnings: [],
  };
}
