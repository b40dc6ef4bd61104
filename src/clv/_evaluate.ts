/**
 * Private parts of {@link evaluateClv}: option checks, model resolution, the error summaries, the
 * calibration-vs-holdout table, the spend comparison and the tracking series.
 */
import { ValidationError, type ValidationIssue } from '../_lib/errors';
import { isPlainObject } from '../_lib/safe';
import type { VitalsWarning } from '../types';
import type { CovariateColumn } from './_covariates';
import { CovariateRepeatModel } from './CovariateRepeatModel';
import type {
  CalibrationHoldoutRow,
  ErrorSummary,
  EvaluateClvOptions,
  EvaluateClvWarningCode,
  HoldoutModel,
  TrackingData,
  TrackingPoint,
} from './evaluateClv';
import type { GammaGammaModel } from './GammaGammaModel';
import type { RfmColumns, RfmRow } from './types';

/** Calibration rows or columns as columns; null for anything else. */
export function columnsOf(data: unknown): RfmColumns | null {
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

export function summarise(pred: ArrayLike<number>, act: ArrayLike<number>): ErrorSummary {
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
export interface Resolved {
  conditional(t: number, cols: RfmColumns): Float64Array;
  /** E[X(t)] for customer i (covariate models differ per customer); `key(i)` groups equal customers. */
  key(i: number): string;
  expected(i: number, t: number): number;
}

export function resolve(
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

/** Pushes an issue when `v` is not one finite value >= `min` per customer (the first bad value only). */
function columnIssue(
  issues: ValidationIssue[],
  n: number,
  path: (string | number)[],
  v: unknown,
  min = 0,
): void {
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
}

/** Located issues of `holdout`, `censor`, `spend` and `tracking` for `n` customers, in that order. */
export function optionIssues(o: EvaluateClvOptions, n: number): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const h = o.holdout;
  if (!isPlainObject(h)) {
    issues.push({
      path: ['holdout'],
      code: 'required',
      message: 'option "holdout" is required: { frequency, duration }',
    });
  } else {
    columnIssue(issues, n, ['holdout', 'frequency'], h.frequency);
    if (typeof h.duration !== 'number' || !(h.duration > 0) || !Number.isFinite(h.duration))
      issues.push({
        path: ['holdout', 'duration'],
        code: 'invalid_value',
        message: 'option "holdout.duration" must be a finite number > 0',
      });
    if (h.monetaryValue !== undefined) columnIssue(issues, n, ['holdout', 'monetaryValue'], h.monetaryValue);
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
    else columnIssue(issues, n, ['spend', 'monetaryValue'], o.spend.monetaryValue);
  }
  if (o.tracking !== undefined) trackingIssues(issues, n, o.tracking);
  return issues;
}

/** Pushes the issues of option `tracking` (an object with births, repeatTimes, step, end). */
function trackingIssues(issues: ValidationIssue[], n: number, tr: TrackingData): void {
  if (!isPlainObject(tr)) {
    issues.push({
      path: ['tracking'],
      code: 'invalid_type',
      message: 'option "tracking" must be an object',
    });
    return;
  }
  columnIssue(issues, n, ['tracking', 'births'], tr.births, Number.NEGATIVE_INFINITY);
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

/** Customers grouped by calibration frequency 0, 1, …, censor+: mean actual and predicted holdout purchases. */
export function calibrationTable(
  frequency: ArrayLike<number>,
  predicted: Float64Array,
  actual: Float64Array,
  censor: number,
): CalibrationHoldoutRow[] {
  const n = frequency.length;
  const groups = censor + 1;
  const cnt = new Float64Array(groups);
  const sa = new Float64Array(groups);
  const sp = new Float64Array(groups);
  for (let i = 0; i < n; i++) {
    const g = Math.min(censor, frequency[i] as number);
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
  return calibrationVsHoldout;
}

/** Predicted holdout spend E[Y]·E[Z | x, z̄] against actual purchases × mean holdout spend (`no_spend_prediction`). */
export function spendSummary(
  spend: NonNullable<EvaluateClvOptions['spend']>,
  holdoutMonetary: ArrayLike<number>,
  frequency: ArrayLike<number>,
  predicted: Float64Array,
  actual: Float64Array,
  warnings: VitalsWarning<EvaluateClvWarningCode>[],
): ErrorSummary {
  const n = frequency.length;
  const gg = spend.model;
  const ps = new Float64Array(n);
  const as = new Float64Array(n);
  let missing = 0;
  for (let i = 0; i < n; i++) {
    const v = gg.conditionalExpectedAverageValue(frequency[i] as number, spend.monetaryValue[i] as number);
    if (v === null) missing++;
    ps[i] = (predicted[i] as number) * (v ?? 0);
    as[i] = (actual[i] as number) * (holdoutMonetary[i] as number);
  }
  if (missing > 0)
    warnings.push({
      code: 'no_spend_prediction',
      message: `The spend model has no mean for ${missing} customers (px + q <= 1); their predicted spend counts as 0.`,
    });
  return summarise(ps, as);
}

/** Incremental and cumulative actual and expected repeat purchases per tracking period. */
export function trackingSeries(fn: string, tr: TrackingData, res: Resolved, n: number): TrackingPoint[] {
  const step = tr.step ?? 1;
  const periods = Math.ceil(tr.end / step - 1e-9);
  const act = new Float64Array(periods);
  for (let j = 0; j < tr.repeatTimes.length; j++) {
    const tt = tr.repeatTimes[j] as number;
    if (!(tt > 0) || tt > tr.end) continue;
    const k = Math.min(periods - 1, Math.ceil(tt / step - 1e-9) - 1);
    act[k] = (act[k] as number) + 1;
  }
  const cum = expectedCumulative(fn, tr, res, n, periods, step);
  const tracking: TrackingPoint[] = [];
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
  return tracking;
}

/** Σ_i E[X(τ − b_i)] at each period end τ, customers grouped by (model key, birth) so E[X] is evaluated once per group. */
function expectedCumulative(
  fn: string,
  tr: TrackingData,
  res: Resolved,
  n: number,
  periods: number,
  step: number,
): Float64Array {
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
  return cum;
}
