import { checkOptions, ValidationError } from '../_lib/errors';
import type { VitalsWarning } from '../types';
import type { CovariateColumn } from './_covariates';
import {
  calibrationTable,
  columnsOf,
  optionIssues,
  resolve,
  spendSummary,
  summarise,
  trackingSeries,
} from './_evaluate';
import { compressRfm } from './compressRfm';
import type { GammaGammaModel } from './GammaGammaModel';
import type { CustomerHistory, RfmColumns, RfmRow } from './types';

/** A fitted repeat-purchase model evaluateClv can judge (BG/NBD, MBG/NBD, Pareto/NBD or a covariate model). */
export interface HoldoutModel {
  readonly params: object;
  readonly logLikelihood: number;
  expectedPurchases(t: number, ...rest: never[]): number;
  conditionalExpectedPurchases?(t: number, h: CustomerHistory): number;
}

/** Holdout-period facts per customer (same order as the calibration rows). */
export interface HoldoutData {
  /** Repeat purchases each customer made in the holdout period. */
  frequency: ArrayLike<number>;
  /** Length of the holdout period in model time units. */
  duration: number;
  /** Mean spend per holdout purchase (0 when none); needed for the spend comparison. */
  monetaryValue?: ArrayLike<number>;
}

/** Purchase times for the weekly tracking series, in model time units from a common origin (build it with `trackingData(events, summary)`). */
export interface TrackingData {
  /** Time of each customer's first purchase (same order as the calibration rows). */
  births: ArrayLike<number>;
  /** Times of every repeat purchase of every customer (any order). */
  repeatTimes: ArrayLike<number>;
  /** End of the calibration period (the tracking series marks periods after it as holdout). */
  calibrationEnd: number;
  /** End of the tracked span (calibration + holdout). */
  end: number;
  /** Length of one tracking period. @default 1 (one model time unit, e.g. a week) */
  step?: number;
}

/** Options of {@link evaluateClv}. */
export interface EvaluateClvOptions {
  /** Calibration summary rows or columns the model was fitted on, one per customer (no `count`). */
  calibration: readonly RfmRow[] | RfmColumns;
  holdout: HoldoutData;
  /** Covariate columns (covariate models only), same order as the rows. */
  covariates?: Record<string, CovariateColumn>;
  /** Spend model and each customer's calibration mean repeat spend, for predicted vs actual holdout spend. */
  spend?: { model: GammaGammaModel; monetaryValue: ArrayLike<number> };
  /** Purchase times for the incremental and cumulative tracking series. */
  tracking?: TrackingData;
  /** Calibration frequencies at or above this are pooled in the last table row ("7+"). @default 7 */
  censor?: number;
}

/** Error summary of predicted vs actual per customer. */
export interface ErrorSummary {
  /** Σ predicted and Σ actual. */
  predictedTotal: number;
  actualTotal: number;
  /** mean |predicted − actual|. */
  mae: number;
  /** √mean (predicted − actual)². */
  rmse: number;
  /** mean (predicted − actual): > 0 over-forecasts. */
  bias: number;
}

/** One row of the calibration-vs-holdout table (the Fader–Hardie conditional-expectation plot). */
export interface CalibrationHoldoutRow {
  /** Calibration repeat purchases of the group; the last row pools `censor`+ (`label` "7+"). */
  frequency: number;
  label: string;
  customers: number;
  /** Mean holdout purchases per customer: actual and predicted (conditional expectation). */
  actual: number;
  predicted: number;
}

/** One tracking period: repeat purchases in (start, end], actual and expected. */
export interface TrackingPoint {
  period: number;
  end: number;
  phase: 'calibration' | 'holdout';
  actual: number;
  expected: number;
  cumulativeActual: number;
  cumulativeExpected: number;
}

/** Warning codes of {@link evaluateClv}. */
export type EvaluateClvWarningCode = 'no_spend_prediction' | 'few_customers';

/** Result of {@link evaluateClv}. */
export interface ClvEvaluation {
  customers: number;
  holdoutDuration: number;
  /** Per customer: conditional expected holdout purchases and what happened. */
  perCustomer: { predicted: Float64Array; actual: Float64Array };
  purchases: ErrorSummary;
  /** Predicted vs actual holdout spend (with `spend` and `holdout.monetaryValue`), else null. */
  spend: ErrorSummary | null;
  calibrationVsHoldout: CalibrationHoldoutRow[];
  /** Incremental and cumulative repeat purchases per period (with `tracking`), else null. */
  tracking: TrackingPoint[] | null;
  warnings: VitalsWarning<EvaluateClvWarningCode>[];
}

