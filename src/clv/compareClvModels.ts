import { checkOptions, ValidationError } from '../_lib/errors';
import { isPlainObject } from '../_lib/safe';
import type { VitalsWarning } from '../types';
import { type EvaluateClvOptions, evaluateClv, type HoldoutModel } from './evaluateClv';

/** Criteria {@link compareClvModels} can rank by (lower is better for all). */
export type ClvCriterion = 'aic' | 'bic' | 'mae' | 'rmse' | 'totalError';

/** Options of {@link compareClvModels}: the split of {@link evaluateClv} plus the ranking criterion. */
export interface CompareClvModelsOptions extends Omit<EvaluateClvOptions, 'tracking'> {
  /** What "best" means. @default 'mae' (holdout mean absolute error per customer) */
  criterion?: ClvCriterion;
}

/** One row of the comparison table. */
export interface ClvComparisonRow {
  name: string;
  /** Number of estimated parameters k. */
  parameters: number;
  logLikelihood: number;
  /** −2LL + 2k. */
  aic: number;
  /** −2LL + k·ln n, n = calibration customers. */
  bic: number;
  /** Holdout: mean |predicted − actual|, root mean square error, mean bias per customer. */
  mae: number;
  rmse: number;
  bias: number;
  predictedTotal: number;
  actualTotal: number;
  /** |Σ predicted − Σ actual| / Σ actual (0 when nothing was bought). */
  totalError: number;
}

/** Warning codes of {@link compareClvModels}. */
export type CompareClvWarningCode = 'different_data';

/** Result of {@link compareClvModels}. */
export interface ClvComparison {
  rows: ClvComparisonRow[];
  criterion: ClvCriterion;
  /** Name of the model with the lowest criterion. */
  best: string;
  /** Sentence stating the choice and the criterion. */
  explanation: string;
  warnings: VitalsWarning<CompareClvWarningCode>[];
}

const KNOWN = ['calibration', 'holdout', 'covariates', 'spend', 'censor', 'criterion'] as const;
const CRITERIA: readonly ClvCriterion[] = ['aic', 'bic', 'mae', 'rmse', 'totalError'];

function parameterCount(m: HoldoutModel): number {
  const pc = (m as { parameterCount?: unknown }).parameterCount;
  return typeof pc === 'number' ? pc : Object.keys(m.params).length;
}

/**
 * Compares several fitted repeat-purchase models on the same calibration/holdout split: per model
 * the log-likelihood, AIC = −2LL + 2k, BIC = −2LL + k·ln n (n calibration customers), and the
 * holdout errors of {@link evaluateClv} (MAE, RMSE, bias per customer, total error), then names the
 * best by the stated `criterion` (lowest wins; ties keep the first listed). AIC/BIC compare models
 * fitted on the same data only (a `different_data` warning says when the customer counts differ).
 *
 * Missing-data policy: as {@link evaluateClv}; a model that cannot predict throws.
 *
 * @param models named fitted models, `{ 'BG/NBD': m1, 'Pareto/NBD': m2 }` (at least one).
 * @param options the split (`calibration`, `holdout`, optional `covariates`, `spend`, `censor`) and `criterion`.
 * @returns the table (input order), the best model and a sentence saying why.
 * @throws {ValidationError} for no models, invalid options or an unknown criterion.
 * @example
 * ```ts
 * import { compareClvModels, fitBGNBD, fitParetoNBD } from 'customer-vitals';
 * const rows = [];
 * const channel = [];
 * for (let i = 0; i < 200; i++) {
 *   const x = ((i * 7) % 5) + (i % 2);
 *   rows.push({ frequency: x, recency: x === 0 ? 0 : i % 3 === 0 ? x : 20 + ((i * 13) % 10), T: 30 + (i % 5) });
 *   channel.push(i % 2 ? 'web' : 'store');
 * }
 * const holdout = { frequency: rows.map((c, i) => (c.frequency > 2 ? 2 : i % 2)), duration: 30 };
 * const cmp = compareClvModels(
 *   { 'BG/NBD': fitBGNBD(rows), 'Pareto/NBD': fitParetoNBD(rows) },
 *   { calibration: rows, holdout, criterion: 'bic' },
 * );
 * cmp.rows.map((r) => r.name); // => ['BG/NBD', 'Pareto/NBD']
 * cmp.explanation; // => 'BG/NBD has the lowest BIC (3372.3) of 2 models.'
 * ```
 */
export function compareClvModels(
  models: Record<string, HoldoutModel>,
  options: CompareClvModelsOptions,
): ClvComparison {
  const fn = 'compareClvModels';
  checkOptions(fn, options, KNOWN);
  if (!isPlainObject(models) || Object.keys(models).length === 0)
    throw new ValidationError(fn, [
      {
        path: ['models'],
        code: 'empty',
        message: '"models" must be an object with at least one named model',
      },
    ]);
  const criterion = options?.criterion ?? 'mae';
  if (!CRITERIA.includes(criterion))
    throw new ValidationError(fn, [
      {
        path: ['criterion'],
        code: 'invalid_value',
        message: `option "criterion" must be one of ${CRITERIA.join(', ')}`,
      },
    ]);
  const { criterion: _c, ...split } = (options ?? {}) as CompareClvModelsOptions;
  const rows: ClvComparisonRow[] = [];
  const counts = new Set<number>();
  for (const name of Object.keys(models)) {
    const m = models[name] as HoldoutModel;
    const ev = evaluateClv(m, split);
    const n = ev.customers;
    const k = parameterCount(m);
    const c = (m as { customers?: unknown }).customers;
    if (typeof c === 'number') counts.add(c);
    const p = ev.purchases;
    rows.push({
      name,
      parameters: k,
      logLikelihood: m.logLikelihood,
      aic: -2 * m.logLikelihood + 2 * k,
      bic: -2 * m.logLikelihood + k * Math.log(Math.max(1, n)),
      mae: p.mae,
      rmse: p.rmse,
      bias: p.bias,
      predictedTotal: p.predictedTotal,
      actualTotal: p.actualTotal,
      totalError: p.actualTotal > 0 ? Math.abs(p.predictedTotal - p.actualTotal) / p.actualTotal : 0,
    });
  }
  let best = rows[0] as ClvComparisonRow;
  for (const r of rows) if (r[criterion] < best[criterion]) best = r;
  const label = {
    aic: 'AIC',
    bic: 'BIC',
    mae: 'holdout MAE per customer',
    rmse: 'holdout RMSE per customer',
    totalError: 'holdout total error',
  }[criterion];
  const warnings: VitalsWarning<CompareClvWarningCode>[] = [];
  if (counts.size > 1)
    warnings.push({
      code: 'different_data',
      message:
        'The models were fitted on different numbers of customers, so their log-likelihoods, AIC and BIC are not comparable.',
    });
  return {
    rows,
    criterion,
    best: best.name,
    explanation: `${best.name} has the lowest ${label} (${best[criterion].toPrecision(5)}) of ${rows.length} model${rows.length === 1 ? '' : 's'}.`,
    warnings,
  };
}
