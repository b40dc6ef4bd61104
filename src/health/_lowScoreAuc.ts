import { rocAuc } from '../_lib/auc';

/**
 * ROC AUC of a health score for predicting churn, where a LOWER score should mean churn: the
 * probability that a random churner scores below a random stayer, ties counting one half. It is
 * `rocAuc` (scikit-learn's convention, higher = positive) on the negated scores, so both modules
 * share one implementation. Returns null when either class is absent.
 * @internal
 */
export function lowScoreAuc(scores: ArrayLike<number>, churned: ArrayLike<boolean>): number | null {
  const negated = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) negated[i] = -(scores[i] as number);
  return rocAuc(negated, churned);
}
