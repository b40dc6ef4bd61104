/**
 * Types shared by the CLV module.
 * @module
 */
import type { VitalsWarning } from '../types';

/**
 * Codes of the `warnings` on CLV results (each function documents the ones it returns):
 * - `negative_net_revenue`: customers refunded more than they bought; left out of spend models.
 * - `degenerate_fit`: the fitted model is not identified by the data (a parameter at the boundary
 *   of its range, a flat likelihood in some direction, or huge standard errors).
 * - `standard_errors_unavailable`: standard errors could not be computed (the reason is given).
 * - `model_switched`: `estimateClv` replaced the model it would have used, saying why.
 * - `model_failed`: a model did not converge or lacked data; a fallback was used.
 * - `spend_frequency_correlated`: Gamma-Gamma's independence assumption looks violated.
 * - `spend_model_unusable`: the spend model cannot give a mean (q ≤ 1); own means used.
 */
export type ClvWarningCode =
  | 'negative_net_revenue'
  | 'degenerate_fit'
  | 'standard_errors_unavailable'
  | 'model_switched'
  | 'model_failed'
  | 'spend_frequency_correlated'
  | 'spend_model_unusable';

/** Unit of the time axis of a summary: recency, T and prediction horizons are in this unit. */
export type TimeUnit = 'days' | 'weeks' | 'months';

/**
 * One customer's repeat-purchase summary (the "RFM" / "CBS" row of the BTYD literature).
 * `frequency` = x, the number of repeat purchase periods; `recency` = t_x, time of the last purchase
 * since the first; `T` = time since the first purchase until the end of observation.
 */
export interface RfmRow {
  frequency: number;
  recency: number;
  T: number;
  /** How many identical customers the row stands for (compressed data). @default 1 */
  count?: number;
}

/** The same data as columns (any array-like of numbers, e.g. Float64Array). */
export interface RfmColumns {
  frequency: ArrayLike<number>;
  recency: ArrayLike<number>;
  T: ArrayLike<number>;
  count?: ArrayLike<number>;
}

/** Compressed summary: identical (x, t_x, T) rows merged, with their count. Made by `compressRfm`. */
export interface CompressedRfm {
  readonly kind: 'compressed-rfm';
  readonly x: Float64Array;
  readonly tx: Float64Array;
  readonly T: Float64Array;
  readonly count: Float64Array;
  /** Number of distinct rows. */
  readonly rows: number;
  /** Total number of customers (sum of counts). */
  readonly customers: number;
}

/** Anything the repeat-purchase fitters accept, including the object `rfmSummary` returns (its `columns` are used). */
export type RfmInput = readonly RfmRow[] | RfmColumns | CompressedRfm | { readonly columns: RfmColumns };

/** Options shared by the maximum-likelihood fitters. */
export interface FitOptions {
  /** Starting values (natural scale, the model's own parameter names). @default model-specific */
  initialParams?: Record<string, number>;
  /** Maximum BFGS iterations per attempt. @default 500 */
  maxIterations?: number;
  /** Compute standard errors from the numeric Hessian (costs a few extra likelihood evaluations). @default true */
  standardErrors?: boolean;
}

/** Diagnostics every fitted model carries. */
export interface FitDiagnostics {
  /** Maximised log-likelihood (including constant terms that do not depend on the parameters, as in the papers). */
  logLikelihood: number;
  /** Standard errors of the parameters from the inverse Hessian, null when not computed or not positive definite. */
  standardErrors: Record<string, number | null>;
  /** Why some standard errors are null ("not computed (option standardErrors: false)", "the Hessian … is singular"); null when all are present. */
  standardErrorsReason: string | null;
  /** `degenerate_fit` (parameters at the boundary, flat likelihood, huge standard errors — with what it means and what to do) or `standard_errors_unavailable`; empty when all is well. */
  warnings: VitalsWarning<ClvWarningCode>[];
  /** Always true on a returned model (failures throw `ConvergenceError`). */
  converged: boolean;
  iterations: number;
  /** Number of customers (or units) the model was fitted on. */
  customers: number;
}

/** A customer's history as the repeat-purchase models use it. */
export interface CustomerHistory {
  /** x: repeat purchases. */
  frequency: number;
  /** t_x: time of the last purchase since the first. */
  recency: number;
  /** T: time since the first purchase. */
  T: number;
}

/** Options of `customerLifetimeValue` on the repeat-purchase models. */
export interface LifetimeValueOptions {
  /** Expected value (profit or revenue) per future transaction, e.g. from a Gamma-Gamma model. */
  valuePerTransaction: number;
  /** Continuous discount rate per model time unit (e.g. ln(1.15)/52 for 15 %/year in weeks). @default 0 */
  discountRate?: number;
  /** Horizon in model time units; Infinity for the whole residual lifetime. @default Infinity */
  horizon?: number;
  /** Profit margin applied to `valuePerTransaction`. @default 1 */
  margin?: number;
}

/** Options of the monthly-sum CLV variant (the `lifetimes` formula). */
export interface MonthlyLifetimeValueOptions {
  valuePerTransaction: number;
  /** Number of months to sum: a whole number in [0, 12000] (the sum runs month by month; `2.5` is rejected by every model alike). @default 12 */
  months?: number;
  /** Discount rate per month (discrete, 1/(1+d)^i). @default 0.01 */
  monthlyDiscountRate?: number;
  /** Length of a month in model time units (30 days in weeks = 30/7). */
  monthLength: number;
  /** @default 1 */
  margin?: number;
}

/** A lifetime value with its parts, so it can be explained. */
export interface LifetimeValueResult {
  /** Present value of future margin. */
  value: number;
  /** Discounted expected number of future transactions (DERT). */
  discountedTransactions: number;
  /** Undiscounted expected future transactions over the horizon (Infinity-horizon: null). */
  expectedTransactions: number | null;
  /** Probability the customer is still active now. */
  probabilityAlive: number;
}
