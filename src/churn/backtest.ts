import { checkOptions, InsufficientDataError, ValidationError } from '../_lib/errors';
import { type DateInput, requireEpochMs } from '../_lib/time';
import type { CustomerProfile } from '../events/types';
import { requireOptions } from './_args';
import { buildChurnDataset } from './buildChurnDataset';
import type { ChurnModel } from './ChurnModel';
import type { ChurnDefinition } from './churnLabels';
import { type ChurnEvaluation, evaluateChurnModel } from './evaluateChurnModel';
import { type ChurnHorizon, horizonStart } from './horizonEnd';
import { type EventsOrTimelines, toChurnSource } from './toTimelines';
import { type TrainChurnModelOptions, trainChurnModel } from './trainChurnModel';
import type { ChurnRow } from './types';

/** Options of {@link backtest}. */
export interface BacktestOptions {
  /** Test instant: the model predicts churn in `(asOf, asOf + horizon]`; the data must reach that far. */
  asOf: DateInput;
  /** Prediction horizon (days, or `{ days, weeks, months }`). */
  horizon: ChurnHorizon;
  /** Model family or full training options. @default 'logistic' */
  model?: TrainChurnModelOptions['model'] | TrainChurnModelOptions;
  /** Churn definition, as in `churnLabels`. @default 'auto' */
  definition?: ChurnDefinition;
  /** Non-contractual activity types, as in `churnLabels`. @default ['purchase', 'login', 'session', 'feature_used'] */
  activityTypes?: readonly string[];
  /** Profiles for the features. @default [] */
  profiles?: readonly CustomerProfile[];
  /**
   * Training snapshots: labels at `asOf − h`, `asOf − 2h`, … (h = horizon), so every training label
   * is fully observed before the test asOf. More snapshots = more training rows (a customer can
   * appear once per snapshot). @default 3
   */
  trainSnapshots?: number;
}

/** Result of {@link backtest}. */
export interface BacktestResult {
  /** Training asOf instants, latest first. */
  trainAsOf: number[];
  testAsOf: number;
  nTrain: number;
  nTest: number;
  /** The model trained on the training snapshots. */
  model: ChurnModel;
  /** Out-of-time evaluation on the test asOf. */
  evaluation: ChurnEvaluation;
  /** Test predictions with outcomes, in customer-id order. */
  predictions: { customerId: string; probability: number; churned: boolean }[];
}

const FN = 'backtest';

/**
 * Time-based backtest, the honest way to measure a churn model: train on labels from earlier
 * instants, test on a later one. Training snapshot k uses features from before `asOf − k·h` and
 * labels from `(asOf − k·h, asOf − (k−1)·h]`, so nothing the model sees is later than the test asOf;
 * the test set uses features from events at or before `asOf` and labels from `(asOf, asOf + h]`.
 *
 * Missing-data policy: snapshots with no labelled customer are skipped; an InsufficientDataError is
 * thrown when the training rows hold one class only or the test set is empty.
 *
 * @param events validated events, timelines, or an `EventStore` (read as columns, no event object).
 * @param options test asOf, horizon, model.
 * @returns the model, its out-of-time evaluation and test predictions.
 * @throws InsufficientDataError; ValidationError (including a bad asOf).
 * @example
 * ```ts
 * const bt = backtest(events, { asOf: '2025-09-01', horizon: 60, profiles });
 * bt.evaluation.rocAuc; // => 0.86
 * ```
 */
export function backtest(events: EventsOrTimelines, options: BacktestOptions): BacktestResult {
  requireOptions('backtest', options);
  checkOptions('backtest', options, [
    'asOf',
    'horizon',
    'model',
    'definition',
    'activityTypes',
    'profiles',
    'trainSnapshots',
  ]);
  const asOf = requireEpochMs(options.asOf, FN, 'asOf');
  const snapshots = options.trainSnapshots ?? 3;
  if (!Number.isInteger(snapshots) || snapshots < 1) {
    throw new ValidationError(FN, [
      {
        path: ['trainSnapshots'],
        code: 'invalid_value',
        message: 'option "trainSnapshots" must be an integer >= 1',
      },
    ]);
  }
  const source = toChurnSource(events, 'backtest');
  const common = {
    horizon: options.horizon,
    definition: options.definition ?? 'auto',
    profiles: options.profiles ?? [],
    ...(options.activityTypes ? { activityTypes: options.activityTypes } : {}),
  };
  const trainRows: ChurnRow[] = [];
  const trainAsOf: number[] = [];
  let t = asOf;
  for (let k = 0; k < snapshots; k++) {
    const s = horizonStart(t, options.horizon);
    if (s === null) {
      throw new ValidationError(FN, [
        { path: ['horizon'], code: 'invalid_value', message: 'option "horizon" must be a positive length' },
      ]);
    }
    const ds = buildChurnDataset(source, { ...common, asOf: s });
    if (ds.horizonEnd > asOf) break; // a calendar-month horizon that would overlap the test window
    trainAsOf.push(s);
    for (const r of ds.rows) trainRows.push(r);
    t = s;
  }
  const test = buildChurnDataset(source, { ...common, asOf });
  if (test.rows.length === 0)
    throw new InsufficientDataError(FN, 'no customer is active at the test asOf', {
      available: 0,
      required: 1,
    });
  const trainOptions: TrainChurnModelOptions =
    typeof options.model === 'object' && options.model !== null
      ? options.model
      : { model: options.model ?? 'logistic' };
  const model = trainChurnModel(trainRows, trainOptions);
  const probs = model.predictProbabilities(test.rows);
  const evaluation = evaluateChurnModel({ probabilities: probs, churned: test.rows.map((r) => r.churned) });
  return {
    trainAsOf,
    testAsOf: asOf,
    nTrain: trainRows.length,
    nTest: test.rows.length,
    model,
    evaluation,
    predictions: test.rows.map((r, i) => ({
      customerId: r.customerId as string,
      probability: probs[i] as number,
      churned: r.churned,
    })),
  };
}
