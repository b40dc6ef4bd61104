/** `customer-vitals health`: health score per customer, lowest first. */
import type { HealthScore } from '../../health/healthTypes';
import type { OrderedHealthScores } from '../../health/scoreHealth';
import { orderedHealthFromStore } from '../../store/scoreHealthFromStore';
import type { VitalsWarning } from '../../types';
import { type CommandResult, type ItemList, LazyItems } from '../output';
import { type AnalysisInput, fixed, isoDay, warningsOf } from './shared';

/**
 * Scores the store directly (the same scores as `scoreHealth` on the events), lowest first; each
 * explained score is built when it is written, so memory does not grow with the number of customers'
 * explanations (a million customers fit the default heap).
 */
export function healthCommand({ store, profiles, asOf }: AnalysisInput): CommandResult<HealthScore> {
  return orderedHealthResult(orderedHealthFromStore(store, { asOf, profiles }), asOf);
}

/** The command result of scores built as they are written (store or DuckDB rows). */
export function orderedHealthResult(ordered: OrderedHealthScores, asOf: number): CommandResult<HealthScore> {
  return healthListResult(new LazyItems((i) => ordered.at(i), ordered.length), ordered.warnings, asOf);
}

/** The command result of health scores (from `scoreHealth` or the DuckDB engine). */
export function healthResult(result: readonly HealthScore[], asOf: number): CommandResult<HealthScore> {
  const scores = [...result].sort(
    (a, b) => (a.score ?? 101) - (b.score ?? 101) || (a.customerId < b.customerId ? -1 : 1),
  );
  return healthListResult(scores, warningsOf(result), asOf);
}

/** The command result of scores already in output order (an array or built as written). */
export function healthListResult(
  scores: ItemList<HealthScore>,
  warnings: VitalsWarning[],
  asOf: number,
): CommandResult<HealthScore> {
  return {
    title: `Health as of ${isoDay(asOf)}: ${scores.length} customers, lowest first`,
    items: scores,
    columns: [
      { name: 'customer', get: (s) => s.customerId },
      { name: 'score', get: (s) => fixed(s.score) },
      { name: 'band', get: (s) => s.band ?? '' },
      { name: 'coverage', get: (s) => `${Math.round(100 * s.coverage)}%` },
      { name: 'scorecard', get: (s) => s.scorecard, table: false },
      { name: 'top driver', get: (s) => s.explanation.negative[0]?.sentence ?? s.reason ?? '' },
      { name: 'top strength', get: (s) => s.explanation.positive[0]?.sentence ?? '', table: false },
    ],
    meta: { asOf: new Date(asOf).toISOString() },
    warnings,
    ...(scores.length === 0 ? { emptyReason: 'no customer to score' } : {}),
  };
}
