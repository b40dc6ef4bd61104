import { checkOptions, ValidationError, type ValidationIssue } from '../_lib/errors';
import { isPlainObject } from '../_lib/safe';
import type { VitalsWarning } from '../types';
import type { CovariateColumn } from './_covariates';
import { CovariateRepeatModel } from './CovariateRepeatModel';
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

function columnsOf(data: unknown): RfmColumns | null {
  if (Array.isArray(data)) {
    const rows = data as readonly RfmRow[];
    const pick = (k: 'frequency' | 'recency' | 'T') =>
      Array.from({ length: rows.length }, (_, i) => (rows[i] as RfmRow | undefined)?.[k] as number);
    return { frequency: pick('frequency'), recency: pick('recency'), T: pick('T') };
  }
  if (isPlainObject(data) && 'frequency' in data && (data as { kind?: unknown }).kind === undefined)
    return data as unknown as RfmColumns;
  return null;
}

function isArrayLike(v: unknown): v is ArrayLike<number> {
  return v !== null && typeof v === 'object' && typeof (v as { length?: unknown }).length === 'number';
}

function summarise(pred: ArrayLike<number>, act: ArrayLike<number>): ErrorSummary {
  let p = 0;
  let a = 0;
  let ae = 0;
  let se = 0;
  const n = pred.length;
  for (let i = 0; i < n; i++) {
    const d = (pred[i] as number) - (act[i] as number);
    p += pred[i] as number;
    a += act[i] as number;
    ae += Math.abs(d);
    se += d * d;
  }
  return n === 0
    ? { predictedTotal: 0, actualTotal: 0, mae: 0, rmse: 0, bias: 0 }
    : { predictedTotal: p, actualTotal: a, mae: ae / n, rmse: Math.sqrt(se / n), bias: (p - a) / n };
}

/** The per-customer prediction functions of a model, with covariates resolved. */
interface Resolved {
  conditional(t: number, cols: RfmColumns): Float64Array;
  /** E[X(t)] for customer i (covariate models differ per customer); `key(i)` groups equal customers. */
  key(i: number): string;
  expected(i: number, t: number): number;
}

