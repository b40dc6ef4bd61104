/** `customer-vitals churn`: churn risk of active customers, highest first. */
import {
  churnFeatures,
  churnLabels,
  churnTrainingRows,
  featureRows,
  trainChurnModel,
} from '../../churn/index';
import { type EventsOrTimelines, toChurnSource } from '../../churn/toTimelines';
import type { ChurnPrediction, ChurnRow, ScoringRow } from '../../churn/types';
import type { CustomerProfile } from '../../events/types';
import type { CommandResult } from '../output';
import { type AnalysisInput, isoDay, warningsOf } from './shared';

export function churnCommand({ ctx, store, profiles, asOf }: AnalysisInput): CommandResult<ChurnPrediction> {
  const horizon = ctx.opts.int('horizon', 1) ?? 30;
  // The store's columns: labels and features of the training windows and of asOf are typed-array
  // passes over each customer's rows; no event object is built.
  return churnResult(store, profiles, asOf, horizon);
}

/**
 * The churn command's result from an event store (read as columns), or from events / timelines
 * (the pre-store path, `groupByCustomer` of the events): the same result for the same events.
 */
export function churnResult(
  events: EventsOrTimelines,
  profiles: readonly CustomerProfile[],
  asOf: number,
  horizon: number,
): CommandResult<ChurnPrediction> {
  const source = toChurnSource(events, 'churn');
  // Three earlier windows; on too short a history the error names the span and a horizon that fits.
  const train: ChurnRow[] = churnTrainingRows(source, { asOf, horizon, profiles }).rows;
  const active = new Set(churnLabels(source, { asOf, horizon }).customerIds);
  const rows = featureRows(churnFeatures(source, { asOf, profiles })).filter((r) =>
    active.has(r.customerId as string),
  );
  return churnPredictionResult(train, rows, asOf, horizon);
}

/**
 * The churn command's result from the training rows and the feature rows of the customers active
 * at asOf (computed from the store or events above, or in SQL by `--engine duckdb`).
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
