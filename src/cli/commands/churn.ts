/** `customer-vitals churn`: churn risk of active customers, highest first. */
import {
  churnFeatures,
  churnLabels,
  churnTrainingRows,
  featureRows,
  trainChurnModel,
} from '../../churn/index';
import type { ChurnPrediction, ChurnRow, ScoringRow } from '../../churn/types';
import type { CustomerProfile, CustomerTimelines } from '../../events/types';
import { storeTimelines } from '../../store/storeEvents';
import type { CommandResult } from '../output';
import { type AnalysisInput, isoDay, warningsOf } from './shared';

export function churnCommand({ ctx, store, profiles, asOf }: AnalysisInput): CommandResult<ChurnPrediction> {
  const horizon = ctx.opts.int('horizon', 1) ?? 30;
  // Timelines read from the store one customer at a time (churn reads every customer ~12 times:
  // training windows, labels, features; each read materialises that customer's events again).
  return churnResult(storeTimelines(store), profiles, asOf, horizon);
}

/** The churn command's result from timelines (a store view, or `groupByCustomer` of events). */
export function churnResult(
  timelines: CustomerTimelines,
  profiles: readonly CustomerProfile[],
  asOf: number,
  horizon: number,
): CommandResult<ChurnPrediction> {
  // Three earlier windows; on too short a history the error names the span and a horizon that fits.
  const train: ChurnRow[] = churnTrainingRows(timelines, { asOf, horizon, profiles }).rows;
  const active = new Set(churnLabels(timelines, { asOf, horizon }).customerIds);
  const rows = featureRows(churnFeatures(timelines, { asOf, profiles })).filter((r) =>
    active.has(r.customerId as string),
  );
  return churnPredictionResult(train, rows, asOf, horizon);
}

/**
 * The churn command's result from the training rows and the feature rows of the customers active
 * at asOf (computed from timelines above, or in SQL by `--engine duckdb`).
 */
export function churnPredictionResult(
  train: ChurnRow[],
  rows: ScoringRow[],
  asOf: number,
  horizon: number,
): CommandResult<ChurnPrediction> {
  const model = trainChurnModel(train);
  const scored = model
    .predict(rows, { maxReasons: 3 })
    .sort((a, b) => b.probability - a.probability || ((a.customerId ?? '') < (b.customerId ?? '') ? -1 : 1));
  return {
    title:
      `Churn risk over the next ${horizon} days as of ${isoDay(asOf)} (logistic model trained on the three ` +
      `previous ${horizon}-day windows, ${train.length} rows): ${scored.length} active customers, highest first`,
    items: scored,
    columns: [
      { name: 'customer', get: (p) => p.customerId ?? '' },
      { name: 'probability', get: (p) => `${(100 * p.probability).toFixed(1)}%`, table: true },
      { name: 'band', get: (p) => p.band },
      { name: 'main reason', get: (p) => p.reasons[0]?.sentence ?? '' },
      { name: 'second reason', get: (p) => p.reasons[1]?.sentence ?? '', table: false },
      { name: 'third reason', get: (p) => p.reasons[2]?.sentence ?? '', table: false },
    ],
    meta: { asOf: new Date(asOf).toISOString(), horizonDays: horizon, trainingRows: train.length },
    warnings: warningsOf(model, scored),
    ...(scored.length === 0 ? { emptyReason: 'no active customer at --as-of' } : {}),
  };
}