function resolve(
  fn: string,
  model: HoldoutModel,
  covariates: Record<string, CovariateColumn> | undefined,
  n: number,
): Resolved {
  if (model instanceof CovariateRepeatModel) {
    if (!covariates)
      throw new ValidationError(fn, [
        {
          path: ['covariates'],
          code: 'required',
          message: 'option "covariates" is required for a covariate model',
        },
      ]);
    const names = model.coding.map((c) => c.name);
    const keys: string[] = [];
    const raws: Record<string, unknown>[] = [];
    for (let i = 0; i < n; i++) {
      const raw: Record<string, unknown> = Object.create(null);
      let k = '';
      for (const nm of names) {
        const v = (covariates[nm] as CovariateColumn | undefined)?.[i];
        raw[nm] = v;
        k += `${typeof v}:${String(v)}|`;
      }
      keys.push(k);
      raws.push(raw);
    }
    const cache = new Map<string, ReturnType<CovariateRepeatModel['customerModel']>>();
    const get = (i: number) => {
      const k = keys[i] as string;
      let m = cache.get(k);
      if (!m) {
        m = model.customerModel(raws[i] as Record<string, unknown>);
        cache.set(k, m);
      }
      return m;
    };
    return {
      conditional: (t, cols) => model.predict(t, cols, covariates).expectedPurchases,
      key: (i) => keys[i] as string,
      expected: (i, t) => get(i).expectedPurchases(t),
    };
  }
  const m = model as HoldoutModel & { predictConditional?(t: number, d: RfmColumns): Float64Array };
  if (typeof m.predictConditional !== 'function' || typeof m.expectedPurchases !== 'function')
    throw new ValidationError(fn, [
      {
        path: ['model'],
        code: 'invalid_model',
        message: '"model" must be a fitted BG/NBD, MBG/NBD, Pareto/NBD or covariate model',
      },
    ]);
  const pc = m.predictConditional.bind(m);
  return {
    conditional: (t, cols) => pc(t, cols),
    key: () => '',
    expected: (_i, t) => m.expectedPurchases(t),
  };
}

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
  const issues: ValidationIssue[] = [];
  const h = o.holdout;
  const checkColumn = (path: (string | number)[], v: unknown, min = 0) => {
    if (!isArrayLike(v) || v.length !== n) {
      issues.push({
        path,
        code: 'invalid_length',
        message: `option "${path.join('.')}" must have one value per customer (${n})`,
      });
      return;
    }
    for (let i = 0; i < n; i++) {
      const x = v[i];
      if (typeof x !== 'number' || !Number.isFinite(x) || x < min) {
        issues.push({
          index: i,
          path,
          code: 'invalid_value',
          message: `option "${path.join('.')}" must be finite and >= ${min}`,
        });
        return;
      }
    }
  };
  if (!isPlainObject(h)) {
    issues.push({
      path: ['holdout'],
      code: 'required',
      message: 'option "holdout" is required: { frequency, duration }',
    });
  } else {
    checkColumn(['holdout', 'frequency'], h.frequency);
    if (typeof h.duration !== 'number' || !(h.duration > 0) || !Number.isFinite(h.duration))
      issues.push({
        path: ['holdout', 'duration'],
        code: 'invalid_value',
        message: 'option "holdout.duration" must be a finite number > 0',
      });
    if (h.monetaryValue !== undefined) checkColumn(['holdout', 'monetaryValue'], h.monetaryValue);
  }
  const censor = o.censor ?? 7;
  if (!Number.isInteger(censor) || censor < 1 || censor > 1000)
    issues.push({
      path: ['censor'],
      code: 'out_of_range',
      message: 'option "censor" must be an integer in [1, 1000]',
    });
  if (o.spend !== undefined) {
    if (
      !isPlainObject(o.spend) ||
      typeof (o.spend.model as GammaGammaModel | undefined)?.conditionalExpectedAverageValue !== 'function'
    )
      issues.push({
        path: ['spend', 'model'],
        code: 'invalid_model',
        message: 'option "spend.model" must be a GammaGammaModel',
      });
    else checkColumn(['spend', 'monetaryValue'], o.spend.monetaryValue);
  }
  const tr = o.tracking;
  if (tr !== undefined) {
    if (!isPlainObject(tr))
      issues.push({
        path: ['tracking'],
        code: 'invalid_type',
        message: 'option "tracking" must be an object',
      });
    else {
      checkColumn(['tracking', 'births'], tr.births, Number.NEGATIVE_INFINITY);
      if (!isArrayLike(tr.repeatTimes))
        issues.push({
          path: ['tracking', 'repeatTimes'],
          code: 'not_an_array',
          message: 'option "tracking.repeatTimes" must be an array',
        });
      const step = tr.step ?? 1;
      if (typeof step !== 'number' || !(step > 0) || !Number.isFinite(step))
        issues.push({
          path: ['tracking', 'step'],
          code: 'invalid_value',
          message: 'option "tracking.step" must be > 0',
        });
      else if (
        typeof tr.end !== 'number' ||
        typeof tr.calibrationEnd !== 'number' ||
        !Number.isFinite(tr.end) ||
        !(tr.calibrationEnd <= tr.end) ||
        tr.end / step > 10000
      )
        issues.push({
          path: ['tracking', 'end'],
          code: 'invalid_value',
          message: 'option "tracking.end" must be finite, >= calibrationEnd, and at most 10,000 periods',
        });
    }
  }
  if (issues.length > 0) throw new ValidationError(fn, issues);
  const res = resolve(fn, model, o.covariates, n);
  const warnings: VitalsWarning<EvaluateClvWarningCode>[] = [];
  if (n < 30)
    warnings.push({
      code: 'few_customers',
      message: `Only ${n} customers: holdout errors are very noisy at this size.`,
    });
  const hold = h as HoldoutData;
  const predicted = res.conditional(hold.duration, cols);
  const actual = Float64Array.from({ length: n }, (_, i) => hold.frequency[i] as number);
  const purchases = summarise(predicted, actual);
  // Calibration-vs-holdout table.
  const groups = censor + 1;
  const cnt = new Float64Array(groups);
  const sa = new Float64Array(groups);
  const sp = new Float64Array(groups);
  for (let i = 0; i < n; i++) {
    const g = Math.min(censor, cols.frequency[i] as number);
    cnt[g] = (cnt[g] as number) + 1;
    sa[g] = (sa[g] as number) + (actual[i] as number);
    sp[g] = (sp[g] as number) + (predicted[i] as number);
  }
  const calibrationVsHoldout: CalibrationHoldoutRow[] = [];
  for (let g = 0; g < groups; g++) {
    const c = cnt[g] as number;
    calibrationVsHoldout.push({
      frequency: g,
      label: g === censor ? `${censor}+` : String(g),
      customers: c,
      actual: c > 0 ? (sa[g] as number) / c : 0,
      predicted: c > 0 ? (sp[g] as number) / c : 0,
    });
  }
  // Spend.
  let spend: ErrorSummary | null = null;
  if (o.spend && hold.monetaryValue) {
    const gg = o.spend.model;
    const ps = new Float64Array(n);
    const as = new Float64Array(n);
    let missing = 0;
    for (let i = 0; i < n; i++) {
      const v = gg.conditionalExpectedAverageValue(
        cols.frequency[i] as number,
        o.spend.monetaryValue[i] as number,
      );
      if (v === null) missing++;
      ps[i] = (predicted[i] as number) * (v ?? 0);
      as[i] = (actual[i] as number) * (hold.monetaryValue[i] as number);
    }
    if (missing > 0)
      warnings.push({
        code: 'no_spend_prediction',
        message: `The spend model has no mean for ${missing} customers (px + q <= 1); their predicted spend counts as 0.`,
      });
    spend = summarise(ps, as);
  }
  // Tracking series.
  let tracking: TrackingPoint[] | null = null;
  if (tr) {
    const step = tr.step ?? 1;
    const periods = Math.ceil(tr.end / step - 1e-9);
    const act = new Float64Array(periods);
    for (let j = 0; j < tr.repeatTimes.length; j++) {
      const tt = tr.repeatTimes[j] as number;
      if (!(tt > 0) || tt > tr.end) continue;
      const k = Math.min(periods - 1, Math.ceil(tt / step - 1e-9) - 1);
      act[k] = (act[k] as number) + 1;
    }
    // Customers grouped by (model key, birth): E[X] evaluated once per group and period end.
    const groupsMap = new Map<string, { i: number; birth: number; count: number }>();
    for (let i = 0; i < n; i++) {
      const b = tr.births[i] as number;
      const key = `${res.key(i)}@${b}`;
      const g = groupsMap.get(key);
      if (g) g.count++;
      else groupsMap.set(key, { i, birth: b, count: 1 });
    }
    if (groupsMap.size * periods > 2e6)
      throw new ValidationError(fn, [
        {
          path: ['tracking'],
          code: 'too_big',
          message: `option "tracking": ${groupsMap.size} distinct birth times × ${periods} periods is too much work (over 2e6 model evaluations); round births to days or use a longer step`,
        },
      ]);
    const cum = new Float64Array(periods);
    for (const g of groupsMap.values()) {
      for (let k = 0; k < periods; k++) {
        const tau = (k + 1) * step - g.birth;
        if (tau > 0) cum[k] = (cum[k] as number) + g.count * res.expected(g.i, tau);
      }
    }
    tracking = [];
    let ca = 0;
    for (let k = 0; k < periods; k++) {
      ca += act[k] as number;
      const end = (k + 1) * step;
      tracking.push({
        period: k + 1,
        end,
        phase: end <= tr.calibrationEnd + 1e-9 ? 'calibration' : 'holdout',
        actual: act[k] as number,
        expected: (cum[k] as number) - (k > 0 ? (cum[k - 1] as number) : 0),
        cumulativeActual: ca,
        cumulativeExpected: cum[k] as number,
      });
    }
  }
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
