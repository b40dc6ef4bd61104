import { checkOptions, InsufficientDataError, ValidationError } from '../_lib/errors';
import { createRng } from '../_lib/random';
import { requireArray } from './_args';
import { type ChurnEvaluation, evaluateChurnModel } from './evaluateChurnModel';
import { TRAIN_OPTION_KEYS, type TrainChurnModelOptions, trainChurnModel } from './trainChurnModel';
import type { ChurnRow } from './types';

/** Options of {@link crossValidate}: training options plus the folds. */
export interface CrossValidateOptions extends TrainChurnModelOptions {
  /** Number of folds. @default 5 */
  folds?: number;
}

/** Result of {@link crossValidate}. */
export interface CrossValidationResult {
  /** Evaluation of each held-out fold. */
  folds: ChurnEvaluation[];
  /** Evaluation of all out-of-fold predictions pooled. */
  pooled: ChurnEvaluation;
  /** Out-of-fold probability of each row (input order). */
  outOfFold: Float64Array;
  /** Fold of each row (0-based). */
  fold: Uint8Array;
}

/**
 * Stratified k-fold cross-validation for tabular data: churners and non-churners are each shuffled
 * (seeded) and dealt round-robin into the folds, so every fold has the overall churn rate (±1 row);
 * a model is trained on k−1 folds and scored on the held-out one. For event data prefer `backtest`
 * (time-based), which cannot leak the future.
 *
 * Missing-data policy: as `trainChurnModel`.
 *
 * @param rows labelled rows.
 * @param options folds, seed and training options.
 * @returns per-fold and pooled evaluations, out-of-fold probabilities.
 * @throws InsufficientDataError when a class has fewer rows than folds.
 * @example
 * ```ts
 * const cv = crossValidate(rows, { folds: 5, seed: 1 });
 * cv.pooled.rocAuc; // => 0.81
 * ```
 */
export function crossValidate(
  rows: readonly ChurnRow[],
  options: CrossValidateOptions = {},
): CrossValidationResult {
  checkOptions('crossValidate', options, ['folds', ...TRAIN_OPTION_KEYS]);
  requireArray('crossValidate', 'rows', rows);
  const { folds: _folds, ...trainOptions } = options;
  const k = options.folds ?? 5;
  if (!Number.isInteger(k) || k < 2 || k > 255) {
    throw new ValidationError('crossValidate', [
      { path: ['folds'], code: 'invalid_value', message: 'option "folds" must be an integer in 2..255' },
    ]);
  }
  const pos: number[] = [];
  const neg: number[] = [];
  rows.forEach((r: unknown, i) => {
    // Rows are checked in full by trainChurnModel; here only what the fold split reads.
    if (r === null || typeof r !== 'object' || typeof (r as ChurnRow).churned !== 'boolean')
      throw new ValidationError('crossValidate', [
        {
          index: i,
          path: ['rows'],
          code: 'invalid_row',
          message: 'each row must be an object with a boolean "churned"',
        },
      ]);
    ((r as ChurnRow).churned ? pos : neg).push(i);
  });
  if (pos.length < k || neg.length < k) {
    throw new InsufficientDataError(
      'crossValidate',
      `each class needs at least ${k} rows (churned ${pos.length}, retained ${neg.length})`,
      {
        available: Math.min(pos.length, neg.length),
        required: k,
      },
    );
  }
  const rng = createRng(options.seed ?? 1);
  rng.shuffle(pos);
  rng.shuffle(neg);
  const fold = new Uint8Array(rows.length);
  pos.forEach((i, j) => {
    fold[i] = j % k;
  });
  neg.forEach((i, j) => {
    fold[i] = (pos.length + j) % k;
  });
  const outOfFold = new Float64Array(rows.length);
  const folds: ChurnEvaluation[] = [];
  for (let f = 0; f < k; f++) {
    const train: ChurnRow[] = [];
    const test: ChurnRow[] = [];
    const testIdx: number[] = [];
    rows.forEach((r, i) => {
      if (fold[i] === f) {
        test.push(r);
        testIdx.push(i);
      } else train.push(r);
    });
    const model = trainChurnModel(train, trainOptions);
    const p = model.predictProbabilities(test);
    testIdx.forEach((i, j) => {
      outOfFold[i] = p[j] as number;
    });
    folds.push(evaluateChurnModel({ probabilities: p, churned: test.map((r) => r.churned) }));
  }
  const pooled = evaluateChurnModel({ probabilities: outOfFold, churned: rows.map((r) => r.churned) });
  return { folds, pooled, outOfFold, fold };
}