const KNOWN = ['calibration', 'holdout', 'covariates', 'spend', 'tracking', 'censor'] as const;

/**
 * Judges a fitted repeat-purchase model on a calibration/holdout split, as Fader, Hardie & Lee
 * (2005) do for BG/NBD on CDNOW:
 * - per customer, the conditional expectation E[Y(t*) | x, t_x, T] (t* = holdout duration) against
 *   the holdout purchases, with MAE, RMSE and bias = mean(predicted − actual), and the totals;
 * - the calibration-vs-holdout table: customers grouped by calibration frequency 0, 1, …, 7+,
 *   mean actual and mean predicted holdout purchases per group (the paper's Figure 4);
 * - with `tracking`, the incremental and cumulative repeat purchases per period (weekly for
 *   weekly data), expected = Σ_i E[X(τ − b_i)] over customers born at b_i < τ (the paper's
 *   Figures 2 and 3), each period marked calibration or holdout;
 * - with `spend`, predicted holdout spend = E[Y(t*) | …]·E[Z | x, z̄] (Gamma-Gamma) against the
 *   actual holdout purchases × mean holdout spend.
 *
 * Missing-data policy: every column must have one finite value per customer (located errors);
 * customers with no spend prediction (Gamma-Gamma mean undefined) count with spend 0 and a
 * `no_spend_prediction` warning; fewer than 30 customers gives a `few_customers` warning.
 *
 * @param model a fitted BG/NBD, MBG/NBD, Pareto/NBD model or covariate model (with `covariates`).
 * @param options `calibration`, `holdout` (required); `covariates`, `spend`, `tracking`, `censor`.
 * @returns the evaluation (typed arrays per customer, summaries, table, series).
 * @throws {ValidationError} for invalid options or columns of the wrong length.
 * @example
 * ```ts
 * import { evaluateClv, fitBGNBD } from 'customer-vitals';
 * const calibration = [];
 * const holdout = [];
 * for (let i = 0; i < 200; i++) {
 *   const x = i % 5;
 *   calibration.push({ frequency: x, recency: x ? 10 + (i % 15) : 0, T: 30 });
 *   holdout.push(x > 2 ? 2 : i % 2);
 * }
 * const m = fitBGNBD(calibration);
 * const ev = evaluateClv(m, { calibration, holdout: { frequency: holdout, duration: 30 } });
 * ev.calibrationVsHoldout.map((r) => r.label); // => ['0', '1', '2', '3', '4', '5', '6', '7+']
 * ev.purchases.actualTotal; // => 200
 * ```
 */
export function evaluateClv(model: HoldoutModel, options: EvaluateClvOptions): ClvEvaluation {
  const fn = 'evaluateClv';
  checkOptions(fn, options, KNOWN);
  const o = (options ?? {}) as EvaluateClvOptions;
  const cols = columnsOf(o.calibration);
  if (!cols)
    throw new ValidationError(fn, [
      {
        path: ['calibration'],
        code: 'invalid_type',
        message: 'option "calibration" must be summary rows or columns (one per customer)',
      },
    ]);
  compressRfm(cols, { fn }); // validates the rows with located errors
  const n = cols.frequency.length;
  const issues = optionIssues(o, n);
  if (issues.length > 0) throw new ValidationError(fn, issues);
  const censor = o.censor ?? 7;
  const res = resolve(fn, model, o.covariates, n);
  const warnings: VitalsWarning<EvaluateClvWarningCode>[] = [];
  if (n < 30)
    warnings.push({
      code: 'few_customers',
      message: `Only ${n} customers: holdout errors are very noisy at this size.`,
    });
  const hold = o.holdout;
  const predicted = res.conditional(hold.duration, cols);
  const actual = Float64Array.from({ length: n }, (_, i) => hold.frequency[i] as number);
  const purchases = summarise(predicted, actual);
  const calibrationVsHoldout = calibrationTable(cols.frequency, predicted, actual, censor);
  const spend =
    o.spend && hold.monetaryValue
      ? spendSummary(o.spend, hold.monetaryValue, cols.frequency, predicted, actual, warnings)
      : null;
  const tracking = o.tracking ? trackingSeries(fn, o.tracking, res, n) : null;
  return {
    customers: n,
    holdoutDuration: hold.duration,
    perCustomer: { predicted, actual },
    purchases,
    spend,
    calibrationVsHoldout,
    tracking,
    warnings,
  };
}
