/**
 * Types shared by the CLV module.
 * @module
 */

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

/** Anything the repeat-purchase fitters accept. */
export type RfmInput = readonly RfmRow[] | RfmColumns | CompressedRfm;

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
  /** Number of months to sum. @default 12 */
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
